import { sql } from 'drizzle-orm';
import { registrationInForce } from './consignee-not-authorized.js';
import type { MovementRule } from './types.js';

/**
 * OVER_QUOTA: with this movement, its consignee has received more of the input in the
 * declaration's calendar month (UTC) than the monthly quota of the controlled-inputs
 * registration in force on the declaration day (Decreto Legislativo 1126: a user of the Registro
 * de Bienes Fiscalizados acquires the quantities it is authorized for, no more). Counted as inputs/quotas.ts counts them: movements
 * declared in the month, delivered or on their way, not seized; here those declared up to and
 * including this one, so that re-screening an early movement does not blame it for later ones
 * (read from the running totals, window_totals, so a month of deliveries costs its days).
 * An authorized registration without a quota for the input grants zero; an unauthorized one is
 * CONSIGNEE_NOT_AUTHORIZED's finding, not this. High; critical beyond twice the quota. Sums in
 * numeric, exactly, and unbounded: a month's total may exceed what one movement's column holds.
 */
export const overQuota: MovementRule = {
  code: 'OVER_QUOTA',
  kind: 'movement',
  on: ['declaration'],
  dependsOn: ['registrations'],
  screen: (movements) => sql`
    SELECT q.id AS subject_id,
           CASE WHEN q.received > 2 * q.quota THEN 'critical' ELSE 'high' END AS severity,
           q.month AS fingerprint,
           jsonb_build_object(
             'movementCode', q.code, 'consigneeId', q.consignee_id, 'input', q.input, 'unit', q.unit,
             'quantity', q.quantity::text, 'month', q.month,
             'quota', round(q.quota, 3)::text, 'received', round(q.received, 3)::text,
             'excess', round(q.received - q.quota, 3)::text, 'movementsCounted', q.n,
             'registrationId', q.registration_id, 'registrationValidFrom', q.valid_from,
             'registrationValidTo', q.valid_to
           ) AS evidence
      FROM (
        SELECT m.id, m.code, m.consignee_id, m.input, m.unit, m.quantity,
               to_char(m.declared_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
               r.id AS registration_id, r.valid_from, r.valid_to,
               coalesce((SELECT (qe->>'monthly')::numeric FROM jsonb_array_elements(r.quotas) qe
                          WHERE qe->>'input' = m.input LIMIT 1), 0) AS quota,
               t.received, t.n
          FROM movements m
          JOIN LATERAL ${registrationInForce} r ON r.status = 'authorized'
          CROSS JOIN LATERAL (
            -- The month's totals through this movement's day, less the movements of that day
            -- declared after it: the running totals, not every movement of the month.
            SELECT coalesce(sum(v.amount), 0) AS received, coalesce(sum(v.count), 0)::int AS n
              FROM (
                SELECT wt.amount, wt.count FROM window_totals wt
                 WHERE wt.scope = 'consignee' AND wt.subject_id = m.consignee_id AND wt.item = m.input
                   AND wt.day >= date_trunc('month', m.declared_at AT TIME ZONE 'UTC')::date
                   AND wt.day <= (m.declared_at AT TIME ZONE 'UTC')::date
                UNION ALL
                SELECT -mm.quantity, -1 FROM movements mm
                 WHERE mm.consignee_id = m.consignee_id AND mm.input = m.input AND mm.status <> 'seized'
                   AND mm.declared_at >= m.declared_at
                   AND mm.declared_at < (((m.declared_at AT TIME ZONE 'UTC')::date + 1)::timestamp AT TIME ZONE 'UTC')
                   AND (mm.declared_at, mm.id) > (m.declared_at, m.id)
              ) v
          ) t
         WHERE m.id IN (${movements}) AND m.status <> 'seized'
      ) q
     WHERE q.received > q.quota`,
  summarize: (e) =>
    `${e.movementCode} brings ${e.input} received in ${e.month} to ${e.received} ${e.unit}, ${e.excess} ${e.unit} over the monthly quota of ${e.quota} ${e.unit} (registration ${e.registrationId})`,
};
