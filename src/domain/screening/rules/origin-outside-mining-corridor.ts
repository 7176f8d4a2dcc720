import { sql } from 'drizzle-orm';
import { thresholds } from '../thresholds.js';
import { isRootLot } from './sql.js';
import type { LotRule } from './types.js';

/**
 * ORIGIN_OUTSIDE_MINING_CORRIDOR: where a mining corridor (a zone of kind mining_corridor) is in
 * force on the extraction date for the region of the lot's origin, an origin outside every such
 * corridor. D.U. 012-2010 declared Madre de Dios's corridor and excludes gold mining from the rest
 * of the department (thresholds.corridor). The region is data, never a guess: the corridor names
 * its department (zones.region) and the origin's department is the INEI limit that covers it
 * (admin_areas.department, any level); a region with no corridor, or an origin in no imported
 * limit, raises nothing. One flag per lot and set of corridors (a corridor added since screens
 * anew); the distance to the nearest corridor is in the evidence.
 */
export const originOutsideMiningCorridor: LotRule = {
  code: 'ORIGIN_OUTSIDE_MINING_CORRIDOR',
  kind: 'lot',
  on: ['registration'],
  dependsOn: ['zones'],
  inheritable: true,
  screen: (lots) => sql`
    SELECT l.id AS subject_id,
           ${thresholds.corridor.severity}::text AS severity,
           'corridor:' || r.region || ':' || md5(k.ids::text) AS fingerprint,
           jsonb_build_object(
             'region', r.region, 'corridorIds', to_jsonb(k.ids), 'corridorNames', to_jsonb(k.names),
             'legalBasis', k.basis, 'origin', ST_AsGeoJSON(l.origin)::jsonb, 'extractedOn', l.extracted_on,
             'distanceM', round(k.distance_m::numeric, 1)
           ) AS evidence
      FROM lots l
      CROSS JOIN LATERAL (SELECT DISTINCT a.department AS region FROM admin_areas a
                           WHERE ST_Covers(a.geom, l.origin) OFFSET 0) r
      CROSS JOIN LATERAL (
        SELECT array_agg(z.id ORDER BY z.id) AS ids, array_agg(z.name ORDER BY z.id) AS names,
               string_agg(DISTINCT z.legal_basis, '; ') AS basis,
               bool_or(ST_Covers(z.geom, l.origin)) AS inside,
               min(ST_Distance(z.geom::geography, l.origin::geography)) AS distance_m
          FROM zones z
         WHERE z.kind = 'mining_corridor' AND upper(z.region) = upper(r.region)
           AND z.valid_from <= coalesce(l.extracted_on, l.created_at::date)
           AND (z.valid_to IS NULL OR z.valid_to > coalesce(l.extracted_on, l.created_at::date))
        HAVING count(*) > 0) k
     WHERE l.id IN (${lots}) AND ${isRootLot('l')} AND l.origin IS NOT NULL AND NOT k.inside`,
  summarize: (e) =>
    `origin ${JSON.stringify((e.origin as { coordinates?: unknown } | undefined)?.coordinates)} in ${e.region} lies ${e.distanceM} m outside the mining corridor in force there on ${e.extractedOn} (${e.legalBasis})`,
};
