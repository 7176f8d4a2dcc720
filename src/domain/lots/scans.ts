import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { JWK } from 'jose';
import { z } from 'zod';
import { type Db, type Queryable, rowsOf, type Tx } from '../../db/client.js';
import { checkpoints, flags, lots, scans } from '../../db/schema/index.js';
import { jsonColumn, pgArray, uuidArray } from '../../db/sql.js';
import { appendEvent, type EventInput } from '../ledger/events.js';
import { type RaisedFlag, raisedEvents, screen, screenRecords } from '../screening/engine.js';
import { unresolvedSql } from '../screening/flags.js';
import { inheritableCodes, passDown } from '../screening/taint.js';
import { lotHoldReasons, reasonText, type VerdictFlag } from '../screening/verdict.js';
import { instantSchema } from '../shared/dates.js';
import { gramsSchema } from '../shared/decimal-schemas.js';
import { ApiError, notFound } from '../shared/errors.js';
import { acceptedPrefixesOf } from '../shared/gs1.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import { type CheckEntry, checkEntries } from '../shared/vocabulary.js';
import { presentLot } from './lots.js';
import { type QrLinks, type QrSubject, verifyQr } from './qr.js';
import type { ScanResult } from './schemas.js';

/** How far a device clock may run ahead of the server's before its records are refused. */
const maxClockAheadMs = 5 * 60_000;

export const deviceTime = instantSchema.refine(
  (t) => Date.parse(t) <= Date.now() + maxClockAheadMs,
  'device time is in the future (check the device clock)',
);

/**
 * How the officer came to the subject: `scanned`, its QR read (by the camera, or the QR's link
 * pasted), its signature the label's own; `typed`, its printed code typed from the label and looked
 * up, which proves only that such a code exists — the label must be compared with the record.
 */
export const checkEntrySchema = z
  .enum(checkEntries)
  .describe(
    'scanned: the QR was read (camera or its link); typed: the printed code was typed and looked up, the label not verified',
  );

