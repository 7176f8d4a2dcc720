CREATE TABLE "witness_cosignatures" (
	"tree_size" bigint NOT NULL,
	"witness_key_id" text NOT NULL,
	"witness_name" text NOT NULL,
	"timestamp" bigint NOT NULL,
	"signature_line" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "witness_cosignatures_tree_size_witness_key_id_pk" PRIMARY KEY("tree_size","witness_key_id")
);
--> statement-breakpoint
ALTER TABLE "ledger_heads" ADD COLUMN "checkpoint" text;--> statement-breakpoint
ALTER TABLE "witness_cosignatures" ADD CONSTRAINT "witness_cosignatures_tree_size_ledger_heads_tree_size_fk" FOREIGN KEY ("tree_size") REFERENCES "public"."ledger_heads"("tree_size") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A cosignature, once received, is evidence: never changed, removed or emptied (as 0009 does
-- for every other table).
CREATE TRIGGER witness_cosignatures_append_only BEFORE UPDATE OR DELETE ON witness_cosignatures
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('cosignatures are append-only');
--> statement-breakpoint
CREATE TRIGGER witness_cosignatures_no_truncate BEFORE TRUNCATE ON witness_cosignatures
  FOR EACH STATEMENT EXECUTE FUNCTION orotrace_refuse_change('history is never emptied');
--> statement-breakpoint
-- The default privileges of 0009 cover a table its role creates; granted outright too, in case
-- another owner migrates.
GRANT SELECT, INSERT ON witness_cosignatures TO orotrace_writer;
