CREATE TABLE "ledger_incidents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"fingerprint" text NOT NULL,
	"event_id" uuid,
	"tree_size" bigint,
	"detail" text NOT NULL,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_incidents_fingerprint_unique" UNIQUE("fingerprint")
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "write_signature" text;--> statement-breakpoint
CREATE INDEX "ledger_incidents_detected_idx" ON "ledger_incidents" USING btree ("detected_at");--> statement-breakpoint
-- Incidents are history too: once recorded, never changed or removed.
CREATE TRIGGER ledger_incidents_append_only BEFORE UPDATE OR DELETE ON ledger_incidents
  FOR EACH ROW EXECUTE FUNCTION orotrace_refuse_change('incidents are append-only');
--> statement-breakpoint
-- Row triggers do not fire on TRUNCATE: a statement trigger on every table of the application
-- refuses it (SQLSTATE 42501, as the row triggers). Only session_replication_role = replica (a
-- superuser's setting) or ALTER TABLE … DISABLE TRIGGER (the owner's) gets past it; the README
-- says how each is logged and what detects the result.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['actors', 'actor_registrations', 'checkpoints', 'concessions',
    'concession_operators', 'events', 'flags', 'inspections', 'ledger_heads', 'ledger_incidents',
    'ledger_leaves', 'ledger_nodes', 'lot_edges', 'lots', 'movements', 'scans', 'zones'] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION orotrace_refuse_change(%L)',
      t || '_no_truncate', t, 'history is never emptied');
  END LOOP;
END
$$;
--> statement-breakpoint
-- Least privilege. The application (server, CLIs) connects as a member of orotrace_writer: it
-- reads, inserts, and updates only the state tables whose rows change (a lot's custody and status,
-- a movement's status, a flag's review, a registration closed, reference data retired). It owns nothing, so it can neither
-- ALTER, DROP, TRUNCATE nor disable a trigger; it deletes nothing. The migrating role (the owner)
-- creates the group if it may; otherwise an administrator creates it first (README, "Database roles").
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'orotrace_writer') THEN
    CREATE ROLE orotrace_writer NOLOGIN;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE EXCEPTION 'orotrace: role orotrace_writer does not exist and % may not create it: create it first (README, "Database roles")', current_user
    USING ERRCODE = '42501';
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO orotrace_writer;
--> statement-breakpoint
GRANT SELECT, INSERT ON actors, actor_registrations, checkpoints, concessions, concession_operators,
  events, flags, inspections, ledger_heads, ledger_incidents, ledger_leaves, ledger_nodes, lot_edges,
  lots, movements, scans, zones TO orotrace_writer;
--> statement-breakpoint
GRANT UPDATE ON lots, movements, flags, zones, concessions, checkpoints, actor_registrations TO orotrace_writer;
--> statement-breakpoint
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO orotrace_writer;
--> statement-breakpoint
-- Tables and sequences later migrations create are readable and insertable by the application;
-- any UPDATE it needs there is granted by name in that migration.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO orotrace_writer;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO orotrace_writer;
--> statement-breakpoint
-- The application may read which migrations are applied (it checks at start, and cannot apply them).
GRANT USAGE ON SCHEMA drizzle TO orotrace_writer;
--> statement-breakpoint
GRANT SELECT ON drizzle.__drizzle_migrations TO orotrace_writer;
