import { sql } from 'drizzle-orm';
import { thresholds } from '../thresholds.js';
import { caseOf, isRootLot } from './sql.js';
import type { LotRule } from './types.js';

const forbidden = Object.keys(thresholds.methods.forbidden);

/**
 * MINING_METHOD_FORBIDDEN: the producer's declared mining method on the extraction date
 * (actor_categories in force then) is one the law forbids — the dredge, banned from every water
 * body by D.L. 1100 art. 5 (thresholds.methods). One flag per lot and category entry (a method
 * declared anew screens anew); a producer with no declared method, or a lawful one, raises nothing.
 */
export const miningMethodForbidden: LotRule = {
  code: 'MINING_METHOD_FORBIDDEN',
  kind: 'lot',
  on: ['registration'],
  dependsOn: ['categories'],
  inheritable: true,
  screen: (lots) => sql`
    SELECT l.id AS subject_id,
           ${caseOf('ac.mining_method', thresholds.methods.forbidden, 'high')} AS severity,
           'method:' || ac.id::text AS fingerprint,
           jsonb_build_object(
             'producerId', l.producer_id, 'miningMethod', ac.mining_method, 'holderCategory', ac.category,
             'categoryValidFrom', ac.valid_from, 'categoryValidTo', ac.valid_to,
             'extractedOn', l.extracted_on,
             'legalBasis', 'D.L. 1100 art. 5 (dragas y artefactos similares prohibidos en todo curso y cuerpo de agua); D.U. 012-2010 en Madre de Dios'
           ) AS evidence
      FROM lots l
      JOIN actor_categories ac ON ac.actor_id = l.producer_id
       AND ac.valid_from <= coalesce(l.extracted_on, l.created_at::date)
       AND (ac.valid_to IS NULL OR ac.valid_to > coalesce(l.extracted_on, l.created_at::date))
     WHERE l.id IN (${lots}) AND ${isRootLot('l')}
       AND ac.mining_method IN (${sql.join(
         forbidden.map((m) => sql`${m}`),
         sql`, `,
       )})`,
  summarize: (e) =>
    `the producer declared ${e.miningMethod} as its mining method on the extraction date ${e.extractedOn}: a method the law forbids (${e.legalBasis})`,
};
