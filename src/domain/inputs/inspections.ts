import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable, Tx } from '../../db/client.js';
import { flags, inspections, movements } from '../../db/schema/index.js';
import { jsonColumn } from '../../db/sql.js';
import { appendEvent } from '../ledger/events.js';
import {
  assertCheckpoint,
  deviceTime,
  newScanSchema,
  ownTransaction,
  type RecordContext,
  verifyOnce,
} from '../lots/scans.js';
import { screen } from '../screening/engine.js';
import { type FlagSummary, unresolvedSql } from '../screening/flags.js';
import { thresholds } from '../screening/thresholds.js';
import { movementHoldReasons, reasonText } from '../screening/verdict.js';
import { ApiError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import { inspectionOutcomes } from '../shared/vocabulary.js';
import { observedQuantitySchema } from './declaration.js';
import { type MovementRow, presentMovement } from './movements.js';
import type { InspectionResult } from './schemas.js';

/** The fields of an inspection; `newInspectionSchema` adds that exactly one subject is named. */
const inspectionFields = z.object({
  movementId: z.uuid().optional(),
  token: newScanSchema.shape.token.optional(),
  checkpointId: z.uuid(),
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

export const newInspectionSchema = inspectionFields.refine(oneSubject, oneSubjectIssue);
export type NewInspection = z.infer<typeof newInspectionSchema>;

/** The same, as one record of an offline batch (sync.ts). */
export const inspectionRecordSchema = inspectionFields
  .extend({ kind: z.literal('inspection') })
  .refine(oneSubject, oneSubjectIssue);

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

async function subjectOf(input: NewInspection, ctx: InspectionContext): Promise<string> {
  if (input.movementId) return input.movementId;
  const subject = await verifyOnce(input.token as string, ctx);
  if (subject.kind !== 'movement') {
    throw new ApiError('unprocessable', 'this QR code is a lot’s: record a scan instead');
  }
  return subject.id;
}

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
      openFlags: sql<Pick<FlagSummary, 'rule' | 'severity' | 'status'>[]>`(
        SELECT coalesce(json_agg(json_build_object('rule', f.rule, 'severity', f.severity, 'status', f.status)), '[]'::json)
          FROM ${flags} f
         WHERE f.subject_type = 'movement' AND f.subject_id = ${id} AND ${sql.raw(unresolvedSql)})`.mapWith(
        jsonColumn<Pick<FlagSummary, 'rule' | 'severity' | 'status'>[]>,
      ),
      recorded: sql<boolean>`EXISTS (SELECT 1 FROM ${inspections} WHERE client_id = ${clientId})`,
    })
    .from(movements)
    .where(eq(movements.id, id))
    .for('update');
  if (!row) throw notFound('movement', id);
  return row;
}

/**
 * Records an inspection by checkpoint staff at their own checkpoint, and answers the row written
 * (or, for a clientId seen before, the row written then) without presenting the movement: what
 * an offline batch needs. The verdict is `hold` when the inspector found a discrepancy or seized,
 * the movement is already delivered or seized, carries an open high or critical flag, or holds
 * other than declared beyond tolerance. A seizure, or a declared movement's first inspection,
 * changes the movement's status in the same transaction. Given a transaction, it writes inside a
 * savepoint (unless `ctx.writeScope` says otherwise), so a failure undoes this record only.
 */
export async function applyInspection(
  db: Queryable,
  by: Principal,
  input: NewInspection,
  ctx: InspectionContext,
): Promise<{ row: InspectionRow; duplicate: boolean }> {
  if (by.role !== 'checkpoint' || by.checkpointId !== input.checkpointId) {
    throw new ApiError('forbidden', 'checkpoint staff record inspections at their own checkpoint only');
  }
  const movementId = await subjectOf(input, ctx);
  const occurredAt = new Date(input.occurredAt);
  const { row, duplicate } = await (ctx.writeScope ?? ownTransaction)(db, async (tx) => {
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
        occurredAt,
        observedQuantity: input.observedQuantity,
      },
    });
    const reasons = inspectionHoldReasons(m, [...m.openFlags, ...raised], input);
    const [inserted] = await tx
      .insert(inspections)
      .values({
        id,
        clientId: input.clientId,
        movementId: m.id,
        checkpointId: input.checkpointId,
        observedQuantity: input.observedQuantity,
        outcome: input.outcome,
        notes: input.notes ?? null,
        verdict: reasons.length ? 'hold' : 'pass',
        reasons,
        inspectedBy: by.sub,
        occurredAt,
      })
      .onConflictDoNothing({ target: inspections.clientId })
      .returning();
    // Committed concurrently under the same clientId: undo the flags raised for this copy.
    if (!inserted) throw new ApiError('conflict', 'a concurrent inspection with this clientId won; retry');
    const next = statusAfter(m, input.outcome);
    if (next !== m.status) {
      await tx.update(movements).set({ status: next, updatedAt: sql`now()` }).where(eq(movements.id, m.id));
    }
    await appendEvent(tx, by, {
      type: 'movement.inspected',
      subjectType: 'movement',
      subjectId: m.id,
      occurredAt,
      payload: {
        inspectionId: id,
        clientId: input.clientId,
        checkpointId: input.checkpointId,
        observedQuantity: input.observedQuantity,
        outcome: input.outcome,
        notes: input.notes ?? null,
        verdict: inserted.verdict,
        reasons,
        statusBefore: m.status,
        statusAfter: next,
        thresholdsVersion: thresholds.version,
        flagsRaised: raised.map((f) => f.id),
      },
    });
    return { row: inserted, duplicate: false };
  });
  if (duplicate && (row.movementId !== movementId || row.checkpointId !== input.checkpointId)) {
    throw new ApiError('conflict', `clientId ${input.clientId} was already used for another record`);
  }
  return { row, duplicate };
}

/** An inspection with the movement as it stands after it, as POST /v1/inspections answers. */
export async function inspectMovement(
  db: Db,
  by: Principal,
  input: NewInspection,
  ctx: InspectionContext,
): Promise<InspectionResult> {
  const { row, duplicate } = await applyInspection(db, by, input, ctx);
  const movement = await presentMovement(db, row.movementId, ctx.baseUrl);
  const { inspectedBy: _by, seq: _seq, ...inspection } = row;
  return { ...inspection, movement, flags: movement.flags, duplicate };
}
