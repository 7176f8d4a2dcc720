import { and, asc, eq, gt, ilike, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../../db/client.js';
import { actors, registrations } from '../../db/schema/index.js';
import { appendEvent } from '../ledger/events.js';
import { rescreenActor } from '../screening/rescreen.js';
import { boundedArray } from '../shared/bounded.js';
import { daySchema } from '../shared/dates.js';
import { decimal3 } from '../shared/decimal-schemas.js';
import { ApiError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { afterId, type Page, type PageRequest, pageFrom } from '../shared/page.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import { actorKinds, controlledInputs, registries } from '../shared/vocabulary.js';
import { minerCategoriesOf } from './miner-categories.js';
import type { ActorDetail } from './schemas.js';

export const newActorSchema = z.object({
  taxId: text({ max: 20 }).regex(
    /^[0-9A-Za-z-]{8,20}$/,
    'a tax id (RUC) is 8 to 20 letters, digits or dashes',
  ),
  name: text({ max: 300 }),
  kinds: boundedArray(z.enum(actorKinds), actorKinds.length, 'kinds').min(1, 'at least one kind'),
});
export type NewActor = z.infer<typeof newActorSchema>;

const dateSchema = daySchema;

const quotaSchema = z
  .object({
    input: z.enum(controlledInputs),
    monthly: decimal3,
    unit: z.enum(['kg', 'L']),
  })
  .refine((q) => (q.input === 'mercury' ? q.unit === 'kg' : q.unit === 'L'), {
    message: 'mercury is counted in kg, diesel and gasoline in L',
    path: ['unit'],
  });

const period = { validFrom: dateSchema, validTo: dateSchema.optional() };

/** One registration, its statuses depending on the registry (DESIGN "API contract"). */
export const newRegistrationSchema = z
  .discriminatedUnion('registry', [
    z.object({
      registry: z.literal('formalization'),
      status: z.enum(['none', 'in_process', 'formalized', 'suspended', 'revoked']),
      step: z.number().int().min(1).max(5).optional(),
      ...period,
    }),
    z.object({
      registry: z.literal('trader'),
      status: z.enum(['registered', 'suspended', 'revoked']),
      ...period,
    }),
    z.object({
      registry: z.literal('controlled_inputs'),
      status: z.enum(['authorized', 'suspended', 'revoked']),
      quotas: boundedArray(quotaSchema, controlledInputs.length, 'quotas').default([]),
      ...period,
    }),
  ])
  .superRefine((r, ctx) => {
    if (r.registry === 'formalization') {
      if (r.status === 'in_process' && r.step === undefined)
        ctx.addIssue({ code: 'custom', path: ['step'], message: 'step 1-5 is required while in_process' });
      if (r.status !== 'in_process' && r.step !== undefined)
        ctx.addIssue({ code: 'custom', path: ['step'], message: 'step applies only to in_process' });
    }
    if (r.validTo && r.validTo < r.validFrom)
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'validTo is before validFrom' });
    if (r.registry === 'controlled_inputs') {
      const inputs = r.quotas.map((q) => q.input);
      if (new Set(inputs).size !== inputs.length)
        ctx.addIssue({ code: 'custom', path: ['quotas'], message: 'one quota per input' });
    }
  });
export type NewRegistration = z.infer<typeof newRegistrationSchema>;

export type ActorRow = typeof actors.$inferSelect;
export type RegistrationRow = typeof registrations.$inferSelect;

export async function createActor(db: Db, by: Principal, input: NewActor): Promise<ActorRow> {
  return db.transaction(async (tx) => {
    const id = newId();
    const kinds = [...new Set(input.kinds)];
    const [row] = await tx
      .insert(actors)
      .values({ id, taxId: input.taxId, name: input.name, kinds })
      .onConflictDoNothing({ target: actors.taxId })
      .returning();
    if (!row) throw new ApiError('conflict', `an actor with tax id ${input.taxId} already exists`);
    await appendEvent(tx, by, {
      type: 'actor.registered',
      subjectType: 'actor',
      subjectId: id,
      payload: { ...input, kinds },
    });
    return row;
  });
}

export async function getActorRow(db: Queryable, id: string): Promise<ActorRow> {
  const [row] = await db.select().from(actors).where(eq(actors.id, id));
  if (!row) throw notFound('actor', id);
  return row;
}

async function registrationHistory(db: Queryable, actorId: string): Promise<RegistrationRow[]> {
  return db
    .select()
    .from(registrations)
    .where(eq(registrations.actorId, actorId))
    .orderBy(asc(registrations.registry), asc(registrations.validFrom), asc(registrations.id));
}

