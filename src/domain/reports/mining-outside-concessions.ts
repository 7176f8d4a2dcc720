import { and, asc, eq, gt, gte, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Queryable, rowsOf } from '../../db/client.js';
import { miningDetections } from '../../db/schema/index.js';
import { asGeoJson, inBbox } from '../reference/geometry.js';
import { daySchema } from '../shared/dates.js';
import type { Geometry } from '../shared/geojson.js';
import { afterId, type Page, type PageRequest, pageFrom } from '../shared/page.js';
import { type DetectionKind, zoneKinds } from '../shared/vocabulary.js';

/**
 * The brief's "mining outside concessions", measured: per INEI district, the ground newly
 * detected as mined in a period (footprints of the remote-sensing layers), how much of it lies
 * inside a valid mining concession, how much outside any, and how much inside each kind of
 * exclusion zone. Areas are geodesic (ST_Area on geography) of unions: the footprints of a
 * district are joined first (so overlapping footprints of different periods or layers are not
 * counted twice), then intersected with the union of the concessions, and of each zone kind.
 */

/** The days of the periods a summary covers by default: every period a layer can hold. */
const allFrom = '1900-01-01';
const allTo = '9999-12-31';

export const detectionPeriodQuery = z
  .object({ from: daySchema.optional(), to: daySchema.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from is after to', path: ['from'] });

const districtMiningSchema = z.object({
  districtId: z.uuid(),
  district: z.string(),
  province: z.string().nullable(),
  department: z.string(),
  footprints: z.number().int(),
  minedHa: z.number(),
  insideValidConcessionsHa: z.number(),
  insideConcessionsInProcessHa: z.number(),
  outsideConcessionsHa: z.number(),
  shareOutside: z.number().nullable(),
  exclusionZonesHa: z.record(z.enum(zoneKinds), z.number()),
  reportedMinedAreaHa: z.number(),
});
type DistrictMining = z.output<typeof districtMiningSchema>;

export const miningSummarySchema = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  districts: z.array(districtMiningSchema),
  total: districtMiningSchema.omit({ districtId: true, district: true, province: true, department: true }),
  notes: z.array(z.string()),
});
export type MiningSummary = z.output<typeof miningSummarySchema>;

const round = (n: number) => Math.round(n * 100) / 100;

interface Row {
  district_id: string;
  district: string;
  province: string | null;
  department: string;
  footprints: number;
  mined_ha: number;
  valid_ha: number;
  in_process_ha: number;
  zones: Record<string, number> | null;
  reported_ha: number;
}

/**
 * One statement. Footprints count in a period when their own period overlaps it. A concession
 * counts as valid when it is a titled mining concession in force at some day of the period
 * (granted on or before its end, not retired before its start): generous to the holder, so the
 * share outside is a lower bound. A petition in process is reported apart: not a right yet. Zones
 * count when in force at some day of the period. Footprints outside every district recorded
 * (admin_areas) are not counted.
 */
