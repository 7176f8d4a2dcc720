import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../../db/client.js';
import { zones } from '../../db/schema/index.js';
import { appendEvent } from '../ledger/events.js';
import { rescreenZone } from '../screening/rescreen.js';
import { daySchema } from '../shared/dates.js';
import { ApiError, notFound } from '../shared/errors.js';
import { type AreaGeometry, areaSchema } from '../shared/geojson.js';
import { newId } from '../shared/ids.js';
import { afterId, type Page, type PageRequest, pageFrom } from '../shared/page.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import { permittedUses, zoneKinds } from '../shared/vocabulary.js';
import { areaSql, asGeoJson, asListedArea, assertValidArea, inBbox, type ListDetail } from './geometry.js';
import type { Zone } from './schemas.js';

export type { Zone };

const date = daySchema;

export const newZoneSchema = z
  .object({
    name: text({ max: 300 }),
    kind: z.enum(zoneKinds),
    legalBasis: text({ max: 500 }),
    validFrom: date,
    validTo: date.optional(),
    geometry: areaSchema,
    region: text({ max: 100 }).optional().meta({
      description: 'mining_corridor only: the department it is declared for (INEI name, e.g. MADRE DE DIOS).',
    }),
    permittedUses: z
      .array(z.enum(permittedUses))
      .min(1)
      .max(permittedUses.length)
      .refine((u) => new Set(u).size === u.length, { message: 'a use is listed twice' })
      .optional()
      .meta({ description: 'micro_zoning only: the uses the unit permits.' }),
  })
  .refine((z) => !z.validTo || z.validTo >= z.validFrom, {
    path: ['validTo'],
    message: 'validTo is before validFrom',
  })
  .refine((z) => (z.kind === 'mining_corridor') === (z.region !== undefined), {
    path: ['region'],
    message: 'a mining_corridor names its region (department); other kinds do not',
  })
  .refine((z) => (z.kind === 'micro_zoning') === (z.permittedUses !== undefined), {
    path: ['permittedUses'],
    message: 'a micro_zoning unit lists its permitted uses; other kinds do not',
  });
export type NewZone = z.infer<typeof newZoneSchema>;

const zoneColumns = {
  id: zones.id,
  name: zones.name,
  kind: zones.kind,
  legalBasis: zones.legalBasis,
  validFrom: zones.validFrom,
  validTo: zones.validTo,
  sourceRef: zones.sourceRef,
  region: zones.region,
  permittedUses: zones.permittedUses,
  createdAt: zones.createdAt,
  geometry: asGeoJson<AreaGeometry>(zones.geom),
};

/**
 * Records a zone. With a `sourceRef` (bulk import), a zone already imported under that
 * reference is left as it is and `created` is false, so re-running an import changes nothing.
 */
export async function createZone(
  db: Db,
  by: Principal,
  input: NewZone,
  opts: { sourceRef?: string } = {},
): Promise<{ zone: Zone; created: boolean }> {
  return db.transaction(async (tx) => {
    await assertValidArea(tx, input.geometry, 'geometry');
    const id = newId();
    const inserted = await tx
      .insert(zones)
      .values({
        id,
        name: input.name,
        kind: input.kind,
        legalBasis: input.legalBasis,
        validFrom: input.validFrom,
        validTo: input.validTo ?? null,
        geom: areaSql(input.geometry),
        sourceRef: opts.sourceRef ?? null,
        region: input.region?.toUpperCase() ?? null,
        permittedUses: input.permittedUses ?? null,
      })
      .onConflictDoNothing({ target: zones.sourceRef })
      .returning({ id: zones.id });
    if (inserted.length === 0) {
      const [existing] = await tx
        .select({ id: zones.id })
        .from(zones)
        .where(eq(zones.sourceRef, opts.sourceRef ?? ''));
      if (!existing) throw new ApiError('conflict', 'zone could not be recorded');
      return { zone: await getZone(tx, existing.id), created: false };
    }
    await appendEvent(tx, by, {
      type: 'zone.registered',
      subjectType: 'zone',
      subjectId: id,
      payload: { ...input, ...(opts.sourceRef ? { sourceRef: opts.sourceRef } : {}) },
    });
    await rescreenZone(tx, by, id);
    return { zone: await getZone(tx, id), created: true };
  });
}

export async function getZone(db: Queryable, id: string): Promise<Zone> {
  const [row] = await db.select(zoneColumns).from(zones).where(eq(zones.id, id));
  if (!row) throw notFound('zone', id);
  return row;
}

export async function listZones(
  db: Queryable,
  q: PageRequest & {
    kind?: NewZone['kind'] | undefined;
    bbox?: Parameters<typeof inBbox>[1] | undefined;
    detail: ListDetail;
  },
): Promise<Page<Zone>> {
  const after = afterId(q.cursor);
  const rows = await db
    .select({ ...zoneColumns, geometry: asListedArea(zones.geom, q.detail) })
    .from(zones)
    .where(
      and(
        after ? gt(zones.id, after) : undefined,
        q.kind ? eq(zones.kind, q.kind) : undefined,
        q.bbox ? inBbox(zones.geom, q.bbox) : undefined,
      ),
    )
    .orderBy(asc(zones.id))
    .limit(q.limit + 1);
  return pageFrom(rows, q.limit);
}

/** Ends a zone's validity on `validTo`; the zone stays, so earlier screenings stay explainable. */
export async function retireZone(db: Db, by: Principal, id: string, validTo: string): Promise<Zone> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(zones)
      .set({ validTo })
      .where(and(eq(zones.id, id), sql`${zones.validFrom} <= ${validTo}`))
      .returning({ id: zones.id });
    if (!row) {
      await getZone(tx, id); // 404 when it does not exist
      throw new ApiError('unprocessable', `validTo ${validTo} is before the zone's validFrom`, {
        errors: [{ field: 'validTo', message: 'before validFrom' }],
      });
    }
    await appendEvent(tx, by, {
      type: 'zone.retired',
      subjectType: 'zone',
      subjectId: id,
      payload: { validTo },
    });
    await rescreenZone(tx, by, id);
    return getZone(tx, id);
  });
}
