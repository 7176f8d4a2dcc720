import { sql } from 'drizzle-orm';
import { thresholds } from '../thresholds.js';
import { caseOf, isRootLot } from './sql.js';
import type { LotRule } from './types.js';

const t = thresholds.concessions;

/**
 * CONCESSION_NOT_VALID_MINING: the concession a lot declares was not a valid title to mine on
 * its extraction date — not a mining right at all (gold from a timber or chestnut concession),
 * not titled (a petition in process, an expired or cancelled title), retired on or before the
 * extraction date, or granted after it. Every reason found is listed; the severity is that of
 * the gravest (thresholds.concessions). The fingerprint is the facts judged (kind, status,
 * retirement and grant dates), so a change of those facts raises anew and the same facts never
 * twice.
 */
export const concessionNotValidMining: LotRule = {
  code: 'CONCESSION_NOT_VALID_MINING',
  kind: 'lot',
  on: ['registration'],
  dependsOn: ['concessions'],
  inheritable: true,
  screen: (lots) => sql`
    SELECT subject_id,
           CASE WHEN 'critical' = ANY(severities) THEN 'critical'
                WHEN 'high' = ANY(severities) THEN 'high'
                WHEN 'medium' = ANY(severities) THEN 'medium'
                ELSE 'low' END AS severity,
           fingerprint,
           evidence || jsonb_build_object('reasons', to_jsonb(reasons)) AS evidence
      FROM (
        SELECT l.id AS subject_id,
               c.kind || '|' || c.status || '|' || coalesce(c.retired_on::text, '') || '|'
                 || coalesce(c.granted_on::text, '') AS fingerprint,
               array_remove(ARRAY[
                 CASE WHEN c.kind <> 'mining' THEN ${t.notMiningSeverity}::text END,
                 CASE WHEN c.status <> 'titled' THEN ${caseOf('c.status', t.statusSeverity, 'high')} END,
                 CASE WHEN c.retired_on <= l.extracted_on OR c.granted_on > l.extracted_on
                      THEN ${t.outOfTermSeverity}::text END
               ], NULL) AS severities,
               array_remove(ARRAY[
                 CASE WHEN c.kind <> 'mining' THEN 'a ' || c.kind || ' concession, not a mining right' END,
                 CASE WHEN c.status <> 'titled' THEN 'status ' || c.status || ', not titled' END,
                 CASE WHEN c.retired_on <= l.extracted_on
                      THEN 'retired on ' || c.retired_on || ', on or before the extraction date' END,
                 CASE WHEN c.granted_on > l.extracted_on
                      THEN 'granted on ' || c.granted_on || ', after the extraction date' END
               ], NULL) AS reasons,
               jsonb_build_object(
                 'concessionId', c.id, 'code', c.code, 'concessionName', c.name,
                 'kind', c.kind, 'status', c.status, 'holderId', c.holder_id,
                 'grantedOn', c.granted_on, 'retiredOn', c.retired_on, 'extractedOn', l.extracted_on
               ) AS evidence
          FROM lots l
          JOIN concessions c ON c.id = l.concession_id
         WHERE l.id IN (${lots}) AND ${isRootLot('l')}
      ) s
     WHERE cardinality(reasons) > 0`,
  summarize: (e) =>
    `declared concession ${e.code} was not a valid mining title on the extraction date ${e.extractedOn}: ${((e.reasons as string[] | undefined) ?? []).join('; ')}`,
};
