import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { postgis } from '@electric-sql/pglite-postgis';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { packageRoot } from '../package-root.node.js';
import { type Db, rowsOf } from './client.js';
import * as schema from './schema/index.js';
import { sessionParameters } from './session.js';

/** drizzle-kit's output (SQL and its journal), read by the migrators at run time. */
const migrationsFolder = join(packageRoot, 'drizzle');

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  /**
   * PGlite only: a gzipped tarball of the data folder, consistent while the server writes. A
   * CHECKPOINT first writes every committed change to the data files; then PGlite copies the
   * folder in one synchronous walk, during which no statement can run (PGlite executes on this
   * very thread), so the copy is the folder as it stood at one instant between statements: what
   * a `kill -9` would leave, which PostgreSQL opens by replaying its WAL. A transaction open at
   * that instant is rolled back in the copy; every committed one is in it.
   */
  dumpDataDir?(): Promise<Blob>;
}

/**
 * Opens the database for Node: PostgreSQL through postgres.js when a URL is given, else the
 * embedded PGlite with PostGIS persisted in `dataDir` (or in memory for `memory://`).
 * Migrations are applied before the handle is returned.
 */
export async function openDatabase(opts: {
  url?: string | undefined;
  /**
   * PostgreSQL: the owner role that applies the migrations (MIGRATION_DATABASE_URL), when the
   * application's role (`url`) may not; unset, they run over `url`.
   */
  migrationUrl?: string | undefined;
  dataDir?: string;
  /**
   * PostgreSQL: statement_timeout of every connection, sent at connection start (0: none).
   * Migrations run on a connection of their own without it. PGlite has no way to interrupt a
   * running statement (checked: SET statement_timeout is accepted and never fires).
   */
  statementTimeoutMs?: number;
  /** PGlite: a tarball of a data folder (`dumpDataDir`) to start from; `dataDir` must be empty. */
  loadDataDir?: Blob;
}): Promise<Database> {
  if (opts.url) {
    const timeout = opts.statementTimeoutMs ?? 0;
    const separate = timeout > 0 || opts.migrationUrl !== undefined;
    if (separate) {
      const migrator = postgres(opts.migrationUrl ?? opts.url, { max: 1, onnotice: () => {} });
      try {
        await migratePostgres(drizzlePostgres(migrator, { schema }), { migrationsFolder });
      } finally {
        await migrator.end();
      }
    }
    const client = postgres(opts.url, {
      max: 10,
      onnotice: () => {},
      connection: sessionParameters(timeout),
    });
    const db = drizzlePostgres(client, { schema });
    if (!separate) await migrateOrCheck(db as unknown as Db);
    return { db: db as unknown as Db, kind: 'postgres', close: () => client.end() };
  }
  const dataDir = opts.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) privateDir(dataDir);
  const client = await PGlite.create(dataDir, {
    // pg_trgm: the index behind the search of lots by a fragment of their code (migration 0022).
    extensions: { postgis, pg_trgm },
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    close: () => client.close(),
    dumpDataDir: async () => {
      await client.exec('CHECKPOINT');
      return client.dumpDataDir('gzip');
    },
  };
}

const journal = join(migrationsFolder, 'meta', '_journal.json');

/**
 * Applies the migrations over the application's own connection (no MIGRATION_DATABASE_URL). A
 * restricted role (orotrace_writer) may not: then the database must already be migrated, which
 * it may read (drizzle's journal table is granted to it), else the error says what to set.
 */
async function migrateOrCheck(db: Db): Promise<void> {
  try {
    await migratePostgres(db as unknown as Parameters<typeof migratePostgres>[0], { migrationsFolder });
  } catch (err) {
    if (sqlState(err) !== '42501') throw err;
    const entries = (
      JSON.parse(readFileSync(journal, 'utf8')) as { entries: { when: number; tag: string }[] }
    ).entries;
    const latest = entries.at(-1);
    let applied = 0;
    try {
      const rows = await db.execute(
        sql`SELECT coalesce(max(created_at), 0)::text AS at FROM drizzle.__drizzle_migrations`,
      );
      applied = Number(rowsOf<{ at: string }>(rows)[0]?.at ?? 0);
    } catch {
      applied = 0;
    }
    if (latest && applied < latest.when) {
      throw new Error(
        `the database lacks migrations up to ${latest.tag}, and the role of DATABASE_URL may not apply them: set MIGRATION_DATABASE_URL to the owner role (README, "Database roles")`,
      );
    }
  }
}

/** The SQLSTATE of a failed query, through drizzle's wrapping. */
function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
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
