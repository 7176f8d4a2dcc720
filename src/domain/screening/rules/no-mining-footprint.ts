import { sql } from 'drizzle-orm';
import { thresholds } from '../thresholds.js';
import { detectionWithin, layerVouchingFor, nearestDetection, seenHorizon } from './seen-from-space.js';
import { isRootLot } from './sql.js';
import type { LotRule } from './types.js';

const { detections } = thresholds;

/**
 * NO_MINING_FOOTPRINT: gold declared (a lot registered at extraction) from a concession that a
 * remote-sensing layer watches, with no mining detected in it nor within
 * thresholds.detections.concessionDistanceM of it, up to the first image after the extraction
 * date — the "paper concession" whose title launders gold dug elsewhere. Judged only where the
 * layer can vouch: its coverage holds the whole concession, and the extraction date falls
 * between its first period and its last plus the grace (seen-from-space.ts). Severity high,
 * medium in the grace. Fingerprint: the layer and a digest of the concession's geometry, so a
 * new layer or a redrawn concession judges anew while the same facts never raise twice.
 */
export const noMiningFootprint: LotRule = {
  code: 'NO_MINING_FOOTPRINT',
  kind: 'lot',
  on: ['registration'],
  dependsOn: ['detections', 'concessions'],
  inheritable: true,
  screen: (lots) => sql`
    SELECT l.id AS subject_id,
           CASE WHEN dl.in_grace THEN ${detections.noFootprintGraceSeverity}
                ELSE ${detections.noFootprintSeverity} END::text AS severity,
           dl.id::text || ':' || md5(ST_AsEWKB(c.geom)) AS fingerprint,
           jsonb_build_object(
             'concessionId', c.id, 'concessionCode', c.code, 'concessionName', c.name,
             'areaHa', c.area_ha::text, 'extractedOn', l.extracted_on,
             'layerId', dl.id, 'layerSource', dl.source, 'layerName', dl.name,
             'attribution', dl.attribution,
             'layerFrom', dl.observed_from, 'layerTo', dl.observed_to, 'inGrace', dl.in_grace,
             'seenUpTo', h.horizon,
             'distanceM', ${detections.concessionDistanceM}::int,
             'nearestDetectionM', near.distance_m, 'nearestDetectionPeriod', near.period
           ) AS evidence
      FROM lots l
      JOIN concessions c ON c.id = l.concession_id
      CROSS JOIN LATERAL (${layerVouchingFor(sql`c.geom`, sql`l.extracted_on`)}) dl
      CROSS JOIN LATERAL (SELECT ${seenHorizon(sql`dl.source`, sql`l.extracted_on`)} AS horizon) h
      LEFT JOIN LATERAL (${nearestDetection(sql`c.geom`, sql`h.horizon`)}) near ON true
     WHERE l.id IN (${lots}) AND ${isRootLot('l')} AND l.extracted_on IS NOT NULL
       AND NOT ${detectionWithin(sql`c.geom`, detections.concessionDistanceM, sql`h.horizon`)}`,
  summarize: (e) =>
    `${e.layerName} (${e.layerSource}) shows no mining in concession ${e.concessionCode} (${e.areaHa} ha) nor within ${e.distanceM} m of it up to ${e.seenUpTo}, yet gold extracted on ${e.extractedOn} is declared from it` +
    (e.nearestDetectionM == null
      ? ''
      : `; the nearest detection is ${e.nearestDetectionM} m away (${e.nearestDetectionPeriod})`) +
    (e.inGrace ? `; the layer's last period ends ${e.layerTo}, before the extraction` : ''),
};
