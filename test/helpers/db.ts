import { type SQL, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { type Db, rowsOf } from '../../src/db/client.js';
import { type Database, openDatabase } from '../../src/db/node.js';
import * as schema from '../../src/db/schema/index.js';

let database: Promise<Database> | undefined;
let admin: Promise<Db> | undefined;

/**
 * Where the PostgreSQL suite connects, from the environment as the server reads it: DATABASE_URL
 * is the application's role (in CI the restricted one, a member of orotrace_writer), and
 * MIGRATION_DATABASE_URL, when set, the owner that migrates.
 */
export function testDatabaseUrls(): { url: string; migrationUrl?: string } | undefined {
  const url = process.env.DATABASE_URL;
  if (!url) return undefined;
  const migrationUrl = process.env.MIGRATION_DATABASE_URL;
  return migrationUrl ? { url, migrationUrl } : { url };
}

/**
 * The database of this test run, migrated once: PostgreSQL when DATABASE_URL is set, else an
 * in-memory PGlite with PostGIS. Shared by every test file (see vitest.config.ts).
 */
function testDatabase(): Promise<Database> {
  database ??= openDatabase(testDatabaseUrls() ?? { dataDir: 'memory://' });
  return database;
}

export async function testDb(): Promise<Db> {
  return (await testDatabase()).db;
}

/**
 * A superuser's connection to the test database: what empties and restores it between tests (the
 * application's role may do neither) and what the attack tests use to play the insider who holds
 * the database. TEST_ADMIN_DATABASE_URL on PostgreSQL (CI sets it); else the test connection itself
 * (PGlite's one user is a superuser, as is the role of a local run without one).
 */
export async function adminDb(): Promise<Db> {
  admin ??= (async () => {
    const url = process.env.TEST_ADMIN_DATABASE_URL;
    const db = await testDb();
    if (!url || !process.env.DATABASE_URL) return db;
    const client = postgres(url, { max: 2, onnotice: () => {} });
    return drizzle(client, { schema }) as unknown as Db;
  })();
  return admin;
}

/** Every table the application writes, children before the tables they reference. */
const tables = [
  'window_totals',
  'witness_cosignatures',
  'ledger_incidents',
  'ledger_heads',
  'ledger_nodes',
  'ledger_leaves',
  'events',
  'inspections',
  'movements',
  'scans',
  'flags',
  'lot_transfers',
  'lot_edges',
  'lots',
  'concession_operators',
  'overlap_cases',
  'concession_geometries',
  'concessions',
  'zones',
  'air_links',
  'checkpoints',
  'mining_detections',
  'detection_layers',
  'admin_areas',
  'actor_registrations',
  'actor_categories',
  'actors',
];

/** Tables of the public schema that are not the application's (PostGIS's reference data). */
const notOurs = new Set(['spatial_ref_sys']);

/**
 * Empties every table between tests, over the superuser's connection with the history triggers
 * off (session_replication_role, for this transaction only): the application may not, and every
 * table refuses TRUNCATE otherwise. This, restoreSnapshot and wipeLedger are the only places that
 * empty tables.
 */
export async function resetDb(): Promise<void> {
  const db = await adminDb();
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('session_replication_role', 'replica', true)`);
    await tx.execute(sql.raw(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`));
    await tx.execute(sql`ALTER SEQUENCE lot_code_seq RESTART`);
    await tx.execute(sql`ALTER SEQUENCE movement_code_seq RESTART`);
  });
}

/** Where snapshots are kept: a schema of their own, never read by the application. */
const snapshotSchema = 'test_snapshot';

/** Who took the snapshot the database holds now (see takeSnapshot). */
let snapshotOwner: object | undefined;

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * Copies every table's rows and every sequence's position into a schema of their own, and writes
 * the one function that puts them back (restoreSnapshot). `owner` names the snapshot: restoring
 * is only meaningful for the owner whose world it holds, see snapshotOf.
 */
