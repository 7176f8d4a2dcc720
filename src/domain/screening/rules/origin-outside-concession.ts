import { sql } from 'drizzle-orm';
import { versionInForce } from '../../reference/concession-geometries.js';
import { isRootLot } from './sql.js';
import type { LotRule } from './types.js';

/**
 * ORIGIN_OUTSIDE_CONCESSION: the lot's origin is not covered by the area of the concession it
 * declares — gold said to come from a right it was not dug on — as the right's boundary stood on
 * the extraction date (the geometry version then in force; the one in force today when the lot
 * gives no date). The fingerprint is the concession and a digest of that geometry, so redrawing the concession screens the lot anew (a new flag if
 * the origin is still, or newly, outside) while the same geometry never raises twice. Severity
 * high: a mis-declared origin hides where the gold was really mined.
 */
export const originOutsideConcession: LotRule = {
  code: 'ORIGIN_OUTSIDE_CONCESSION',
  kind: 'lot',
  on: ['registration'],
  dependsOn: ['concessions'],
  inheritable: true,
  screen: (lots) => sql`
    SELECT l.id AS subject_id,
           'high'::text AS severity,
           c.id::text || ':' || md5(ST_AsEWKB(v.geom)) AS fingerprint,
           jsonb_build_object(
             'concessionId', c.id, 'code', c.code, 'concessionName', c.name,
             'origin', ST_AsGeoJSON(l.origin)::jsonb, 'extractedOn', l.extracted_on,
             'distanceM', round(ST_Distance(v.geom::geography, l.origin::geography)::numeric, 1),
             'concessionBbox', ST_AsGeoJSON(ST_Envelope(v.geom))::jsonb,
             'geometryVersion', v.version, 'versionValidFrom', v.valid_from, 'versionValidTo', v.valid_to
           ) AS evidence
      FROM lots l
      JOIN concessions c ON c.id = l.concession_id
      CROSS JOIN LATERAL (${versionInForce(sql`c.id`, sql`l.extracted_on`)}) v
     WHERE l.id IN (${lots}) AND ${isRootLot('l')}
       AND l.origin IS NOT NULL AND NOT ST_Covers(v.geom, l.origin)`,
  summarize: (e) =>
    `origin ${JSON.stringify((e.origin as { coordinates?: unknown } | undefined)?.coordinates)} lies ${e.distanceM} m outside the declared concession ${e.code}${e.geometryVersion === undefined ? '' : ` (geometry version ${e.geometryVersion})`}`,
};
