ALTER TABLE "flags" ADD COLUMN "fingerprint" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "custody_since" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "flags_once_uq" ON "flags" USING btree ("subject_type","subject_id","rule","fingerprint");--> statement-breakpoint
CREATE INDEX "flags_inherited_from_idx" ON "flags" USING btree ("inherited_from");--> statement-breakpoint
CREATE INDEX "flags_created_idx" ON "flags" USING btree ("created_at");--> statement-breakpoint
-- Lots registered before this migration took custody when they were registered or last transferred.
UPDATE "lots" l SET "custody_since" = coalesce(
  (SELECT max(e.occurred_at) FROM "events" e WHERE e.subject_type = 'lot' AND e.subject_id = l.id AND e.type = 'lot.transferred'),
  l.created_at);--> statement-breakpoint
-- UUIDv7 (RFC 9562) in SQL, for rows that screening writes in bulk: the time-ordered ids the
-- application draws (uuid v7), on PostgreSQL 15 which has no uuidv7() of its own. It overlays the
-- Unix time in milliseconds on a random UUID and turns its version nibble from 4 into 7.
CREATE OR REPLACE FUNCTION orotrace_uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
              FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;
