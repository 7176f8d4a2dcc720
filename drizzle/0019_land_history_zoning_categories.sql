CREATE TABLE "actor_categories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"actor_id" uuid NOT NULL,
	"category" text NOT NULL,
	"mining_method" text,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "actor_categories_period" CHECK ("actor_categories"."valid_to" IS NULL OR "actor_categories"."valid_to" >= "actor_categories"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "concession_geometries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"concession_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"valid_from" date,
	"valid_to" date,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"area_ha" numeric(14, 4) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "concession_geometries_version" UNIQUE("concession_id","version"),
	CONSTRAINT "concession_geometries_period" CHECK ("concession_geometries"."valid_to" IS NULL OR "concession_geometries"."valid_from" IS NULL OR "concession_geometries"."valid_to" >= "concession_geometries"."valid_from"),
	CONSTRAINT "concession_geometries_first_open" CHECK (("concession_geometries"."version" = 1) = ("concession_geometries"."valid_from" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "zones" ADD COLUMN "region" text;--> statement-breakpoint
ALTER TABLE "zones" ADD COLUMN "permitted_uses" text[];--> statement-breakpoint
ALTER TABLE "actor_categories" ADD CONSTRAINT "actor_categories_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concession_geometries" ADD CONSTRAINT "concession_geometries_concession_id_concessions_id_fk" FOREIGN KEY ("concession_id") REFERENCES "public"."concessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "actor_categories_actor_idx" ON "actor_categories" USING btree ("actor_id","valid_from");--> statement-breakpoint
CREATE INDEX "concession_geometries_geom_gist" ON "concession_geometries" USING gist ("geom");--> statement-breakpoint
ALTER TABLE "zones" ADD CONSTRAINT "zones_corridor_region" CHECK ("zones"."kind" <> 'mining_corridor' OR "zones"."region" IS NOT NULL);--> statement-breakpoint
ALTER TABLE "zones" ADD CONSTRAINT "zones_micro_zoning_uses" CHECK ("zones"."kind" <> 'micro_zoning' OR "zones"."permitted_uses" IS NOT NULL);--> statement-breakpoint
-- hand-written below
-- Every right starts with its geometry as version 1, open from the start of the record, however
-- it is inserted (API, import CLI, demo): a trigger, so no path can leave a right without history.
CREATE FUNCTION orotrace_concession_first_geometry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO concession_geometries (id, concession_id, version, valid_from, valid_to, geom, area_ha)
  VALUES (gen_random_uuid(), NEW.id, 1, NULL, NULL, NEW.geom, NEW.area_ha);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER concessions_first_geometry AFTER INSERT ON concessions
  FOR EACH ROW EXECUTE FUNCTION orotrace_concession_first_geometry();
--> statement-breakpoint
INSERT INTO concession_geometries (id, concession_id, version, valid_from, valid_to, geom, area_ha)
SELECT gen_random_uuid(), c.id, 1, NULL, NULL, c.geom, c.area_ha FROM concessions c;
--> statement-breakpoint
-- Only one version of a right is open (valid_to null) at a time.
CREATE UNIQUE INDEX concession_geometries_one_open ON concession_geometries (concession_id) WHERE valid_to IS NULL;
--> statement-breakpoint
-- A version's geometry and number never change; only its end (valid_to) is set, once.
CREATE FUNCTION orotrace_concession_geometry_close_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.valid_to IS NOT NULL OR NEW.valid_to IS NULL OR NEW.id <> OLD.id OR NEW.concession_id <> OLD.concession_id
     OR NEW.version <> OLD.version OR NEW.valid_from IS DISTINCT FROM OLD.valid_from
     OR NOT ST_Equals(NEW.geom, OLD.geom) OR NEW.area_ha <> OLD.area_ha THEN
    RAISE EXCEPTION 'a geometry version is history: only its end may be set, once' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER concession_geometries_close_only BEFORE UPDATE ON concession_geometries
  FOR EACH ROW EXECUTE FUNCTION orotrace_concession_geometry_close_only();
--> statement-breakpoint
CREATE TRIGGER concession_geometries_append_only BEFORE DELETE ON concession_geometries
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('geometry versions are history');
--> statement-breakpoint
CREATE TRIGGER actor_categories_no_delete BEFORE DELETE ON actor_categories
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('categories are history');
--> statement-breakpoint
CREATE TRIGGER concession_geometries_no_truncate BEFORE TRUNCATE ON concession_geometries
  FOR EACH STATEMENT EXECUTE FUNCTION orotrace_refuse_change('history is never emptied');
--> statement-breakpoint
CREATE TRIGGER actor_categories_no_truncate BEFORE TRUNCATE ON actor_categories
  FOR EACH STATEMENT EXECUTE FUNCTION orotrace_refuse_change('history is never emptied');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON concession_geometries, actor_categories TO orotrace_writer;
