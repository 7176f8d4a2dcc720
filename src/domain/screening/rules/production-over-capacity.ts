import { sql } from 'drizzle-orm';
import { concessionBalanceSql } from '../../reports/balances.js';
import { thresholds } from '../thresholds.js';
import { isRootLot } from './sql.js';
import type { LotRule } from './types.js';

const { capacity } = thresholds;

/**
 * PRODUCTION_OVER_CAPACITY: the fine gold declared on the lot's concession in the capacity window
 * ending on the lot's extraction date (this lot included) exceeds what the concession's area can
 * plausibly yield (thresholds.capacity: area × kg/ha/yr). Gold laundered through a concession's
 * papers shows up as more gold than its ground holds. Severity by how far over: medium up to 2×,
 * high above, critical above 5×. One flag per lot (fingerprint 'window'): the lot is the
 * subject, the window is its own. The balance is the one the endpoint shows (reports/balances.ts).
 */
export const productionOverCapacity: LotRule = {
  code: 'PRODUCTION_OVER_CAPACITY',
  kind: 'lot',
  on: ['registration'],
  dependsOn: ['concessions'],
  inheritable: true,
  screen: (lots) => sql`
    SELECT l.id AS subject_id,
           CASE WHEN b.declared_fine_g > 5 * b.capacity_fine_g THEN 'critical'
                WHEN b.declared_fine_g > 2 * b.capacity_fine_g THEN 'high'
                ELSE 'medium' END AS severity,
           'window' AS fingerprint,
           jsonb_build_object(
             'concessionId', c.id, 'concessionCode', c.code, 'concessionName', c.name,
             'areaHa', b.area_ha::text, 'windowFrom', b.window_from, 'windowTo', b.window_to,
             'declaredFineG', b.declared_fine_g::text, 'capacityFineG', b.capacity_fine_g::text,
             'ratio', b.ratio::text, 'lotCount', b.lot_count, 'lotFineG', l.fine_weight_g::text,
             'fineKgPerHaYear', ${String(capacity.fineKgPerHaYear)}::numeric,
             'windowDays', ${capacity.windowDays}::int
           ) AS evidence
      FROM lots l
      JOIN concessions c ON c.id = l.concession_id
      CROSS JOIN LATERAL (${concessionBalanceSql(sql`l.concession_id`, sql`l.extracted_on`)}) b
     WHERE l.id IN (${lots}) AND ${isRootLot('l')} AND l.extracted_on IS NOT NULL
       AND b.declared_fine_g > b.capacity_fine_g`,
  summarize: (e) =>
    `concession ${e.concessionCode} (${e.areaHa} ha) had ${e.declaredFineG} g of fine gold declared from ${e.windowFrom} to ${e.windowTo} over ${e.lotCount} lots, ${e.ratio}× its capacity of ${e.capacityFineG} g at ${e.fineKgPerHaYear} kg/ha/yr`,
};
