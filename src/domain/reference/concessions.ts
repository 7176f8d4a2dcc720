import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, type Queryable, rowsOf } from '../../db/client.js';
import { actors, concessionOperators, concessions } from '../../db/schema/index.js';
import { anyUuid } from '../../db/sql.js';
import { appendEvent } from '../ledger/events.js';
import { rescreenConcession } from '../screening/rescreen.js';
import { daySchema } from '../shared/dates.js';
import { ApiError, notFound } from '../shared/errors.js';
import { type AreaGeometry, areaSchema } from '../shared/geojson.js';
import { newId } from '../shared/ids.js';
import { afterId, type Page, type PageRequest, pageFrom } from '../shared/page.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import type { OverlapFoundAt } from '../shared/vocabulary.js';
import { concessionKinds, concessionStatuses } from '../shared/vocabulary.js';
import { openGeometryVersion } from './concession-geometries.js';
import {
  areaHaSql,
  areaSql,
  asGeoJson,
  asListedArea,
  assertValidArea,
  inBbox,
  type ListDetail,
} from './geometry.js';
import { checkOverlaps, fileOverlapCases, overlapExceptionSchema } from './overlaps.js';
import type { Concession } from './schemas.js';

export type { Concession };

const date = daySchema;

export const newConcessionSchema = z.object({
  code: text({ max: 64 }),
  name: text({ max: 300 }),
  kind: z.enum(concessionKinds),
  holderId: z.uuid().optional(),
  status: z.enum(concessionStatuses),
  grantedOn: date.optional(),
  geometry: areaSchema,
  /** Filing over rights in force (admin only): the legal basis on which they may coexist. */
  overlapException: overlapExceptionSchema.optional(),
});
export type NewConcession = z.infer<typeof newConcessionSchema>;

/** A change to a concession (admin): what the registry learnt since it was recorded. */
export const concessionChangeSchema = z
  .object({
    kind: z.enum(concessionKinds).optional(),
    status: z.enum(concessionStatuses).optional(),
    holderId: z.uuid().nullable().optional(),
    grantedOn: date.nullable().optional(),
    geometry: areaSchema.optional(),
    overlapException: overlapExceptionSchema.optional(),
    geometryValidFrom: date.optional().meta({
      description: 'Day the new geometry takes effect (default today); after the current version began.',
    }),
  })
  .strict()
  .refine((c) => Object.entries(c).some(([k, v]) => k !== 'overlapException' && v !== undefined), {
    message: 'nothing to change: give kind, status, holderId, grantedOn and/or geometry',
  })
  .refine((c) => c.geometryValidFrom === undefined || c.geometry !== undefined, {
    path: ['geometryValidFrom'],
    message: 'geometryValidFrom dates a new geometry: give geometry too',
  });
export type ConcessionChange = z.infer<typeof concessionChangeSchema>;

export const newOperatorSchema = z
  .object({ actorId: z.uuid(), validFrom: date, validTo: date.optional() })
  .refine((o) => !o.validTo || o.validTo >= o.validFrom, {
    path: ['validTo'],
    message: 'validTo is before validFrom',
  });
export type NewOperator = z.infer<typeof newOperatorSchema>;

const concessionColumns = {
  id: concessions.id,
  code: concessions.code,
  name: concessions.name,
  kind: concessions.kind,
  holderId: concessions.holderId,
  status: concessions.status,
  grantedOn: concessions.grantedOn,
  areaHa: concessions.areaHa,
  retiredOn: concessions.retiredOn,
  createdAt: concessions.createdAt,
  geometry: asGeoJson<AreaGeometry>(concessions.geom),
};
export type OperatorRow = typeof concessionOperators.$inferSelect;

const selectConcessions = (
  db: Queryable,
  where: SQL | undefined,
  limit?: number,
  detail: ListDetail = 'full',
) => {
  const q = db
    .select({ ...concessionColumns, geometry: asListedArea(concessions.geom, detail) })
    .from(concessions)
    .where(where)
    .orderBy(asc(concessions.id));
  return limit === undefined ? q : q.limit(limit);
};

async function assertActorExists(db: Queryable, id: string, field: string): Promise<void> {
  const [a] = await db.select({ id: actors.id }).from(actors).where(eq(actors.id, id));
  if (!a) {
    throw new ApiError('unprocessable', `${field} ${id} is not a registered actor`, {
      errors: [{ field, message: 'no such actor' }],
    });
  }
}

