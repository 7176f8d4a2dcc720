import { type SQL, sql } from 'drizzle-orm';
import { thresholds } from '../thresholds.js';

/** Fragments the remote-sensing rules share (NO_MINING_FOOTPRINT, ORIGIN_FAR_FROM_FOOTPRINT). */

const { detections } = thresholds;

/**
 * The layer that vouches for `place` on `day`, for `CROSS JOIN LATERAL (…) dl`: of each source
 * the latest import (a re-import supersedes the earlier one), whose coverage holds the place
 * whole, and whose periods reach the day — from its first period to its last plus the grace
 * (mining newer than the last image cannot have been seen, and before the first period the layer
 * says nothing). Of several such layers, the one whose view is most recent: one flag per lot,
 * not one per layer (detections of every layer count as mining seen). `in_grace` marks a day
 * after the layer's last period.
 */
export const layerVouchingFor = (place: SQL, day: SQL): SQL => sql`
  SELECT dl.id, dl.source, dl.name, dl.attribution, dl.observed_from, dl.observed_to,
         ${day} > dl.observed_to AS in_grace
    FROM (SELECT DISTINCT ON (source) * FROM detection_layers ORDER BY source, imported_at DESC, id DESC) dl
   WHERE ST_Covers(dl.coverage, ${place})
     AND dl.observed_from <= ${day}
     AND ${day} <= dl.observed_to + ${detections.graceDays}::int
   ORDER BY dl.observed_to DESC, dl.id DESC
   LIMIT 1`;

/**
 * The last day a detection may start and still count as "seen up to `day`": the start of the
 * layer's first period after the day (a pit dug before the extraction shows in the next image
 * at the latest, and gaps between periods — AMW has no 2024 diff in this extract — are bridged
 * by the next one), or the day itself when no later period exists. Uses the observed_from index.
 */
export const seenHorizon = (source: SQL, day: SQL): SQL => sql`coalesce((
  SELECT n.observed_from FROM mining_detections n
   WHERE n.source = ${source} AND n.observed_from > ${day}
   ORDER BY n.observed_from LIMIT 1), ${day})`;

/** Degrees that span at least `metres` in any direction up to 60° of latitude (GiST prefilter). */
const degreesFor = (metres: number) => metres / detections.metresPerDegreeAt60;

/**
 * True when some detection (footprint or alert, of any source) seen by `horizon` lies within
 * `metres` of `geom`: a GiST `&&` on the expanded box first, then the exact geodesic distance.
 */
export const detectionWithin = (geom: SQL, metres: number, horizon: SQL): SQL => sql`EXISTS (
  SELECT 1 FROM mining_detections d
   WHERE d.geom && ST_Expand(${geom}, ${degreesFor(metres)}::float8)
     AND d.observed_from <= ${horizon}
     AND ST_DWithin(d.geom::geography, (${geom})::geography, ${metres}))`;

/**
 * The nearest detection seen by `horizon`, for the evidence (KNN over the GiST index, then the
 * geodesic distance of that one), as `CROSS JOIN LATERAL (…) near` / LEFT JOIN LATERAL … ON true.
 */
export const nearestDetection = (geom: SQL, horizon: SQL): SQL => sql`
  SELECT d.period, d.kind, round(ST_Distance(d.geom::geography, (${geom})::geography)::numeric) AS distance_m
    FROM mining_detections d
   WHERE d.observed_from <= ${horizon}
   ORDER BY d.geom <-> ${geom}
   LIMIT 1`;