export async function listActors(
  db: Queryable,
  q: PageRequest & { kind?: ActorRow['kinds'][number] | undefined; q?: string | undefined },
): Promise<Page<ActorRow>> {
  const after = afterId(q.cursor);
  const where: (SQL | undefined)[] = [after ? gt(actors.id, after) : undefined];
  if (q.kind) where.push(sql`${q.kind} = ANY(${actors.kinds})`);
  if (q.q) {
    const pattern = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(or(ilike(actors.name, pattern), ilike(actors.taxId, pattern)));
  }
  const rows = await db
    .select()
    .from(actors)
    .where(and(...where))
    .orderBy(asc(actors.id))
    .limit(q.limit + 1);
  return pageFrom(rows, q.limit);
}

/**
 * Appends a registration to the actor's history for that registry. The open registration it
 * follows is closed on the day the new one starts; a registration dated before the latest one
 * is refused, because history is appended in order, never rewritten.
 */
export async function addRegistration(
  db: Db,
  by: Principal,
  actorId: string,
  input: NewRegistration,
): Promise<RegistrationRow> {
  return db.transaction(async (tx) => {
    // Two registrations of one actor are appended one after the other: a lock on the actor's id
    // (advisory: the application's role may not lock rows of a table it does not update).
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('orotrace:actor:' || ${actorId}))`);
    const [actor] = await tx.select({ id: actors.id }).from(actors).where(eq(actors.id, actorId));
    if (!actor) throw notFound('actor', actorId);
    const [latest] = await tx
      .select()
      .from(registrations)
      .where(and(eq(registrations.actorId, actorId), eq(registrations.registry, input.registry)))
      .orderBy(sql`${registrations.validFrom} DESC`, sql`${registrations.id} DESC`)
      .limit(1);
    if (latest && latest.validFrom > input.validFrom) {
      throw new ApiError(
        'conflict',
        `the ${input.registry} history of this actor already has a registration from ${latest.validFrom}; registrations are appended in date order`,
      );
    }
    if (latest && (latest.validTo === null || latest.validTo > input.validFrom)) {
      await tx.update(registrations).set({ validTo: input.validFrom }).where(eq(registrations.id, latest.id));
    }
    const id = newId();
    const [row] = await tx
      .insert(registrations)
      .values({
        id,
        actorId,
        registry: input.registry,
        status: input.status,
        step: input.registry === 'formalization' ? (input.step ?? null) : null,
        validFrom: input.validFrom,
        validTo: input.validTo ?? null,
        quotas: input.registry === 'controlled_inputs' ? input.quotas : [],
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await appendEvent(tx, by, {
      type: 'actor.registration_recorded',
      subjectType: 'actor',
      subjectId: actorId,
      payload: { registrationId: id, ...input, ...(latest ? { closes: latest.id } : {}) },
    });
    // "What was the status at the time of the event" has a new answer for the actor's lots and
    // movements dated from validFrom on: a revocation flags what was registered after it.
    await rescreenActor(tx, by, actorId);
    return row;
  });
}

/** The registration of `registry` in force on `on` (YYYY-MM-DD), if any: what rules ask. */
export async function registrationAt(
  db: Queryable,
  actorId: string,
  registry: RegistrationRow['registry'],
  on: string,
): Promise<RegistrationRow | undefined> {
  const [row] = await db
    .select()
    .from(registrations)
    .where(
      and(
        eq(registrations.actorId, actorId),
        eq(registrations.registry, registry),
        sql`${registrations.validFrom} <= ${on}`,
        sql`(${registrations.validTo} IS NULL OR ${registrations.validTo} > ${on})`,
      ),
    )
    .orderBy(sql`${registrations.validFrom} DESC`, sql`${registrations.id} DESC`)
    .limit(1);
  return row;
}

/** An actor with its whole registration history and, per registry, the registration in force today. */
export async function getActor(db: Queryable, id: string): Promise<ActorDetail> {
  const actor = await getActorRow(db, id);
  const today = new Date().toISOString().slice(0, 10);
  const [history, categories, ...current] = await Promise.all([
    registrationHistory(db, id),
    minerCategoriesOf(db, id),
    ...registries.map((r) => registrationAt(db, id, r, today)),
  ]);
  const category = categories.findLast(
    (c) => c.validFrom <= today && (c.validTo === null || c.validTo > today),
  );
  return {
    ...actor,
    registrations: history,
    current: Object.fromEntries(registries.map((r, i) => [r, current[i] ?? null])),
    category: category?.category ?? 'none',
    miningMethod: category?.miningMethod ?? null,
    categories,
  };
}
