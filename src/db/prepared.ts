import { type SQL, sql } from 'drizzle-orm';
import { PgDialect, PgTransaction } from 'drizzle-orm/pg-core';
import { type Queryable, rowsOf } from './client.js';

/**
 * Server-side prepared statements for the statements the hot paths run again and again with
 * only a few values changing. drizzle sends every `execute()` unprepared, so PostgreSQL plans it
 * each time; the screening statement of a lot registration (ten rules in one INSERT … SELECT)
 * takes ~5–6 ms to plan and ~1.5 ms to run, so planning it once per connection is most of
 * its cost (bench/screening.ts, bench/lots.ts).
 *
 * The statement's text is the template with every constant inlined as a literal and its
 * variables written `$1`, `$2`…; its name is a hash of that text, so a changed rule is a new
 * statement. Whether the connection has it already is asked in the same transaction that then
 * runs it — one connection, also behind a pooler such as Hyperdrive in transaction mode.
 * PREPARE is not transactional: a rolled-back transaction leaves the statement prepared.
 */
export interface PreparedStatement {
  name: string;
  text: string;
  types: readonly string[];
}

const dialect = new PgDialect();

/** The statements known prepared (and the plan mode set) in a transaction, by its handle. */
const readyIn = new WeakMap<Queryable, Set<string>>();

/** FNV-1a, 52 bits (exact in a double): a short stable name for a statement's text. */
function hash(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return (h >> 12n).toString(36);
}

/** A statement from a template whose variables are `sql.raw('$n')` placeholders of `types`. */
export function prepareStatement(prefix: string, template: SQL, types: readonly string[]): PreparedStatement {
  const { sql: text, params } = dialect.sqlToQuery(template.inlineParams());
  if (params.length > 0) throw new Error('a prepared statement template must inline its constants');
  return { name: `${prefix}_${hash(`${types.join(',')}|${text}`)}`, text, types };
}

/** Runs the statement with `args` (one SQL value per type; they are inlined as literals). */
export async function executePrepared<T>(
  tx: Queryable,
  statement: PreparedStatement,
  args: SQL[],
): Promise<T[]> {
  // Once per transaction, one round trip: whether this connection has the statement, and (for
  // this transaction only) that PostgreSQL runs it with its generic plan instead of planning it
  // again for each set of values, which it would do for the first five runs and whenever it
  // judged it cheaper. A batch running many records in one transaction asks once.
  // Only a transaction is one connection; a pool handle may answer each query on another one.
  const inTransaction = tx instanceof PgTransaction;
  let ready = inTransaction ? readyIn.get(tx) : undefined;
  if (!ready?.has(statement.name)) {
    const [state] = rowsOf<{ known: boolean }>(
      await tx.execute(sql`SELECT set_config('plan_cache_mode', 'force_generic_plan', true) IS NOT NULL
          AND EXISTS (SELECT 1 FROM pg_prepared_statements WHERE name = ${statement.name}) AS known`),
    );
    if (!state?.known) {
      await tx.execute(
        sql.raw(`PREPARE ${statement.name}(${statement.types.join(', ')}) AS ${statement.text}`),
      );
    }
    if (inTransaction) {
      if (!ready) {
        ready = new Set();
        readyIn.set(tx, ready);
      }
      ready.add(statement.name);
    }
  }
  return rowsOf<T>(
    await tx.execute(sql`EXECUTE ${sql.raw(statement.name)}(${sql.join(args, sql`, `)})`.inlineParams()),
  );
}
