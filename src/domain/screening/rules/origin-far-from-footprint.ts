import { sql } from 'drizzle-orm';
import { thresholds } from '../thresholds.js';
import { detectionWithin, layerVouchingFor, nearestDetection, seenHorizon } from './seen-from-space.js';
import { isRootLot } from './sql.js';
import type { LotRule } from './types.js';

const { detections } = thresholds;

/**
 * ORIGIN_FAR_FROM_FOOTPRINT: the lot's origin point lies farther than
 * thresholds.detections.originDistanceM from every mining footprint or alert seen up to the
 * first image after the extraction date, where a remote-sensing layer covers the origin and can
 * vouch for that date (seen-from-space.ts). Gold said to be dug where no pit shows was dug
 * elsewhere. Severity medium (an origin may be mis-typed). Fingerprint: the layer.
 */
export const originFarFromFootprint: LotRule = {
  code: 'ORIGIN_FAR_FROM_FOOTPRINT',
  kind: 'lot',
  on: ['registration'],
  dependsOn: ['detections'],
  inheritable: true,
  screen: (lots) => sql`
    SELECT l.id AS subject_id,
           ${detections.originFarSeverity}::text AS severity,
           dl.id::text AS fingerprint,
           jsonb_build_object(
             'origin', ST_AsGeoJSON(l.origin)::jsonb, 'extractedOn', l.extracted_on,
             'layerId', dl.id, 'layerSource', dl.source, 'layerName', dl.name,
             'attribution', dl.attribution,
             'layerFrom', dl.observed_from, 'layerTo', dl.observed_to, 'inGrace', dl.in_grace,
             'seenUpTo', h.horizon,
             'distanceM', ${detections.originDistanceM}::int,
             'nearestDetectionM', near.distance_m, 'nearestDetectionPeriod', near.period
           ) AS evidence
      FROM lots l
      CROSS JOIN LATERAL (${layerVouchingFor(sql`l.origin`, sql`l.extracted_on`)}) dl
      CROSS JOIN LATERAL (SELECT ${seenHorizon(sql`dl.source`, sql`l.extracted_on`)} AS horizon) h
      LEFT JOIN LATERAL (${nearestDetection(sql`l.origin`, sql`h.horizon`)}) near ON true
     WHERE l.id IN (${lots}) AND ${isRootLot('l')} AND l.extracted_on IS NOT NULL AND l.origin IS NOT NULL
       AND NOT ${detectionWithin(sql`l.origin`, detections.originDistanceM, sql`h.horizon`)}`,
  summarize: (e) =>
    `origin ${JSON.stringify((e.origin as { coordinates?: unknown } | undefined)?.coordinates)} lies more than ${e.distanceM} m from any mining ${e.layerName} (${e.layerSource}) saw up to ${e.seenUpTo}` +
    (e.nearestDetectionM == null
      ? ''
      : `; the nearest detection is ${e.nearestDetectionM} m away (${e.nearestDetectionPeriod})`),
};
