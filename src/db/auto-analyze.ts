import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from './client.js';

/**
 * ANALYZE as PostgreSQL's autovacuum would run it, for the embedded PGlite, which has no
 * autovacuum: without it the planner keeps the statistics of the tables as they were at start,
 * and the screening statements — prepared once per connection with generic plans, and PGlite has
 * one connection — keep plans made for a handful of rows. Under 16 concurrent clients,
 * registrations fell from 18/s to 2/s within 500 lots (bench/http.ts); analyzing as they grew
 * kept them at 20–25/s. ANALYZE invalidates the cached plans of the tables it analyzes.
 *
 * The rule is autovacuum's (autovacuum_analyze_threshold 50, autovacuum_analyze_scale_factor
 * 0.1), counted on the log: every write appends events, so the events written since the last
 * ANALYZE measure how much the tables changed. Their count is read from the identity sequence of
 * `events`, one look-up whatever the size of the table.
 */
const analyzeThreshold = 50;
const analyzeScaleFactor = 0.1;

/** Whether the tables changed enough since the last ANALYZE, by autovacuum's rule. */
export function analyzeDue(eventsNow: number, eventsAtLastAnalyze: number): boolean {
  return eventsNow - eventsAtLastAnalyze > analyzeThreshold + analyzeScaleFactor * eventsAtLastAnalyze;
}

async function eventsWritten(db: Db): Promise<number> {
  const [row] = rowsOf<{ n: string | number | null }>(
    await db.execute(
      sql`SELECT pg_sequence_last_value(pg_get_serial_sequence('events', 'seq')::regclass) AS n`,
    ),
  );
  return Number(row?.n ?? 0);
}

/**
 * `run()` analyzes the whole database when it is due (always, the first time); one run at a time,
 * a failure reported and retried at the next call. Answers whether it analyzed.
 */
export function autoAnalyzer(db: Db, report: (err: unknown) => void): { run(): Promise<boolean> } {
  let atLast: number | undefined;
  let running: Promise<boolean> | undefined;
  const once = async (): Promise<boolean> => {
    const now = await eventsWritten(db);
    if (atLast !== undefined && !analyzeDue(now, atLast)) return false;
    await db.execute(sql`ANALYZE`);
    atLast = now;
    return true;
  };
  return {
    run() {
      running ??= once()
        .catch((err: unknown) => {
          report(err);
          return false;
        })
        .finally(() => {
          running = undefined;
        });
      return running;
    },
  };
}
