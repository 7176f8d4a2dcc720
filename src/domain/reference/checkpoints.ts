import { and, asc, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../../db/client.js';
import { checkpoints } from '../../db/schema/index.js';
import { appendEvent } from '../ledger/events.js';
import { boundedArray } from '../shared/bounded.js';
import { ApiError, notFound } from '../shared/errors.js';
import { type PointGeometry, pointSchema } from '../shared/geojson.js';
import { newId } from '../shared/ids.js';
import { afterId, type Page, type PageRequest, pageFrom } from '../shared/page.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import { travelModes } from '../shared/vocabulary.js';
import { asGeoJson, pointSql } from './geometry.js';
import type { Checkpoint } from './schemas.js';

export type { Checkpoint };

export const newCheckpointSchema = z.object({
  code: text({ max: 64 }),
  name: text({ max: 300 }),
  location: pointSchema,
  // A post sits on a handful of fiscal routes; 50 is far above any real one.
  routes: boundedArray(text({ max: 120 }), 50, 'routes').min(
    1,
    'a checkpoint sits on at least one fiscal route',
  ),
  mode: z
    .enum(travelModes)
    .default('road')
    .describe(
      'How goods reach and leave the post (road control, river port, airport): sets the travel speeds QR_CLONED allows',
    ),
});
/** What a caller gives: the mode may be left out (a road post). */
export type NewCheckpoint = z.input<typeof newCheckpointSchema>;

const checkpointColumns = {
  id: checkpoints.id,
  code: checkpoints.code,
  name: checkpoints.name,
  routes: checkpoints.routes,
  mode: checkpoints.mode,
  retiredOn: checkpoints.retiredOn,
  createdAt: checkpoints.createdAt,
  location: asGeoJson<PointGeometry>(checkpoints.location),
};

export async function createCheckpoint(db: Db, by: Principal, input: NewCheckpoint): Promise<Checkpoint> {
  return db.transaction(async (tx) => {
    const id = newId();
    const routes = [...new Set(input.routes)];
    const mode = input.mode ?? 'road';
    const inserted = await tx
      .insert(checkpoints)
      .values({
        id,
        code: input.code,
        name: input.name,
        location: pointSql(input.location),
        routes,
        mode,
      })
      .onConflictDoNothing({ target: checkpoints.code })
      .returning({ id: checkpoints.id });
    if (inserted.length === 0)
      throw new ApiError('conflict', `a checkpoint with code ${input.code} already exists`);
    await appendEvent(tx, by, {
      type: 'checkpoint.registered',
      subjectType: 'checkpoint',
      subjectId: id,
      payload: { ...input, routes, mode },
    });
    return getCheckpoint(tx, id);
  });
}

export async function getCheckpoint(db: Queryable, id: string): Promise<Checkpoint> {
  const [row] = await db.select(checkpointColumns).from(checkpoints).where(eq(checkpoints.id, id));
  if (!row) throw notFound('checkpoint', id);
  return row;
}

export async function listCheckpoints(db: Queryable, q: PageRequest): Promise<Page<Checkpoint>> {
  const after = afterId(q.cursor);
  const rows = await db
    .select(checkpointColumns)
    .from(checkpoints)
    .where(and(after ? gt(checkpoints.id, after) : undefined))
    .orderBy(asc(checkpoints.id))
    .limit(q.limit + 1);
  return pageFrom(rows, q.limit);
}

export async function retireCheckpoint(
  db: Db,
  by: Principal,
  id: string,
  retiredOn: string,
): Promise<Checkpoint> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(checkpoints)
      .set({ retiredOn })
      .where(eq(checkpoints.id, id))
      .returning({ id: checkpoints.id });
    if (!row) throw notFound('checkpoint', id);
    await appendEvent(tx, by, {
      type: 'checkpoint.retired',
      subjectType: 'checkpoint',
      subjectId: id,
      payload: { retiredOn },
    });
    return getCheckpoint(tx, id);
  });
}
