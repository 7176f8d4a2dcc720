import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Queryable, rowsOf } from '../../db/client.js';
import { jsonColumn, pgArray } from '../../db/sql.js';
import { versionInForce } from '../reference/concession-geometries.js';
import { unresolvedSql } from '../screening/flags.js';
import { isRootLot } from '../screening/rules/sql.js';
import { thresholds } from '../screening/thresholds.js';
import { daySchema } from '../shared/dates.js';
import { notFound } from '../shared/errors.js';
import type { SubjectType } from '../shared/vocabulary.js';
import type { ActorBalance, ConcessionBalance } from './schemas.js';

/**
 * Balances: the fine gold a concession or a producer declared in a rolling
 * window, set against what the concession's area and the inputs the producer received can
 * plausibly support. The SQL lives here once: the rules PRODUCTION_OVER_CAPACITY and
 * INPUT_OUTPUT_MISMATCH join these fragments laterally over the lots or movements they screen
 * (one statement for any number of subjects), and the balance endpoints run them for one
 * subject. Every sum is a PostgreSQL numeric (exact); numbers leave the database as decimal text.
 */

const { capacity, inputs } = thresholds;

/** `n` days as an interval, from a bound integer. */
const days = (n: number): SQL => sql`make_interval(days => ${n}::int)`;

/** A capacity window: its length, and the factor its pro-rata share of the year is scaled by. */
interface CapacityWindow {
  days: number;
  peakFactor: number;
}

/** The window of `days` days, with the peak factor thresholds.capacity gives it (1 if none). */
const capacityWindow = (days: number): CapacityWindow =>
  capacity.windows.find((w) => w.days === days) ?? { days, peakFactor: 1 };

/**
 * The most fine gold a day (grams, numeric) the category of the actor_categories row `alias` may
 * legally produce (thresholds.capacity.categories × grade), or null for a category without a
 * ceiling. Placer methods wash gravels (m³/day); an undeclared method takes the larger ceiling.
 */
function categoryDailyFineG(alias: string): SQL {
  const arms = Object.entries(capacity.categories).map(([category, c]) => {
    const placer = String(c.placerM3PerDay * capacity.placerFineGPerM3);
    const ore = String(c.oreTonnesPerDay * capacity.oreFineGPerTonne);
    return sql`WHEN ${category} THEN CASE
                 WHEN ${sql.raw(alias)}.mining_method IN ('alluvial', 'dredge', 'hydraulic') THEN ${placer}::numeric
                 WHEN ${sql.raw(alias)}.mining_method = 'other' THEN ${ore}::numeric
                 ELSE GREATEST(${placer}::numeric, ${ore}::numeric) END`;
  });
  return sql`(CASE ${sql.raw(alias)}.category ${sql.join(arms, sql` `)} ELSE NULL END)`;
}

/**
 * One row: the capacity of the concession `concessionId` over the `days` days ending on `to` (a
 * date, included), scaled by `peak` (thresholds.capacity.windows; all three are SQL so that a
 * rule can join its windows as rows). Two bases: the concession's area (area × fineKgPerHaYear),
 * and — where the latest layer of a remote-sensing source covers the concession and still looks
 * at `to` — the mined area detected on it (footprints observed up to `to`, intersected with the
 * concession, on the geography, weighted by mined ÷ polygon area when the source gives them;
 * the largest over such sources) × minedFineKgPerHaYear. Each × days ÷ 365 × peak, in grams; the
 * capacity is the smallest of those and, where the concession's holder carries a legal category
 * with a ceiling (artisanal, small producer) on `to`, that ceiling × days (basis 'category'). The
 * area is that of the geometry version in force on `to`. No mining seen leaves the area basis alone (a finding of its own, not
 * a capacity). Columns: area_ha, area_capacity_fine_g, footprint_source, mined_area_ha,
 * mined_capacity_fine_g (null without coverage or mining), capacity_fine_g, basis
 * ('concession_area' | 'mined_area').
 */
