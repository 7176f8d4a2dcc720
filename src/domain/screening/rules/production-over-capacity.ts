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
 * How far back, before the first new lot, a busy day's lots are judged again: longer than a
 * registration's transaction lasts (tens of milliseconds; a few hundred under 16 concurrent
 * clients on two cores), so that lots registered concurrently, each screened without the other,
 * are judged with both by the next registration.
 */
const concurrentSeconds = 2;

/** The longest time scale: how far before and after the new lots the concession's days are read. */
const longest = Math.max(...capacity.windows.map((w) => w.days));
/**
 * Per time scale, the running sums (gold, lots) of the days `days` or more before each day: a
 * RANGE frame over the day ending `days` before it (0 when there are none).
 */
const before = sql.raw(
  capacity.windows
    .map((w) => {
      const frame = `(PARTITION BY d.concession_id ORDER BY d.day RANGE BETWEEN UNBOUNDED PRECEDING AND '${w.days} days'::interval PRECEDING)`;
      return `coalesce(sum(d.day_g) OVER ${frame}, 0) AS before_g_${w.days}, coalesce(sum(d.day_n) OVER ${frame}, 0) AS before_n_${w.days}`;
    })
    .join(',\n             '),
);
/** The running sum before the window of the row's time scale (`w.days`). */
const pick = (what: 'g' | 'n') =>
  sql.raw(
    `(CASE w.days ${capacity.windows.map((w) => `WHEN ${w.days} THEN r.before_${what}_${w.days}`).join(' ')} END)`,
  );

/**
 * PRODUCTION_OVER_CAPACITY: more fine gold declared on a concession in a window than it can
 * plausibly yield, at each time scale of thresholds.capacity.windows (a month, a quarter, a
 * year: a burst in a few weeks shows even when the year stays under its ceiling). The capacity is
 * the smallest of the concession's area basis (the geometry version in force), where remote
 * sensing covers it the mined area detected on it, and where its holder is an artisanal or small
 * producer the ceiling the law sets for that category (reports/balances.ts concessionCapacitySql;
 * the evidence's `basis` says which applied).
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
 * The windows are read from the running totals of the concession's days (window_totals), and a
 * day's lots only when its whole window is over: the cost follows the days around the new lots,
 * not the lots of a year.
 *
 * Severity by how far over: medium up to 2×, high above, critical above 5×. Once per lot and
 * time scale (fingerprint 'window:<days>'), with the window's figures when it first crossed.
 */
