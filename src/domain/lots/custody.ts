import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.js';
import { actors, lotEdges, lotForms, lots } from '../../db/schema/index.js';
import { appendEvent } from '../ledger/events.js';
import type { LedgerSigner } from '../ledger/signer.js';
import { screen } from '../screening/engine.js';
import { inheritFromParents } from '../screening/taint.js';
import { finenessSchema, gramsSchema } from '../shared/decimal-schemas.js';
import { ApiError, notFound } from '../shared/errors.js';
import { compareGrams, finenessOf, fineWeight, subtractGrams, sumGrams } from '../shared/grams.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import { knowerOf, knowledgeOf } from './access.js';
import { getLotRow, type LotRow, nextLotCode } from './lots.js';
import { signQr } from './qr.js';

export const transferSchema = z.object({ toActorId: z.uuid() });
export const splitSchema = z.object({
  parts: z
    .array(z.object({ grossWeightG: gramsSchema }))
    .min(2, 'a split makes at least two parts')
    .max(1000),
});
export const mergeSchema = z.object({
  lotIds: z
    .array(z.uuid())
    .min(2, 'a merge takes at least two lots')
    .max(1000)
    .refine((ids) => new Set(ids).size === ids.length, 'a lot may be named once'),
  form: z.enum(lotForms).optional(),
});
export const refineSchema = z.object({ grossWeightG: gramsSchema, fineness: finenessSchema });
export const exportSchema = z.object({
  customsDeclaration: z.string().trim().min(1).max(100),
  destinationCountry: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as CH, AE, IN'),
  exportedOn: z.iso.date(),
});
export const seizeSchema = z.object({ reason: z.string().trim().min(3).max(2000) });

interface OpContext {
  signer: LedgerSigner;
}

/**
 * Locks lots for an operation, in id order so that two merges of overlapping lots cannot
 * deadlock. Operations on one lot are thereby serialized: the second waits for the first to
 * commit and then sees its result (a lot already consumed, or no longer in the caller's custody),
 * so two concurrent operations can never both succeed.
 */
async function lockLots(tx: Tx, ids: string[]): Promise<Map<string, LotRow>> {
  const sorted = [...new Set(ids)].sort();
  await tx.select({ id: lots.id }).from(lots).where(inArray(lots.id, sorted)).orderBy(lots.id).for('update');
  const rows = new Map<string, LotRow>();
  for (const id of sorted) rows.set(id, await getLotRow(tx, id));
  return rows;
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

export async function transferLot(
  db: Db,
  by: Principal,
  id: string,
  input: z.infer<typeof transferSchema>,
): Promise<string> {
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
    await tx
      .update(lots)
      .set({ custodianId: input.toActorId, custodySince: sql`now()`, ...touch })
      .where(eq(lots.id, id));
    await appendEvent(tx, by, {
      type: 'lot.transferred',
      subjectType: 'lot',
      subjectId: id,
      payload: { from: lot.custodianId, to: input.toActorId },
    });
    await screen(tx, by, { trigger: 'custody', lotIds: [id] });
    return id;
  });
}

/** A new lot derived from others, written with its edges; its QR signed like any lot's. */
async function insertChild(
  tx: Tx,
  ctx: OpContext,
  child: {
    template: LotRow;
    producerId: string | null;
    concessionId: string | null;
    inheritOrigin: boolean;
    grossWeightG: string;
    fineness: string;
    fineWeightG: string;
    form: LotRow['form'];
    custodianId: string;
  },
  parents: { id: string; fineWeightG: string }[],
  operation: 'split' | 'merge' | 'refine',
): Promise<{ id: string; code: string }> {
  const id = newId();
  const code = await nextLotCode(tx, new Date().getUTCFullYear());
  const t = child.template;
  await tx.insert(lots).values({
    id,
    code,
    producerId: child.producerId,
    concessionId: child.concessionId,
    origin: child.inheritOrigin ? sql`(SELECT origin FROM lots WHERE id = ${t.id})` : null,
    extractedOn: child.inheritOrigin ? t.extractedOn : null,
    grossWeightG: child.grossWeightG,
    fineness: child.fineness,
    fineWeightG: child.fineWeightG,
    form: child.form,
    custodianId: child.custodianId,
    qrToken: await signQr(ctx.signer, { kind: 'lot', id, code }),
  });
  await tx
    .insert(lotEdges)
    .values(parents.map((p) => ({ parentId: p.id, childId: id, operation, fineWeightG: p.fineWeightG })));
  return { id, code };
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
) {
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
    const children: { id: string; code: string; grossWeightG: string; fineWeightG: string }[] = [];
    for (const part of input.parts) {
      const fine = fineWeight(part.grossWeightG, lot.fineness);
      const child = await insertChild(
        tx,
        ctx,
        {
          template: lot,
          producerId: lot.producerId,
          concessionId: lot.concessionId,
          inheritOrigin: true,
          grossWeightG: part.grossWeightG,
          fineness: lot.fineness,
          fineWeightG: fine,
          form: lot.form,
          custodianId: lot.custodianId,
        },
        [{ id: lot.id, fineWeightG: fine }],
        'split',
      );
      children.push({ ...child, grossWeightG: part.grossWeightG, fineWeightG: fine });
    }
    await tx
      .update(lots)
      .set({ status: 'consumed', ...touch })
      .where(eq(lots.id, id));
    await inheritFromParents(
      tx,
      by,
      children.map((c) => c.id),
    );
    const outFine = sumGrams(children.map((c) => c.fineWeightG));
    await appendEvent(tx, by, {
      type: 'lot.split',
      subjectType: 'lot',
      subjectId: id,
      payload: {
        children,
        inputGrossWeightG: lot.grossWeightG,
        inputFineWeightG: lot.fineWeightG,
        outputFineWeightG: outFine,
        lossGrossWeightG: subtractGrams(lot.grossWeightG, total),
        lossFineWeightG: subtractGrams(lot.fineWeightG, outFine),
      },
    });
    for (const c of children) {
      await appendEvent(tx, by, {
        type: 'lot.created_by_split',
        subjectType: 'lot',
        subjectId: c.id,
        payload: { parentId: id, ...c },
      });
    }
    return children.map((c) => c.id);
  });
}

