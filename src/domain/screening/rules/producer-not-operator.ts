import { sql } from 'drizzle-orm';
import { isRootLot } from './sql.js';
import type { LotRule } from './types.js';

/**
 * PRODUCER_NOT_OPERATOR: the lot's producer is neither the holder of the declared concession nor
 * an operator authorized on it (a concession_operators contract in force on the extraction
 * date) — gold declared under someone else's title, the "facturador" pattern. The evidence lists
 * every operator on record with its validity, so a regulator sees whether a contract lapsed or
 * never existed. One flag per lot and concession. Root lots only; derived lots inherit. Adding
 * an operator later can only remove the cause, and flags are never deleted: no re-screen on it.
 */
export const producerNotOperator: LotRule = {
  code: 'PRODUCER_NOT_OPERATOR',
  kind: 'lot',
  on: ['registration'],
  dependsOn: ['concessions', 'registrations'],
  inheritable: true,
  screen: (lots) => sql`
    SELECT l.id AS subject_id,
           'high' AS severity,
           c.id::text AS fingerprint,
           jsonb_build_object(
             'producerId', p.id, 'producerTaxId', p.tax_id, 'producerName', p.name,
             'concessionId', c.id, 'concessionCode', c.code, 'concessionName', c.name,
             'holderId', h.id, 'holderTaxId', h.tax_id, 'holderName', h.name,
             'extractedOn', l.extracted_on,
             'operators', coalesce((
               SELECT jsonb_agg(jsonb_build_object('actorId', o.actor_id, 'taxId', oa.tax_id,
                        'name', oa.name, 'validFrom', o.valid_from, 'validTo', o.valid_to)
                      ORDER BY o.valid_from, o.id)
                 FROM concession_operators o JOIN actors oa ON oa.id = o.actor_id
                WHERE o.concession_id = c.id), '[]'::jsonb)
           ) AS evidence
      FROM lots l
      JOIN concessions c ON c.id = l.concession_id
      JOIN actors p ON p.id = l.producer_id
      JOIN actors h ON h.id = c.holder_id
     WHERE l.id IN (${lots}) AND ${isRootLot('l')} AND l.extracted_on IS NOT NULL
       AND l.producer_id <> c.holder_id
       AND NOT EXISTS (
         SELECT 1 FROM concession_operators o
          WHERE o.concession_id = c.id AND o.actor_id = l.producer_id
            AND o.valid_from <= l.extracted_on AND (o.valid_to IS NULL OR o.valid_to > l.extracted_on))`,
  summarize: (e) => {
    const ops = (e.operators as { name?: string; validFrom?: string; validTo?: string | null }[]) ?? [];
    const list = ops.length
      ? `operators on record: ${ops.map((o) => `${o.name} ${o.validFrom}–${o.validTo ?? 'open'}`).join('; ')}`
      : 'no operator on record';
    return `producer ${e.producerName} (${e.producerTaxId}) is neither the holder (${e.holderName}, ${e.holderTaxId}) of concession ${e.concessionCode} nor an operator authorized on it on the extraction date ${e.extractedOn}; ${list}`;
  },
};