export function concessionCapacitySql(concessionId: SQL, to: SQL, days: SQL, peak: SQL): SQL {
  const share = sql`(${days})::numeric / 365 * (${peak})::numeric`;
  return sql`
    SELECT kv.area_ha, kv.version AS geometry_version, ka.area_capacity_fine_g, km.footprint_source,
           km.mined_area_ha, km.mined_capacity_fine_g, kq.category, kq.mining_method,
           kq.category_daily_fine_g, kq.category_capacity_fine_g,
           LEAST(ka.area_capacity_fine_g, km.mined_capacity_fine_g, kq.category_capacity_fine_g) AS capacity_fine_g,
           CASE WHEN kq.category_capacity_fine_g < LEAST(ka.area_capacity_fine_g, km.mined_capacity_fine_g) THEN 'category'
                WHEN km.mined_capacity_fine_g < ka.area_capacity_fine_g THEN 'mined_area'
                ELSE 'concession_area' END AS basis
      FROM concessions kc
      -- The area of the geometry version in force at the window's end (the in-force copy if none).
      CROSS JOIN LATERAL (
        SELECT coalesce(v.area_ha, kc.area_ha) AS area_ha, v.version
          FROM (SELECT 1) one LEFT JOIN LATERAL (${versionInForce(sql`kc.id`, to)}) v ON true
      ) kv
      CROSS JOIN LATERAL (
        SELECT round(kv.area_ha * ${String(capacity.fineKgPerHaYear)}::numeric * 1000 * ${share}, 3)
                 AS area_capacity_fine_g
      ) ka
      -- The legal ceiling of the holder's category in force at the window's end, per day × days.
      LEFT JOIN LATERAL (
        SELECT q.category, q.mining_method, q.daily AS category_daily_fine_g,
               round(q.daily * (${days})::numeric, 3) AS category_capacity_fine_g
          FROM (SELECT ac.category, ac.mining_method, ${categoryDailyFineG('ac')} AS daily
                  FROM actor_categories ac
                 WHERE ac.actor_id = kc.holder_id AND ac.valid_from <= (${to})::date
                   AND (ac.valid_to IS NULL OR ac.valid_to > (${to})::date)
                 ORDER BY ac.valid_from DESC, ac.id DESC
                 LIMIT 1) q
         WHERE q.daily IS NOT NULL
      ) kq ON true
      LEFT JOIN LATERAL (
        SELECT ly.source AS footprint_source, round(fp.mined_ha, 4) AS mined_area_ha,
               round(fp.mined_ha * ${String(capacity.minedFineKgPerHaYear)}::numeric * 1000 * ${share}, 3)
                 AS mined_capacity_fine_g
          FROM (SELECT DISTINCT ON (dl.source) dl.source, dl.coverage, dl.observed_from, dl.observed_to
                  FROM detection_layers dl
                 ORDER BY dl.source, dl.imported_at DESC, dl.id DESC) ly
          CROSS JOIN LATERAL (
            SELECT coalesce(sum(ST_Area(ST_Intersection(d.geom, kc.geom)::geography)::numeric / 10000
                                * coalesce(d.mined_area_ha / NULLIF(d.polygon_area_ha, 0), 1)), 0) AS mined_ha
              FROM mining_detections d
             WHERE d.kind = 'footprint' AND d.source = ly.source AND d.observed_from <= (${to})::date
               AND ST_Intersects(d.geom, kc.geom)
          ) fp
         WHERE ST_Covers(ly.coverage, kc.geom) AND ly.observed_from <= (${to})::date
           AND (${to})::date <= ly.observed_to + ${capacity.footprintStaleDays}::int
           AND fp.mined_ha > 0
         ORDER BY fp.mined_ha DESC
         LIMIT 1
      ) km ON true
     WHERE kc.id = ${concessionId}`;
}

/**
 * One row for the concession `concessionId` and the `windowDays` days ending on `to` (a date,
 * included): the fine gold of the root lots declared on it and extracted in the window, against
 * its capacity for that window (concessionCapacitySql). Lots made from other lots are left out:
 * their gold was counted in their roots. Columns: window_from, window_to, days, peak_factor,
 * declared_fine_g, lot_count, ratio (declared / capacity), and concessionCapacitySql's.
 */
function concessionBalanceSql(concessionId: SQL, to: SQL, windowDays: number = capacity.windowDays): SQL {
  const w = capacityWindow(windowDays);
  return sql`
    SELECT (${to})::date - (${w.days}::int - 1) AS window_from, (${to})::date AS window_to,
           ${w.days}::int AS days, ${String(w.peakFactor)}::numeric AS peak_factor,
           bg.declared_fine_g, bg.lot_count, bk.*,
           round(bg.declared_fine_g / NULLIF(bk.capacity_fine_g, 0), 3) AS ratio
      FROM (
        SELECT coalesce(sum(bt.amount), 0.000)::numeric AS declared_fine_g, coalesce(sum(bt.count), 0)::int AS lot_count
          FROM window_totals bt
         WHERE bt.scope = 'concession' AND bt.subject_id = ${concessionId} AND bt.item = ''
           AND bt.day > (${to})::date - ${w.days}::int AND bt.day <= (${to})::date
      ) bg
      CROSS JOIN LATERAL (${concessionCapacitySql(concessionId, to, sql`${w.days}::int`, sql`${String(w.peakFactor)}::numeric`)}) bk`;
}

