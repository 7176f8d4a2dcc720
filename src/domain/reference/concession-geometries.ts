import { asc, eq, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Queryable, rowsOf } from '../../db/client.js';
import { concessionGeometries } from '../../db/schema/index.js';
import { today } from '../shared/dates.js';
import { ApiError } from '../shared/errors.js';
import { type AreaGeometry, areaSchema } from '../shared/geojson.js';
import { newId } from '../shared/ids.js';
import { areaHaSql, asGeoJson } from './geometry.js';

/**
 * A right's geometry as history (db concession_geometries): version 1 from the start of the
 * record, each change closing the version in force and opening the next. Screening judges a lot
 * against the version in force on its extraction date (versionInForce); provenance names it.
 */

export const geometryVersionSchema = z.object({
  version: z.number().int(),
  validFrom: z
    .string()
    .nullable()
    .meta({ description: 'First day in force; null: from the start of the record.' }),
  validTo: z.string().nullable().meta({ description: 'First day no longer in force; null: in force.' }),
  areaHa: z.string(),
  geometry: areaSchema,
  createdAt: z.date(),
});
export type GeometryVersion = z.output<typeof geometryVersionSchema>;

/** Every version of a right's geometry, oldest first. */
export async function geometryVersionsOf(db: Queryable, concessionId: string): Promise<GeometryVersion[]> {
  return db
    .select({
      version: concessionGeometries.version,
      validFrom: concessionGeometries.validFrom,
      validTo: concessionGeometries.validTo,
      areaHa: concessionGeometries.areaHa,
      geometry: asGeoJson<AreaGeometry>(concessionGeometries.geom),
      createdAt: concessionGeometries.createdAt,
    })
    .from(concessionGeometries)
    .where(eq(concessionGeometries.concessionId, concessionId))
    .orderBy(asc(concessionGeometries.version));
}

/**
 * The version of concession `concession` (SQL, a uuid) in force on `day` (SQL, a date; null: the
 * open one), as a subquery for `CROSS JOIN LATERAL (…) v` / `LEFT JOIN LATERAL (…) v ON true`:
 * yields version, valid_from, valid_to, geom, area_ha.
 */
export const versionInForce = (concession: SQL, day: SQL): SQL => sql`
  SELECT cg.version, cg.valid_from, cg.valid_to, cg.geom, cg.area_ha
    FROM concession_geometries cg
   WHERE cg.concession_id = ${concession}
     AND CASE WHEN (${day})::date IS NULL THEN cg.valid_to IS NULL
              ELSE (cg.valid_from IS NULL OR cg.valid_from <= (${day})::date)
                   AND (cg.valid_to IS NULL OR cg.valid_to > (${day})::date) END
   ORDER BY cg.version DESC
   LIMIT 1`;

/**
 * Opens a new version of a right's geometry from `validFrom` (today if not given), closing the
 * one in force on that day. History is not rewritten: a change may not start on or before the
 * day the version in force started (to correct a boundary over a period already judged, record
 * the correction from the day it takes effect), nor in the future (the in-force copy
 * `concessions.geom` would be wrong until then). The caller holds the concession's row lock, so
 * two changes of one right open their versions one after the other.
 */
export async function openGeometryVersion(
  tx: Queryable,
  concessionId: string,
  geom: SQL,
  validFrom: string | undefined,
): Promise<{ version: number; validFrom: string; closed: { version: number; validFrom: string | null } }> {
  const day = today();
  const from = validFrom ?? day;
  if (from > day) {
    throw new ApiError('unprocessable', `geometryValidFrom ${from} is in the future (today is ${day})`, {
      errors: [{ field: 'geometryValidFrom', message: 'a geometry takes effect today or earlier' }],
    });
  }
  const [open] = rowsOf<{ version: number; valid_from: string | null; since: string }>(
    await tx.execute(sql`SELECT g.version, to_char(g.valid_from, 'YYYY-MM-DD') AS valid_from,
                                to_char(coalesce(c.granted_on, (c.created_at AT TIME ZONE 'UTC')::date), 'YYYY-MM-DD') AS since
                           FROM concession_geometries g JOIN concessions c ON c.id = g.concession_id
                          WHERE g.concession_id = ${concessionId} AND g.valid_to IS NULL`),
  );
  if (!open) throw new Error(`concession ${concessionId} has no open geometry version`);
  // The first version runs from the grant (or, with no grant date, from the day the right was
  // recorded): a change dated earlier would re-judge by the new shape gold extracted before it
  // was ever drawn so.
  if (open.valid_from === null && from < open.since) {
    throw new ApiError(
      'unprocessable',
      `geometryValidFrom ${from} is before ${open.since}, since when the right's first geometry is on record: history is not rewritten`,
      { errors: [{ field: 'geometryValidFrom', message: `must be on or after ${open.since}` }] },
    );
  }
  // A second change, today, to a version that took effect today (a correction, a reduction right
  // after a redraw) supersedes it: it closes on its first day, never in force on any day, kept in
  // the history as superseded. A version that began on an earlier day has judged lots: a change
  // must come after it.
  const supersedesToday = open.valid_from !== null && from === open.valid_from && from === day;
  if (open.valid_from !== null && from <= open.valid_from && !supersedesToday) {
    throw new ApiError(
      'unprocessable',
      `geometryValidFrom ${from} is not after ${open.valid_from}, the day version ${open.version} of this right's geometry took effect: history is not rewritten`,
      { errors: [{ field: 'geometryValidFrom', message: `must be after ${open.valid_from}` }] },
    );
  }
  await tx
    .update(concessionGeometries)
    .set({ validTo: from })
    .where(
      sql`${concessionGeometries.concessionId} = ${concessionId} AND ${concessionGeometries.validTo} IS NULL`,
    );
  const version = open.version + 1;
  await tx.insert(concessionGeometries).values({
    id: newId(),
    concessionId,
    version,
    validFrom: from,
    validTo: null,
    geom,
    areaHa: areaHaSql(geom),
  });
  return { version, validFrom: from, closed: { version: open.version, validFrom: open.valid_from } };
}
