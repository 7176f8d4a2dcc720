import { sql } from 'drizzle-orm';
import journal from '../../drizzle/meta/_journal.json' with { type: 'json' };
import { type Queryable, rowsOf } from './client.js';

/**
 * The migrations of this build (drizzle-kit's journal, bundled: the Worker has no file system)
 * that the database has not applied, by tag; empty when it is current. drizzle's migrator records
 * each applied migration with its journal time (`created_at` = the entry's `when`), which the
 * application's role may read.
 */
export async function missingMigrations(db: Queryable): Promise<string[]> {
  const applied = new Set(
    rowsOf<{ at: string }>(
      await db.execute(sql`SELECT created_at::text AS at FROM drizzle.__drizzle_migrations`),
    ).map((r) => r.at),
  );
  return journal.entries.filter((e) => !applied.has(String(e.when))).map((e) => e.tag);
}
