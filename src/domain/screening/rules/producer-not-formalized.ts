import { type SQL, sql } from 'drizzle-orm';
import { thresholds } from '../thresholds.js';
import { caseOf, inForce, isRootLot } from './sql.js';
import type { LotRule } from './types.js';

/** The producer's formalization registration in force on `day` (at most one; the latest if ever two). */
const formalizationOn = (day: string): SQL => sql`
  SELECT r.id, r.status, r.step, r.valid_from, r.valid_to
    FROM actor_registrations r
   WHERE r.actor_id = l.producer_id AND r.registry = 'formalization' AND ${inForce('r', day)}
   ORDER BY r.valid_from DESC, r.id DESC
   LIMIT 1`;

/** The severity a formalization status on one date calls for; null when formalized. */
const severityOf = (alias: string): SQL =>
  sql`(CASE WHEN ${sql.raw(alias)}.status = 'formalized' THEN NULL ELSE ${caseOf(
    `coalesce(${alias}.status, 'none')`,
    thresholds.registrations.formalizationSeverity,
    'high',
  )} END)`;

const registrationJson = (alias: string): SQL =>
  sql`jsonb_build_object('status', coalesce(${sql.raw(alias)}.status, 'none'), 'step', ${sql.raw(alias)}.step,
        'registrationId', ${sql.raw(alias)}.id, 'validFrom', ${sql.raw(alias)}.valid_from,
        'validTo', ${sql.raw(alias)}.valid_to)`;

/**
 * PRODUCER_NOT_FORMALIZED: the producer's formalization registration in force on the lot's
 * extraction date, or on the day the lot was registered (created_at, in UTC like every time of
 * the API), is not `formalized`. Both dates count: registering old gold once formalized, or gold
 * after a revocation, is how informal gold is laundered through a registration. A registration
 * valid from D is in force on D, so a lot registered on the day a revocation takes effect is
 * flagged. Severity is the worse of the two dates (thresholds.registrations). The fingerprint
 * names the registrations in force on both dates: a revocation recorded later raises a new flag,
 * a re-run over the same registrations raises nothing. Root lots only; derived lots inherit.
 */
export const producerNotFormalized: LotRule = {
  code: 'PRODUCER_NOT_FORMALIZED',
  kind: 'lot',
  on: ['registration'],
  dependsOn: ['registrations'],
  inheritable: true,
  screen: (lots) => sql`
    SELECT l.id AS subject_id,
           (SELECT s FROM (VALUES (${severityOf('rx')}), (${severityOf('rr')})) v(s)
             WHERE s IS NOT NULL
             ORDER BY array_position(ARRAY['low','medium','high','critical']::text[], s) DESC
             LIMIT 1) AS severity,
           coalesce(rx.id::text, 'none') || '/' || coalesce(rr.id::text, 'none') AS fingerprint,
           jsonb_build_object(
             'producerId', a.id, 'taxId', a.tax_id, 'name', a.name,
             'extractedOn', l.extracted_on, 'registeredOn', d.registered_on,
             'atExtraction', ${registrationJson('rx')},
             'atRegistration', ${registrationJson('rr')}
           ) AS evidence
      FROM lots l
      JOIN actors a ON a.id = l.producer_id
      CROSS JOIN LATERAL (SELECT (l.created_at AT TIME ZONE 'UTC')::date AS registered_on) d
      LEFT JOIN LATERAL (${formalizationOn('l.extracted_on')}) rx ON true
      LEFT JOIN LATERAL (${formalizationOn('d.registered_on')}) rr ON true
     WHERE l.id IN (${lots}) AND ${isRootLot('l')} AND l.extracted_on IS NOT NULL
       AND (rx.status IS DISTINCT FROM 'formalized' OR rr.status IS DISTINCT FROM 'formalized')`,
  summarize: (e) => {
    const at = (r: unknown) => {
      const x = r as { status?: string; step?: number | null } | undefined;
      return `${x?.status ?? 'none'}${x?.status === 'in_process' && x.step ? ` (step ${x.step})` : ''}`;
    };
    return `producer ${e.name} (${e.taxId}) was ${at(e.atExtraction)} in the formalization registry on the extraction date ${e.extractedOn} and ${at(e.atRegistration)} on the registration date ${e.registeredOn}`;
  },
};
