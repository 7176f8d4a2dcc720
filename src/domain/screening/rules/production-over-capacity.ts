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

/** The longest time scale: how far before and after the new lots the concession's lots are read. */
const longest = Math.max(...capacity.windows.map((w) => w.days));
/**
 * Per time scale, the running sums (gold, lots) of the lots extracted `days` or more before each
 * lot: a RANGE frame over the extraction date ending `days` before it (0 when there are none).
 */
const before = sql.raw(
  capacity.windows
    .map((w) => {
      const frame = `(PARTITION BY m.concession_id ORDER BY m.extracted_on RANGE BETWEEN UNBOUNDED PRECEDING AND '${w.days} days'::interval PRECEDING)`;
      return `coalesce(sum(m.fine_weight_g) OVER ${frame}, 0) AS before_g_${w.days}, count(*) OVER ${frame} AS before_n_${w.days}`;
    })
    .join(',\n             '),
);
/** The running sum before the window of the row's time scale (`w.days`). */
const pick = (what: 'g' | 'n') =>
  sql.raw(
    `(CASE w.days ${capacity.windows.map((w) => `WHEN ${w.days} THEN m.before_${what}_${w.days}`).join(' ')} END)`,
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
    WITH g AS (
      -- The new lots, per concession: the span of extraction dates whose windows they enter.
      SELECT g.concession_id, min(g.extracted_on) AS d_from, max(g.extracted_on) AS d_to
        FROM lots g
       WHERE g.id IN (${lots}) AND ${isRootLot('g')}
         AND g.concession_id IS NOT NULL AND g.extracted_on IS NOT NULL
       GROUP BY g.concession_id
    ),
    m AS (
      -- Every root lot any affected window can hold, read once, with running sums in extraction
      -- order: a window's gold is the running sum at a lot less the running sum of the lots
      -- extracted a window's length or more before it. One pass over the concession's lots of
      -- those dates, however many lots are re-checked (a lot per lot re-summing its window was
      -- quadratic in the lots of a window).
      SELECT m.id, m.concession_id, m.extracted_on, m.fine_weight_g, g.d_from, g.d_to,
             sum(m.fine_weight_g) OVER upTo AS cum_g, count(*) OVER upTo AS cum_n,
             ${before}
        FROM g
        JOIN lots m ON m.concession_id = g.concession_id
                   AND m.extracted_on > g.d_from - ${longest}::int
                   AND m.extracted_on < g.d_to + ${longest}::int
       WHERE ${isRootLot('m')}
      WINDOW upTo AS (PARTITION BY m.concession_id ORDER BY m.extracted_on, m.created_at, m.id
                      ROWS UNBOUNDED PRECEDING)
    ),
    k AS (
      -- The lots whose window at a time scale holds a new lot, with that window's figures.
      SELECT m.id, m.concession_id, m.extracted_on, m.fine_weight_g, w.days, w.peak,
             m.cum_g - ${pick('g')} AS declared_fine_g, (m.cum_n - ${pick('n')})::int AS lot_count
        FROM m
        CROSS JOIN (VALUES ${windows}) w(days, peak)
       WHERE m.extracted_on >= m.d_from AND m.extracted_on < m.d_to + w.days
         -- A lot already flagged at this scale would raise nothing new.
         AND NOT EXISTS (SELECT 1 FROM flags f
                          WHERE f.subject_type = 'lot' AND f.subject_id = m.id
                            AND f.rule = 'PRODUCTION_OVER_CAPACITY' AND f.fingerprint = 'window:' || w.days::text)
    ),
    caps AS (
      -- The capacity once per concession, day and time scale, however many lots share them.
      SELECT cd.concession_id, cd.extracted_on, cd.days, b.*
        FROM (SELECT DISTINCT concession_id, extracted_on, days, peak FROM k) cd
        CROSS JOIN LATERAL (${concessionCapacitySql(sql`cd.concession_id`, sql`cd.extracted_on`, sql`cd.days`, sql`cd.peak`)}) b
    )
    SELECT k.id AS subject_id,
           CASE WHEN k.declared_fine_g > 5 * b.capacity_fine_g THEN 'critical'
                WHEN k.declared_fine_g > 2 * b.capacity_fine_g THEN 'high'
                ELSE 'medium' END AS severity,
           'window:' || k.days::text AS fingerprint,
           jsonb_build_object(
             'concessionId', c.id, 'concessionCode', c.code, 'concessionName', c.name,
             'areaHa', b.area_ha::text, 'windowDays', k.days, 'peakFactor', k.peak,
             'windowFrom', k.extracted_on - (k.days - 1), 'windowTo', k.extracted_on,
             'declaredFineG', k.declared_fine_g::text, 'lotCount', k.lot_count,
             'lotFineG', k.fine_weight_g::text,
             'capacityFineG', b.capacity_fine_g::text, 'basis', b.basis,
             'ratio', round(k.declared_fine_g / b.capacity_fine_g, 3)::text,
             'areaCapacityFineG', b.area_capacity_fine_g::text,
             'fineKgPerHaYear', ${String(capacity.fineKgPerHaYear)}::numeric,
             'footprintSource', b.footprint_source, 'minedAreaHa', b.mined_area_ha::text,
             'minedCapacityFineG', b.mined_capacity_fine_g::text,
             'minedFineKgPerHaYear', ${String(capacity.minedFineKgPerHaYear)}::numeric
           ) AS evidence
      FROM k
      JOIN caps b ON b.concession_id = k.concession_id AND b.extracted_on = k.extracted_on AND b.days = k.days
      JOIN concessions c ON c.id = k.concession_id
     WHERE k.declared_fine_g > b.capacity_fine_g`,
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