export async function takeSnapshot(owner: object): Promise<void> {
  const db = await adminDb();
  const present = rowsOf<{ name: string }>(
    await db.execute(sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`),
  ).map((r) => r.name);
  const unknown = present.filter((name) => !tables.includes(name) && !notOurs.has(name));
  if (unknown.length > 0) {
    // A table left out would keep one test's rows into the next.
    throw new Error(`tables missing from test/helpers/db.ts: ${unknown.join(', ')}`);
  }
  const columns = rowsOf<{ table: string; column: string }>(
    await db.execute(sql`
      SELECT c.relname AS "table", a.attname AS "column"
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        AND a.attgenerated = ''
      ORDER BY c.relname, a.attnum`),
  );
  const sequences = rowsOf<{ name: string; last: string | null; start: string }>(
    await db.execute(sql`
      SELECT sequencename AS name, last_value::text AS last, start_value::text AS start
      FROM pg_sequences WHERE schemaname = 'public'`),
  );
  const counts = new Map<string, number>();
  await db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${snapshotSchema} CASCADE`));
  await db.execute(sql.raw(`CREATE SCHEMA ${snapshotSchema}`));
  for (const table of tables) {
    await db.execute(
      sql.raw(`CREATE TABLE ${snapshotSchema}.${ident(table)} AS SELECT * FROM ${ident(table)}`),
    );
    const [row] = rowsOf<{ n: number }>(
      await db.execute(sql.raw(`SELECT count(*)::int AS n FROM ${snapshotSchema}.${ident(table)}`)),
    );
    counts.set(table, row?.n ?? 0);
  }
  // Rows go back with the referential and history triggers off (session_replication_role), so
  // that neither the order of the tables nor the refusal to delete history is in the way; the
  // identity columns keep the values they had (OVERRIDING SYSTEM VALUE). DELETE rather than
  // TRUNCATE: on tables of a few rows it costs a fraction of a TRUNCATE's new files.
  const restore = [
    `PERFORM set_config('session_replication_role', 'replica', true);`,
    ...tables.map((table) => `DELETE FROM ${ident(table)};`),
    ...tables
      .filter((table) => (counts.get(table) ?? 0) > 0)
      .map((table) => {
        const list = columns
          .filter((c) => c.table === table)
          .map((c) => ident(c.column))
          .join(', ');
        return `INSERT INTO ${ident(table)} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM ${snapshotSchema}.${ident(table)};`;
      }),
    ...sequences.map((s) =>
      s.last === null
        ? `PERFORM setval(${literal(ident(s.name))}, ${s.start}, false);`
        : `PERFORM setval(${literal(ident(s.name))}, ${s.last}, true);`,
    ),
    `PERFORM set_config('session_replication_role', 'origin', true);`,
  ];
  await db.execute(
    sql.raw(`CREATE FUNCTION ${snapshotSchema}.restore() RETURNS void LANGUAGE plpgsql AS $restore$
BEGIN
  ${restore.join('\n  ')}
END
$restore$`),
  );
  snapshotOwner = owner;
}

/** Puts every table and sequence back as takeSnapshot found them, in one statement. */
export async function restoreSnapshot(): Promise<void> {
  const db = await adminDb();
  await db.execute(sql.raw(`SELECT ${snapshotSchema}.restore()`));
}

/** Whether the database holds the snapshot `owner` took (another may have replaced it since). */
export function holdsSnapshotOf(owner: object): boolean {
  return snapshotOwner === owner;
}

/**
 * What an insider who runs the database can do and the application cannot: empty the log, as a
 * superuser with the history triggers off, in one transaction. The reference data stays, so new
 * writes start a new history from leaf 0 — the attack the clients' kept heads must notice.
 */
export async function wipeLedger(): Promise<void> {
  const db = await adminDb();
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('session_replication_role', 'replica', true)`);
    await tx.execute(sql`TRUNCATE events, ledger_leaves, ledger_nodes, ledger_heads CASCADE`);
  });
}

/**
 * Runs statements as the insider who holds the database: the superuser, with the triggers
 * bypassed for this transaction (session_replication_role), the way tests write a past the API
 * never lets anyone choose (a backdated declaration or registration) or play tampering.
 */
export async function asInsider(...statements: SQL[]): Promise<void> {
  const admin = await adminDb();
  await admin.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    for (const s of statements) await tx.execute(s);
    // The running totals' triggers were bypassed too: recompute them, as an administrator would.
    await tx.execute(sql`SELECT orotrace_rebuild_window_totals()`);
  });
}