export const productionOverCapacity: LotRule = {
  code: 'PRODUCTION_OVER_CAPACITY',
  kind: 'lot',
  on: ['registration'],
  dependsOn: ['concessions', 'detections', 'categories'],
  inheritable: true,
  screen: (lots) => sql`
    WITH g AS (
      -- The new lots, per concession: the span of extraction dates whose windows they enter, and
      -- the first of them in the concession's order (extraction date, registration, id): the
      -- lots before it hold none of them in their windows and are left as they were judged.
      SELECT DISTINCT ON (g.concession_id) g.concession_id, g.extracted_on AS d_from,
             g.created_at AS p_created, g.id AS p_id,
             max(g.extracted_on) OVER (PARTITION BY g.concession_id) AS d_to
        FROM lots g
       WHERE g.id IN (${lots}) AND ${isRootLot('g')}
         AND g.concession_id IS NOT NULL AND g.extracted_on IS NOT NULL
       ORDER BY g.concession_id, g.extracted_on, g.created_at, g.id
    ),
    d AS (
      -- The concession's gold per extraction day around them, from the running totals
      -- (window_totals: its root lots per day, the shards summed): a year costs its days, not
      -- its lots.
      SELECT t.subject_id AS concession_id, t.day, g.d_from, g.d_to, g.p_created, g.p_id,
             sum(t.amount) AS day_g, sum(t.count)::int AS day_n
        FROM g
        JOIN window_totals t ON t.scope = 'concession' AND t.subject_id = g.concession_id AND t.item = ''
                            AND t.day > g.d_from - ${longest}::int AND t.day < g.d_to + ${longest}::int
       GROUP BY t.subject_id, t.day, g.d_from, g.d_to, g.p_created, g.p_id
    ),
    r AS (
      -- Running sums over the days: through each day, and through the day a window's length
      -- before it; a window's gold is the difference.
      SELECT d.*, sum(d.day_g) OVER upTo AS cum_g, sum(d.day_n) OVER upTo AS cum_n,
             ${before}
        FROM d
      WINDOW upTo AS (PARTITION BY d.concession_id ORDER BY d.day ROWS UNBOUNDED PRECEDING)
    ),
    dk AS (
      -- The days whose window at a time scale holds a new lot, with the window's gold (and lots)
      -- through the day.
      SELECT r.concession_id, r.day, w.days, w.peak,
             r.cum_g - ${pick('g')} AS whole_g, (r.cum_n - ${pick('n')})::int AS whole_n,
             -- Where the day's lots are read from (a bound on the index's last two columns): on
             -- the first new lot's own day, from the lots registered up to concurrentSeconds
             -- before it — a registration running at the same time, not yet committed when the
             -- earlier ones were screened, may have pushed them over — and any later day whole.
             CASE WHEN r.day = r.d_from THEN r.p_created - make_interval(secs => ${concurrentSeconds}::int)
                  ELSE '-infinity'::timestamptz END AS from_created,
             '00000000-0000-0000-0000-000000000000'::uuid AS from_id
        FROM r
        CROSS JOIN (VALUES ${windows}) w(days, peak)
       WHERE r.day >= r.d_from AND r.day < r.d_to + w.days
    ),
    caps AS MATERIALIZED (
      -- The capacity once per concession, day and time scale; only a day whose whole window is
      -- over can hold a lot over it, so only those days' lots are read.
      SELECT dk.*, b.*
        FROM dk
        CROSS JOIN LATERAL (${concessionCapacitySql(sql`dk.concession_id`, sql`dk.day`, sql`dk.days`, sql`dk.peak`)}) b
       WHERE dk.whole_g > b.capacity_fine_g
    ),
    k AS (
      -- On such a day, each lot from the first new one on (and those registered just before
      -- it): its window is the day's whole window less the lots of the day after it in
      -- registration order (all of which are read too), so the lots of a busy day registered
      -- before the new ones are not read at all.
      SELECT m.id, m.concession_id, m.extracted_on, m.fine_weight_g, o.days, o.peak,
             o.whole_g - coalesce(sum(m.fine_weight_g) OVER after, 0) AS declared_fine_g,
             (o.whole_n - count(*) OVER after)::int AS lot_count,
             o.area_ha, o.area_capacity_fine_g, o.footprint_source, o.mined_area_ha,
             o.mined_capacity_fine_g, o.capacity_fine_g, o.basis, o.geometry_version, o.category,
             o.mining_method, o.category_daily_fine_g, o.category_capacity_fine_g
        FROM caps o
        JOIN lots m ON m.concession_id = o.concession_id AND m.extracted_on = o.day
                   AND (m.created_at, m.id) >= (o.from_created, o.from_id)
       WHERE ${isRootLot('m')}
      WINDOW after AS (PARTITION BY o.concession_id, o.day, o.days ORDER BY m.created_at DESC, m.id DESC
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    )
    SELECT k.id AS subject_id,
           CASE WHEN k.declared_fine_g > 5 * k.capacity_fine_g THEN 'critical'
                WHEN k.declared_fine_g > 2 * k.capacity_fine_g THEN 'high'
                ELSE 'medium' END AS severity,
           'window:' || k.days::text AS fingerprint,
           jsonb_build_object(
             'concessionId', c.id, 'concessionCode', c.code, 'concessionName', c.name,
             'areaHa', k.area_ha::text, 'windowDays', k.days, 'peakFactor', k.peak,
             'windowFrom', k.extracted_on - (k.days - 1), 'windowTo', k.extracted_on,
             'declaredFineG', k.declared_fine_g::text, 'lotCount', k.lot_count,
             'lotFineG', k.fine_weight_g::text,
             'capacityFineG', k.capacity_fine_g::text, 'basis', k.basis,
             'ratio', round(k.declared_fine_g / k.capacity_fine_g, 3)::text,
             'areaCapacityFineG', k.area_capacity_fine_g::text,
             'fineKgPerHaYear', ${String(capacity.fineKgPerHaYear)}::numeric,
             'footprintSource', k.footprint_source, 'minedAreaHa', k.mined_area_ha::text,
             'minedCapacityFineG', k.mined_capacity_fine_g::text,
             'minedFineKgPerHaYear', ${String(capacity.minedFineKgPerHaYear)}::numeric,
             'geometryVersion', k.geometry_version,
             'holderCategory', k.category, 'miningMethod', k.mining_method,
             'categoryDailyFineG', k.category_daily_fine_g::text,
             'categoryCapacityFineG', k.category_capacity_fine_g::text
           ) AS evidence
      FROM k
      JOIN concessions c ON c.id = k.concession_id
      -- A lot already flagged at this scale would raise nothing new: one probe of the flags'
      -- index per lot over (LIMIT keeps it a probe, not a hash of every such flag).
      LEFT JOIN LATERAL (SELECT 1 AS hit FROM flags f
                          WHERE f.subject_type = 'lot' AND f.subject_id = k.id
                            AND f.rule = 'PRODUCTION_OVER_CAPACITY' AND f.fingerprint = 'window:' || k.days::text
                          LIMIT 1) done ON true
     WHERE k.declared_fine_g > k.capacity_fine_g AND done.hit IS NULL`,
  summarize: (e) => {
    const basis =
      e.basis === 'category'
        ? `the legal ceiling of its holder's category (${e.holderCategory}, ${e.miningMethod ?? 'method not declared'}): ${e.categoryDailyFineG} g a day`
        : e.basis === 'mined_area'
          ? `${e.minedAreaHa} ha of mining detected on it (${e.footprintSource}) at ${e.minedFineKgPerHaYear} kg/ha/yr`
          : `its ${e.areaHa} ha at ${e.fineKgPerHaYear} kg/ha/yr`;
    // Flags raised before the time scales carry no peak factor (they were pro-rata, a year).
    const peak = e.peakFactor === undefined ? '' : ` × ${e.peakFactor} seasonal peak`;
    const scale = e.basis === 'category' ? ` × ${e.windowDays} days` : `, × ${e.windowDays}/365${peak}`;
    return `concession ${e.concessionCode} had ${e.declaredFineG} g of fine gold declared from ${e.windowFrom} to ${e.windowTo} (${e.windowDays} days, ${e.lotCount} lots), ${e.ratio}× its capacity of ${e.capacityFineG} g for that window: ${basis}${scale}`;
  },
};