/** The UTC day of an instant, and the first instant of a day (UTC): the days window_totals counts. */
const utcDay = (at: SQL): SQL => sql`((${at}) AT TIME ZONE 'UTC')::date`;
const dayStart = (day: SQL): SQL => sql`((${day})::timestamp AT TIME ZONE 'UTC')`;

/**
 * Rows (amount, count) that add up to what `scope`'s totals of `subject` hold for the instants in
 * [from, to]: the totals of the days from `from`'s to `to`'s (window_totals, one row per day and
 * shard), less the rows those two days hold outside the window — the part of the first day before
 * `from` and of the last after `to`, read from `edges` (a query over the counted rows, yielding
 * `amount`, `count` for a time column `t` within the bounds it is given). A window of a year costs
 * its days and the rows of its two ends, not every row in it.
 */
function windowSum(
  scope: 'producer' | 'consignee',
  subject: SQL,
  items: SQL,
  w: { from: SQL; to: SQL },
  edges: (after: SQL, before: SQL) => SQL,
): SQL {
  return sql`
    SELECT wt.item, wt.amount, wt.count FROM window_totals wt
     WHERE wt.scope = ${scope} AND wt.subject_id = ${subject} AND wt.item IN (${items})
       AND wt.day >= ${utcDay(w.from)} AND wt.day <= ${utcDay(w.to)}
    UNION ALL
    SELECT e.item, -e.amount, -e.count FROM (${edges(dayStart(utcDay(w.from)), w.from)}) e
    UNION ALL
    SELECT e.item, -e.amount, -e.count FROM (${edges(sql`(${w.to}) + interval '1 microsecond'`, dayStart(sql`${utcDay(w.to)} + 1`))}) e`;
}

/**
 * One row for the actor `actorId`: the fine gold of the root lots it produced that were
 * registered in [goldFrom, goldTo], and the mercury (kg) and fuel (diesel + gasoline, L) it
 * received as consignee in movements declared in [inputsFrom, inputsTo] and not seized.
 *
 * Gold is dated by the ledger (lots.created_at), not by the declared extraction date: a
 * producer chooses its extraction dates and could backdate gold into a window where it had
 * inputs to spare, while the registration time is the server's. Movements are dated by their
 * declaration (declared_at, also the server's). Both are read from the running totals
 * (windowSum), so the cost does not grow with the actor's history. Columns: declared_fine_g,
 * lot_count, mercury_kg, fuel_l (numeric).
 */
function actorFlowsSql(actorId: SQL, w: { goldFrom: SQL; goldTo: SQL; inputsFrom: SQL; inputsTo: SQL }): SQL {
  const goldEdges = (after: SQL, before: SQL) => sql`
    SELECT ''::text AS item, coalesce(sum(al.fine_weight_g), 0.000) AS amount, count(*)::int AS count
      FROM lots al
     WHERE al.producer_id = ${actorId} AND al.created_at >= ${after} AND al.created_at < ${before}
       AND ${isRootLot('al')}`;
  const inputEdges = (after: SQL, before: SQL) => sql`
    SELECT am.input AS item, sum(am.quantity) AS amount, count(*)::int AS count
      FROM movements am
     WHERE am.consignee_id = ${actorId} AND am.status <> 'seized'
       AND am.declared_at >= ${after} AND am.declared_at < ${before}
     GROUP BY am.input`;
  return sql`
    SELECT ag.declared_fine_g, ag.lot_count, ai.mercury_kg, ai.fuel_l
      FROM (
        SELECT coalesce(sum(g.amount), 0.000)::numeric AS declared_fine_g, coalesce(sum(g.count), 0)::int AS lot_count
          FROM (${windowSum('producer', actorId, sql`''`, { from: w.goldFrom, to: w.goldTo }, goldEdges)}) g
      ) ag,
      (
        SELECT coalesce(sum(i.amount) FILTER (WHERE i.item = 'mercury'), 0.000)::numeric AS mercury_kg,
               coalesce(sum(i.amount) FILTER (WHERE i.item IN ('diesel', 'gasoline')), 0.000)::numeric AS fuel_l
          FROM (${windowSum('consignee', actorId, sql`'mercury', 'diesel', 'gasoline'`, { from: w.inputsFrom, to: w.inputsTo }, inputEdges)}) i
      ) ai`;
}

