import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { type Database, openDatabase } from '../../src/db/node.js';

let database: Promise<Database> | undefined;

/**
 * The database of this test run, migrated once: PostgreSQL when DATABASE_URL is set, else an
 * in-memory PGlite with PostGIS. Shared by every test file (see vitest.config.ts).
 */
export function testDatabase(): Promise<Database> {
  database ??= openDatabase(
    process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { dataDir: 'memory://' },
  );
  return database;
}

export async function testDb(): Promise<Db> {
  return (await testDatabase()).db;
}

const tables = [
  'ledger_heads',
  'ledger_nodes',
  'ledger_leaves',
  'events',
  'inspections',
  'movements',
  'scans',
  'flags',
  'lot_edges',
  'lots',
  'concession_operators',
  'concessions',
  'zones',
  'checkpoints',
  'actor_registrations',
  'actors',
];

/** Empties every table between tests (TRUNCATE is not a row DELETE, so history triggers allow it). */
export async function resetDb(db: Db): Promise<void> {
  await db.execute(sql.raw(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`));
  await db.execute(sql`ALTER SEQUENCE lot_code_seq RESTART`);
  await db.execute(sql`ALTER SEQUENCE movement_code_seq RESTART`);
}
