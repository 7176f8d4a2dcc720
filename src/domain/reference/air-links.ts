import { asc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Db, Queryable } from '../../db/client.js';
import { airLinks, checkpoints } from '../../db/schema/index.js';
import { appendEvent } from '../ledger/events.js';
import { ApiError, type FieldError } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import type { AirLink } from './schemas.js';

export type { AirLink };

/**
 * A scheduled air link between two airport checkpoints, as whoever manages checkpoints declares
 * it: QR_CLONED then accepts a lot seen at one and, `minMinutes` later, at the other.
 */
export const newAirLinkSchema = z
  .object({
    fromCheckpointId: z.uuid(),
    toCheckpointId: z.uuid(),
    // A day bounds any scheduled domestic flight with its handling many times over.
    minMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .describe(
        'Flight plus handling at both ends, in minutes: the shortest time between a scan at each airport',
      ),
    source: text({ max: 300 }).describe('Where the figure comes from: a timetable, the airport authority'),
    bothWays: z.boolean().default(false).describe('Declare the return link with the same minimum too'),
  })
  .refine((l) => l.fromCheckpointId !== l.toCheckpointId, {
    message: 'an air link joins two different airports',
    path: ['toCheckpointId'],
  });
export type NewAirLink = z.infer<typeof newAirLinkSchema>;

const from = alias(checkpoints, 'from_cp');
const to = alias(checkpoints, 'to_cp');

/** Air links, with their airports' codes; `where` narrows them. */
const selectLinks = (db: Queryable) =>
  db
    .select({
      fromCheckpointId: airLinks.fromCheckpointId,
      fromCheckpointCode: from.code,
      toCheckpointId: airLinks.toCheckpointId,
      toCheckpointCode: to.code,
      minMinutes: airLinks.minMinutes,
      source: airLinks.source,
      createdAt: airLinks.createdAt,
    })
    .from(airLinks)
    .innerJoin(from, eq(from.id, airLinks.fromCheckpointId))
    .innerJoin(to, eq(to.id, airLinks.toCheckpointId));

/**
 * Declares an air link (and its return with `bothWays`), or revises the minimum of one declared
 * before: schedules change. Both ends must be airports (checkpoints of mode `air`); each that is
 * not is named in one 422, and nothing is written. Answers the links as they now stand.
 */
export async function declareAirLink(db: Db, by: Principal, link: NewAirLink): Promise<AirLink[]> {
  return db.transaction(async (tx) => {
    const ends = await tx
      .select({ id: checkpoints.id, code: checkpoints.code, mode: checkpoints.mode })
      .from(checkpoints)
      .where(sql`${checkpoints.id} IN (${link.fromCheckpointId}::uuid, ${link.toCheckpointId}::uuid)`);
    const errors: FieldError[] = [];
    for (const field of ['fromCheckpointId', 'toCheckpointId'] as const) {
      const cp = ends.find((e) => e.id === link[field]);
      if (!cp) errors.push({ field, message: `checkpoint ${link[field]} does not exist` });
      else if (cp.mode !== 'air')
        errors.push({
          field,
          message: `checkpoint ${cp.code} is a ${cp.mode} post, not an airport (mode air)`,
        });
    }
    if (errors.length > 0)
      throw new ApiError('unprocessable', 'an air link joins two airport checkpoints', { errors });
    const pairs = [[link.fromCheckpointId, link.toCheckpointId]];
    if (link.bothWays) pairs.push([link.toCheckpointId, link.fromCheckpointId]);
    await tx
      .insert(airLinks)
      .values(
        pairs.map(([f, t]) => ({
          fromCheckpointId: f as string,
          toCheckpointId: t as string,
          minMinutes: link.minMinutes,
          source: link.source,
        })),
      )
      .onConflictDoUpdate({
        target: [airLinks.fromCheckpointId, airLinks.toCheckpointId],
        set: { minMinutes: link.minMinutes, source: link.source },
      });
    await appendEvent(tx, by, {
      type: 'checkpoint.air_link_declared',
      subjectType: 'checkpoint',
      subjectId: link.fromCheckpointId,
      payload: link,
    });
    return selectLinks(tx)
      .where(
        sql`(${airLinks.fromCheckpointId}, ${airLinks.toCheckpointId}) IN (${sql.join(
          pairs.map(([f, t]) => sql`(${f}::uuid, ${t}::uuid)`),
          sql`, `,
        )})`,
      )
      .orderBy(asc(from.code), asc(to.code));
  });
}

/** Every known air link (a handful: the airports of the fiscal routes), by airport codes. */
export async function listAirLinks(db: Queryable): Promise<{ items: AirLink[] }> {
  return { items: await selectLinks(db).orderBy(asc(from.code), asc(to.code)) };
}
