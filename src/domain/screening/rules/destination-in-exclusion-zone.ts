import { sql } from 'drizzle-orm';
import { declaredOn } from './consignee-not-authorized.js';
import { forbidding, inForce, zoneSeverity } from './sql.js';
import type { MovementRule } from './types.js';

const lower: Record<string, string> = { critical: 'high', high: 'medium', medium: 'low', low: 'low' };
/** A concession only partly inside a zone may be worked outside it: one level below the zone's. */
const oneLower = (severity: string) => lower[severity] ?? 'low';

/**
 * DESTINATION_IN_EXCLUSION_ZONE: mercury or fuel bound for a place inside a zone in force on the
 * declaration day (protected area, mining exclusion, buffer zone, indigenous territory…): inputs
 * for mining where mining is a crime or needs a permit (Código Penal art. 307-A; Ley 26834). A
 * destination point inside a zone, or a destination concession wholly inside one, takes the
 * zone's severity (thresholds.zones: by kind, or by legal basis where that decides — a buffer
 * zone under D.U. 012-2010 is critical); a concession only partly overlapping one, a level
 * lower, with the overlap's area in the evidence. One flag per zone. ST_Covers / ST_Intersects
 * with the zones' GiST index.
 */
export const destinationInExclusionZone: MovementRule = {
  code: 'DESTINATION_IN_EXCLUSION_ZONE',
  kind: 'movement',
  on: ['declaration'],
  // A concession's geometry may change too (rescreenConcession screens the movements bound for it).
  dependsOn: ['zones', 'concessions'],
  screen: (movements) => sql`
    SELECT m.id AS subject_id, ${zoneSeverity('z.kind', 'z.legal_basis')} AS severity,
           z.id::text AS fingerprint,
           jsonb_build_object(
             'movementCode', m.code, 'input', m.input, 'quantity', m.quantity::text, 'unit', m.unit,
             'declaredOn', ${declaredOn},
             'zoneId', z.id, 'zoneName', z.name, 'zoneKind', z.kind, 'legalBasis', z.legal_basis,
             'zoneValidFrom', z.valid_from, 'zoneValidTo', z.valid_to,
             'destination', ST_AsGeoJSON(m.destination_point)::jsonb,
             'depthM', round(ST_Distance(ST_Boundary(z.geom)::geography, m.destination_point::geography)::numeric, 1),
             'zoneBbox', ST_AsGeoJSON(ST_Envelope(z.geom))::jsonb
           ) AS evidence
      FROM movements m
      JOIN zones z ON ST_Covers(z.geom, m.destination_point)
     WHERE m.id IN (${movements}) AND ${inForce('z', declaredOn)} AND ${forbidding('z')}
    UNION ALL
    SELECT o.id, CASE WHEN o.covered THEN ${zoneSeverity('o.kind', 'o.legal_basis')}
                      ELSE ${zoneSeverity('o.kind', 'o.legal_basis', oneLower)} END,
           o.zone_id::text,
           jsonb_build_object(
             'movementCode', o.code, 'input', o.input, 'quantity', o.quantity::text, 'unit', o.unit,
             'declaredOn', o.declared_on,
             'zoneId', o.zone_id, 'zoneName', o.zone_name, 'zoneKind', o.kind, 'legalBasis', o.legal_basis,
             'zoneValidFrom', o.valid_from, 'zoneValidTo', o.valid_to,
             'concessionId', o.concession_id, 'concessionCode', o.concession_code,
             'concessionName', o.concession_name, 'concessionAreaHa', o.area_ha,
             'whollyInside', o.covered,
             'overlapHa', round((ST_Area(o.overlap::geography) / 10000)::numeric, 2),
             'overlapBbox', ST_AsGeoJSON(ST_Envelope(o.overlap))::jsonb,
             'zoneBbox', ST_AsGeoJSON(ST_Envelope(o.zone_geom))::jsonb
           )
      FROM (
        SELECT m.id, m.code, m.input, m.quantity, m.unit, ${declaredOn} AS declared_on,
               z.id AS zone_id, z.name AS zone_name, z.kind, z.legal_basis, z.valid_from, z.valid_to,
               z.geom AS zone_geom, c.id AS concession_id, c.code AS concession_code,
               c.name AS concession_name, c.area_ha,
               ST_Covers(z.geom, c.geom) AS covered, ST_Intersection(z.geom, c.geom) AS overlap
          FROM movements m
          JOIN concessions c ON c.id = m.destination_concession_id
          JOIN zones z ON ST_Intersects(z.geom, c.geom)
         WHERE m.id IN (${movements}) AND ${inForce('z', declaredOn)} AND ${forbidding('z')}
      ) o
     WHERE ST_Area(o.overlap) > 0`,
  summarize: (e) =>
    e.concessionId
      ? `${e.quantity} ${e.unit} of ${e.input} (${e.movementCode}) bound for concession ${e.concessionCode}, ${e.whollyInside ? 'wholly inside' : `${e.overlapHa} ha of it inside`} ${e.zoneKind} "${e.zoneName}" (${e.legalBasis}), in force on ${e.declaredOn}`
      : `${e.quantity} ${e.unit} of ${e.input} (${e.movementCode}) bound for ${JSON.stringify((e.destination as { coordinates?: unknown } | undefined)?.coordinates)}, ${e.depthM} m inside ${e.zoneKind} "${e.zoneName}" (${e.legalBasis}), in force on ${e.declaredOn}`,
};
