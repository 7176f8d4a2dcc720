import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { rowsOf } from '../../db/client.js';
import { jsonColumn } from '../../db/sql.js';
import { getCheckpoint } from '../reference/checkpoints.js';
import { unresolvedSql } from '../screening/flags.js';
import { thresholds } from '../screening/thresholds.js';
import type { VerdictFlag } from '../screening/verdict.js';
import { ApiError } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import type { SubjectType } from '../shared/vocabulary.js';
import type { Watchlist, WatchlistLot, WatchlistMovement } from './schemas.js';

/** Checkpoint staff read their own checkpoint's list; regulators and admins any. */
function assertMayRead(by: Principal, checkpointId: string): void {
  if (by.role === 'regulator' || by.role === 'admin') return;
  if (by.role === 'checkpoint' && by.checkpointId === checkpointId) return;
  throw new ApiError('forbidden', "checkpoint staff read their own checkpoint's watchlist only");
}

/** A flag (aliased `f`) that holds its subject at a checkpoint: screening/verdict.ts's holdsAtCheckpoint in SQL. */
const holdingSql = `${unresolvedSql} AND f.severity IN ('high', 'critical')`;
const holding = sql.raw(holdingSql);

/** The holding flags of a subject, as JSON, oldest first. */
const holdingFlags = (subjectType: SubjectType, idColumn: string) =>
  sql.raw(`(
  SELECT coalesce(json_agg(json_build_object('rule', f.rule, 'severity', f.severity, 'status', f.status)
                           ORDER BY f.created_at, f.id), '[]'::json)
    FROM flags f
   WHERE f.subject_type = '${subjectType}' AND f.subject_id = ${idColumn} AND ${holdingSql})`);

export async function checkpointWatchlist(
  db: Queryable,
  by: Principal,
  checkpointId: string,
): Promise<Watchlist> {
  assertMayRead(by, checkpointId);
  const checkpoint = await getCheckpoint(db, checkpointId);
  const generatedAt = new Date().toISOString();
  const routes = sql.join(
    checkpoint.routes.map((r) => sql`${r}`),
    sql`, `,
  );
  const lotRows = rowsOf<WatchlistLot & { flags: unknown }>(
    await db.execute(sql`
      SELECT l.id, l.code, l.qr_token AS token, l.status, l.form, l.gross_weight_g::text AS "grossWeightG",
             ${holdingFlags('lot', 'l.id')} AS flags
        FROM lots l
       WHERE l.id IN (SELECT id FROM lots WHERE status <> 'active'
                      UNION
                      SELECT f.subject_id FROM flags f WHERE f.subject_type = 'lot' AND ${holding})
       ORDER BY l.code`),
  );
  const movementRows = rowsOf<WatchlistMovement & { flags: unknown }>(
    await db.execute(sql`
      SELECT m.id, m.code, m.qr_token AS token, m.status, m.input, m.quantity::text AS quantity, m.unit, m.route,
             ${holdingFlags('movement', 'm.id')} AS flags
        FROM movements m
       WHERE m.status IN ('delivered', 'seized')
          OR (m.status IN ('declared', 'in_transit') AND m.route IN (${routes}))
          OR m.id IN (SELECT f.subject_id FROM flags f WHERE f.subject_type = 'movement' AND ${holding})
       ORDER BY m.code`),
  );
  return {
    checkpointId,
    generatedAt,
    thresholdsVersion: thresholds.version,
    lots: lotRows.map((r) => ({ ...r, flags: jsonColumn<VerdictFlag[]>(r.flags) })),
    movements: movementRows.map((r) => ({ ...r, flags: jsonColumn<VerdictFlag[]>(r.flags) })),
  };
}