export interface ProducerWindow {
  windowDays: number;
  leadDays: number;
}

/**
 * One row for the producer `actorId` at the instant `at`: gold registered in the `windowDays`
 * before `at` against the inputs received in those days plus `leadDays` before (inputs are bought
 * before the gold is won), and the fine gold each input supports: mercury ÷
 * minMercuryKgPerKgGold, fuel × maxFineGPerLitre. Columns: gold_from, inputs_from, at,
 * declared_fine_g, lot_count, mercury_kg, fuel_l, mercury_supports_fine_g, fuel_supports_fine_g,
 * mercury_ratio, fuel_ratio (declared ÷ support; null when the support is zero).
 */
export function producerBalanceSql(
  actorId: SQL,
  at: SQL,
  o: ProducerWindow = { windowDays: inputs.windowDays, leadDays: inputs.leadDays },
): SQL {
  const goldFrom = sql`(${at}) - ${days(o.windowDays)}`;
  const inputsFrom = sql`(${at}) - ${days(o.windowDays + o.leadDays)}`;
  return sql`
    SELECT ${goldFrom} AS gold_from, ${inputsFrom} AS inputs_from, (${at}) AS at,
           pf.declared_fine_g, pf.lot_count, pf.mercury_kg, pf.fuel_l,
           ps.mercury_supports_fine_g, ps.fuel_supports_fine_g,
           round(pf.declared_fine_g / NULLIF(ps.mercury_supports_fine_g, 0), 3) AS mercury_ratio,
           round(pf.declared_fine_g / NULLIF(ps.fuel_supports_fine_g, 0), 3) AS fuel_ratio
      FROM (${actorFlowsSql(actorId, { goldFrom, goldTo: at, inputsFrom, inputsTo: at })}) pf
      CROSS JOIN LATERAL (
        SELECT round(pf.mercury_kg * 1000 / ${String(inputs.minMercuryKgPerKgGold)}::numeric, 3) AS mercury_supports_fine_g,
               round(pf.fuel_l * ${String(inputs.maxFineGPerLitre)}::numeric, 3) AS fuel_supports_fine_g
      ) ps`;
}

export interface DiversionWindow {
  windowDays: number;
  lagDays: number;
}

/**
 * One row for the consignee `actorId` at the instant `at` (the reverse balance, diversion): the
 * mercury it received in [at − windowDays − lagDays, at − lagDays] — old enough for its gold to
 * have been declared — against the fine gold it declared from the start of that window until
 * `at`. Columns: inputs_from, inputs_to, at, mercury_kg, declared_fine_g, lot_count,
 * mercury_kg_per_kg_gold (null when no gold was declared).
 */
export function diversionBalanceSql(
  actorId: SQL,
  at: SQL,
  o: DiversionWindow = { windowDays: inputs.windowDays, lagDays: inputs.lagDays },
): SQL {
  const from = sql`(${at}) - ${days(o.windowDays + o.lagDays)}`;
  const inputsTo = sql`(${at}) - ${days(o.lagDays)}`;
  return sql`
    SELECT ${from} AS inputs_from, ${inputsTo} AS inputs_to, (${at}) AS at,
           df.mercury_kg, df.declared_fine_g, df.lot_count,
           round(df.mercury_kg * 1000 / NULLIF(df.declared_fine_g, 0), 3) AS mercury_kg_per_kg_gold
      FROM (${actorFlowsSql(actorId, { goldFrom: from, goldTo: at, inputsFrom: from, inputsTo })}) df`;
}

// ---- The balance endpoints (one subject) ----

export const balanceQuery = z.object({
  to: daySchema.optional().describe('Last day of the window (UTC), included; today by default.'),
  windowDays: z.coerce
    .number()
    .int()
    .min(1)
    .max(3660)
    .optional()
    .describe('Length of the window in days; the threshold in force by default.'),
});
export type BalanceQuery = z.infer<typeof balanceQuery>;

/** The day `to`, or today (UTC), as SQL. */
const dayOf = (to: string | undefined): SQL =>
  to ? sql`${to}::date` : sql`(now() AT TIME ZONE 'UTC')::date`;
