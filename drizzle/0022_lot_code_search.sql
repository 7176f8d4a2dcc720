-- hand-written below
-- Lots are searched by a fragment of their printed code (GET /v1/lots?q=), dashes ignored:
-- `replace(code, '-', '') LIKE '%fragment%'`. A btree cannot serve a fragment in the middle of a
-- code, so that was a scan of every lot. A trigram index on the same expression serves it for
-- fragments of three characters or more (the shortest the API accepts). pg_trgm ships with
-- PostgreSQL's contrib (Debian's postgresql-contrib) and with PGlite (loaded in db/node.ts); it
-- is a trusted extension, so the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS lots_code_compact_trgm_idx ON lots USING gin ((replace(code, '-', '')) gin_trgm_ops);
