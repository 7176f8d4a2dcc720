import { sql } from 'drizzle-orm';
import { inForce } from './sql.js';
import type { MovementRule } from './types.js';

/** The UTC day a movement `m` was declared on: the day its authorization is judged on. */
export const declaredOn = sql.raw(`((m.declared_at AT TIME ZONE 'UTC')::date)`);

/**
 * The consignee's controlled-inputs registration in force on the declaration day (the latest
 * begun, as registrationAt in reference/actors.ts), for `LEFT JOIN LATERAL … r ON true` beside movements `m`.
 */
export const registrationInForce = sql`(
  SELECT * FROM actor_registrations ar
   WHERE ar.actor_id = m.consignee_id AND ar.registry = 'controlled_inputs' AND ${inForce('ar', declaredOn)}
   ORDER BY ar.valid_from DESC, ar.id DESC LIMIT 1)`;

/**
 * The authorization a movement `m` names (`a`) was no authorization on the declaration day: not
 * authorized, not begun, or already ended as the register stood when the movement was declared.
 * A registration closed afterwards by a successor recorded later (a quota changed from the 1st
 * of the month) did authorize the consignment; what the consignee's status really was then is
 * judged on the registration in force, `r`.
 */
const namedNotValid = sql`(a.status <> 'authorized' OR a.valid_from > ${declaredOn}
  OR (a.valid_to <= ${declaredOn} AND NOT EXISTS (
        SELECT 1 FROM actor_registrations succ
         WHERE succ.actor_id = a.actor_id AND succ.registry = a.registry
           AND succ.valid_from = a.valid_to AND succ.created_at > m.declared_at)))`;

/**
 * CONSIGNEE_NOT_AUTHORIZED: mercury or fuel consigned to an actor without a controlled-inputs
 * registration authorized on the day of the declaration (Decreto Legislativo 1103 puts mercury
 * and the fuels used in mining under control; Decreto Legislativo 1126 lets only users in SUNAT's
 * Registro de Bienes Fiscalizados receive them), or drawing on a named registration that was not authorized and in force
 * then. Mercury is critical (Minamata Convention, art. 3), fuels high. The fingerprint is the
 * registration in force ('none' without one), so a later revocation raises a new flag.
 */
export const consigneeNotAuthorized: MovementRule = {
  code: 'CONSIGNEE_NOT_AUTHORIZED',
  kind: 'movement',
  on: ['declaration'],
  dependsOn: ['registrations'],
  screen: (movements) => sql`
    SELECT m.id AS subject_id,
           CASE m.input WHEN 'mercury' THEN 'critical' ELSE 'high' END AS severity,
           CASE WHEN r.id IS NULL OR r.status <> 'authorized' THEN coalesce(r.id::text, 'none')
                ELSE 'named:' || a.id::text END AS fingerprint,
           jsonb_build_object(
             'movementCode', m.code,
             'consigneeId', c.id, 'consigneeTaxId', c.tax_id, 'consigneeName', c.name,
             'input', m.input, 'quantity', m.quantity::text, 'unit', m.unit,
             'declaredOn', ${declaredOn},
             'registration', CASE WHEN r.id IS NOT NULL THEN jsonb_build_object(
               'id', r.id, 'status', r.status, 'validFrom', r.valid_from, 'validTo', r.valid_to) END,
             'authorization', CASE WHEN a.id IS NOT NULL THEN jsonb_build_object(
               'id', a.id, 'status', a.status, 'validFrom', a.valid_from, 'validTo', a.valid_to,
               'inForce', ${inForce('a', declaredOn)}) END
           ) AS evidence
      FROM movements m
      JOIN actors c ON c.id = m.consignee_id
      LEFT JOIN LATERAL ${registrationInForce} r ON true
      LEFT JOIN actor_registrations a ON a.id = m.authorization_id
     WHERE m.id IN (${movements})
       AND (r.id IS NULL OR r.status <> 'authorized' OR (a.id IS NOT NULL AND ${namedNotValid}))`,
  summarize: (e) => {
    const r = e.registration as { status?: string; validFrom?: string } | null | undefined;
    const a = e.authorization as { id?: string; status?: string; inForce?: boolean } | null | undefined;
    const held = r
      ? `a controlled-inputs registration ${r.status} (since ${r.validFrom})`
      : 'no controlled-inputs registration';
    const named =
      a && (a.status !== 'authorized' || !a.inForce)
        ? `; the authorization it names is ${a.status}${a.inForce ? '' : ' and not in force'}`
        : '';
    return `${e.quantity} ${e.unit} of ${e.input} (${e.movementCode}) consigned to ${e.consigneeName} (${e.consigneeTaxId}), which had ${held} on ${e.declaredOn}${named}`;
  },
};