/** The last instant of a day (UTC): the end of an actor's window. */
const endOf = (day: SQL): SQL =>
  sql`(((${day}) + 1)::timestamp AT TIME ZONE 'UTC' - interval '1 microsecond')`;

/** Unresolved flags of the given rules (every rule when none are given) on the given subjects, counted by rule. */
const openFlagCounts = (subjectType: SubjectType, subjects: SQL, codes?: readonly string[]): SQL =>
  sql`(SELECT coalesce(jsonb_object_agg(r.rule, r.n), '{}'::jsonb) FROM (
         SELECT f.rule, count(*)::int AS n FROM flags f
          WHERE f.subject_type = ${subjectType} AND f.subject_id IN (${subjects})
            AND ${codes ? sql`f.rule = ANY(${pgArray(codes, 'text')})` : sql`true`} AND ${sql.raw(unresolvedSql)}
          GROUP BY f.rule) r)`;

interface CapacityRow {
  window_from: string;
  window_to: string;
  days: number;
  peak_factor: string;
  declared_fine_g: string;
  lot_count: number;
  area_ha: string;
  capacity_fine_g: string;
  basis: 'concession_area' | 'mined_area' | 'category';
  area_capacity_fine_g: string;
  footprint_source: string | null;
  mined_area_ha: string | null;
  mined_capacity_fine_g: string | null;
  ratio: string | null;
}

const capacityWindowOf = (r: CapacityRow): ConcessionBalance['windows'][number] => ({
  from: r.window_from,
  to: r.window_to,
  days: r.days,
  peakFactor: Number(r.peak_factor),
  declaredFineG: r.declared_fine_g,
  lotCount: r.lot_count,
  capacityFineG: r.capacity_fine_g,
  basis: r.basis,
  areaCapacityFineG: r.area_capacity_fine_g,
  footprintSource: r.footprint_source,
  minedAreaHa: r.mined_area_ha,
  minedCapacityFineG: r.mined_capacity_fine_g,
  ratio: r.ratio,
});

/** GET /v1/concessions/:id/balance: fine gold declared on it against its capacity, at every time scale. */
export async function concessionBalance(
  db: Queryable,
  id: string,
  q: BalanceQuery,
): Promise<ConcessionBalance> {
  const windowDays = q.windowDays ?? capacity.windowDays;
  const [row] = rowsOf<{
    id: string;
    code: string;
    name: string;
    open_flags: unknown;
    lot_flags: unknown;
    movement_flags: unknown;
  }>(
    await db.execute(sql`
      SELECT c.id, c.code, c.name,
             ${openFlagCounts('lot', sql`SELECT fl.id FROM lots fl WHERE fl.concession_id = c.id`, ['PRODUCTION_OVER_CAPACITY'])} AS open_flags,
             ${openFlagCounts('lot', sql`SELECT fl.id FROM lots fl WHERE fl.concession_id = c.id`)} AS lot_flags,
             ${openFlagCounts('movement', sql`SELECT fm.id FROM movements fm WHERE fm.destination_concession_id = c.id`)} AS movement_flags
        FROM concessions c
       WHERE c.id = ${id}`),
  );
  if (!row) throw notFound('concession', id);
  const balance = async (days: number) => {
    const [b] = rowsOf<CapacityRow>(
      await db.execute(sql`
        SELECT b.window_from::text, b.window_to::text, b.days, b.peak_factor::text,
               b.declared_fine_g::text, b.lot_count, b.area_ha::text, b.capacity_fine_g::text, b.basis,
               b.area_capacity_fine_g::text, b.footprint_source, b.mined_area_ha::text,
               b.mined_capacity_fine_g::text, b.ratio::text
          FROM (${concessionBalanceSql(sql`${id}::uuid`, dayOf(q.to), days)}) b`),
    );
    if (!b) throw notFound('concession', id);
    return b;
  };
  const asked = await balance(windowDays);
  const windows: CapacityRow[] = [];
  for (const w of capacity.windows) windows.push(w.days === windowDays ? asked : await balance(w.days));
  return {
    concessionId: row.id,
    code: row.code,
    name: row.name,
    window: { from: asked.window_from, to: asked.window_to, days: windowDays },
    areaHa: asked.area_ha,
    declaredFineG: asked.declared_fine_g,
    lotCount: asked.lot_count,
    capacityFineG: asked.capacity_fine_g,
    ratio: asked.ratio,
    windows: windows.map(capacityWindowOf),
    thresholds: {
      version: thresholds.version,
      fineKgPerHaYear: capacity.fineKgPerHaYear,
      minedFineKgPerHaYear: capacity.minedFineKgPerHaYear,
    },
    openFlags: jsonColumn<Record<string, number>>(row.open_flags),
    // A concession carries no flag of its own: what weighs on it is on the lots declared from it
    // (inherited copies included) and on the input movements sent to it.
    flagsOnLots: jsonColumn<Record<string, number>>(row.lot_flags),
    flagsOnMovements: jsonColumn<Record<string, number>>(row.movement_flags),
  };
}

