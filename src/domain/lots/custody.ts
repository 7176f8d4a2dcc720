import { eq, inArray, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.js';
import { actors, lotEdges, lots } from '../../db/schema/index.js';
import { appendEvent, appendEvents, type EventInput } from '../ledger/events.js';
import type { LedgerSigner } from '../ledger/signer.js';
import type { DryRun } from '../screening/dry-run.js';
import { screen } from '../screening/engine.js';
import { inheritFromParents } from '../screening/taint.js';
import { boundedArray } from '../shared/bounded.js';
import { daySchema } from '../shared/dates.js';
import { finenessSchema, gramsSchema } from '../shared/decimal-schemas.js';
import { ApiError, notFound } from '../shared/errors.js';
import {
  compareGrams,
  finenessOf,
  fineWeight,
  fitsStored,
  maxStored,
  subtractGrams,
  sumGrams,
} from '../shared/grams.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import { lotForms } from '../shared/vocabulary.js';
import { knowerOf, knowledgeOf } from './access.js';
import { type LotRow, lotColumns, nextLotCodes } from './lots.js';
import { moneyPayload, moneyTrailSchema, recordHandOver } from './money-trail.js';
import { signQr } from './qr.js';

export const transferSchema = z.object({ toActorId: z.uuid() }).extend(moneyTrailSchema.shape);
export const splitSchema = z.object({
  parts: boundedArray(z.object({ grossWeightG: gramsSchema }), 1000, 'parts').min(
    2,
    'a split makes at least two parts',
  ),
});
export const mergeSchema = z.object({
  lotIds: boundedArray(z.uuid(), 1000, 'lots')
    .min(2, 'a merge takes at least two lots')
    .refine((ids) => new Set(ids).size === ids.length, 'a lot may be named once'),
  form: z.enum(lotForms).optional(),
});
export const refineSchema = z.object({ grossWeightG: gramsSchema, fineness: finenessSchema });
export const exportSchema = z.object({
  customsDeclaration: text({ max: 100 }),
  destinationCountry: text({ max: 2 }).regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as CH, AE, IN'),
  exportedOn: daySchema,
  ...moneyTrailSchema.shape,
});
export const seizeSchema = z.object({ reason: text({ min: 3, max: 2000, multiline: true }) });

interface OpContext {
  signer: LedgerSigner;
  /** Set in a dry run: the new lots' codes are placeholders, none drawn (screening/dry-run.ts). */
  dryRun?: DryRun;
}

/**
 * Locks lots for an operation and reads them, in id order so that two merges of overlapping lots
 * cannot deadlock. Operations on one lot are thereby serialized: the second waits for the first
 * to commit and then reads its result (a lot already consumed, or no longer in the caller's
 * custody — a row locked after waiting is read as the first left it), so two concurrent
 * operations can never both succeed. A lot that does not exist is missing from the map.
 */
async function lockLots(tx: Tx, ids: string[]): Promise<Map<string, LotRow>> {
  const sorted = [...new Set(ids)].sort();
  const rows = await tx
    .select(lotColumns)
    .from(lots)
    .where(inArray(lots.id, sorted))
    .orderBy(lots.id)
    .for('update');
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * A lot the caller may operate on: it exists, is active and in their custody. A caller who never
 * held nor produced it gets 404, as for a read (access.ts); one who did knows it exists, and is
 * told why it cannot act (409): a concurrent operation that won consumed or transferred it.
 */
async function assertOperable(tx: Tx, by: Principal, lot: LotRow | undefined, id: string): Promise<LotRow> {
  if (!lot) throw notFound('lot', id);
  const actorId = knowerOf(by);
  if (actorId !== undefined && lot.custodianId !== actorId) {
    const known = await knowledgeOf(tx, actorId, lot.id);
    if (!known) throw notFound('lot', id);
    throw new ApiError(
      'conflict',
      known.handedOn
        ? `lot ${lot.code} was transferred to another actor; it is no longer in your custody`
        : `lot ${lot.code} is not in your custody`,
      { extra: { lotId: lot.id, reason: known.handedOn ? 'transferred' : 'not_in_custody' } },
    );
  }
  if (lot.status !== 'active') {
    throw new ApiError('conflict', `lot ${lot.code} is ${lot.status}; it accepts no further operation`, {
      extra: { lotId: lot.id, lotStatus: lot.status, reason: lot.status },
    });
  }
  return lot;
}

async function lockOne(tx: Tx, by: Principal, id: string): Promise<LotRow> {
  return assertOperable(tx, by, (await lockLots(tx, [id])).get(id), id);
}

const touch = { updatedAt: sql`now()` };

/** Sets fields of one lot and answers it as it now stands. */
async function updateLot(tx: Tx, id: string, set: PgUpdateSetSource<typeof lots>): Promise<LotRow> {
  const [row] = await tx
    .update(lots)
    .set({ ...set, ...touch })
    .where(eq(lots.id, id))
    .returning(lotColumns);
  if (!row) throw notFound('lot', id);
  return row;
}

export async function transferLot(
  db: Db,
  by: Principal,
  id: string,
  input: z.infer<typeof transferSchema>,
): Promise<LotRow> {
  return db.transaction(async (tx) => {
    const lot = await lockOne(tx, by, id);
    if (input.toActorId === lot.custodianId) {
      throw new ApiError('unprocessable', 'the lot is already in that custody', {
        errors: [{ field: 'toActorId', message: 'same custodian' }],
      });
    }
    const [to] = await tx.select({ id: actors.id }).from(actors).where(eq(actors.id, input.toActorId));
    if (!to) {
      throw new ApiError('unprocessable', `toActorId ${input.toActorId} is not a registered actor`, {
        errors: [{ field: 'toActorId', message: 'no such actor' }],
      });
    }
    const row = await updateLot(tx, id, { custodianId: input.toActorId, custodySince: sql`now()` });
    const { toActorId, ...money } = input;
    await recordHandOver(tx, {
      lotId: id,
      operation: 'transfer',
      fromActorId: lot.custodianId,
      toActorId,
      grossWeightG: lot.grossWeightG,
      fineWeightG: lot.fineWeightG,
      money,
    });
    await appendEvent(tx, by, {
      type: 'lot.transferred',
      subjectType: 'lot',
      subjectId: id,
      payload: { from: lot.custodianId, to: toActorId, ...moneyPayload(money) },
    });
    await screen(tx, by, { trigger: 'custody', lotIds: [id] });
    return row;
  });
}

/** A lot an operation makes from its parents: what it carries, and where each gram came from. */
interface NewChild {
  producerId: string | null;
  concessionId: string | null;
  /** The parent whose origin and extraction date the child keeps; null where its gold has none in common. */
  originOf: LotRow | null;
  grossWeightG: string;
  fineness: string;
  fineWeightG: string;
  form: LotRow['form'];
  custodianId: string;
  /** Its edges: each parent and the fine gold that passed from it into this child. */
  from: { id: string; fineWeightG: string }[];
}

/** A child as written, for the operation's event payloads. */
interface Made {
  id: string;
  code: string;
}

/**
 * The step split, merge and refine share, once the parents are locked and the mass checked:
 * the children are written with their codes, QR tokens and edges, the parents consumed, the
 * parents' unresolved inheritable flags copied onto the children (taint), and the operation's
 * events appended in the order `events` gives (the parents' first, then the children's). Answers
 * the parents and the children as they stand after it, for the caller's answer.
 */
async function deriveLots(
  tx: Tx,
  by: Principal,
  ctx: OpContext,
  op: {
    operation: 'split' | 'merge' | 'refine';
    parents: LotRow[];
    children: NewChild[];
    events: (made: Made[]) => Omit<EventInput, 'subjectType'>[];
  },
): Promise<{ parents: LotRow[]; children: LotRow[] }> {
  const codes = await nextLotCodes(tx, new Date().getUTCFullYear(), op.children.length, ctx.dryRun);
  const made = op.children.map((child, i) => ({ id: newId(), code: codes[i] as string, child }));
  const values = await Promise.all(
    made.map(async ({ id, code, child }) => ({
      id,
      code,
      producerId: child.producerId,
      concessionId: child.concessionId,
      origin: child.originOf ? sql`(SELECT origin FROM lots WHERE id = ${child.originOf.id})` : null,
      extractedOn: child.originOf ? child.originOf.extractedOn : null,
      grossWeightG: child.grossWeightG,
      fineness: child.fineness,
      fineWeightG: child.fineWeightG,
      form: child.form,
      custodianId: child.custodianId,
      qrToken: await signQr(ctx.signer, { kind: 'lot', id, code }),
    })),
  );
  const inserted = await tx.insert(lots).values(values).returning(lotColumns);
  await tx.insert(lotEdges).values(
    made.flatMap(({ id, child }) =>
      child.from.map((p) => ({
        parentId: p.id,
        childId: id,
        operation: op.operation,
        fineWeightG: p.fineWeightG,
      })),
    ),
  );
  const consumed = await tx
    .update(lots)
    .set({ status: 'consumed', ...touch })
    .where(
      inArray(
        lots.id,
        op.parents.map((p) => p.id),
      ),
    )
    .returning(lotColumns);
  await inheritFromParents(
    tx,
    by,
    made.map((m) => m.id),
  );
  await appendEvents(
    tx,
    by,
    op.events(made.map(({ id, code }) => ({ id, code }))).map((e) => ({ ...e, subjectType: 'lot' })),
  );
  return { parents: inOrder(consumed, op.parents), children: inOrder(inserted, made) };
}

/** Rows in the order of `wanted` (RETURNING promises no order). */
function inOrder(rows: LotRow[], wanted: { id: string }[]): LotRow[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return wanted.map((w) => {
    const row = byId.get(w.id);
    if (!row) throw new Error(`lot ${w.id} was not written`);
    return row;
  });
}

/**
 * Splits a lot into parts of the same fineness. The parts' gross weights may add up to less than
 * the lot's (handling loss, recorded), never to more; each part's fine weight is rounded down,
 * so the parts never carry more fine gold than the lot.
 */
export async function splitLot(
  db: Db,
  by: Principal,
  id: string,
  input: z.infer<typeof splitSchema>,
  ctx: OpContext,
): Promise<{ parent: LotRow; children: LotRow[] }> {
  return db.transaction(async (tx) => {
    const lot = await lockOne(tx, by, id);
    const total = sumGrams(input.parts.map((p) => p.grossWeightG));
    if (compareGrams(total, lot.grossWeightG) > 0) {
      throw new ApiError(
        'unprocessable',
        `the parts weigh ${total} g but lot ${lot.code} weighs ${lot.grossWeightG} g: a split cannot create gold`,
        {
          errors: [{ field: 'parts', message: `sum ${total} g exceeds ${lot.grossWeightG} g` }],
          extra: { inputGrossWeightG: lot.grossWeightG, outputGrossWeightG: total },
        },
      );
    }
    const parts = input.parts.map((p) => ({
      grossWeightG: p.grossWeightG,
      fineWeightG: fineWeight(p.grossWeightG, lot.fineness),
    }));
    const outFine = sumGrams(parts.map((p) => p.fineWeightG));
    const { parents, children } = await deriveLots(tx, by, ctx, {
      operation: 'split',
      parents: [lot],
      children: parts.map((p) => ({
        producerId: lot.producerId,
        concessionId: lot.concessionId,
        originOf: lot,
        grossWeightG: p.grossWeightG,
        fineness: lot.fineness,
        fineWeightG: p.fineWeightG,
        form: lot.form,
        custodianId: lot.custodianId,
        from: [{ id: lot.id, fineWeightG: p.fineWeightG }],
      })),
      events: (made) => {
        const written = made.map((m, i) => ({ ...m, ...(parts[i] as (typeof parts)[number]) }));
        return [
          {
            type: 'lot.split',
            subjectId: id,
            payload: {
              children: written,
              inputGrossWeightG: lot.grossWeightG,
              inputFineWeightG: lot.fineWeightG,
              outputFineWeightG: outFine,
              lossGrossWeightG: subtractGrams(lot.grossWeightG, total),
              lossFineWeightG: subtractGrams(lot.fineWeightG, outFine),
            },
          },
          ...written.map((c) => ({
            type: 'lot.created_by_split',
            subjectId: c.id,
            // Fineness, form and custody too, so that the log alone gives the part's state (audit/).
            payload: {
              parentId: id,
              ...c,
              fineness: lot.fineness,
              form: lot.form,
              custodianId: lot.custodianId,
            },
          })),
        ];
      },
    });
    return { parent: parents[0] as LotRow, children };
  });
}

/**
 * Merges lots in the caller's custody into one. The new lot carries exactly the sum of their
 * gross and fine weights; its fineness is the mixture's. One producer, concession and origin are
 * kept only where all the inputs share them.
 */
export async function mergeLots(
  db: Db,
  by: Principal,
  input: z.infer<typeof mergeSchema>,
  ctx: OpContext,
): Promise<LotRow> {
  return db.transaction(async (tx) => {
    const locked = await lockLots(tx, input.lotIds);
    const inputs: LotRow[] = [];
    for (const id of input.lotIds) inputs.push(await assertOperable(tx, by, locked.get(id), id));
    const custodians = new Set(inputs.map((l) => l.custodianId));
    if (custodians.size > 1) throw new ApiError('conflict', 'lots to merge must all be in one custody');
    const gross = sumGrams(inputs.map((l) => l.grossWeightG));
    if (!fitsStored(gross)) {
      const message = `together they weigh ${gross} g; a lot weighs at most ${maxStored} g`;
      throw new ApiError('unprocessable', `cannot merge: ${message}`, {
        errors: [{ field: 'lotIds', message }],
      });
    }
    const fine = sumGrams(inputs.map((l) => l.fineWeightG));
    const same = <K extends keyof LotRow>(k: K) =>
      new Set(inputs.map((l) => JSON.stringify(l[k]))).size === 1;
    const first = inputs[0] as LotRow;
    const fineness = finenessOf(fine, gross);
    const form = input.form ?? (same('form') ? first.form : 'granules');
    const { children } = await deriveLots(tx, by, ctx, {
      operation: 'merge',
      parents: inputs,
      children: [
        {
          // Gold of several producers has none of its own; the producers stay on its parents.
          producerId: same('producerId') ? first.producerId : null,
          concessionId: same('concessionId') ? first.concessionId : null,
          originOf: same('origin') && same('extractedOn') ? first : null,
          grossWeightG: gross,
          fineness,
          fineWeightG: fine,
          form,
          custodianId: first.custodianId,
          from: inputs.map((l) => ({ id: l.id, fineWeightG: l.fineWeightG })),
        },
      ],
      events: ([child]) => {
        const made = child as Made;
        return [
          ...inputs.map((l) => ({
            type: 'lot.merged',
            subjectId: l.id,
            payload: { into: made.id, fineWeightG: l.fineWeightG },
          })),
          {
            type: 'lot.created_by_merge',
            subjectId: made.id,
            payload: {
              ...made,
              parentIds: inputs.map((l) => l.id),
              grossWeightG: gross,
              fineWeightG: fine,
              fineness,
              form,
              custodianId: first.custodianId,
            },
          },
        ];
      },
    });
    return children[0] as LotRow;
  });
}

/** Refines a lot to a new weight and fineness; the fine gold may only go down (the loss is recorded). */
export async function refineLot(
  db: Db,
  by: Principal,
  id: string,
  input: z.infer<typeof refineSchema>,
  ctx: OpContext,
): Promise<LotRow> {
  return db.transaction(async (tx) => {
    const lot = await lockOne(tx, by, id);
    const fine = fineWeight(input.grossWeightG, input.fineness);
    if (compareGrams(fine, lot.fineWeightG) > 0) {
      throw new ApiError(
        'unprocessable',
        `refining ${lot.code} would yield ${fine} g of fine gold from ${lot.fineWeightG} g: refining cannot create gold`,
        {
          errors: [
            {
              field: 'grossWeightG',
              message: `${input.grossWeightG} g at ${input.fineness} ‰ is ${fine} g fine, more than ${lot.fineWeightG} g`,
            },
          ],
          extra: { inputFineWeightG: lot.fineWeightG, outputFineWeightG: fine },
        },
      );
    }
    const loss = subtractGrams(lot.fineWeightG, fine);
    const { children } = await deriveLots(tx, by, ctx, {
      operation: 'refine',
      parents: [lot],
      children: [
        {
          producerId: lot.producerId,
          concessionId: lot.concessionId,
          originOf: lot,
          grossWeightG: input.grossWeightG,
          fineness: input.fineness,
          fineWeightG: fine,
          form: 'bar',
          custodianId: lot.custodianId,
          from: [{ id: lot.id, fineWeightG: fine }],
        },
      ],
      events: ([child]) => {
        const made = child as Made;
        return [
          {
            type: 'lot.refined',
            subjectId: id,
            payload: {
              into: made.id,
              inputFineWeightG: lot.fineWeightG,
              outputFineWeightG: fine,
              lossFineWeightG: loss,
            },
          },
          {
            type: 'lot.created_by_refine',
            subjectId: made.id,
            payload: {
              ...made,
              parentId: id,
              grossWeightG: input.grossWeightG,
              fineness: input.fineness,
              fineWeightG: fine,
              lossFineWeightG: loss,
              form: 'bar',
              custodianId: lot.custodianId,
            },
          },
        ];
      },
    });
    return children[0] as LotRow;
  });
}

export async function exportLot(
  db: Db,
  by: Principal,
  id: string,
  input: z.infer<typeof exportSchema>,
): Promise<LotRow> {
  return db.transaction(async (tx) => {
    const lot = await lockOne(tx, by, id);
    const row = await updateLot(tx, id, {
      status: 'exported',
      exportedOn: input.exportedOn,
      customsDeclaration: input.customsDeclaration,
      destinationCountry: input.destinationCountry,
    });
    const { customsDeclaration: _c, destinationCountry: _d, exportedOn: _e, ...money } = input;
    await recordHandOver(tx, {
      lotId: id,
      operation: 'export',
      fromActorId: lot.custodianId,
      toActorId: null,
      grossWeightG: lot.grossWeightG,
      fineWeightG: lot.fineWeightG,
      money,
    });
    await appendEvent(tx, by, { type: 'lot.exported', subjectType: 'lot', subjectId: id, payload: input });
    // Its own trigger, not 'custody': the custody rules judge a new holder, and an export has
    // none; the rules that judge hand-overs (STRUCTURING, the money trail) run on it too.
    await screen(tx, by, { trigger: 'export', lotIds: [id] });
    return row;
  });
}

/** A regulator seizes a lot; it accepts no further operation. */
export async function seizeLot(
  db: Db,
  by: Principal,
  id: string,
  input: z.infer<typeof seizeSchema>,
): Promise<LotRow> {
  return db.transaction(async (tx) => {
    await lockOne(tx, by, id);
    const row = await updateLot(tx, id, { status: 'seized' });
    await appendEvent(tx, by, { type: 'lot.seized', subjectType: 'lot', subjectId: id, payload: input });
    return row;
  });
}
