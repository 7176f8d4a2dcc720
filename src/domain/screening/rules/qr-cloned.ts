import { type SQL, sql } from 'drizzle-orm';
import { pgArray } from '../../../db/sql.js';
import { thresholds } from '../thresholds.js';
import type { ScanRule } from './types.js';

/** The events that end a lot's life: after one, its QR should never be seen again. */
const endingEvents = pgArray(
  ['lot.split', 'lot.merged', 'lot.refined', 'lot.exported', 'lot.seized'],
  'text',
);

const { maxRoadSpeedKmh: road, maxRiverSpeedKmh: river, maxAirSpeedKmh: air } = thresholds.qrCloned;
const kmh = (v: number) => sql`${v}::float8`;
/** Straight-line km between two checkpoint locations (geography: metres on the spheroid). */
const km = (a: string, b: string) =>
  sql.raw(`(ST_Distance(${a}.location::geography, ${b}.location::geography) / 1000)`);
/**
 * The ground speed of a leg between posts of modes `a` and `b`: boat speed between two river
 * posts, else road speed (an airport is reached by road; see thresholds.qrCloned).
 */
const groundKmh = (a: SQL, b: SQL) =>
  sql`(CASE WHEN ${a} = 'river' AND ${b} = 'river' THEN ${kmh(river)} ELSE ${kmh(road)} END)`;

