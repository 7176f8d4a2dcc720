import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../../db/client.js';
import { actorCategories, actors } from '../../db/schema/index.js';
import { appendEvent } from '../ledger/events.js';
import { rescreenActorCategory } from '../screening/rescreen.js';
import { daySchema } from '../shared/dates.js';
import { ApiError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import { minerCategories, miningMethods } from '../shared/vocabulary.js';

/**
 * A miner's legal category (productor minero artesanal, pequeño productor minero, régimen
 * general) and mining method, as history with validity dates like registrations: the capacity
 * rule reads the ceiling of the category in force, MINING_METHOD_FORBIDDEN the method.
 */

export const newMinerCategorySchema = z
  .object({
    category: z.enum(minerCategories),
    miningMethod: z.enum(miningMethods).optional(),
    validFrom: daySchema,
    validTo: daySchema.optional(),
  })
  .strict()
  .refine((c) => !c.validTo || c.validTo >= c.validFrom, {
    path: ['validTo'],
    message: 'validTo is before validFrom',
  });
export type NewMinerCategory = z.infer<typeof newMinerCategorySchema>;

export type MinerCategoryRow = typeof actorCategories.$inferSelect;

/**
 * Appends a category to an actor's history, closing the one in force from the day the new one
 * starts; one dated before the latest is refused (409), as registrations are: history is appended
 * in order, never rewritten. The actor must mine. Its lots are screened again in the same
 * transaction, by the rules that read categories.
 */
export async function addMinerCategory(
  db: Db,
  by: Principal,
  actorId: string,
  input: NewMinerCategory,
): Promise<MinerCategoryRow> {
  return db.transaction(async (tx) => {
    // The same advisory lock as registrations: one actor's history is appended one at a time.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('orotrace:actor:' || ${actorId}))`);
    const [actor] = await tx.select({ kinds: actors.kinds }).from(actors).where(eq(actors.id, actorId));
    if (!actor) throw notFound('actor', actorId);
    if (!actor.kinds.includes('miner')) {
      throw new ApiError('unprocessable', `actor ${actorId} is not a miner: a category is a miner's`, {
        errors: [{ field: 'category', message: 'the actor has no kind miner' }],
      });
    }
    const [latest] = await tx
      .select()
      .from(actorCategories)
      .where(eq(actorCategories.actorId, actorId))
      .orderBy(sql`${actorCategories.validFrom} DESC`, sql`${actorCategories.id} DESC`)
      .limit(1);
    if (latest && latest.validFrom >= input.validFrom) {
      throw new ApiError(
        'conflict',
        `this actor's category history already has an entry from ${latest.validFrom}; categories are appended in date order`,
      );
    }
    if (latest && (latest.validTo === null || latest.validTo > input.validFrom)) {
      await tx
        .update(actorCategories)
        .set({ validTo: input.validFrom })
        .where(eq(actorCategories.id, latest.id));
    }
    const id = newId();
    const [row] = await tx
      .insert(actorCategories)
      .values({
        id,
        actorId,
        category: input.category,
        miningMethod: input.miningMethod ?? null,
        validFrom: input.validFrom,
        validTo: input.validTo ?? null,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await appendEvent(tx, by, {
      type: 'actor.category_recorded',
      subjectType: 'actor',
      subjectId: actorId,
      payload: { categoryId: id, ...input, ...(latest ? { closes: latest.id } : {}) },
    });
    await rescreenActorCategory(tx, by, actorId);
    return row;
  });
}

/** An actor's category history, oldest first. */
export async function minerCategoriesOf(db: Queryable, actorId: string): Promise<MinerCategoryRow[]> {
  return db
    .select()
    .from(actorCategories)
    .where(eq(actorCategories.actorId, actorId))
    .orderBy(asc(actorCategories.validFrom), asc(actorCategories.id));
}
