import { eq, sql } from 'drizzle-orm';
import type { JWK } from 'jose';
import { z } from 'zod';
import type { Db, Queryable, Tx } from '../../db/client.js';
import { checkpoints, flags, lots, scans } from '../../db/schema/index.js';
import { jsonColumn } from '../../db/sql.js';
import { appendEvent } from '../ledger/events.js';
import { screen } from '../screening/engine.js';
import { unresolvedSql } from '../screening/flags.js';
import { lotHoldReasons, reasonText, type VerdictFlag } from '../screening/verdict.js';
import { instantSchema } from '../shared/dates.js';
import { gramsSchema } from '../shared/decimal-schemas.js';
import { ApiError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import { presentLot } from './lots.js';
import { type QrSubject, verifyQr } from './qr.js';
import type { ScanResult } from './schemas.js';

/** How far a device clock may run ahead of the server's before its records are refused. */
const maxClockAheadMs = 5 * 60_000;

export const deviceTime = instantSchema.refine(
  (t) => Date.parse(t) <= Date.now() + maxClockAheadMs,
  'device time is in the future (check the device clock)',
);

export const newScanSchema = z.object({
  token: text({ min: 10, max: 4000 }).describe(
    'The QR content: the bare JWS or the whole <base>/v/<jws> URL',
  ),
  checkpointId: z.uuid(),
  observedGrossWeightG: gramsSchema.optional(),
  occurredAt: deviceTime,
  clientId: text({ min: 8, max: 100 }).describe(
    "The device's own id for this record; a retry with it is applied once",
  ),
});
export type NewScan = z.infer<typeof newScanSchema>;

export type ScanRow = typeof scans.$inferSelect;

/** Why a lot must be held at a checkpoint, in plain words; no reason: it passes (screening/verdict.ts). */
const holdReasons = (...args: Parameters<typeof lotHoldReasons>): string[] =>
  lotHoldReasons(...args).map(reasonText);

/** What one batch of offline records may share: each QR verified once, each checkpoint checked once. */
export interface BatchMemo {
  subjects: Map<string, Promise<QrSubject>>;
  checkpoints: Set<string>;
}
export const newBatchMemo = (): BatchMemo => ({ subjects: new Map(), checkpoints: new Set() });

/**
 * How a record's writes are wrapped: by default in their own transaction (a savepoint when `db`
 * is already a transaction); a batch may run them straight in its own transaction (inputs/sync.ts).
 */
export type WriteScope = <T>(db: Queryable, write: (tx: Tx) => Promise<T>) => Promise<T>;
export const ownTransaction: WriteScope = (db, write) => db.transaction(write);

export interface RecordContext {
  ledgerKeys: JWK[];
  baseUrl: string;
  memo?: BatchMemo;
  writeScope?: WriteScope;
}

/** The subject a QR names, verified once per batch when a memo is given. */
export function verifyOnce(
  token: string,
  ctx: Pick<RecordContext, 'ledgerKeys' | 'memo'>,
): Promise<QrSubject> {
  let verified = ctx.memo?.subjects.get(token);
  if (!verified) {
    verified = verifyQr(ctx.ledgerKeys, token);
    ctx.memo?.subjects.set(token, verified);
  }
  return verified;
}

/** Throws 404 unless the checkpoint exists; checked once per batch when a memo is given. */
export async function assertCheckpoint(db: Queryable, id: string, memo?: BatchMemo): Promise<void> {
  // Checkpoints are never deleted, so one that existed earlier in the batch still does.
  if (memo?.checkpoints.has(id)) return;
  const [cp] = await db.select({ id: checkpoints.id }).from(checkpoints).where(eq(checkpoints.id, id));
  if (!cp) throw notFound('checkpoint', id);
  memo?.checkpoints.add(id);
}

/**
 * What a verdict on a lot needs, its status, declared weight and open high or critical flags, in
 * one statement: the per-record cost of a sync batch is mostly statements.
 */
async function lotForVerdict(db: Queryable, id: string, clientId: string) {
  const [row] = await db
    .select({
      id: lots.id,
      status: lots.status,
      grossWeightG: lots.grossWeightG,
      flags: sql<VerdictFlag[]>`(
        SELECT coalesce(json_agg(json_build_object('rule', f.rule, 'severity', f.severity, 'status', f.status)
                                 ORDER BY f.created_at, f.id), '[]'::json)
          FROM ${flags} f
         WHERE f.subject_type = 'lot' AND f.subject_id = ${id} AND ${sql.raw(unresolvedSql)}
           AND f.severity IN ('high', 'critical'))`.mapWith(jsonColumn<VerdictFlag[]>),
      recorded: sql<boolean>`EXISTS (SELECT 1 FROM ${scans} WHERE client_id = ${clientId})`,
    })
    .from(lots)
    .where(eq(lots.id, id));
  if (!row) throw notFound('lot', id);
  return row;
}

/**
 * Records a scan by checkpoint staff at their own checkpoint, and answers the row written (or,
 * for a clientId seen before, the row written then) without presenting the lot: what an offline
 * batch needs. The QR is verified against the ledger's keys; the verdict is `hold` when the lot is
 * not active, carries an open high or critical flag, or weighs other than declared beyond
 * tolerance. Given a transaction, it writes inside a savepoint (unless `ctx.writeScope` says
 * otherwise), so a failure undoes this record only.
 */
export async function applyScan(
  db: Queryable,
  by: Principal,
  input: NewScan,
  ctx: RecordContext,
): Promise<{ row: ScanRow; duplicate: boolean }> {
  if (by.role !== 'checkpoint' || by.checkpointId !== input.checkpointId) {
    throw new ApiError('forbidden', 'checkpoint staff record scans at their own checkpoint only');
  }
  const subject = await verifyOnce(input.token, ctx);
  if (subject.kind !== 'lot')
    throw new ApiError('unprocessable', 'this QR code is a movement’s: record an inspection instead');

  const occurredAt = new Date(input.occurredAt);
  const { row, duplicate } = await (ctx.writeScope ?? ownTransaction)(db, async (tx) => {
    await assertCheckpoint(tx, input.checkpointId, ctx.memo);
    // A retry (an offline batch sent again) is answered with the record written the first time,
    // before any rule runs: a retry raises nothing.
    const lot = await lotForVerdict(tx, subject.id, input.clientId);
    if (lot.recorded) {
      const [first] = await tx.select().from(scans).where(eq(scans.clientId, input.clientId));
      if (first) return { row: first, duplicate: true };
    }
    const id = newId();
    // The rules run before the scan is written, so that its verdict counts what they raise.
    const raised = await screen(tx, by, {
      trigger: 'scan',
      scan: {
        scanId: id,
        lotId: lot.id,
        checkpointId: input.checkpointId,
        occurredAt,
        observedGrossWeightG: input.observedGrossWeightG ?? null,
      },
    });
    const reasons = holdReasons({ ...lot, flags: [...lot.flags, ...raised] }, input.observedGrossWeightG);
    const [inserted] = await tx
      .insert(scans)
      .values({
        id,
        clientId: input.clientId,
        lotId: lot.id,
        checkpointId: input.checkpointId,
        observedGrossWeightG: input.observedGrossWeightG ?? null,
        verdict: reasons.length ? 'hold' : 'pass',
        reasons,
        scannedBy: by.sub,
        occurredAt,
      })
      .onConflictDoNothing({ target: scans.clientId })
      .returning();
    // Committed concurrently under the same clientId: undo the flags raised for this copy.
    if (!inserted) throw new ApiError('conflict', 'a concurrent scan with this clientId won; retry');
    await appendEvent(tx, by, {
      type: 'lot.scanned',
      subjectType: 'lot',
      subjectId: lot.id,
      occurredAt,
      payload: {
        scanId: id,
        clientId: input.clientId,
        checkpointId: input.checkpointId,
        observedGrossWeightG: input.observedGrossWeightG ?? null,
        verdict: inserted.verdict,
        reasons,
        flagsRaised: raised.map((f) => f.id),
      },
    });
    return { row: inserted, duplicate: false };
  });
  if (duplicate && (row.lotId !== subject.id || row.checkpointId !== input.checkpointId)) {
    throw new ApiError('conflict', `clientId ${input.clientId} was already used for another record`);
  }
  return { row, duplicate };
}

/**
 * A scan with the lot as it stands after it, as POST /v1/scans answers. A clientId seen before
 * returns the scan recorded then, unchanged.
 */
export async function recordScan(
  db: Db,
  by: Principal,
  input: NewScan,
  ctx: RecordContext,
): Promise<ScanResult> {
  const { row, duplicate } = await applyScan(db, by, input, ctx);
  const lot = await presentLot(db, row.lotId, ctx.baseUrl);
  const { scannedBy: _by, seq: _seq, ...scan } = row;
  return { ...scan, lot, flags: lot.flags, duplicate };
}