/** GET /v1/actors/:id/balance: gold a producer declared against the inputs it received, both ways. */
export async function actorBalance(db: Queryable, id: string, q: BalanceQuery): Promise<ActorBalance> {
  const windowDays = q.windowDays ?? inputs.windowDays;
  const at = endOf(dayOf(q.to));
  const ts = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);
  const [row] = rowsOf<{
    id: string;
    tax_id: string;
    name: string;
    gold_from: string;
    inputs_from: string;
    at: string;
    declared_fine_g: string;
    lot_count: number;
    mercury_kg: string;
    fuel_l: string;
    mercury_supports_fine_g: string;
    fuel_supports_fine_g: string;
    mercury_ratio: string | null;
    fuel_ratio: string | null;
    d_inputs_from: string;
    d_inputs_to: string;
    d_mercury_kg: string;
    d_declared_fine_g: string;
    d_ratio: string | null;
    lot_flags: unknown;
    movement_flags: unknown;
  }>(
    await db.execute(sql`
      SELECT a.id, a.tax_id, a.name,
             ${ts('p.gold_from')} AS gold_from, ${ts('p.inputs_from')} AS inputs_from, ${ts('p.at')} AS at,
             p.declared_fine_g::text, p.lot_count, p.mercury_kg::text, p.fuel_l::text,
             p.mercury_supports_fine_g::text, p.fuel_supports_fine_g::text,
             p.mercury_ratio::text, p.fuel_ratio::text,
             ${ts('d.inputs_from')} AS d_inputs_from, ${ts('d.inputs_to')} AS d_inputs_to,
             d.mercury_kg::text AS d_mercury_kg, d.declared_fine_g::text AS d_declared_fine_g,
             d.mercury_kg_per_kg_gold::text AS d_ratio,
             ${openFlagCounts('lot', sql`SELECT fl.id FROM lots fl WHERE fl.producer_id = a.id UNION SELECT fl.id FROM lots fl WHERE fl.custodian_id = a.id`, ['INPUT_OUTPUT_MISMATCH', 'STRUCTURING'])} AS lot_flags,
             ${openFlagCounts('movement', sql`SELECT fm.id FROM movements fm WHERE fm.consignee_id = a.id`, ['INPUT_OUTPUT_MISMATCH'])} AS movement_flags
        FROM actors a
        CROSS JOIN LATERAL (${producerBalanceSql(sql`a.id`, at, { windowDays, leadDays: inputs.leadDays })}) p
        CROSS JOIN LATERAL (${diversionBalanceSql(sql`a.id`, at, { windowDays, lagDays: inputs.lagDays })}) d
       WHERE a.id = ${id}`),
  );
  if (!row) throw notFound('actor', id);
  return {
    actorId: row.id,
    taxId: row.tax_id,
    name: row.name,
    production: {
      window: { goldFrom: row.gold_from, inputsFrom: row.inputs_from, to: row.at, days: windowDays },
      declaredFineG: row.declared_fine_g,
      lotCount: row.lot_count,
      mercuryKg: row.mercury_kg,
      fuelL: row.fuel_l,
      mercurySupportsFineG: row.mercury_supports_fine_g,
      fuelSupportsFineG: row.fuel_supports_fine_g,
      mercuryRatio: row.mercury_ratio,
      fuelRatio: row.fuel_ratio,
    },
    diversion: {
      window: { inputsFrom: row.d_inputs_from, inputsTo: row.d_inputs_to, goldTo: row.at, days: windowDays },
      mercuryKg: row.d_mercury_kg,
      declaredFineG: row.d_declared_fine_g,
      mercuryKgPerKgGold: row.d_ratio,
    },
    thresholds: { version: thresholds.version, ...inputs },
    openFlags: {
      lots: jsonColumn<Record<string, number>>(row.lot_flags),
      movements: jsonColumn<Record<string, number>>(row.movement_flags),
    },
  };
}
