import { eq } from 'drizzle-orm';
import type { JWK } from 'jose';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { checkpoints, scans } from '../db/schema/index.js';
import { ApiError, notFound } from './errors.js';
import { appendEvent } from './events.js';
import { newId } from './ids.js';
import { type Lot, presentLot } from './lots.js';
import type { Principal } from './principal.js';
import { verifyQr } from './qr.js';
import { fromMilli, toMilli } from './quantity.js';
import { thresholds } from './thresholds.js';
import { gramsSchema } from './weights.js';

/** How far a device clock may run ahead of the server's before its records are refused. */
const maxClockAheadMs = 5 * 60_000;

export const deviceTime = z.iso
  .datetime({ offset: true })
  .refine(
    (t) => Date.parse(t) <= Date.now() + maxClockAheadMs,
    'device time is in the future (check the device clock)',
  );

export const newScanSchema = z.object({
  token: z
    .string()
    .min(10)
    .max(4000)
    .describe('The QR content: the bare JWS or the whole <base>/v/<jws> URL'),
  checkpointId: z.uuid(),
  observedGrossWeightG: gramsSchema.optional(),
  occurredAt: deviceTime,
  clientId: z
    .string()
    .min(8)
    .max(100)
    .describe("The device's own id for this record; a retry with it is applied once"),
});
export type NewScan = z.infer<typeof newScanSchema>;

export type ScanRow = typeof scans.$inferSelect;
export interface ScanResult extends ScanRow {
  lot: Lot;
  flags: Lot['flags'];
  /** True when this clientId had been recorded before: nothing new was written. */
  duplicate: boolean;
}

/** Why a lot must be held at a checkpoint, in plain words; no reason: it passes. */
export function holdReasons(
  lot: Pick<Lot, 'status' | 'flags' | 'grossWeightG'>,
  observedG?: string,
): string[] {
  const reasons: string[] = [];
  if (lot.status !== 'active') reasons.push(`lot is ${lot.status}`);
  for (const f of lot.flags) {
    if (f.status === 'open' && (f.severity === 'high' || f.severity === 'critical')) {
      reasons.push(`open ${f.severity} flag ${f.rule}`);
    }
  }
  if (observedG !== undefined) {
    const declared = toMilli(lot.grossWeightG);
    const diff = toMilli(observedG) - declared;
    const byPercent =
      (declared * BigInt(Math.round(thresholds.scan.weightTolerancePercent * 1000))) / 100_000n;
    const minimum = toMilli(thresholds.scan.weightToleranceMinG);
    const tolerance = byPercent > minimum ? byPercent : minimum;
    if ((diff < 0n ? -diff : diff) > tolerance) {
      reasons.push(
        `observed ${observedG} g differs from the declared ${lot.grossWeightG} g by more than ${fromMilli(tolerance)} g`,
      );
    }
  }
  return reasons;
}

/**
 * Records a scan by checkpoint staff at their own checkpoint. The QR is verified against the
 * ledger's keys; the verdict is `hold` when the lot is not active, carries an open high or
 * critical flag, or weighs other than declared beyond tolerance. A clientId seen before returns
 * the scan recorded then, unchanged.
 */
export async function recordScan(
  db: Db,
  by: Principal,
  input: NewScan,
  ctx: { ledgerKeys: JWK[]; baseUrl: string },
): Promise<ScanResult> {
  if (by.role !== 'checkpoint' || by.checkpointId !== input.checkpointId) {
    throw new ApiError('forbidden', 'checkpoint staff record scans at their own checkpoint only');
  }
  const subject = await verifyQr(ctx.ledgerKeys, input.token);
  if (subject.kind !== 'lot')
    throw new ApiError('unprocessable', 'this QR code is a movement’s: record an inspection instead');

  const { row, duplicate } = await db.transaction(async (tx) => {
    const [existing] = await tx.select().from(scans).where(eq(scans.clientId, input.clientId));
    if (existing) return { row: existing, duplicate: true };
    const [cp] = await tx
      .select({ id: checkpoints.id })
      .from(checkpoints)
      .where(eq(checkpoints.id, input.checkpointId));
    if (!cp) throw notFound('checkpoint', input.checkpointId);
    const lot = await presentLot(tx, subject.id, ctx.baseUrl);
    const reasons = holdReasons(lot, input.observedGrossWeightG);
    const id = newId();
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
        occurredAt: new Date(input.occurredAt),
      })
      .onConflictDoNothing({ target: scans.clientId })
      .returning();
    if (!inserted) {
      // The same clientId committed concurrently: answer with that record.
      const [raced] = await tx.select().from(scans).where(eq(scans.clientId, input.clientId));
      if (!raced) throw new ApiError('conflict', 'a concurrent scan with this clientId won; retry');
      return { row: raced, duplicate: true };
    }
    await appendEvent(tx, by, {
      type: 'lot.scanned',
      subjectType: 'lot',
      subjectId: lot.id,
      occurredAt: new Date(input.occurredAt),
      payload: {
        scanId: id,
        clientId: input.clientId,
        checkpointId: input.checkpointId,
        observedGrossWeightG: input.observedGrossWeightG ?? null,
        verdict: inserted.verdict,
        reasons,
      },
    });
    return { row: inserted, duplicate: false };
  });
  if (duplicate && (row.lotId !== subject.id || row.checkpointId !== input.checkpointId)) {
    throw new ApiError('conflict', `clientId ${input.clientId} was already used for another record`);
  }
  const lot = await presentLot(db, row.lotId, ctx.baseUrl);
  return { ...row, lot, flags: lot.flags, duplicate };
}
