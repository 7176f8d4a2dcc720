import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../src/db/client.js';

/**
 * Row counts of every table of the application, the ledger's included (read from the catalog, so
 * a table added later is counted too), in one query: what "nothing was written" means when a
 * request was refused.
 */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables = rowsOf<{ name: string }>(
    await db.execute(
      sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'spatial_ref_sys'
           ORDER BY c.relname`,
    ),
  );
  const counts = sql.join(
    tables.map(
      ({ name }) => sql`(SELECT count(*)::int FROM ${sql.identifier(name)}) AS ${sql.identifier(name)}`,
    ),
    sql`, `,
  );
  const [row] = rowsOf<Record<string, number>>(await db.execute(sql`SELECT ${counts}`));
  return { ...row };
}