export const newScanSchema = z.object({
  token: text({ min: 10, max: 4000 }).describe(
    'The QR content: the bare JWS or the whole <base>/v/<jws> URL',
  ),
  checkpointId: z.uuid(),
  entry: checkEntrySchema.default('scanned'),
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

export interface RecordContext {
  ledgerKeys: JWK[];
  links: QrLinks;
  memo?: BatchMemo;
}

/** The subject a QR names, verified once per batch when a memo is given. */
export function verifyOnce(
  token: string,
  ctx: Pick<RecordContext, 'ledgerKeys' | 'memo' | 'links'>,
): Promise<QrSubject> {
  let verified = ctx.memo?.subjects.get(token);
  if (!verified) {
    verified = verifyQr(ctx.ledgerKeys, token, acceptedPrefixesOf(ctx.links));
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

/** What a verdict on a lot reads: its open high or critical flags, as `lotForVerdict` selects them. */
const lotVerdictFlags = (lotId: SQL) => sql<VerdictFlag[]>`(
  SELECT coalesce(json_agg(json_build_object('rule', f.rule, 'severity', f.severity, 'status', f.status)
                           ORDER BY f.created_at, f.id), '[]'::json)
    FROM ${flags} f
   WHERE f.subject_type = 'lot' AND f.subject_id = ${lotId} AND ${sql.raw(unresolvedSql)}
     AND f.severity IN ('high', 'critical'))`;

/**
 * What a verdict on a lot needs, its status, declared weight and open high or critical flags, in
 * one statement: the per-record cost of a sync batch is mostly statements. That statement also
 * checks the checkpoint (assertCheckpoint's question, answered first as there), unless the batch
 * checked it already: one round trip less for every scan.
 */
async function lotForVerdict(
  db: Queryable,
  id: string,
  clientId: string,
  checkpointId: string,
  memo?: BatchMemo,
) {
  const known = memo?.checkpoints.has(checkpointId) === true;
  const [row] = await db
    .select({
      id: lots.id,
      status: lots.status,
      grossWeightG: lots.grossWeightG,
      flags: lotVerdictFlags(sql`${id}`).mapWith(jsonColumn<VerdictFlag[]>),
      recorded: sql<boolean>`EXISTS (SELECT 1 FROM ${scans} WHERE client_id = ${clientId})`,
      checkpoint: known
        ? sql<boolean>`true`
        : sql<boolean>`EXISTS (SELECT 1 FROM ${checkpoints} WHERE id = ${checkpointId})`,
    })
    .from(lots)
    .where(eq(lots.id, id));
  if (!row) {
    // No such lot: the checkpoint is still judged first, as assertCheckpoint would.
    await assertCheckpoint(db, checkpointId, memo);
    throw notFound('lot', id);
  }
  if (!row.checkpoint) throw notFound('checkpoint', checkpointId);
  memo?.checkpoints.add(checkpointId);
  const { checkpoint: _checked, ...lot } = row;
  return lot;
}
type LotForVerdict = Awaited<ReturnType<typeof lotForVerdict>>;

/** The checks a scan passes before anything is read: who records it, and the QR it names. */
export async function scannedLot(
  by: Principal,
  input: NewScan,
  ctx: Pick<RecordContext, 'ledgerKeys' | 'memo' | 'links'>,
): Promise<string> {
  if (by.role !== 'checkpoint' || by.checkpointId !== input.checkpointId) {
    throw new ApiError('forbidden', 'checkpoint staff record scans at their own checkpoint only');
  }
  const subject = await verifyOnce(input.token, ctx);
  if (subject.kind !== 'lot')
    throw new ApiError('unprocessable', 'this QR code is a movement’s: record an inspection instead');
  assertTypedIfLookedUp(subject, input.entry);
  return subject.id;
}

/**
 * A token handed out by a lookup of the printed code was not read from a label: a check made with
 * it is typed, and may not be recorded as scanned.
 */
export function assertTypedIfLookedUp(subject: QrSubject, entry: CheckEntry): void {
  if (subject.lookedUp && entry !== 'typed') {
    const message =
      'this token was handed out for a typed code, not read from a label: record the check as typed';
    throw new ApiError('unprocessable', message, { errors: [{ field: 'entry', message }] });
  }
}

/** The scan row to write, its verdict counting the flags its rules just raised. */
function scanRow(by: Principal, input: NewScan, id: string, lot: LotForVerdict, raised: RaisedFlag[]) {
  const reasons = holdReasons({ ...lot, flags: [...lot.flags, ...raised] }, input.observedGrossWeightG);
  return {
    id,
    clientId: input.clientId,
    lotId: lot.id,
    checkpointId: input.checkpointId,
    observedGrossWeightG: input.observedGrossWeightG ?? null,
    verdict: reasons.length ? ('hold' as const) : ('pass' as const),
    reasons,
    scannedBy: by.sub,
    entry: input.entry,
    occurredAt: new Date(input.occurredAt),
  };
}

/** The `lot.scanned` event of a scan just written. */
const scannedEvent = (input: NewScan, row: ScanRow, raised: RaisedFlag[]): EventInput => ({
  type: 'lot.scanned',
  subjectType: 'lot',
  subjectId: row.lotId,
  occurredAt: new Date(input.occurredAt),
  payload: {
    scanId: row.id,
    clientId: input.clientId,
    checkpointId: input.checkpointId,
    entry: row.entry,
    observedGrossWeightG: input.observedGrossWeightG ?? null,
    verdict: row.verdict,
    reasons: row.reasons,
    flagsRaised: raised.map((f) => f.id),
  },
});

/** A duplicate is the same record sent again: the same lot at the same checkpoint. */
function assertSameScan(row: ScanRow, lotId: string, input: NewScan): void {
  if (row.lotId !== lotId || row.checkpointId !== input.checkpointId) {
    throw new ApiError('conflict', `clientId ${input.clientId} was already used for another record`);
  }
}

/**
 * Records a scan by checkpoint staff at their own checkpoint, and answers the row written (or,
 * for a clientId seen before, the row written then) without presenting the lot: what an offline
 * batch needs. The QR is verified against the ledger's keys; the verdict is `hold` when the lot is
 * not active, carries an open high or critical flag, or weighs other than declared beyond
 * tolerance. Given a transaction, it writes inside a savepoint, so a failure undoes this record
 * only.
 */
export async function applyScan(
  db: Queryable,
  by: Principal,
  input: NewScan,
  ctx: RecordContext,
): Promise<{ row: ScanRow; duplicate: boolean }> {
  const lotId = await scannedLot(by, input, ctx);
  const { row, duplicate } = await db.transaction(async (tx) => {
    // A retry (an offline batch sent again) is answered with the record written the first time,
    // before any rule runs: a retry raises nothing.
    const lot = await lotForVerdict(tx, lotId, input.clientId, input.checkpointId, ctx.memo);
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
        occurredAt: new Date(input.occurredAt),
        observedGrossWeightG: input.observedGrossWeightG ?? null,
      },
    });
    const [inserted] = await tx
      .insert(scans)
      .values(scanRow(by, input, id, lot, raised))
      .onConflictDoNothing({ target: scans.clientId })
      .returning();
    // Committed concurrently under the same clientId: undo the flags raised for this copy.
    if (!inserted) throw new ApiError('conflict', 'a concurrent scan with this clientId won; retry');
    await appendEvent(tx, by, scannedEvent(input, inserted, raised));
    return { row: inserted, duplicate: false };
  });
  if (duplicate) assertSameScan(row, lotId, input);
  return { row, duplicate };
}

/**
 * Thrown when records cannot be applied together as a set exactly as they would be one by one
 * (a flag raised passes down to other lots, a clientId written meanwhile by another request): the
 * batch applies them again one by one (inputs/sync.ts).
 */
export class NotApplicableAsSet extends Error {}

/** A record of a batch checked (who, which QR) and ready to be applied with others. */
export interface PendingRecord<Input> {
  input: Input;
  /** The lot or movement its QR names. */
  subjectId: string;
}

/**
 * What became of one record applied in a set: its row (new or, for a clientId seen before, the
 * first), and the events to append for it, or why it was refused (nothing of it written).
 */
export type SetOutcome<Row> = { row: Row; duplicate: boolean; events: EventInput[] } | { error: ApiError };

/** Raised flags by the subject they are on. */
export function flagsBySubject(raised: RaisedFlag[], subjects: string[]): Map<string, RaisedFlag[]> {
  const by = new Map<string, RaisedFlag[]>(subjects.map((id) => [id, []]));
  for (const f of raised) {
    const list = by.get(f.subjectId);
    // A rule judges the record's own subject only; anything else is not a set of independent records.
    if (!list) throw new NotApplicableAsSet(`a flag raised on ${f.subjectType} ${f.subjectId}`);
    list.push(f);
  }
  return by;
}

/**
 * Applies scans of distinct lots and clientIds together, in the batch's transaction, with a
 * handful of statements for all of them: each record is judged, written and answered as
 * `applyScan` would alone (the same SQL rules, over each record's facts; the same verdict and
 * row), and its events are returned rather than appended, for the batch to append them once.
 * The checkpoint must have been checked. Throws NotApplicableAsSet when that would not be exact.
 */
export async function applyScans(
  tx: Tx,
  by: Principal,
  pending: PendingRecord<NewScan>[],
): Promise<SetOutcome<ScanRow>[]> {
  if (pending.length === 0) return [];
  const states = await lotsForVerdict(tx, pending);
  const out = new Array<SetOutcome<ScanRow>>(pending.length);
  const recorded = pending.filter((_, i) => states[i]?.recorded);
  const firsts = new Map(
    recorded.length === 0
      ? []
      : (
          await tx
            .select()
            .from(scans)
            .where(
              inArray(
                scans.clientId,
                recorded.map((p) => p.input.clientId),
              ),
            )
        ).map((r) => [r.clientId, r]),
  );
  const fresh: { at: number; lot: LotForVerdict; id: string }[] = [];
  pending.forEach((p, at) => {
    const lot = states[at];
    if (!lot) {
      out[at] = { error: notFound('lot', p.subjectId) };
      return;
    }
    const first = lot.recorded ? firsts.get(p.input.clientId) : undefined;
    if (!first) {
      fresh.push({ at, lot, id: newId() });
      return;
    }
    try {
      assertSameScan(first, p.subjectId, p.input);
      out[at] = { row: first, duplicate: true, events: [] };
    } catch (err) {
      out[at] = { error: err as ApiError };
    }
  });
  if (fresh.length === 0) return out;

  const input = (at: number) => (pending[at] as PendingRecord<NewScan>).input;
  const raised = await screenRecords(tx, {
    trigger: 'scan',
    scans: fresh.map(({ at, lot, id }) => ({
      scanId: id,
      lotId: lot.id,
      checkpointId: input(at).checkpointId,
      occurredAt: new Date(input(at).occurredAt),
      observedGrossWeightG: input(at).observedGrossWeightG ?? null,
    })),
  });
  const bySubject = flagsBySubject(
    raised,
    fresh.map((r) => r.lot.id),
  );
  // A flag that passes down reaches lots other records of the batch may be about, which one by
  // one would see it: then the batch applies its records one by one.
  const down = raised.filter((f) => inheritableCodes.includes(f.rule));
  if (
    (await passDown(
      tx,
      by,
      down.map((f) => f.id),
    )) > 0
  )
    throw new NotApplicableAsSet('a flag raised passes down to other lots');
  const rows = fresh.map(({ at, lot, id }) => scanRow(by, input(at), id, lot, bySubject.get(lot.id) ?? []));
  const inserted = await tx
    .insert(scans)
    .values(rows)
    .onConflictDoNothing({ target: scans.clientId })
    .returning();
  if (inserted.length !== rows.length)
    throw new NotApplicableAsSet('a clientId of the batch was written meanwhile by another request');
  const byId = new Map(inserted.map((r) => [r.id, r]));
  for (const { at, lot, id } of fresh) {
    const row = byId.get(id) as ScanRow;
    const own = bySubject.get(lot.id) ?? [];
    out[at] = {
      row,
      duplicate: false,
      events: [...raisedEvents(own), scannedEvent(input(at), row, own)],
    };
  }
  return out;
}

/** `lotForVerdict` of many lots in one statement, in the order of `pending` (undefined: no such lot). */
async function lotsForVerdict(
  tx: Tx,
  pending: PendingRecord<NewScan>[],
): Promise<(LotForVerdict | undefined)[]> {
  const found = rowsOf<{
    ord: number | string;
    id: string;
    status: LotForVerdict['status'];
    gross_weight_g: string;
    flags: unknown;
    recorded: boolean;
  }>(
    await tx.execute(sql`
      SELECT r.ord, l.id, l.status, l.gross_weight_g::text AS gross_weight_g,
             ${lotVerdictFlags(sql`l.id`)} AS flags,
             EXISTS (SELECT 1 FROM ${scans} s WHERE s.client_id = r.client_id) AS recorded
        FROM unnest(${uuidArray(pending.map((p) => p.subjectId))},
                    ${pgArray(
                      pending.map((p) => p.input.clientId),
                      'text',
                    )}) WITH ORDINALITY AS r(id, client_id, ord)
        JOIN ${lots} l ON l.id = r.id`),
  );
  const states = new Array<LotForVerdict | undefined>(pending.length);
  for (const r of found) {
    states[Number(r.ord) - 1] = {
      id: r.id,
      status: r.status,
      grossWeightG: r.gross_weight_g,
      flags: jsonColumn<VerdictFlag[]>(r.flags),
      recorded: r.recorded,
    };
  }
  return states;
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
  const lot = await presentLot(db, row.lotId, ctx.links, by);
  const { scannedBy: _by, seq: _seq, ...scan } = row;
  return { ...scan, lot, flags: lot.flags, duplicate };
}
