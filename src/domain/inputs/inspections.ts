import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, type Queryable, rowsOf, type Tx } from '../../db/client.js';
import { flags, inspections, movements } from '../../db/schema/index.js';
import { jsonColumn, pgArray, uuidArray } from '../../db/sql.js';
import { appendEvent, type EventInput } from '../ledger/events.js';
import {
  assertCheckpoint,
  assertTypedIfLookedUp,
  checkEntrySchema,
  deviceTime,
  flagsBySubject,
  NotApplicableAsSet,
  newScanSchema,
  type PendingRecord,
  type RecordContext,
  type SetOutcome,
  verifyOnce,
} from '../lots/scans.js';
import { type RaisedFlag, raisedEvents, screen, screenRecords } from '../screening/engine.js';
import { type FlagSummary, unresolvedSql } from '../screening/flags.js';
import { thresholds } from '../screening/thresholds.js';
import { movementHoldReasons, reasonText } from '../screening/verdict.js';
import { ApiError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import { type CheckEntry, inspectionOutcomes } from '../shared/vocabulary.js';
import { observedQuantitySchema } from './declaration.js';
import { type MovementRow, presentMovement } from './movements.js';
import type { InspectionResult } from './schemas.js';

/** The fields of an inspection; `newInspectionSchema` adds that exactly one subject is named. */
const inspectionFields = z.object({
  movementId: z.uuid().optional(),
  token: newScanSchema.shape.token.optional(),
  checkpointId: z.uuid(),
  entry: checkEntrySchema
    .optional()
    .describe(
      'scanned: the QR was read (camera or its link); typed: the printed code was typed and looked up, the label not verified. Default: scanned with a token, typed with a movementId (no label was read)',
    ),
  observedQuantity: observedQuantitySchema.describe("In the movement's unit (kg or L)"),
  outcome: z.enum(inspectionOutcomes),
  notes: text({ min: 0, max: 2000, multiline: true }).optional(),
  occurredAt: deviceTime,
  clientId: newScanSchema.shape.clientId,
});

const oneSubject = (i: { movementId?: string | undefined; token?: string | undefined }) =>
  (i.movementId === undefined) !== (i.token === undefined);
const oneSubjectIssue = {
  message: 'name the movement by movementId or by the token of its QR code, not both',
  path: ['movementId'],
};
// A movement named by its id was not read from a QR: it cannot be recorded as scanned.
const scannedHasToken = (i: { token?: string | undefined; entry?: CheckEntry | undefined }) =>
  i.entry !== 'scanned' || i.token !== undefined;
const scannedHasTokenIssue = {
  message: 'an inspection recorded as scanned names the movement by the token its QR holds',
  path: ['entry'],
};

export const newInspectionSchema = inspectionFields
  .refine(oneSubject, oneSubjectIssue)
  .refine(scannedHasToken, scannedHasTokenIssue);
export type NewInspection = z.infer<typeof newInspectionSchema>;

/** The same, as one record of an offline batch (sync.ts). */
export const inspectionRecordSchema = inspectionFields
  .extend({ kind: z.literal('inspection') })
  .refine(oneSubject, oneSubjectIssue)
  .refine(scannedHasToken, scannedHasTokenIssue);

/** How the officer came to the movement: as sent, else from whether its QR's token was sent. */
const entryOf = (input: NewInspection): CheckEntry => input.entry ?? (input.token ? 'scanned' : 'typed');

export type InspectionRow = typeof inspections.$inferSelect;

export type InspectionContext = RecordContext;

/** Why a movement must be held at a checkpoint, in plain words; no reason: it passes (screening/verdict.ts). */
const inspectionHoldReasons = (...args: Parameters<typeof movementHoldReasons>): string[] =>
  movementHoldReasons(...args).map(reasonText);

/** A seizure ends the movement; the first other inspection puts a declared movement in transit. */
function statusAfter(
  m: Pick<MovementRow, 'status'>,
  outcome: NewInspection['outcome'],
): MovementRow['status'] {
  // A seizure wins even over a claimed delivery: the goods in front of the inspector are what count.
  if (outcome === 'seized') return 'seized';
  return m.status === 'declared' ? 'in_transit' : m.status;
}

/** The checks an inspection passes before anything is read: who records it, and the movement it names. */
export async function inspectedMovement(
  by: Principal,
  input: NewInspection,
  ctx: Pick<InspectionContext, 'ledgerKeys' | 'memo' | 'links'>,
): Promise<string> {
  if (by.role !== 'checkpoint' || by.checkpointId !== input.checkpointId) {
    throw new ApiError('forbidden', 'checkpoint staff record inspections at their own checkpoint only');
  }
  if (input.movementId) return input.movementId;
  const subject = await verifyOnce(input.token as string, ctx);
  if (subject.kind !== 'movement') {
    throw new ApiError('unprocessable', 'this QR code is a lot’s: record a scan instead');
  }
  assertTypedIfLookedUp(subject, entryOf(input));
  return subject.id;
}

type OpenFlag = Pick<FlagSummary, 'rule' | 'severity' | 'status'>;

/** A movement's open flags, as a verdict on it reads them. */
const openFlagsOf = (movementId: SQL) => sql<OpenFlag[]>`(
  SELECT coalesce(json_agg(json_build_object('rule', f.rule, 'severity', f.severity, 'status', f.status)), '[]'::json)
    FROM ${flags} f
   WHERE f.subject_type = 'movement' AND f.subject_id = ${movementId} AND ${sql.raw(unresolvedSql)})`;

/**
 * Locks a movement (operations on it are serialized, see movements.ts) and reads what a verdict
 * needs, its state and open flags, in one statement: the per-record cost of a sync batch is
 * mostly statements.
 */
async function lockForInspection(tx: Tx, id: string, clientId: string) {
  const [row] = await tx
    .select({
      id: movements.id,
      status: movements.status,
      quantity: movements.quantity,
      unit: movements.unit,
      openFlags: openFlagsOf(sql`${id}`).mapWith(jsonColumn<OpenFlag[]>),
      recorded: sql<boolean>`EXISTS (SELECT 1 FROM ${inspections} WHERE client_id = ${clientId})`,
    })
    .from(movements)
    .where(eq(movements.id, id))
    .for('update');
  if (!row) throw notFound('movement', id);
  return row;
}
type LockedMovement = Awaited<ReturnType<typeof lockForInspection>>;

/** The inspection row to write, its verdict counting the flags its rules just raised. */
function inspectionRow(
  by: Principal,
  input: NewInspection,
  id: string,
  m: LockedMovement,
  raised: RaisedFlag[],
) {
  const reasons = inspectionHoldReasons(m, [...m.openFlags, ...raised], input);
  return {
    id,
    clientId: input.clientId,
    movementId: m.id,
    checkpointId: input.checkpointId,
    observedQuantity: input.observedQuantity,
    outcome: input.outcome,
    notes: input.notes ?? null,
    verdict: reasons.length ? ('hold' as const) : ('pass' as const),
    reasons,
    inspectedBy: by.sub,
    entry: entryOf(input),
    occurredAt: new Date(input.occurredAt),
  };
}

/** The `movement.inspected` event of an inspection just written. */
const inspectedEvent = (
  input: NewInspection,
  row: InspectionRow,
  m: LockedMovement,
  raised: RaisedFlag[],
): EventInput => ({
  type: 'movement.inspected',
  subjectType: 'movement',
  subjectId: m.id,
  occurredAt: new Date(input.occurredAt),
  payload: {
    inspectionId: row.id,
    clientId: input.clientId,
    checkpointId: input.checkpointId,
    entry: row.entry,
    observedQuantity: input.observedQuantity,
    outcome: input.outcome,
    notes: input.notes ?? null,
    verdict: row.verdict,
    reasons: row.reasons,
    statusBefore: m.status,
    statusAfter: statusAfter(m, input.outcome),
    thresholdsVersion: thresholds.version,
    flagsRaised: raised.map((f) => f.id),
  },
});

/** A duplicate is the same record sent again: the same movement at the same checkpoint. */
function assertSameInspection(row: InspectionRow, movementId: string, input: NewInspection): void {
  if (row.movementId !== movementId || row.checkpointId !== input.checkpointId) {
    throw new ApiError('conflict', `clientId ${input.clientId} was already used for another record`);
  }
}

/**
 * Records an inspection by checkpoint staff at their own checkpoint, and answers the row written
 * (or, for a clientId seen before, the row written then) without presenting the movement: what
 * an offline batch needs. The verdict is `hold` when the inspector found a discrepancy or seized,
 * the movement is already delivered or seized, carries an open high or critical flag, or holds
 * other than declared beyond tolerance. A seizure, or a declared movement's first inspection,
 * changes the movement's status in the same transaction. Given a transaction, it writes inside a
 * savepoint, so a failure undoes this record only.
 */
export async function applyInspection(
  db: Queryable,
  by: Principal,
  input: NewInspection,
  ctx: InspectionContext,
): Promise<{ row: InspectionRow; duplicate: boolean }> {
  const movementId = await inspectedMovement(by, input, ctx);
  const { row, duplicate } = await db.transaction(async (tx) => {
    await assertCheckpoint(tx, input.checkpointId, ctx.memo);
    // A retry (an offline batch sent again) is answered with the record written the first time,
    // before any rule runs: a retry raises nothing.
    const m = await lockForInspection(tx, movementId, input.clientId);
    if (m.recorded) {
      const [first] = await tx.select().from(inspections).where(eq(inspections.clientId, input.clientId));
      if (first) return { row: first, duplicate: true };
    }
    const id = newId();
    // The rules run before the inspection is written, so that its verdict counts what they raise.
    const raised = await screen(tx, by, {
      trigger: 'inspection',
      inspection: {
        inspectionId: id,
        movementId: m.id,
        checkpointId: input.checkpointId,
        occurredAt: new Date(input.occurredAt),
        observedQuantity: input.observedQuantity,
      },
    });
    const [inserted] = await tx
      .insert(inspections)
      .values(inspectionRow(by, input, id, m, raised))
      .onConflictDoNothing({ target: inspections.clientId })
      .returning();
    // Committed concurrently under the same clientId: undo the flags raised for this copy.
    if (!inserted) throw new ApiError('conflict', 'a concurrent inspection with this clientId won; retry');
    const next = statusAfter(m, input.outcome);
    if (next !== m.status) {
      await tx.update(movements).set({ status: next, updatedAt: sql`now()` }).where(eq(movements.id, m.id));
    }
    await appendEvent(tx, by, inspectedEvent(input, inserted, m, raised));
    return { row: inserted, duplicate: false };
  });
  if (duplicate) assertSameInspection(row, movementId, input);
  return { row, duplicate };
}

/**
 * Applies inspections of distinct movements and clientIds together, in the batch's transaction,
 * with a handful of statements for all of them: each is judged, written and answered as
 * `applyInspection` would alone (the movements locked, the same SQL rules over each record's
 * facts, the same verdict, row and change of status), and its events are returned rather than
 * appended, for the batch to append them once. The checkpoint must have been checked. Throws
 * NotApplicableAsSet when that would not be exact (see lots/scans.ts, applyScans).
 */
export async function applyInspections(
  tx: Tx,
  by: Principal,
  pending: PendingRecord<NewInspection>[],
): Promise<SetOutcome<InspectionRow>[]> {
  if (pending.length === 0) return [];
  const states = await lockForInspections(tx, pending);
  const out = new Array<SetOutcome<InspectionRow>>(pending.length);
  const recorded = pending.filter((_, i) => states[i]?.recorded);
  const firsts = new Map(
    recorded.length === 0
      ? []
      : (
          await tx
            .select()
            .from(inspections)
            .where(
              inArray(
                inspections.clientId,
                recorded.map((p) => p.input.clientId),
              ),
            )
        ).map((r) => [r.clientId, r]),
  );
  const fresh: { at: number; m: LockedMovement; id: string }[] = [];
  pending.forEach((p, at) => {
    const m = states[at];
    if (!m) {
      out[at] = { error: notFound('movement', p.subjectId) };
      return;
    }
    const first = m.recorded ? firsts.get(p.input.clientId) : undefined;
    if (!first) {
      fresh.push({ at, m, id: newId() });
      return;
    }
    try {
      assertSameInspection(first, p.subjectId, p.input);
      out[at] = { row: first, duplicate: true, events: [] };
    } catch (err) {
      out[at] = { error: err as ApiError };
    }
  });
  if (fresh.length === 0) return out;

  const input = (at: number) => (pending[at] as PendingRecord<NewInspection>).input;
  const raised = await screenRecords(tx, {
    trigger: 'inspection',
    inspections: fresh.map(({ at, m, id }) => ({
      inspectionId: id,
      movementId: m.id,
      checkpointId: input(at).checkpointId,
      occurredAt: new Date(input(at).occurredAt),
      observedQuantity: input(at).observedQuantity,
    })),
  });
  const bySubject = flagsBySubject(
    raised,
    fresh.map((r) => r.m.id),
  );
  const rows = fresh.map(({ at, m, id }) => inspectionRow(by, input(at), id, m, bySubject.get(m.id) ?? []));
  const inserted = await tx
    .insert(inspections)
    .values(rows)
    .onConflictDoNothing({ target: inspections.clientId })
    .returning();
  if (inserted.length !== rows.length)
    throw new NotApplicableAsSet('a clientId of the batch was written meanwhile by another request');
  const changed = fresh.filter(({ at, m }) => statusAfter(m, input(at).outcome) !== m.status);
  if (changed.length > 0) {
    await tx.execute(sql`
      UPDATE ${movements} m SET status = c.status, updated_at = now()
        FROM unnest(${uuidArray(changed.map((c) => c.m.id))},
                    ${pgArray(
                      changed.map(({ at, m }) => statusAfter(m, input(at).outcome)),
                      'text',
                    )}) AS c(id, status)
       WHERE m.id = c.id`);
  }
  const byId = new Map(inserted.map((r) => [r.id, r]));
  for (const { at, m, id } of fresh) {
    const row = byId.get(id) as InspectionRow;
    const own = bySubject.get(m.id) ?? [];
    out[at] = {
      row,
      duplicate: false,
      events: [...raisedEvents(own), inspectedEvent(input(at), row, m, own)],
    };
  }
  return out;
}

/**
 * `lockForInspection` of many movements in one statement, in the order of `pending` (undefined:
 * no such movement).
 */
async function lockForInspections(
  tx: Tx,
  pending: PendingRecord<NewInspection>[],
): Promise<(LockedMovement | undefined)[]> {
  const found = rowsOf<{
    ord: number | string;
    id: string;
    status: LockedMovement['status'];
    quantity: string;
    unit: LockedMovement['unit'];
    open_flags: unknown;
    recorded: boolean;
  }>(
    await tx.execute(sql`
      SELECT r.ord, m.id, m.status, m.quantity::text AS quantity, m.unit,
             ${openFlagsOf(sql`m.id`)} AS open_flags,
             EXISTS (SELECT 1 FROM ${inspections} i WHERE i.client_id = r.client_id) AS recorded
        FROM unnest(${uuidArray(pending.map((p) => p.subjectId))},
                    ${pgArray(
                      pending.map((p) => p.input.clientId),
                      'text',
                    )}) WITH ORDINALITY AS r(id, client_id, ord)
        JOIN ${movements} m ON m.id = r.id
         FOR UPDATE OF m`),
  );
  const states = new Array<LockedMovement | undefined>(pending.length);
  for (const r of found) {
    states[Number(r.ord) - 1] = {
      id: r.id,
      status: r.status,
      quantity: r.quantity,
      unit: r.unit,
      openFlags: jsonColumn<OpenFlag[]>(r.open_flags),
      recorded: r.recorded,
    };
  }
  return states;
}

/** An inspection with the movement as it stands after it, as POST /v1/inspections answers. */
export async function inspectMovement(
  db: Db,
  by: Principal,
  input: NewInspection,
  ctx: InspectionContext,
): Promise<InspectionResult> {
  const { row, duplicate } = await applyInspection(db, by, input, ctx);
  const movement = await presentMovement(db, row.movementId, ctx.links);
  const { inspectedBy: _by, seq: _seq, ...inspection } = row;
  return { ...inspection, movement, flags: movement.flags, duplicate };
}