/**
 * QR_CLONED: a lot's QR seen where the lot cannot be (FATF 2015, "Money laundering and terrorist
 * financing risks and vulnerabilities associated with gold": a genuine label copied onto other
 * gold). Two findings, both about the scan about to be recorded:
 *
 * - impossible travel: the scan and its nearest scans of the same lot in device time (the one
 *   just before, the one just after, any at the same instant; offline records arrive out of
 *   order) at a different checkpoint are closer in time than the fastest plausible route between
 *   the two posts takes. Checking neighbours suffices: if every leg of a lot's path is feasible,
 *   so is every pair (triangle inequality). The routes, each in a straight line, the fastest
 *   kept: over the ground at the speed of the posts' modes (checkpoints.mode: road, river, air;
 *   thresholds.qrCloned); through a known air link (air_links: a ground leg to its departure
 *   airport, its min_minutes, a ground leg from its arrival airport), so that a lot flown
 *   Puerto Maldonado–Lima on a scheduled flight is not a clone; and, between two airports with
 *   no known link that way, any flight at airliner speed (a known link's schedule binds instead). The few air links are read whole for each leg, joined to their airports by
 *   primary key. The fingerprint names the pair of scans, whichever of them arrived last.
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
             cp.id AS checkpoint_id, cp.code, cp.name, cp.mode, cp.location
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
    pairs AS (
      SELECT s.id, s.lot_id, s.occurred_at, s.checkpoint_id, s.code, s.name, s.mode,
             o.id AS other_id, o.occurred_at AS other_at,
             ocp.id AS other_checkpoint_id, ocp.code AS other_code, ocp.name AS other_name,
             ocp.mode AS other_mode,
             ${km('s', 'ocp')} AS km,
             abs(extract(epoch FROM s.occurred_at - o.occurred_at)) / 60 AS minutes,
             ${groundKmh(sql`s.mode`, sql`ocp.mode`)} AS ground_kmh,
             -- The lot travelled from the post of the earlier scan to that of the later one.
             CASE WHEN o.occurred_at <= s.occurred_at THEN ocp.id ELSE s.checkpoint_id END AS from_id,
             CASE WHEN o.occurred_at <= s.occurred_at THEN s.checkpoint_id ELSE ocp.id END AS to_id
        FROM s
        JOIN neighbours n ON true
        JOIN scans o ON o.id = n.id
        JOIN checkpoints ocp ON ocp.id = o.checkpoint_id
       WHERE o.checkpoint_id <> s.checkpoint_id
    ),
    legs AS (
      SELECT p.*, routes.kind AS route, routes.min_minutes, routes.via
        FROM pairs p
        CROSS JOIN LATERAL (
          SELECT r.kind, r.min_minutes, r.via FROM (
            SELECT 'ground'::text AS kind, p.km / p.ground_kmh * 60 AS min_minutes, NULL::jsonb AS via
            UNION ALL
            -- Two airports with no known link that way: any flight, at airliner speed.
            SELECT 'air', p.km / ${kmh(air)} * 60, NULL
             WHERE p.mode = 'air' AND p.other_mode = 'air'
               AND NOT EXISTS (SELECT 1 FROM air_links k
                                WHERE k.from_checkpoint_id = p.from_id AND k.to_checkpoint_id = p.to_id)
            UNION ALL
            SELECT 'air_link',
                   ${km('f', 'x')} / ${groundKmh(sql`f.mode`, sql`x.mode`)} * 60 + al.min_minutes
                     + ${km('y', 't')} / ${groundKmh(sql`y.mode`, sql`t.mode`)} * 60,
                   jsonb_build_object('fromCheckpointCode', x.code, 'toCheckpointCode', y.code,
                                      'flightMin', al.min_minutes, 'source', al.source,
                                      'groundKmBefore', round(${km('f', 'x')}::numeric, 1),
                                      'groundKmAfter', round(${km('y', 't')}::numeric, 1))
              FROM air_links al
              JOIN checkpoints x ON x.id = al.from_checkpoint_id
              JOIN checkpoints y ON y.id = al.to_checkpoint_id
              JOIN checkpoints f ON f.id = p.from_id
              JOIN checkpoints t ON t.id = p.to_id
          ) r
          ORDER BY r.min_minutes, r.kind LIMIT 1
        ) routes
    )
    SELECT lot_id AS subject_id, 'critical'::text AS severity,
           'travel:' || least(id, other_id)::text || '/' || greatest(id, other_id)::text AS fingerprint,
           jsonb_build_object(
             'finding', 'impossible_travel',
             'scan', jsonb_build_object('id', id, 'checkpointId', checkpoint_id, 'checkpointCode', code,
                                        'checkpointName', name, 'checkpointMode', mode, 'occurredAt', occurred_at),
             'otherScan', jsonb_build_object('id', other_id, 'checkpointId', other_checkpoint_id,
                                             'checkpointCode', other_code, 'checkpointName', other_name,
                                             'checkpointMode', other_mode, 'occurredAt', other_at),
             'distanceKm', round(km::numeric, 1),
             'elapsedMin', round(minutes::numeric, 1),
             'impliedKmh', CASE WHEN minutes > 0 THEN round((km / minutes * 60)::numeric, 1) END,
             'maxKmh', ground_kmh::numeric,
             'fastestRoute', route, 'via', via,
             'minPlausibleMin', round(min_minutes::numeric, 1)
           ) AS evidence
      FROM legs
     WHERE minutes < min_minutes
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
    const via = e.via as {
      fromCheckpointCode?: string;
      toCheckpointCode?: string;
      flightMin?: number;
    } | null;
    const route =
      e.fastestRoute === 'air_link' && via
        ? `through the air link ${via.fromCheckpointCode}→${via.toCheckpointCode} (${via.flightMin} min) and the ground legs to and from it`
        : e.fastestRoute === 'air'
          ? `by air at ${thresholds.qrCloned.maxAirSpeedKmh} km/h (no scheduled link known that way)`
          : `over the ground at ${e.maxKmh} km/h`;
    return `QR scanned at ${scan?.checkpointCode} (${scan?.occurredAt}) and at ${other?.checkpointCode} (${other?.occurredAt}), ${e.distanceKm} km apart in ${e.elapsedMin} min${e.impliedKmh === null || e.impliedKmh === undefined ? '' : ` (${e.impliedKmh} km/h)`}, while the fastest plausible route, ${route}, takes at least ${e.minPlausibleMin ?? '?'} min: two copies of one QR`;
  },
};
