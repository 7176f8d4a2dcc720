import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Queryable, rowsOf } from '../../db/client.js';
import { appendEvent } from '../ledger/events.js';
import { ApiError } from '../shared/errors.js';
import type { AreaGeometry } from '../shared/geojson.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import type { OverlapFoundAt } from '../shared/vocabulary.js';
import { areaHaSql, areaSql, assertValidArea } from './geometry.js';

/**
 * The registry that prevents overlaps: a right registered, or redrawn, is measured in PostGIS
 * against every right in force (GiST `&&` then the exact test, areas on the spheroid), and an
 * overlap is refused unless an admin records, in the same request, the legal basis on which the
 * two may coexist. Such an overlap is then filed as a case (overlap-cases.ts) for an authority
 * to decide.
 */

/**
 * Overlaps below these are slivers of digitising, not claims on the same ground: an edge two
 * neighbours share, drawn from different surveys (PSAD56 → WGS84 shifts of a few metres,
 * INGEMMET's cadastre itself keeps coordinates to the metre), leaves strips of about 1 m along it.
 * 0.01 ha (100 m²) is a 1 m strip along 100 m; 0.1 % of the smaller right is a 1 m strip along
 * the whole edge of a square right (4 × side × 1 m over side² is 0.1 % at side ≈ 4 km).
 */
const sliverHa = 0.01;
const sliverShare = 0.001;

/**
 * What a legal exception must carry: the basis on which the law lets two rights share ground —
 * e.g. a mining concession is a property distinct from the land it lies under (T.U.O. de la Ley
 * General de Minería, D.S. 014-92-EM, art. 9), and the forestry regulation (D.S. 018-2015-MINAGRI)
 * admits other rights over a forestry or chestnut title under conditions — or the holders' prior
 * agreement. It is named by the admin, never assumed.
 */
export const overlapExceptionSchema = z
  .object({
    legalBasis: text({ min: 5, max: 2000, multiline: true }),
    note: text({ max: 2000, multiline: true }).optional(),
  })
  .strict();
export type OverlapException = z.infer<typeof overlapExceptionSchema>;

export const overlapSchema = z.object({
  concessionId: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  holderId: z.uuid().nullable(),
  holderName: z.string().nullable(),
  /** Hectares, 4 decimals, as a string (as areaHa). */
  overlapHa: z.string(),
  /** The overlap as a fraction of the right being filed (0–1, 4 decimals). */
  shareOfFiled: z.string(),
  /** The overlap as a fraction of the right in force it overlaps. */
  shareOfOther: z.string(),
});
export type Overlap = z.infer<typeof overlapSchema>;

/** A right is in force while not retired and neither expired nor cancelled (annulled). */
export const inForce = (alias: string): SQL =>
  sql.raw(
    `(${alias}.retired_on IS NULL OR ${alias}.retired_on > current_date) AND ${alias}.status NOT IN ('expired', 'cancelled')`,
  );

/** An overlap beyond the sliver tolerance, given its area and the two rights' areas (m²). */
export const beyondSliver = (overlapM2: SQL, aM2: SQL, bM2: SQL): SQL =>
  sql`(${overlapM2} >= ${sliverHa * 10_000}::float8 AND ${overlapM2} >= ${sliverShare}::float8 * least(${aM2}, ${bM2}))`;

/**
 * The rights in force that `geom` overlaps beyond the sliver tolerance, largest overlap first;
 * `except` (the right being redrawn) is never its own overlap.
 */
async function overlapsOf(db: Queryable, geom: SQL, except?: string): Promise<Overlap[]> {
  const rows = rowsOf<Overlap>(
    await db.execute(sql`
      WITH filed AS (SELECT g, ST_Area(g::geography) AS area_m2 FROM (SELECT ${geom} AS g) s)
      SELECT o.id AS "concessionId", o.code, o.name, o.kind, o.status,
             o.holder_id AS "holderId", h.name AS "holderName",
             round((x.area_m2 / 10000)::numeric, 4)::text AS "overlapHa",
             round((x.area_m2 / nullif(f.area_m2, 0))::numeric, 4)::text AS "shareOfFiled",
             round((x.area_m2 / nullif(x.other_m2, 0))::numeric, 4)::text AS "shareOfOther"
        FROM filed f
        -- The GiST index finds the candidates; OFFSET 0 keeps the probe apart from the rest.
        CROSS JOIN LATERAL (
          SELECT o.* FROM concessions o
           WHERE o.geom && f.g AND ST_Intersects(o.geom, f.g)
             AND ${except ? sql`o.id <> ${except}` : sql`true`} AND ${inForce('o')}
          OFFSET 0) o
        LEFT JOIN actors h ON h.id = o.holder_id
        CROSS JOIN LATERAL (
          SELECT ST_Area(ST_CollectionExtract(ST_Intersection(o.geom, f.g), 3)::geography) AS area_m2,
                 ST_Area(o.geom::geography) AS other_m2) x
       WHERE ${beyondSliver(sql`x.area_m2`, sql`f.area_m2`, sql`x.other_m2`)}
       ORDER BY x.area_m2 DESC, o.id`),
  );
  return rows;
}

/**
 * Registrations and redrawings are checked one at a time: two rights filed at once over the same
 * ground would otherwise each find the other not yet there. A transaction-scoped advisory lock
 * (released at commit or rollback) serialises the check and the write that follows it.
 */