/**
 * Merges lots in the caller's custody into one. The new lot carries exactly the sum of their
 * gross and fine weights; its fineness is the mixture's. One producer, concession and origin are
 * kept only where all the inputs share them.
 */
export async function mergeLots(db: Db, by: Principal, input: z.infer<typeof mergeSchema>, ctx: OpContext) {
  return db.transaction(async (tx) => {
    const locked = await lockLots(tx, input.lotIds);
    const inputs: LotRow[] = [];
    for (const id of input.lotIds) inputs.push(await assertOperable(tx, by, locked.get(id), id));
    const custodians = new Set(inputs.map((l) => l.custodianId));
    if (custodians.size > 1) throw new ApiError('conflict', 'lots to merge must all be in one custody');
    const gross = sumGrams(inputs.map((l) => l.grossWeightG));
    const fine = sumGrams(inputs.map((l) => l.fineWeightG));
    const same = <K extends keyof LotRow>(k: K) =>
      new Set(inputs.map((l) => JSON.stringify(l[k]))).size === 1;
    const first = inputs[0] as LotRow;
    const child = await insertChild(
      tx,
      ctx,
      {
        template: first,
        // Gold of several producers has none of its own; the producers stay on its parents.
        producerId: same('producerId') ? first.producerId : null,
        concessionId: same('concessionId') ? first.concessionId : null,
        inheritOrigin: same('origin') && same('extractedOn'),
        grossWeightG: gross,
        fineness: finenessOf(fine, gross),
        fineWeightG: fine,
        form: input.form ?? (same('form') ? first.form : 'granules'),
        custodianId: first.custodianId,
      },
      inputs.map((l) => ({ id: l.id, fineWeightG: l.fineWeightG })),
      'merge',
    );
    await inheritFromParents(tx, by, [child.id]);
    await tx
      .update(lots)
      .set({ status: 'consumed', ...touch })
      .where(
        inArray(
          lots.id,
          inputs.map((l) => l.id),
        ),
      );
    for (const l of inputs) {
      await appendEvent(tx, by, {
        type: 'lot.merged',
        subjectType: 'lot',
        subjectId: l.id,
        payload: { into: child.id, fineWeightG: l.fineWeightG },
      });
    }
    await appendEvent(tx, by, {
      type: 'lot.created_by_merge',
      subjectType: 'lot',
      subjectId: child.id,
      payload: { ...child, parentIds: inputs.map((l) => l.id), grossWeightG: gross, fineWeightG: fine },
    });
    return child.id;
  });
}

/** Refines a lot to a new weight and fineness; the fine gold may only go down (the loss is recorded). */
export async function refineLot(
  db: Db,
  by: Principal,
  id: string,
  input: z.infer<typeof refineSchema>,
  ctx: OpContext,
) {
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
    const child = await insertChild(
      tx,
      ctx,
      {
        template: lot,
        producerId: lot.producerId,
        concessionId: lot.concessionId,
        inheritOrigin: true,
        grossWeightG: input.grossWeightG,
        fineness: input.fineness,
        fineWeightG: fine,
        form: 'bar',
        custodianId: lot.custodianId,
      },
      [{ id: lot.id, fineWeightG: fine }],
      'refine',
    );
    await inheritFromParents(tx, by, [child.id]);
    await tx
      .update(lots)
      .set({ status: 'consumed', ...touch })
      .where(eq(lots.id, id));
    const loss = subtractGrams(lot.fineWeightG, fine);
    await appendEvent(tx, by, {
      type: 'lot.refined',
      subjectType: 'lot',
      subjectId: id,
      payload: {
        into: child.id,
        inputFineWeightG: lot.fineWeightG,
        outputFineWeightG: fine,
        lossFineWeightG: loss,
      },
    });
    await appendEvent(tx, by, {
      type: 'lot.created_by_refine',
      subjectType: 'lot',
      subjectId: child.id,
      payload: {
        ...child,
        parentId: id,
        grossWeightG: input.grossWeightG,
        fineness: input.fineness,
        fineWeightG: fine,
        lossFineWeightG: loss,
      },
    });
    return child.id;
  });
}

export async function exportLot(
  db: Db,
  by: Principal,
  id: string,
  input: z.infer<typeof exportSchema>,
): Promise<string> {
  return db.transaction(async (tx) => {
    await lockOne(tx, by, id);
    await tx
      .update(lots)
      .set({
        status: 'exported',
        exportedOn: input.exportedOn,
        customsDeclaration: input.customsDeclaration,
        destinationCountry: input.destinationCountry,
        ...touch,
      })
      .where(eq(lots.id, id));
    await appendEvent(tx, by, { type: 'lot.exported', subjectType: 'lot', subjectId: id, payload: input });
    return id;
  });
}

/** A regulator seizes a lot; it accepts no further operation. */
export async function seizeLot(
  db: Db,
  by: Principal,
  id: string,
  input: z.infer<typeof seizeSchema>,
): Promise<string> {
  return db.transaction(async (tx) => {
    await lockOne(tx, by, id);
    await tx
      .update(lots)
      .set({ status: 'seized', ...touch })
      .where(and(eq(lots.id, id)));
    await appendEvent(tx, by, { type: 'lot.seized', subjectType: 'lot', subjectId: id, payload: input });
    return id;
  });
}
