import { sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.js';

/** How far the signed log is behind the events written (README "Metrics and logs"). */
export interface LedgerLag {
  /** Events written but in no signed head yet (counted up to `pendingCountCap`). */
  pending: number;
  /** Seconds since the oldest of them was written; 0 when none waits. */
  oldestSeconds: number;
}

/**
 * Counting stops here: beyond it the number says nothing more (the sequencer is far behind) and
 * counting further would make each scrape as dear as the backlog is long.
 */
const pendingCountCap = 100_000;

/**
 * The events the sequencer has still to append, found as it finds them (store.ts `sequence`):
 * from the last head's transaction horizon (events_xid_idx) on, those with no leaf and no
 * incident. An event is appended and its head signed in one transaction, so "no leaf" is "in
 * no signed head". Cheap while the sequencer keeps up: the horizon leaves a handful of rows.
 */
export async function ledgerLag(db: Queryable): Promise<LedgerLag> {
  const [row] = rowsOf<{ pending: string | number; oldest: string | number | null }>(
    await db.execute(sql`
      SELECT count(*) AS pending,
             extract(epoch FROM clock_timestamp() - min(recorded_at))::float8 AS oldest
        FROM (SELECT e.recorded_at
                FROM events e
               WHERE e.xid >= coalesce((SELECT xid_horizon FROM ledger_heads ORDER BY tree_size DESC LIMIT 1), '0'::xid8)
                 AND NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.event_id = e.id)
                 AND NOT EXISTS (SELECT 1 FROM ledger_incidents i WHERE i.event_id = e.id)
               LIMIT ${pendingCountCap}) p`),
  );
  const pending = Number(row?.pending ?? 0);
  return { pending, oldestSeconds: pending === 0 ? 0 : Math.max(0, Number(row?.oldest ?? 0)) };
}

/**
 * Seconds since the newest witness cosignature arrived (of the highest head cosigned, found by
 * the primary key); undefined when no witness ever cosigned.
 */
export async function latestCosignatureAgeSeconds(db: Queryable): Promise<number | undefined> {
  const [row] = rowsOf<{ age: string | number | null }>(
    await db.execute(sql`
      SELECT extract(epoch FROM clock_timestamp() - max(received_at))::float8 AS age
        FROM witness_cosignatures
       WHERE tree_size = (SELECT max(tree_size) FROM witness_cosignatures)`),
  );
  return row?.age === null || row?.age === undefined ? undefined : Math.max(0, Number(row.age));
}
