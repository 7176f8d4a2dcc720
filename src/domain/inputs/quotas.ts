import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { movements } from '../../db/schema/index.js';
import { getActorRow, registrationAt } from '../reference/actors.js';
import { daySchema, earliestDay, latestDay } from '../shared/dates.js';
import { ApiError } from '../shared/errors.js';
import { fromMilli, toMilli } from '../shared/grams.js';
import type { Principal } from '../shared/principal.js';
import { type ControlledInput, controlledInputs, type InputUnit } from '../shared/vocabulary.js';
import type { QuotaReport } from './schemas.js';

export const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM')
  .refine((m) => daySchema.safeParse(`${m}-01`).success, {
    error: () => `must be a month between ${earliestDay.slice(0, 7)} and ${latestDay().slice(0, 7)}`,
  })
  .describe('A calendar month in UTC; default: the current one');

/** The unit each input is counted in (as quotas and movements declare it). */
const unitOf = (input: ControlledInput): InputUnit => (input === 'mercury' ? 'kg' : 'L');

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The UTC bounds of a month: [start, end). */
function monthBounds(month: string): { start: Date; end: Date } {
  const [y = 0, m = 1] = month.split('-').map(Number);
  return { start: new Date(Date.UTC(y, m - 1, 1)), end: new Date(Date.UTC(y, m, 1)) };
}

export const currentMonth = (now = new Date()) => now.toISOString().slice(0, 7);

/** Exporters read only their own quotas; regulators and admins read anyone's. */
export function assertMayReadQuotas(by: Principal, actorId: string): void {
  if (by.role === 'exporter' && by.actorId !== actorId) {
    throw new ApiError('forbidden', 'an exporter reads only its own quotas');
  }
}

/**
 * Per controlled input, what an actor may receive in a month against what it received as
 * consignee: the numbers the over-quota rule works with.
 *
 * The quota is that of the controlled-inputs registration in force on the month's reference day:
 * today for the current month, the last day for a past one (where the month ended), the first
 * day for a future one. A registration that is suspended or revoked authorizes nothing, so its
 * quotas count as zero; an input without a quota has zero too. Quantities are summed in
 * PostgreSQL numeric and subtracted in integer thousandths: never in floats.
 */
export async function quotaReport(db: Queryable, actorId: string, month: string): Promise<QuotaReport> {
  await getActorRow(db, actorId);
  const { start, end } = monthBounds(month);
  const last = new Date(end.getTime() - 86_400_000);
  const now = new Date();
  const reference = now < start ? start : now > last ? last : now;
  const registration = await registrationAt(db, actorId, 'controlled_inputs', isoDay(reference));

  // A movement draws on the month it is declared in, from its declaration (as a permit would):
  // received counts every movement to the actor declared in the month, delivered or still on its
  // way, except seized ones, which never reached it.
  const sums = await db
    .select({ input: movements.input, received: sql<string>`sum(${movements.quantity})::text` })
    .from(movements)
    .where(
      and(
        eq(movements.consigneeId, actorId),
        sql`${movements.declaredAt} >= ${start.toISOString()}`,
        sql`${movements.declaredAt} < ${end.toISOString()}`,
        ne(movements.status, 'seized'),
      ),
    )
    .groupBy(movements.input);

  const authorized = registration?.status === 'authorized';
  return {
    actorId,
    month,
    from: start,
    to: end,
    registration: registration
      ? {
          id: registration.id,
          status: registration.status,
          validFrom: registration.validFrom,
          validTo: registration.validTo,
        }
      : null,
    quotas: controlledInputs.map((input) => {
      const granted = authorized ? registration.quotas.find((q) => q.input === input)?.monthly : undefined;
      const quota = toMilli(granted ?? '0');
      const received = toMilli(sums.find((s) => s.input === input)?.received ?? '0');
      return {
        input,
        unit: unitOf(input),
        quota: fromMilli(quota),
        received: fromMilli(received),
        remaining: fromMilli(quota - received),
        registrationId: registration?.id ?? null,
      };
    }),
  };
}