export async function createConcession(
  db: Db,
  by: Principal,
  input: NewConcession,
  opts: { foundAt?: OverlapFoundAt } = {},
): Promise<Concession> {
  return db.transaction(async (tx) => {
    await assertValidArea(tx, input.geometry, 'geometry');
    if (input.holderId) await assertActorExists(tx, input.holderId, 'holderId');
    const overlaps = await checkOverlaps(tx, by, input.geometry, { exception: input.overlapException });
    const id = newId();
    const geom = areaSql(input.geometry);
    const inserted = await tx
      .insert(concessions)
      .values({
        id,
        code: input.code,
        name: input.name,
        kind: input.kind,
        holderId: input.holderId ?? null,
        status: input.status,
        grantedOn: input.grantedOn ?? null,
        geom,
        areaHa: areaHaSql(geom),
      })
      .onConflictDoNothing({ target: concessions.code })
      .returning({ id: concessions.id });
    if (inserted.length === 0)
      throw new ApiError('conflict', `a concession with code ${input.code} already exists`);
    const created = await getConcession(tx, id);
    await appendEvent(tx, by, {
      type: 'concession.registered',
      subjectType: 'concession',
      subjectId: id,
      payload: { ...input, areaHa: created.areaHa },
    });
    await fileOverlapCases(
      tx,
      by,
      id,
      overlaps.map((o) => o.concessionId),
      { foundAt: opts.foundAt ?? 'registration', exception: input.overlapException },
    );
    // A new right may overlap a mining concession whose lots were screened before it existed.
    await rescreenConcession(tx, by, id);
    return created;
  });
}

export async function getConcession(db: Queryable, id: string): Promise<Concession> {
  const [row] = await selectConcessions(db, eq(concessions.id, id));
  if (!row) throw notFound('concession', id);
  return row;
}

export async function concessionOperatorsOf(db: Queryable, concessionId: string): Promise<OperatorRow[]> {
  return db
    .select()
    .from(concessionOperators)
    .where(eq(concessionOperators.concessionId, concessionId))
    .orderBy(asc(concessionOperators.validFrom), asc(concessionOperators.id));
}

export async function listConcessions(
  db: Queryable,
  q: PageRequest & {
    kind?: NewConcession['kind'] | undefined;
    bbox?: Parameters<typeof inBbox>[1] | undefined;
    detail: ListDetail;
  },
): Promise<Page<Concession>> {
  const after = afterId(q.cursor);
  const where = and(
    after ? gt(concessions.id, after) : undefined,
    q.kind ? eq(concessions.kind, q.kind) : undefined,
    q.bbox ? inBbox(concessions.geom, q.bbox) : undefined,
  );
  return pageFrom(await selectConcessions(db, where, q.limit + 1, q.detail), q.limit);
}

export async function addOperator(
  db: Db,
  by: Principal,
  concessionId: string,
  input: NewOperator,
): Promise<OperatorRow> {
  return db.transaction(async (tx) => {
    const [c] = await tx
      .select({ id: concessions.id, kind: concessions.kind })
      .from(concessions)
      .where(eq(concessions.id, concessionId));
    if (!c) throw notFound('concession', concessionId);
    if (c.kind !== 'mining') {
      throw new ApiError(
        'unprocessable',
        `concession ${concessionId} is a ${c.kind} concession; operators work mining concessions`,
      );
    }
    await assertActorExists(tx, input.actorId, 'actorId');
    const id = newId();
    const [row] = await tx
      .insert(concessionOperators)
      .values({
        id,
        concessionId,
        actorId: input.actorId,
        validFrom: input.validFrom,
        validTo: input.validTo ?? null,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await appendEvent(tx, by, {
      type: 'concession.operator_added',
      subjectType: 'concession',
      subjectId: concessionId,
      payload: { operatorId: id, ...input },
    });
    return row;
  });
}

/** Retires a concession from a date on: it stays in the registry so history stays explainable. */
export async function retireConcession(
  db: Db,
  by: Principal,
  id: string,
  retiredOn: string,
): Promise<Concession> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ retiredOn: concessions.retiredOn })
      .from(concessions)
      .where(eq(concessions.id, id))
      .for('update');
    if (!current) throw notFound('concession', id);
    // A later date would put the right back in force for a while, past the registry's overlap
    // check (another right may have been filed over it since): retired is retired, and a right
    // coming back is filed again.
    if (current.retiredOn !== null && retiredOn > current.retiredOn) {
      throw new ApiError(
        'conflict',
        `concession ${id} is already retired on ${current.retiredOn}; a later date would put it back in force: file it again instead`,
      );
    }
    await tx.update(concessions).set({ retiredOn }).where(eq(concessions.id, id));
    await appendEvent(tx, by, {
      type: 'concession.retired',
      subjectType: 'concession',
      subjectId: id,
      payload: { retiredOn },
    });
    await rescreenConcession(tx, by, id);
    return getConcession(tx, id);
  });
}