export async function miningByDistrict(
  db: Queryable,
  q: z.infer<typeof detectionPeriodQuery>,
): Promise<MiningSummary> {
  const from = q.from ?? allFrom;
  const to = q.to ?? allTo;
  const rows = rowsOf<Row>(
    await db.execute(sql`
      WITH fp AS (
        SELECT a.id, a.name, a.province, a.department, count(*)::int AS footprints,
               ST_Multi(ST_CollectionExtract(ST_Intersection(ST_Union(d.geom), a.geom), 3)) AS g,
               coalesce(sum(d.mined_area_ha) FILTER (WHERE ST_Covers(a.geom, ST_PointOnSurface(d.geom))), 0)::float8 AS reported_ha
          FROM admin_areas a
          JOIN mining_detections d ON d.geom && a.geom AND ST_Intersects(d.geom, a.geom)
         WHERE a.level = 'district' AND d.kind = 'footprint'
           AND d.observed_from <= ${to}::date AND d.observed_to >= ${from}::date
         GROUP BY a.id
      )
      SELECT fp.id AS district_id, fp.name AS district, fp.province, fp.department, fp.footprints,
             ST_Area(fp.g::geography) / 10000 AS mined_ha,
             coalesce(ST_Area(ST_Intersection(fp.g, vc.g)::geography) / 10000, 0) AS valid_ha,
             coalesce(ST_Area(ST_Intersection(ST_Difference(fp.g, coalesce(vc.g, 'SRID=4326;POLYGON EMPTY'::geometry)), pc.g)::geography) / 10000, 0) AS in_process_ha,
             zk.zones, fp.reported_ha
        FROM fp
        LEFT JOIN LATERAL (
          SELECT ST_Union(c.geom) AS g FROM concessions c
           WHERE c.geom && fp.g AND ST_Intersects(c.geom, fp.g)
             AND c.kind = 'mining' AND c.status = 'titled'
             AND (c.granted_on IS NULL OR c.granted_on <= ${to}::date)
             AND (c.retired_on IS NULL OR c.retired_on > ${from}::date)) vc ON true
        LEFT JOIN LATERAL (
          SELECT ST_Union(c.geom) AS g FROM concessions c
           WHERE c.geom && fp.g AND ST_Intersects(c.geom, fp.g)
             AND c.kind = 'mining' AND c.status = 'in_process'
             AND (c.retired_on IS NULL OR c.retired_on > ${from}::date)) pc ON true
        LEFT JOIN LATERAL (
          SELECT jsonb_object_agg(kind, ha) AS zones FROM (
            SELECT z.kind, ST_Area(ST_Intersection(fp.g, ST_Union(z.geom))::geography) / 10000 AS ha
              FROM zones z
             WHERE z.geom && fp.g AND ST_Intersects(z.geom, fp.g)
               AND z.valid_from <= ${to}::date AND (z.valid_to IS NULL OR z.valid_to > ${from}::date)
             GROUP BY z.kind) k) zk ON true
       ORDER BY fp.department, fp.province, fp.name`),
  );
  const districts = rows.map((r): DistrictMining => {
    const mined = Number(r.mined_ha);
    const inside = Math.min(Number(r.valid_ha), mined);
    const outside = Math.max(mined - inside, 0);
    const zones = Object.fromEntries(zoneKinds.map((k) => [k, round(Number(r.zones?.[k] ?? 0))])) as Record<
      (typeof zoneKinds)[number],
      number
    >;
    return {
      districtId: r.district_id,
      district: r.district,
      province: r.province,
      department: r.department,
      footprints: r.footprints,
      minedHa: round(mined),
      insideValidConcessionsHa: round(inside),
      insideConcessionsInProcessHa: round(Number(r.in_process_ha)),
      outsideConcessionsHa: round(outside),
      shareOutside: mined > 0 ? Math.round((outside / mined) * 10000) / 10000 : null,
      exclusionZonesHa: zones,
      reportedMinedAreaHa: round(Number(r.reported_ha)),
    };
  });
  const sum = (f: (d: DistrictMining) => number) => round(districts.reduce((s, d) => s + f(d), 0));
  const minedHa = sum((d) => d.minedHa);
  const outsideConcessionsHa = sum((d) => d.outsideConcessionsHa);
  return {
    from: q.from ?? null,
    to: q.to ?? null,
    districts,
    total: {
      footprints: districts.reduce((s, d) => s + d.footprints, 0),
      minedHa,
      insideValidConcessionsHa: sum((d) => d.insideValidConcessionsHa),
      insideConcessionsInProcessHa: sum((d) => d.insideConcessionsInProcessHa),
      outsideConcessionsHa,
      shareOutside: minedHa > 0 ? Math.round((outsideConcessionsHa / minedHa) * 10000) / 10000 : null,
      exclusionZonesHa: Object.fromEntries(
        zoneKinds.map((k) => [k, sum((d) => d.exclusionZonesHa[k])]),
      ) as DistrictMining['exclusionZonesHa'],
      reportedMinedAreaHa: sum((d) => d.reportedMinedAreaHa),
    },
    notes: [
      'minedHa: geodesic area of the union of the footprint polygons newly detected in the period, cut by the district (a footprint counts once, however many periods overlap it).',
      'insideValidConcessionsHa: the part inside titled mining concessions in force on some day of the period; outsideConcessionsHa the rest (in-process petitions are not rights: insideConcessionsInProcessHa reports them apart, within the outside share).',
      "reportedMinedAreaHa: the layer's own estimate of mined area (AMW's mined_area_ha) of the footprints whose point on surface lies in the district; polygons are detection tiles, larger than the pits.",
      'Footprints outside every recorded district are not counted.',
    ],
  };
}

// --- the map layer ---------------------------------------------------------------------------

export const detectionListQuery = z.object({
  from: daySchema.optional(),
  to: daySchema.optional(),
  kind: z.enum(['footprint', 'alert']).optional(),
});

export interface DetectionItem {
  id: string;
  kind: DetectionKind;
  source: string;
  period: string;
  observedFrom: string;
  observedTo: string;
  polygonAreaHa: string | null;
  minedAreaHa: string | null;
  geometry: Geometry;
}

/** Detections by bounding box, period (overlapping it) and kind, a page at a time, in id order. */
export async function listDetections(
  db: Queryable,
  q: PageRequest &
    z.infer<typeof detectionListQuery> & {
      bbox?: Parameters<typeof inBbox>[1] | undefined;
    },
): Promise<Page<DetectionItem>> {
  const after = afterId(q.cursor);
  const d = miningDetections;
  const rows = await db
    .select({
      id: d.id,
      kind: d.kind,
      source: d.source,
      period: d.period,
      observedFrom: d.observedFrom,
      observedTo: d.observedTo,
      polygonAreaHa: d.polygonAreaHa,
      minedAreaHa: d.minedAreaHa,
      geometry: asGeoJson<Geometry>(d.geom),
    })
    .from(d)
    .where(
      and(
        after ? gt(d.id, after) : undefined,
        q.kind ? eq(d.kind, q.kind) : undefined,
        q.to ? lte(d.observedFrom, q.to) : undefined,
        q.from ? gte(d.observedTo, q.from) : undefined,
        q.bbox ? inBbox(d.geom, q.bbox) : undefined,
      ),
    )
    .orderBy(asc(d.id))
    .limit(q.limit + 1);
  return pageFrom(rows, q.limit);
}
