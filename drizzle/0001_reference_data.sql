CREATE TABLE "actors" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tax_id" text NOT NULL,
	"name" text NOT NULL,
	"kinds" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "actors_tax_id_unique" UNIQUE("tax_id")
);
--> statement-breakpoint
CREATE TABLE "actor_registrations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"actor_id" uuid NOT NULL,
	"registry" text NOT NULL,
	"status" text NOT NULL,
	"step" integer,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"quotas" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "actor_registrations_period" CHECK ("actor_registrations"."valid_to" IS NULL OR "actor_registrations"."valid_to" >= "actor_registrations"."valid_from"),
	CONSTRAINT "actor_registrations_step" CHECK ("actor_registrations"."step" IS NULL OR "actor_registrations"."step" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "checkpoints" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"routes" text[] NOT NULL,
	"retired_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkpoints_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "concession_operators" (
	"id" uuid PRIMARY KEY NOT NULL,
	"concession_id" uuid NOT NULL,
	"actor_id" uuid NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "concession_operators_period" CHECK ("concession_operators"."valid_to" IS NULL OR "concession_operators"."valid_to" >= "concession_operators"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "concessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"holder_id" uuid,
	"status" text NOT NULL,
	"granted_on" date,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"area_ha" numeric(14, 4) NOT NULL,
	"retired_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "concessions_code_unique" UNIQUE("code"),
	CONSTRAINT "concessions_geom_valid" CHECK (ST_IsValid("concessions"."geom"))
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"type" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"actor_sub" text NOT NULL,
	"actor_role" text NOT NULL,
	"actor_id" uuid,
	"checkpoint_id" uuid,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zones" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"legal_basis" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"source_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "zones_source_ref_unique" UNIQUE("source_ref"),
	CONSTRAINT "zones_period" CHECK ("zones"."valid_to" IS NULL OR "zones"."valid_to" >= "zones"."valid_from"),
	CONSTRAINT "zones_geom_valid" CHECK (ST_IsValid("zones"."geom"))
);
--> statement-breakpoint
ALTER TABLE "actor_registrations" ADD CONSTRAINT "actor_registrations_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concession_operators" ADD CONSTRAINT "concession_operators_concession_id_concessions_id_fk" FOREIGN KEY ("concession_id") REFERENCES "public"."concessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concession_operators" ADD CONSTRAINT "concession_operators_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concessions" ADD CONSTRAINT "concessions_holder_id_actors_id_fk" FOREIGN KEY ("holder_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "actors_name_idx" ON "actors" USING btree ("name");--> statement-breakpoint
CREATE INDEX "actor_registrations_actor_idx" ON "actor_registrations" USING btree ("actor_id","registry","valid_from");--> statement-breakpoint
CREATE INDEX "checkpoints_location_gist" ON "checkpoints" USING gist ("location");--> statement-breakpoint
CREATE INDEX "concession_operators_concession_idx" ON "concession_operators" USING btree ("concession_id","actor_id");--> statement-breakpoint
CREATE INDEX "concessions_geom_gist" ON "concessions" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "concessions_kind_idx" ON "concessions" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "events_subject_idx" ON "events" USING btree ("subject_type","subject_id","seq");--> statement-breakpoint
CREATE INDEX "zones_geom_gist" ON "zones" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "zones_kind_idx" ON "zones" USING btree ("kind");