CREATE TABLE "air_links" (
	"from_checkpoint_id" uuid NOT NULL,
	"to_checkpoint_id" uuid NOT NULL,
	"min_minutes" integer NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "air_links_from_checkpoint_id_to_checkpoint_id_pk" PRIMARY KEY("from_checkpoint_id","to_checkpoint_id"),
	CONSTRAINT "air_links_minutes" CHECK ("air_links"."min_minutes" > 0),
	CONSTRAINT "air_links_two_ends" CHECK ("air_links"."from_checkpoint_id" <> "air_links"."to_checkpoint_id")
);
--> statement-breakpoint
CREATE TABLE "admin_areas" (
	"id" uuid PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"name" text NOT NULL,
	"department" text NOT NULL,
	"province" text,
	"source_ref" text NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admin_areas_source_ref_unique" UNIQUE("source_ref"),
	CONSTRAINT "admin_areas_level" CHECK ("admin_areas"."level" IN ('department', 'province', 'district')),
	CONSTRAINT "admin_areas_geom_valid" CHECK (ST_IsValid("admin_areas"."geom"))
);
--> statement-breakpoint
CREATE TABLE "detection_layers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"name" text NOT NULL,
	"attribution" text NOT NULL,
	"coverage" geometry(MultiPolygon,4326) NOT NULL,
	"observed_from" date NOT NULL,
	"observed_to" date NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "detection_layers_period" CHECK ("detection_layers"."observed_to" >= "detection_layers"."observed_from"),
	CONSTRAINT "detection_layers_coverage_valid" CHECK (ST_IsValid("detection_layers"."coverage"))
);
--> statement-breakpoint
CREATE TABLE "mining_detections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"source_ref" text NOT NULL,
	"period" text NOT NULL,
	"observed_from" date NOT NULL,
	"observed_to" date NOT NULL,
	"polygon_area_ha" numeric(12, 3),
	"mined_area_ha" numeric(12, 3),
	"geom" geometry(Geometry,4326) NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mining_detections_source_ref_unique" UNIQUE("source_ref"),
	CONSTRAINT "mining_detections_kind" CHECK ("mining_detections"."kind" IN ('footprint', 'alert')),
	CONSTRAINT "mining_detections_geom_kind" CHECK (("mining_detections"."kind" = 'footprint' AND GeometryType("mining_detections"."geom") = 'MULTIPOLYGON') OR ("mining_detections"."kind" = 'alert' AND GeometryType("mining_detections"."geom") = 'POINT')),
	CONSTRAINT "mining_detections_period" CHECK ("mining_detections"."observed_to" >= "mining_detections"."observed_from"),
	CONSTRAINT "mining_detections_geom_valid" CHECK (ST_IsValid("mining_detections"."geom"))
);
--> statement-breakpoint
CREATE TABLE "lot_transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"lot_id" uuid NOT NULL,
	"operation" text NOT NULL,
	"from_actor_id" uuid NOT NULL,
	"to_actor_id" uuid,
	"gross_weight_g" numeric(14, 3) NOT NULL,
	"fine_weight_g" numeric(14, 3) NOT NULL,
	"price_amount" numeric(16, 2),
	"price_currency" text,
	"payment_method" text,
	"payment_reference" text,
	"invoice_number" text,
	"invoice_issued_on" date,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lot_transfers_operation" CHECK ("lot_transfers"."operation" IN ('transfer', 'export')),
	CONSTRAINT "lot_transfers_counterpart" CHECK (("lot_transfers"."operation" = 'export') = ("lot_transfers"."to_actor_id" IS NULL)),
	CONSTRAINT "lot_transfers_price" CHECK (("lot_transfers"."price_amount" IS NULL) = ("lot_transfers"."price_currency" IS NULL)),
	CONSTRAINT "lot_transfers_price_positive" CHECK ("lot_transfers"."price_amount" IS NULL OR "lot_transfers"."price_amount" > 0),
	CONSTRAINT "lot_transfers_payment" CHECK ("lot_transfers"."payment_method" IS NULL OR "lot_transfers"."payment_method" IN ('cash', 'bank_transfer', 'cheque', 'other')),
	CONSTRAINT "lot_transfers_invoice" CHECK (("lot_transfers"."invoice_number" IS NULL) = ("lot_transfers"."invoice_issued_on" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "checkpoints" ADD COLUMN "mode" text DEFAULT 'road' NOT NULL;--> statement-breakpoint
ALTER TABLE "air_links" ADD CONSTRAINT "air_links_from_checkpoint_id_checkpoints_id_fk" FOREIGN KEY ("from_checkpoint_id") REFERENCES "public"."checkpoints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "air_links" ADD CONSTRAINT "air_links_to_checkpoint_id_checkpoints_id_fk" FOREIGN KEY ("to_checkpoint_id") REFERENCES "public"."checkpoints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_transfers" ADD CONSTRAINT "lot_transfers_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_transfers" ADD CONSTRAINT "lot_transfers_from_actor_id_actors_id_fk" FOREIGN KEY ("from_actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_transfers" ADD CONSTRAINT "lot_transfers_to_actor_id_actors_id_fk" FOREIGN KEY ("to_actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_areas_geom_gist" ON "admin_areas" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "detection_layers_coverage_gist" ON "detection_layers" USING gist ("coverage");--> statement-breakpoint
CREATE INDEX "detection_layers_source_idx" ON "detection_layers" USING btree ("source","imported_at");--> statement-breakpoint
CREATE INDEX "mining_detections_geom_gist" ON "mining_detections" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "mining_detections_observed_idx" ON "mining_detections" USING btree ("observed_from");--> statement-breakpoint
CREATE INDEX "lot_transfers_lot_idx" ON "lot_transfers" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "lot_transfers_from_idx" ON "lot_transfers" USING btree ("from_actor_id","occurred_at");--> statement-breakpoint
CREATE INDEX "lot_transfers_to_idx" ON "lot_transfers" USING btree ("to_actor_id","occurred_at");--> statement-breakpoint
ALTER TABLE "checkpoints" ADD CONSTRAINT "checkpoints_mode" CHECK ("checkpoints"."mode" IN ('road', 'river', 'air'));--> statement-breakpoint
-- Evidence tables are append-only and never emptied, as 0009 makes every other history table.
CREATE TRIGGER lot_transfers_append_only BEFORE UPDATE OR DELETE ON lot_transfers
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('transfers are append-only');
--> statement-breakpoint
CREATE TRIGGER mining_detections_append_only BEFORE UPDATE OR DELETE ON mining_detections
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('detections are append-only');
--> statement-breakpoint
CREATE TRIGGER admin_areas_append_only BEFORE UPDATE OR DELETE ON admin_areas
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('administrative areas are append-only');
--> statement-breakpoint
CREATE TRIGGER lot_transfers_no_truncate BEFORE TRUNCATE ON lot_transfers
  FOR EACH STATEMENT EXECUTE FUNCTION orotrace_refuse_change('history is never emptied');
--> statement-breakpoint
CREATE TRIGGER mining_detections_no_truncate BEFORE TRUNCATE ON mining_detections
  FOR EACH STATEMENT EXECUTE FUNCTION orotrace_refuse_change('history is never emptied');
--> statement-breakpoint
CREATE TRIGGER admin_areas_no_truncate BEFORE TRUNCATE ON admin_areas
  FOR EACH STATEMENT EXECUTE FUNCTION orotrace_refuse_change('history is never emptied');
--> statement-breakpoint
CREATE TRIGGER air_links_no_truncate BEFORE TRUNCATE ON air_links
  FOR EACH STATEMENT EXECUTE FUNCTION orotrace_refuse_change('history is never emptied');
--> statement-breakpoint
GRANT SELECT, INSERT ON lot_transfers, mining_detections, admin_areas, detection_layers TO orotrace_writer;
--> statement-breakpoint
-- An air link's minimum time may be revised as schedules change.
GRANT SELECT, INSERT, UPDATE ON air_links TO orotrace_writer;
--> statement-breakpoint
-- The hand-overs made before this table, from the ledger's events: a lot's weights never change
-- while it exists (an operation that changes them makes new lots), so they are the lot's own.
INSERT INTO lot_transfers (id, lot_id, operation, from_actor_id, to_actor_id, gross_weight_g, fine_weight_g, occurred_at)
SELECT orotrace_uuid_v7(), e.subject_id, 'transfer', (e.payload ->> 'from')::uuid, (e.payload ->> 'to')::uuid,
       l.gross_weight_g, l.fine_weight_g, e.recorded_at
  FROM events e JOIN lots l ON l.id = e.subject_id
 WHERE e.type = 'lot.transferred'
 ORDER BY e.recorded_at;
--> statement-breakpoint
INSERT INTO lot_transfers (id, lot_id, operation, from_actor_id, to_actor_id, gross_weight_g, fine_weight_g, occurred_at)
SELECT orotrace_uuid_v7(), e.subject_id, 'export', l.custodian_id, NULL, l.gross_weight_g, l.fine_weight_g, e.recorded_at
  FROM events e JOIN lots l ON l.id = e.subject_id
 WHERE e.type = 'lot.exported'
 ORDER BY e.recorded_at;
--> statement-breakpoint
CREATE TRIGGER detection_layers_append_only BEFORE UPDATE OR DELETE ON detection_layers
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('detection layers are append-only');
--> statement-breakpoint
CREATE TRIGGER detection_layers_no_truncate BEFORE TRUNCATE ON detection_layers
  FOR EACH STATEMENT EXECUTE FUNCTION orotrace_refuse_change('history is never emptied');
