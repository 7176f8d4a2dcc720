import { sql } from 'drizzle-orm';
import { versionInForce } from '../../reference/concession-geometries.js';
import { thresholds } from '../thresholds.js';
import { isRootLot } from './sql.js';
import type { LotRule } from './types.js';

const t = thresholds.concessions;

/**
 * CONCESSION_OVERLAPS_OTHER_RIGHTS: the mining concession a lot declares overlaps, with some
 * area, a right of another kind (timber, reforestation, ecotourism, chestnut, agriculture,
 * conservation…) not retired on the extraction date: mining there may be clearing forest or
 * harvest someone else holds. One flag per overlapped right (its id is the fingerprint).
 * Severity high when the lot's origin lies in the overlap itself, medium otherwise. Touching
 * borders (an intersection without area) do not count. Both rights are taken as they stood on
 * the extraction date (the geometry versions then in force; today's for a lot without a date).
 * ST_Intersects with the versions' GiST index finds the candidates; the overlap is measured on
 * the spheroid.
 */
export const concessionOverlapsOtherRights: LotRule = {
  code: 'CONCESSION_OVERLAPS_OTHER_RIGHTS',
  kind: 'lot',
  on: ['registration'],
  dependsOn: ['concessions'],
  inheritable: true,
  screen: (lots) => sql`
    SELECT l.id AS subject_id,
           CASE WHEN ST_Covers(x.overlap, l.origin) THEN 'high' ELSE 'medium' END AS severity,
           o.id::text AS fingerprint,
           jsonb_build_object(
             'concessionId', c.id, 'code', c.code, 'concessionName', c.name,
             'otherConcessionId', o.id, 'otherCode', o.code, 'otherName', o.name, 'otherKind', o.kind,
             'otherStatus', o.status, 'otherHolderId', o.holder_id, 'otherHolderName', h.name,
             'overlapHa', round((x.area_m2 / 10000)::numeric, 4),
             'overlapShare', round((x.area_m2 / nullif(ST_Area(cv.geom::geography), 0))::numeric, 4),
             'geometryVersion', cv.version, 'otherGeometryVersion', o.geometry_version,
             'originInOverlap', ST_Covers(x.overlap, l.origin),
             'origin', ST_AsGeoJSON(l.origin)::jsonb, 'extractedOn', l.extracted_on,
             'overlapSimplified', ST_NPoints(x.overlap) > ${t.overlapMaxVertices}::int,
             'overlap', ST_AsGeoJSON(
               CASE WHEN ST_NPoints(x.overlap) > ${t.overlapMaxVertices}::int
                    THEN ST_SimplifyPreserveTopology(x.overlap, ${t.overlapSimplifyDeg}::float8)
                    ELSE x.overlap END, 7)::jsonb
           ) AS evidence
      FROM lots l
      JOIN concessions c ON c.id = l.concession_id AND c.kind = 'mining'
      CROSS JOIN LATERAL (${versionInForce(sql`c.id`, sql`l.extracted_on`)}) cv
      -- A LATERAL probe of the GiST index per lot, kept apart from the outer query (OFFSET 0) so
      -- the planner does not weigh both tables' spatial statistics (see zonesCovering, sql.ts).
      CROSS JOIN LATERAL (
        SELECT o.id, o.code, o.name, o.kind, o.status, o.holder_id, o.retired_on,
               ov.geom AS vgeom, ov.version AS geometry_version
          FROM concession_geometries ov
          JOIN concessions o ON o.id = ov.concession_id
         WHERE ST_Intersects(ov.geom, cv.geom) AND o.id <> c.id AND o.kind <> 'mining'
           AND CASE WHEN l.extracted_on IS NULL THEN ov.valid_to IS NULL
                    ELSE (ov.valid_from IS NULL OR ov.valid_from <= l.extracted_on)
                         AND (ov.valid_to IS NULL OR ov.valid_to > l.extracted_on) END
        OFFSET 0) o
      LEFT JOIN actors h ON h.id = o.holder_id
      CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Intersection(o.vgeom, cv.geom), 3) AS overlap) i
      CROSS JOIN LATERAL (SELECT i.overlap, ST_Area(i.overlap::geography) AS area_m2) x
     WHERE l.id IN (${lots}) AND ${isRootLot('l')}
       AND (o.retired_on IS NULL OR o.retired_on > l.extracted_on)
       AND x.area_m2 > 0
       -- An overlap an authority settled as coexistence is lawful: not a warning any more.
       AND NOT EXISTS (
         SELECT 1 FROM overlap_cases k
          WHERE k.status = 'resolved' AND k.outcome = 'coexistence'
            AND (k.concession_id, k.other_concession_id) IN ((c.id, o.id), (o.id, c.id)))`,
  summarize: (e) =>
    `mining concession ${e.code} overlaps ${e.otherKind} right ${e.otherCode}${e.otherHolderName ? ` held by ${e.otherHolderName}` : ''} on ${e.overlapHa} ha (${Math.round(Number(e.overlapShare) * 1000) / 10} % of it)${e.originInOverlap ? ', and the origin lies in the overlap' : ''}`,
};