/**
 * Changes a concession's kind, status, holder, grant date and/or geometry (its area recomputed),
 * records `concession.updated` with the values before and after, and re-screens, in the same
 * transaction, the lots that declare it or a concession it now overlaps: a title cancelled or a
 * boundary redrawn raises its flags with the change, or neither happens.
 */
export async function updateConcession(
  db: Db,
  by: Principal,
  id: string,
  change: ConcessionChange,
): Promise<Concession> {
  return db.transaction(async (tx) => {
    // Locked, so two changes of one concession record their before/after one after the other.
    const locked = rowsOf<{ id: string }>(
      await tx.execute(sql`SELECT id FROM concessions WHERE id = ${id} FOR UPDATE`),
    );
    if (locked.length === 0) throw notFound('concession', id);
    const before = await getConcession(tx, id);
    if (change.geometry) await assertValidArea(tx, change.geometry, 'geometry');
    if (change.holderId) await assertActorExists(tx, change.holderId, 'holderId');
    // A new boundary, or a right coming back into force (an expired or cancelled title restored),
    // is checked against the rights in force as a registration is.
    const restored =
      (before.status === 'expired' || before.status === 'cancelled') &&
      (change.status === 'titled' || change.status === 'in_process');
    const checked = change.geometry ?? (restored ? before.geometry : undefined);
    const overlaps = checked
      ? await checkOverlaps(tx, by, checked, { except: id, exception: change.overlapException })
      : [];
    const geom = change.geometry ? areaSql(change.geometry) : undefined;
    // A new geometry is a new version from its day on; the old one stays what lots before it are judged by.
    const versioned = geom ? await openGeometryVersion(tx, id, geom, change.geometryValidFrom) : undefined;
    await tx
      .update(concessions)
      .set({
        ...(change.kind !== undefined ? { kind: change.kind } : {}),
        ...(change.status !== undefined ? { status: change.status } : {}),
        ...(change.holderId !== undefined ? { holderId: change.holderId } : {}),
        ...(change.grantedOn !== undefined ? { grantedOn: change.grantedOn } : {}),
        ...(geom ? { geom, areaHa: areaHaSql(geom) } : {}),
      })
      .where(eq(concessions.id, id));
    const after = await getConcession(tx, id);
    const fields = [
      ...(['kind', 'status', 'holderId', 'grantedOn', 'geometry'] as const).filter(
        (f) => change[f] !== undefined,
      ),
      ...(geom ? (['areaHa'] as const) : []),
    ];
    const pick = (c: Concession) => Object.fromEntries(fields.map((f) => [f, c[f]]));
    await appendEvent(tx, by, {
      type: 'concession.updated',
      subjectType: 'concession',
      subjectId: id,
      payload: {
        before: pick(before),
        after: pick(after),
        ...(versioned ? { geometryVersion: versioned } : {}),
      },
    });
    await fileOverlapCases(
      tx,
      by,
      id,
      overlaps.map((o) => o.concessionId),
      { foundAt: 'registration', exception: change.overlapException },
    );
    await rescreenConcession(tx, by, id);
    return after;
  });
}

/**
 * A point inside each of the concessions `ids` (ST_PointOnSurface, 6 decimals): where a file or
 * a map places what is bound for a concession rather than for a declared point.
 */
export async function pointsInside(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, { type: 'Point'; coordinates: number[] }>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf<{ id: string; point: string }>(
    await db.execute(
      sql`SELECT id, ST_AsGeoJSON(ST_PointOnSurface(geom), 6) AS point FROM concessions WHERE id = ${anyUuid([...ids])}`,
    ),
  );
  return new Map(rows.map((r) => [r.id, JSON.parse(r.point) as { type: 'Point'; coordinates: number[] }]));
}
