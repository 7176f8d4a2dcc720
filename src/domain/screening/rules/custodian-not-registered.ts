import { sql } from 'drizzle-orm';
import { thresholds } from '../thresholds.js';
import { caseOf, inForce } from './sql.js';
import type { LotRule } from './types.js';

/**
 * CUSTODIAN_NOT_REGISTERED: the lot is held by someone other than its producer (registered on
 * the producer's behalf by a buyer, or transferred) and that custodian had no `registered` trader
 * registration in force on the day custody began (custody_since, UTC). A lot merged from several
 * producers' gold (no producer) always needs a registered custodian. Any lot, root or derived,
 * active or not: a split part sold to an unregistered buyer counts. The fingerprint is the
 * custody episode (custodian, custody_since) and the registration in force, so each episode is
 * judged once and a revocation recorded later raises a new flag. Severity by the status in
 * force (thresholds.registrations.traderSeverity).
 */
export const custodianNotRegistered: LotRule = {
  code: 'CUSTODIAN_NOT_REGISTERED',
  kind: 'lot',
  on: ['registration', 'custody'],
  dependsOn: ['registrations'],
  inheritable: true,
  screen: (lots) => sql`
    SELECT l.id AS subject_id,
           ${caseOf("coalesce(r.status, 'none')", thresholds.registrations.traderSeverity, 'high')} AS severity,
           a.id::text || '@' || d.since || '/' || coalesce(r.id::text, 'none') AS fingerprint,
           jsonb_build_object(
             'custodianId', a.id, 'taxId', a.tax_id, 'name', a.name, 'kinds', to_jsonb(a.kinds),
             'producerId', l.producer_id, 'custodySince', d.since,
             'traderRegistration', jsonb_build_object('status', coalesce(r.status, 'none'),
               'registrationId', r.id, 'validFrom', r.valid_from, 'validTo', r.valid_to)
           ) AS evidence
      FROM lots l
      JOIN actors a ON a.id = l.custodian_id
      CROSS JOIN LATERAL (
        SELECT (l.custody_since AT TIME ZONE 'UTC')::date AS day,
               to_char(l.custody_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS since) d
      LEFT JOIN LATERAL (
        SELECT r.id, r.status, r.valid_from, r.valid_to
          FROM actor_registrations r
         WHERE r.actor_id = l.custodian_id AND r.registry = 'trader' AND ${inForce('r', 'd.day')}
         ORDER BY r.valid_from DESC, r.id DESC
         LIMIT 1) r ON true
     WHERE l.id IN (${lots})
       AND (l.producer_id IS NULL OR l.producer_id <> l.custodian_id)
       AND r.status IS DISTINCT FROM 'registered'`,
  summarize: (e) => {
    const r = e.traderRegistration as { status?: string } | undefined;
    return `custodian ${e.name} (${e.taxId}) took custody on ${e.custodySince} while its trader registration was ${r?.status ?? 'none'}`;
  },
};
