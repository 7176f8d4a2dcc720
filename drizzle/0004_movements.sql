CREATE TABLE "inspections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"movement_id" uuid NOT NULL,
	"checkpoint_id" uuid NOT NULL,
	"observed_quantity" numeric(14, 3) NOT NULL,
	"outcome" text NOT NULL,
	"notes" text,
	"verdict" text NOT NULL,
	"reasons" jsonb NOT NULL,
	"inspected_by" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "inspections_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	CONSTRAINT "inspections_client_id_unique" UNIQUE("client_id")
);
--> statement-breakpoint
CREATE TABLE "movements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"input" text NOT NULL,
	"quantity" numeric(14, 3) NOT NULL,
	"unit" text NOT NULL,
	"consignor_id" uuid NOT NULL,
	"consignee_id" uuid NOT NULL,
	"destination_concession_id" uuid,
	"destination_point" geometry(Point,4326),
	"vehicle" text NOT NULL,
	"route" text NOT NULL,
	"authorization_id" uuid,
	"status" text DEFAULT 'declared' NOT NULL,
	"qr_token" text NOT NULL,
	"declared_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "movements_code_unique" UNIQUE("code"),
	CONSTRAINT "movements_quantity_positive" CHECK ("movements"."quantity" > 0),
	CONSTRAINT "movements_unit" CHECK (("movements"."input" = 'mercury' AND "movements"."unit" = 'kg') OR ("movements"."input" <> 'mercury' AND "movements"."unit" = 'L')),
	CONSTRAINT "movements_one_destination" CHECK (("movements"."destination_concession_id" IS NULL) <> ("movements"."destination_point" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_movement_id_movements_id_fk" FOREIGN KEY ("movement_id") REFERENCES "public"."movements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_checkpoint_id_checkpoints_id_fk" FOREIGN KEY ("checkpoint_id") REFERENCES "public"."checkpoints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_consignor_id_actors_id_fk" FOREIGN KEY ("consignor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_consignee_id_actors_id_fk" FOREIGN KEY ("consignee_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_destination_concession_id_concessions_id_fk" FOREIGN KEY ("destination_concession_id") REFERENCES "public"."concessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_authorization_id_actor_registrations_id_fk" FOREIGN KEY ("authorization_id") REFERENCES "public"."actor_registrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inspections_movement_idx" ON "inspections" USING btree ("movement_id","occurred_at");--> statement-breakpoint
CREATE INDEX "inspections_checkpoint_idx" ON "inspections" USING btree ("checkpoint_id","occurred_at");--> statement-breakpoint
CREATE INDEX "movements_consignee_idx" ON "movements" USING btree ("consignee_id","declared_at");--> statement-breakpoint
CREATE INDEX "movements_route_idx" ON "movements" USING btree ("route","declared_at");--> statement-breakpoint
CREATE INDEX "movements_destination_gist" ON "movements" USING gist ("destination_point");--> statement-breakpoint
CREATE SEQUENCE IF NOT EXISTS movement_code_seq;
--> statement-breakpoint
CREATE TRIGGER movements_no_delete BEFORE DELETE ON movements
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('movements are never deleted');
--> statement-breakpoint
CREATE TRIGGER inspections_append_only BEFORE UPDATE OR DELETE ON inspections
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('inspections are append-only');
