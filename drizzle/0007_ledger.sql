CREATE TABLE "ledger_heads" (
	"tree_size" bigint PRIMARY KEY NOT NULL,
	"root_hash" "bytea" NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL,
	"xid_horizon" "xid8" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_leaves" (
	"leaf_index" bigint PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"sequenced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_leaves_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "ledger_nodes" (
	"level" smallint NOT NULL,
	"idx" bigint NOT NULL,
	"hash" "bytea" NOT NULL,
	CONSTRAINT "ledger_nodes_level_idx_pk" PRIMARY KEY("level","idx")
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger_leaves" ADD CONSTRAINT "ledger_leaves_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_heads_signed_idx" ON "ledger_heads" USING btree ("signed_at");--> statement-breakpoint
CREATE INDEX "events_xid_idx" ON "events" USING btree ("xid");--> statement-breakpoint
-- The log is append-only like the events it covers: a leaf, a node or a signed head, once
-- written, never changes. (An operator with the power to disable these triggers can still
-- rewrite rows; the signed heads and `npm run verify` are what detect and locate that.)
CREATE TRIGGER ledger_leaves_append_only BEFORE UPDATE OR DELETE ON ledger_leaves
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('the ledger is append-only');--> statement-breakpoint
CREATE TRIGGER ledger_nodes_append_only BEFORE UPDATE OR DELETE ON ledger_nodes
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('the ledger is append-only');--> statement-breakpoint
CREATE TRIGGER ledger_heads_append_only BEFORE UPDATE OR DELETE ON ledger_heads
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('the ledger is append-only');