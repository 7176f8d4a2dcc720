import { sql } from 'drizzle-orm';
import { pgArray } from '../../../db/sql.js';
import { thresholds } from '../thresholds.js';
import type { ScanRule } from './types.js';

/** The events that end a lot's life: after one, its QR should never be seen again. */
const endingEvents = pgArray(
  ['lot.split', 'lot.merged', 'lot.refined', 'lot.exported', 'lot.seized'],
  'text',
);

/**
 * QR_CLONED: a lot's QR seen where the lot cannot be (FATF 2015, "Money laundering and terrorist
 * financing risks and vulnerabilities associated with gold": a genuine label copied onto other
 * gold). Two findings, both about the scan about to be recorded:
 *
 * - impossible travel: the scan and its nearest scans of the same lot in device time (the one
 *   just before, the one just after, any at the same instant; offline records arrive out of
 *   order) at a different checkpoint are further apart than a vehicle at
 *   thresholds.qrCloned.maxRoadSpeedKmh covers in the time between them. Checking neighbours
 *   suffices: if every leg of a lot's path is feasible, so is every pair (triangle inequality).
 *   The fingerprint names the pair of scans, whichever of them arrived last.
 * - seen after its end: the device time of the scan is after the lot was split, merged, refined,
 *   exported or seized. An offline scan made before that and synced later is not a finding.
 *
 * The scan is not written yet when this runs (lots/scans.ts), so its facts come as parameters.
 */
export const qrCloned: ScanRule = {
  code: 'QR_CLONED',
  kind: 'scan',
  inheritable: false,
  screen: (scan) => sql`
    WITH s AS (
      SELECT ${scan.scanId}::uuid AS id, ${scan.lotId}::uuid AS lot_id,
             ${scan.occurredAt}::timestamptz AS occurred_at,
             cp.id AS checkpoint_id, cp.code, cp.name, cp.location
        FROM checkpoints cp WHERE cp.id = ${scan.checkpointId}::uuid
    ),
    neighbours AS (
      (SELECT o.id FROM scans o, s WHERE o.lot_id = s.lot_id AND o.occurred_at < s.occurred_at
        ORDER BY o.occurred_at DESC, o.id DESC LIMIT 1)
      UNION
      (SELECT o.id FROM scans o, s WHERE o.lot_id = s.lot_id AND o.occurred_at > s.occurred_at
        ORDER BY o.occurred_at, o.id LIMIT 1)
      UNION
      SELECT o.id FROM scans o, s WHERE o.lot_id = s.lot_id AND o.occurred_at = s.occurred_at
    ),
    legs AS (
      SELECT s.*, o.id AS other_id, o.occurred_at AS other_at,
             ocp.id AS other_checkpoint_id, ocp.code AS other_code, ocp.name AS other_name,
             ST_Distance(s.location::geography, ocp.location::geography) / 1000 AS km,
             abs(extract(epoch FROM s.occurred_at - o.occurred_at)) / 3600 AS hours
        FROM s
        JOIN neighbours n ON true
        JOIN scans o ON o.id = n.id
        JOIN checkpoints ocp ON ocp.id = o.checkpoint_id
       WHERE o.checkpoint_id <> s.checkpoint_id
    )
    SELECT lot_id AS subject_id, 'critical'::text AS severity,
           'travel:' || least(id, other_id)::text || '/' || greatest(id, other_id)::text AS fingerprint,
           jsonb_build_object(
             'finding', 'impossible_travel',
             'scan', jsonb_build_object('id', id, 'checkpointId', checkpoint_id, 'checkpointCode', code,
                                        'checkpointName', name, 'occurredAt', occurred_at),
             'otherScan', jsonb_build_object('id', other_id, 'checkpointId', other_checkpoint_id,
                                             'checkpointCode', other_code, 'checkpointName', other_name,
                                             'occurredAt', other_at),
             'distanceKm', round(km::numeric, 1),
             'elapsedMin', round((hours * 60)::numeric, 1),
             'impliedKmh', CASE WHEN hours > 0 THEN round((km / hours)::numeric, 1) END,
             'maxKmh', ${thresholds.qrCloned.maxRoadSpeedKmh}::numeric
           ) AS evidence
      FROM legs
     WHERE km > ${thresholds.qrCloned.maxRoadSpeedKmh}::float8 * hours
    UNION ALL
    SELECT l.id, 'critical', 'after:' || s.id::text,
           jsonb_build_object(
             'finding', 'scan_after_end',
             'lotStatus', l.status, 'lotCode', l.code,
             'endedBy', e.type, 'endedAt', e.occurred_at, 'endingEventId', e.id,
             'scan', jsonb_build_object('id', s.id, 'checkpointId', s.checkpoint_id,
                                        'checkpointCode', s.code, 'checkpointName', s.name,
                                        'occurredAt', s.occurred_at)
           )
      FROM s
      JOIN lots l ON l.id = s.lot_id
      JOIN LATERAL (
        SELECT e.id, e.type, e.occurred_at FROM events e
         WHERE e.subject_type = 'lot' AND e.subject_id = l.id AND e.type = ANY(${endingEvents})
         ORDER BY e.occurred_at, e.seq LIMIT 1
      ) e ON true
     WHERE s.occurred_at > e.occurred_at`,
  summarize: (e) => {
    const scan = e.scan as { checkpointCode?: string; occurredAt?: string } | undefined;
    if (e.finding === 'scan_after_end') {
      return `lot ${e.lotCode} scanned at ${scan?.checkpointCode} at ${scan?.occurredAt}, after it ended (${e.endedBy} at ${e.endedAt}; now ${e.lotStatus}): its QR is being reused`;
    }
    const other = e.otherScan as { checkpointCode?: string; occurredAt?: string } | undefined;
    return `QR scanned at ${scan?.checkpointCode} (${scan?.occurredAt}) and at ${other?.checkpointCode} (${other?.occurredAt}), ${e.distanceKm} km apart in ${e.elapsedMin} min${e.impliedKmh === null || e.impliedKmh === undefined ? '' : ` (${e.impliedKmh} km/h)`}, faster than ${e.maxKmh} km/h: two copies of one QR`;
  },
};