const registryLock = 0x6f726f74_7269676n; // "orotrig": the registry of rights

export async function lockRegistry(tx: Queryable): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${registryLock.toString()}::bigint)`);
}

/** The overlapped rights, named in the problem so the admin sees what stands in the way. */
function overlapRefusal(overlaps: Overlap[]): ApiError {
  const list = overlaps
    .map(
      (o) =>
        `${o.kind} right ${o.code} (${o.name}${o.holderName ? `, held by ${o.holderName}` : ''}) on ${o.overlapHa} ha`,
    )
    .join('; ');
  return new ApiError(
    'conflict',
    `the right overlaps ${overlaps.length} right(s) in force: ${list}. An admin may file it with overlapException {legalBasis} where the law allows the superposition`,
    { extra: { overlaps } },
  );
}

/**
 * Checks a right's new geometry against the registry, under the registry lock: no overlap, or
 * overlaps an admin excepts with a legal basis (returned, for the caller to file as cases once the
 * right is written); otherwise the refusal naming each overlapped right.
 */
export async function checkOverlaps(
  tx: Queryable,
  by: Principal,
  geometry: AreaGeometry,
  opts: { except?: string | undefined; exception?: OverlapException | undefined },
): Promise<Overlap[]> {
  await lockRegistry(tx);
  const overlaps = await overlapsOf(tx, areaSql(geometry), opts.except);
  if (overlaps.length === 0) return [];
  if (!opts.exception) throw overlapRefusal(overlaps);
  if (by.role !== 'admin') {
    throw new ApiError('forbidden', 'only an admin may file a right over another under an exception');
  }
  return overlaps;
}

/** How an overlap came to be filed as a case, with the exception that allowed it. */
export interface OverlapFiling {
  foundAt: OverlapFoundAt;
  exception?: OverlapException | undefined;
}

/**
 * Files the overlaps of `concessionId` with each of `others` as open cases, the overlap measured
 * from the stored geometries; a pair with a case still being worked is not filed twice.
 */
export async function fileOverlapCases(
  tx: Queryable,
  by: Principal,
  concessionId: string,
  others: string[],
  filing: OverlapFiling,
): Promise<string[]> {
  if (others.length === 0) return [];
  const filed: string[] = [];
  for (const otherId of others) {
    const id = newId();
    const rows = rowsOf<{ id: string; areaHa: string }>(
      await tx.execute(sql`
        INSERT INTO overlap_cases (id, concession_id, other_concession_id, geom, area_ha, found_at,
                                   exception_legal_basis, exception_note)
        SELECT ${id}, c.id, o.id, x.g, round((ST_Area(x.g::geography) / 10000)::numeric, 4), ${filing.foundAt},
               ${filing.exception?.legalBasis ?? null}, ${filing.exception?.note ?? null}
          FROM concessions c, concessions o,
               LATERAL (SELECT ST_Multi(ST_CollectionExtract(ST_Intersection(c.geom, o.geom), 3)) AS g) x
         WHERE c.id = ${concessionId} AND o.id = ${otherId}
        ON CONFLICT DO NOTHING
        RETURNING id, area_ha::text AS "areaHa"`),
    );
    const row = rows[0];
    if (!row) continue;
    filed.push(row.id);
    await appendEvent(tx, by, {
      type: 'overlap_case.opened',
      subjectType: 'overlap_case',
      subjectId: row.id,
      payload: {
        concessionId,
        otherConcessionId: otherId,
        areaHa: row.areaHa,
        foundAt: filing.foundAt,
        exception: filing.exception ?? null,
      },
    });
  }
  return filed;
}

export const overlapPreviewSchema = z.object({
  dryRun: z.literal(true),
  /** filed: no overlap; filed_with_cases: overlaps excepted, each filed as an open case; refused: 409. */
  wouldBe: z.enum(['filed', 'filed_with_cases', 'refused']),
  /** The area of the geometry checked, in hectares. */
  areaHa: z.string(),
  overlaps: z.array(overlapSchema),
});
export type OverlapPreview = z.infer<typeof overlapPreviewSchema>;

/**
 * `?dryRun=true` on filing or redrawing a right: the overlaps the registry would find, and what
 * it would do with them, without writing anything. `geometry` absent (a change that keeps the
 * boundary) checks the right's stored one.
 */
export async function previewOverlaps(
  db: Queryable,
  by: Principal,
  opts: {
    geometry?: AreaGeometry | undefined;
    except?: string | undefined;
    exception?: OverlapException | undefined;
  },
): Promise<OverlapPreview> {
  if (opts.geometry) await assertValidArea(db, opts.geometry, 'geometry');
  const geom = opts.geometry
    ? areaSql(opts.geometry)
    : sql`(SELECT geom FROM concessions WHERE id = ${opts.except ?? null})`;
  const [area] = rowsOf<{ areaHa: string | null }>(
    await db.execute(sql`SELECT ${areaHaSql(geom)}::text AS "areaHa"`),
  );
  if (!area?.areaHa) throw new ApiError('not_found', `concession ${opts.except ?? ''} does not exist`);
  const overlaps = await overlapsOf(db, geom, opts.except);
  const excepted = opts.exception !== undefined && by.role === 'admin';
  return {
    dryRun: true,
    wouldBe: overlaps.length === 0 ? 'filed' : excepted ? 'filed_with_cases' : 'refused',
    areaHa: area.areaHa,
    overlaps,
  };
}
