import { sql } from 'drizzle-orm';
import { concessionCapacitySql } from '../../reports/balances.js';
import { thresholds } from '../thresholds.js';
import { isRootLot } from './sql.js';
import type { LotRule } from './types.js';

const { capacity } = thresholds;

/** The time scales as rows (days, peak), from thresholds.capacity.windows. */
const windows = sql.join(
  capacity.windows.map((w) => sql`(${w.days}::int, ${String(w.peakFactor)}::numeric)`),
  sql`, `,
);

/**
 * PRODUCTION_OVER_CAPACITY: more fine gold declared on a concession in a window than it can
 * plausibly yield, at each time scale of thresholds.capacity.windows (a month, a quarter, a
 * year: a burst in a few weeks shows even when the year stays under its ceiling). The capacity is
 * the smaller of the concession's area basis and, where remote sensing covers it, the mined area
 * detected on it (reports/balances.ts concessionCapacitySql).
 *
 * Independent of the order lots are registered in: the concession's root lots are ordered by
 * extraction date, then registration, then id, and a lot is over when the fine gold of the
 * window ending on its extraction date — the lots up to it in that order — exceeds the window's
 * capacity. A lot registered with an earlier extraction date than lots already there enters their
 * windows, so the rule re-checks every lot of the concession whose window it falls in, and the
 * flag lands on those that crossed the line, which may have been registered before it (the
 * engine raises flags on any lot the rule names, and passes them down to lots made since). So a
 * producer back-filling a burst newest-first is flagged as one registering it in order is.
 *
 * Severity by how far over: medium up to 2×, high above, critical above 5×. Once per lot and
 * time scale (fingerprint 'window:<days>'), with the window's figures when it first crossed.
 */
export const productionOverCapacity: LotRule = {
  code: 'PRODUCTION_OVER_CAPACITY',
  kind: 'lot',
  on: ['registration'],
  dependsOn: ['concessions', 'detections'],
  inheritable: true,
  screen: (lots) => sql`
    SELECT k.id AS subject_id,
           CASE WHEN s.declared_fine_g > 5 * b.capacity_fine_g THEN 'critical'
                WHEN s.declared_fine_g > 2 * b.capacity_fine_g THEN 'high'
                ELSE 'medium' END AS severity,
           'window:' || w.days::text AS fingerprint,
           jsonb_build_object(
             'concessionId', c.id, 'concessionCode', c.code, 'concessionName', c.name,
             'areaHa', b.area_ha::text, 'windowDays', w.days, 'peakFactor', w.peak,
             'windowFrom', k.extracted_on - (w.days - 1), 'windowTo', k.extracted_on,
             'declaredFineG', s.declared_fine_g::text, 'lotCount', s.lot_count,
             'lotFineG', k.fine_weight_g::text,
             'capacityFineG', b.capacity_fine_g::text, 'basis', b.basis,
             'ratio', round(s.declared_fine_g / b.capacity_fine_g, 3)::text,
             'areaCapacityFineG', b.area_capacity_fine_g::text,
             'fineKgPerHaYear', ${String(capacity.fineKgPerHaYear)}::numeric,
             'footprintSource', b.footprint_source, 'minedAreaHa', b.mined_area_ha::text,
             'minedCapacityFineG', b.mined_capacity_fine_g::text,
             'minedFineKgPerHaYear', ${String(capacity.minedFineKgPerHaYear)}::numeric
           ) AS evidence
      FROM (VALUES ${windows}) w(days, peak)
      CROSS JOIN LATERAL (
        SELECT DISTINCT k.id, k.concession_id, k.extracted_on, k.created_at, k.fine_weight_g
          FROM lots g
          JOIN lots k ON k.concession_id = g.concession_id
                     AND k.extracted_on >= g.extracted_on AND k.extracted_on < g.extracted_on + w.days
         WHERE g.id IN (${lots}) AND ${isRootLot('g')} AND ${isRootLot('k')}
           -- A lot already flagged at this scale would raise nothing new: skip its sums.
           AND NOT EXISTS (SELECT 1 FROM flags f
                            WHERE f.subject_type = 'lot' AND f.subject_id = k.id
                              AND f.rule = 'PRODUCTION_OVER_CAPACITY' AND f.fingerprint = 'window:' || w.days::text)
      ) k
      CROSS JOIN LATERAL (
        SELECT sum(m.fine_weight_g) AS declared_fine_g, count(*)::int AS lot_count
          FROM lots m
         WHERE m.concession_id = k.concession_id AND ${isRootLot('m')}
           AND m.extracted_on > k.extracted_on - w.days
           AND (m.extracted_on, m.created_at, m.id) <= (k.extracted_on, k.created_at, k.id)
      ) s
      CROSS JOIN LATERAL (${concessionCapacitySql(sql`k.concession_id`, sql`k.extracted_on`, sql`w.days`, sql`w.peak`)}) b
      JOIN concessions c ON c.id = k.concession_id
     WHERE s.declared_fine_g > b.capacity_fine_g`,
  summarize: (e) => {
    const basis =
      e.basis === 'mined_area'
        ? `${e.minedAreaHa} ha of mining detected on it (${e.footprintSource}) at ${e.minedFineKgPerHaYear} kg/ha/yr`
        : `its ${e.areaHa} ha at ${e.fineKgPerHaYear} kg/ha/yr`;
    // Flags raised before the time scales carry no peak factor (they were pro-rata, a year).
    const peak = e.peakFactor === undefined ? '' : ` × ${e.peakFactor} seasonal peak`;
    return `concession ${e.concessionCode} had ${e.declaredFineG} g of fine gold declared from ${e.windowFrom} to ${e.windowTo} (${e.windowDays} days, ${e.lotCount} lots), ${e.ratio}× its capacity of ${e.capacityFineG} g for that window: ${basis}, × ${e.windowDays}/365${peak}`;
  },
};
