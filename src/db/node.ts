import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { packageRoot } from '../package-root.node.js';
import type { Db } from './client.js';
import * as schema from './schema/index.js';

/** drizzle-kit's output (SQL and its journal), read by the migrators at run time. */
const migrationsFolder = join(packageRoot, 'drizzle');

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/**
 * Opens the database for Node: PostgreSQL through postgres.js when a URL is given, else the
 * embedded PGlite with PostGIS persisted in `dataDir` (or in memory for `memory://`).
 * Migrations are applied before the handle is returned.
 */
export async function openDatabase(opts: {
  url?: string | undefined;
  dataDir?: string;
  /**
   * PostgreSQL: statement_timeout of every connection, sent at connection start (0: none).
   * Migrations run on a connection of their own without it. PGlite has no way to interrupt a
   * running statement (checked: SET statement_timeout is accepted and never fires).
   */
  statementTimeoutMs?: number;
}): Promise<Database> {
  if (opts.url) {
    const timeout = opts.statementTimeoutMs ?? 0;
    if (timeout > 0) {
      const migrator = postgres(opts.url, { max: 1, onnotice: () => {} });
      try {
        await migratePostgres(drizzlePostgres(migrator, { schema }), { migrationsFolder });
      } finally {
        await migrator.end();
      }
    }
    const client = postgres(opts.url, {
      max: 10,
      onnotice: () => {},
      ...(timeout > 0 ? { connection: { statement_timeout: timeout } } : {}),
    });
    const db = drizzlePostgres(client, { schema });
    if (timeout === 0) await migratePostgres(db, { migrationsFolder });
    return { db: db as unknown as Db, kind: 'postgres', close: () => client.end() };
  }
  const dataDir = opts.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) privateDir(dataDir);
  const client = await PGlite.create(dataDir, { extensions: { postgis } });
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  return { db: db as unknown as Db, kind: 'pglite', close: () => client.close() };
}

/**
 * A folder only the server's own user may enter (0700), made so if it already existed: the
 * database files and keys inside it are the ledger, whatever modes PGlite gives the files.
 */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

export function pgliteDir(dataDir: string): string {
  return join(dataDir, 'pgdata');
}
