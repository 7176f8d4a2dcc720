import { sql } from 'drizzle-orm';
import { isRootLot, zoneSeverity, zonesCovering } from './sql.js';
import type { LotRule } from './types.js';

/**
 * ORIGIN_IN_EXCLUSION_ZONE: the lot's origin lies inside a zone (protected area, buffer zone,
 * mining exclusion, indigenous territory…) in force on its extraction date. One flag per zone;
 * severity by the zone's kind, or by its legal basis where that decides (thresholds.zones: a
 * buffer zone under D.U. 012-2010 is critical). ST_Covers with the zones' GiST index, probed
 * per lot (zonesCovering): the number of zones does not set the cost, the few whose boxes hold
 * the point do. The zone's edge is taken as geography beside the zone, not inside the distance
 * call: there it was rebuilt for every lot and dominated a re-screening of 100,000 lots in one
 * zone (two thirds of the statement); here consecutive lots of a zone pass PostGIS the same edge,
 * which its distance cache keeps.
 */
export const originInExclusionZone: LotRule = {
  code: 'ORIGIN_IN_EXCLUSION_ZONE',
  kind: 'lot',
  on: ['registration'],
  dependsOn: ['zones'],
  inheritable: true,
  screen: (lots) => sql`
    SELECT l.id AS subject_id,
           ${zoneSeverity('z.kind', 'z.legal_basis')} AS severity,
           z.id::text AS fingerprint,
           jsonb_build_object(
             'zoneId', z.id, 'zoneName', z.name, 'zoneKind', z.kind, 'legalBasis', z.legal_basis,
             'zoneValidFrom', z.valid_from, 'zoneValidTo', z.valid_to,
             'origin', ST_AsGeoJSON(l.origin)::jsonb, 'extractedOn', l.extracted_on,
             'depthM', round(ST_Distance(z.edge, l.origin::geography)::numeric, 1),
             'zoneBbox', ST_AsGeoJSON(ST_Envelope(z.geom))::jsonb
           ) AS evidence
      FROM lots l
      CROSS JOIN LATERAL (SELECT c.*, ST_Boundary(c.geom)::geography AS edge
                            FROM (${zonesCovering(sql`l.origin`, sql`l.extracted_on`)}) c) z
     WHERE l.id IN (${lots}) AND ${isRootLot('l')}`,
  summarize: (e) =>
    `origin ${JSON.stringify((e.origin as { coordinates?: unknown } | undefined)?.coordinates)} lies ${e.depthM} m inside ${e.zoneKind} "${e.zoneName}" (${e.legalBasis}), in force on the extraction date ${e.extractedOn}`,
};
