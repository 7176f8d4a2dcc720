CREATE TABLE "flags" (
	"id" uuid PRIMARY KEY NOT NULL,
	"rule" text NOT NULL,
	"severity" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"evidence" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"inherited_from" uuid,
	"reviewed_by" text,
	"review_reason" text,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lot_edges" (
	"parent_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"operation" text NOT NULL,
	"fine_weight_g" numeric(14, 3) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lot_edges_parent_id_child_id_pk" PRIMARY KEY("parent_id","child_id")
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"producer_id" uuid,
	"concession_id" uuid,
	"origin" geometry(Point,4326),
	"extracted_on" date,
	"gross_weight_g" numeric(14, 3) NOT NULL,
	"fineness" numeric(7, 3) NOT NULL,
	"fine_weight_g" numeric(14, 3) NOT NULL,
	"form" text NOT NULL,
	"custodian_id" uuid NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"qr_token" text NOT NULL,
	"exported_on" date,
	"customs_declaration" text,
	"destination_country" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lots_code_unique" UNIQUE("code"),
	CONSTRAINT "lots_weights_positive" CHECK ("lots"."gross_weight_g" > 0 AND "lots"."fine_weight_g" >= 0),
	CONSTRAINT "lots_fineness_range" CHECK ("lots"."fineness" > 0 AND "lots"."fineness" <= 1000),
	CONSTRAINT "lots_fine_within_gross" CHECK ("lots"."fine_weight_g" <= "lots"."gross_weight_g")
);
--> statement-breakpoint
CREATE TABLE "scans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"lot_id" uuid NOT NULL,
	"checkpoint_id" uuid NOT NULL,
	"observed_gross_weight_g" numeric(14, 3),
	"verdict" text NOT NULL,
	"reasons" jsonb NOT NULL,
	"scanned_by" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "scans_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	CONSTRAINT "scans_client_id_unique" UNIQUE("client_id")
);
--> statement-breakpoint
ALTER TABLE "lot_edges" ADD CONSTRAINT "lot_edges_parent_id_lots_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_edges" ADD CONSTRAINT "lot_edges_child_id_lots_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_producer_id_actors_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_concession_id_concessions_id_fk" FOREIGN KEY ("concession_id") REFERENCES "public"."concessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_custodian_id_actors_id_fk" FOREIGN KEY ("custodian_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scans" ADD CONSTRAINT "scans_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scans" ADD CONSTRAINT "scans_checkpoint_id_checkpoints_id_fk" FOREIGN KEY ("checkpoint_id") REFERENCES "public"."checkpoints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flags_subject_idx" ON "flags" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "flags_rule_status_idx" ON "flags" USING btree ("rule","status");--> statement-breakpoint
CREATE INDEX "lot_edges_child_idx" ON "lot_edges" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "lots_custodian_idx" ON "lots" USING btree ("custodian_id","status");--> statement-breakpoint
CREATE INDEX "lots_producer_idx" ON "lots" USING btree ("producer_id");--> statement-breakpoint
CREATE INDEX "lots_concession_idx" ON "lots" USING btree ("concession_id");--> statement-breakpoint
CREATE INDEX "lots_origin_gist" ON "lots" USING gist ("origin");--> statement-breakpoint
CREATE INDEX "scans_lot_idx" ON "scans" USING btree ("lot_id","occurred_at");
--> statement-breakpoint
CREATE SEQUENCE IF NOT EXISTS lot_code_seq;
--> statement-breakpoint
CREATE TRIGGER flags_no_delete BEFORE DELETE ON flags
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('flags are never deleted');
--> statement-breakpoint
CREATE TRIGGER lots_no_delete BEFORE DELETE ON lots
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('lots are never deleted');
--> statement-breakpoint
CREATE TRIGGER lot_edges_append_only BEFORE UPDATE OR DELETE ON lot_edges
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('the lot graph is append-only');
--> statement-breakpoint
CREATE TRIGGER scans_append_only BEFORE UPDATE OR DELETE ON scans
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('scans are append-only');
