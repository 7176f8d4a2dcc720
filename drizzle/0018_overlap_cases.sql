CREATE TABLE "overlap_cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"concession_id" uuid NOT NULL,
	"other_concession_id" uuid NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"area_ha" numeric(14, 4) NOT NULL,
	"found_at" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"exception_legal_basis" text,
	"exception_note" text,
	"mediation_note" text,
	"outcome" text,
	"authority" text,
	"resolution" text,
	"decided_on" date,
	"decision_note" text,
	"affected_concession_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "overlap_cases_two_rights" CHECK ("overlap_cases"."concession_id" <> "overlap_cases"."other_concession_id"),
	CONSTRAINT "overlap_cases_decided" CHECK (("overlap_cases"."status" IN ('resolved', 'annulled')) = ("overlap_cases"."outcome" IS NOT NULL AND "overlap_cases"."decided_on" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "overlap_cases" ADD CONSTRAINT "overlap_cases_concession_id_concessions_id_fk" FOREIGN KEY ("concession_id") REFERENCES "public"."concessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "overlap_cases" ADD CONSTRAINT "overlap_cases_other_concession_id_concessions_id_fk" FOREIGN KEY ("other_concession_id") REFERENCES "public"."concessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "overlap_cases" ADD CONSTRAINT "overlap_cases_affected_concession_id_concessions_id_fk" FOREIGN KEY ("affected_concession_id") REFERENCES "public"."concessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "overlap_cases_geom_gist" ON "overlap_cases" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "overlap_cases_status_idx" ON "overlap_cases" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "overlap_cases_concession_idx" ON "overlap_cases" USING btree ("concession_id");--> statement-breakpoint
CREATE INDEX "overlap_cases_other_concession_idx" ON "overlap_cases" USING btree ("other_concession_id");--> statement-breakpoint
CREATE UNIQUE INDEX "overlap_cases_pair_pending_uq" ON "overlap_cases" USING btree (least("concession_id", "other_concession_id"),greatest("concession_id", "other_concession_id")) WHERE "overlap_cases"."status" IN ('open', 'in_mediation');--> statement-breakpoint
-- hand-written below
-- A case is worked (status, decision) but never deleted: its record is the registry's memory.
CREATE TRIGGER overlap_cases_no_delete BEFORE DELETE ON overlap_cases
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('overlap cases are decided, not deleted');
--> statement-breakpoint
GRANT UPDATE ON overlap_cases TO orotrace_writer;
