import { type SQL, sql } from 'drizzle-orm';
import { thresholds } from '../thresholds.js';
import { isRootLot } from './sql.js';
import type { LotRule } from './types.js';

const { structuring } = thresholds;

/** The reporting threshold in fine grams, exact: US$ ÷ US$ per fine gram, in numeric. */
const thresholdG = sql`(${String(structuring.reportingThresholdUsd)}::numeric / ${String(structuring.referenceUsdPerFineG)}::numeric)`;
/** In the band: at most bandPercent below the threshold, and under it. */
const inBand = (fine: SQL) =>
  sql`(${fine} < ${thresholdG} AND ${fine} >= ${thresholdG} * (100 - ${String(structuring.bandPercent)}::numeric) / 100)`;

/**
 * How many of a pattern's operations its evidence lists, the latest ones: a pattern kept up for
 * months would otherwise write every earlier operation again into each new flag, evidence growing
 * with the history. The counts and totals are of all of them.
 */
const listedMax = 50;

/**
 * The latest `listedMax` rows of `rows` (a query yielding `doc`, `at`, `id`), oldest first, as a
 * JSON array.
 */
const latest = (rows: SQL) => sql`(
  SELECT jsonb_agg(x.doc ORDER BY x.at, x.id)
    FROM (SELECT r.doc, r.at, r.id FROM (${rows}) r ORDER BY r.at DESC, r.id DESC LIMIT ${listedMax}::int) x)`;

/**
 * The pattern for one actor: the root lots in the band registered in the structuring window up to
 * this lot's registration, when there are at least minLots of them. `who` picks the actor's lots.
 */
const pattern = (who: SQL) => {
  const inWindow = sql`${who} AND ${isRootLot('s')} AND ${inBand(sql`s.fine_weight_g`)}
     AND s.created_at <= l.created_at
     AND s.created_at >= l.created_at - make_interval(days => ${structuring.windowDays}::int)`;
  return sql`
  SELECT a.n,
         ${latest(sql`SELECT jsonb_build_object('id', s.id, 'code', s.code, 'fineWeightG', s.fine_weight_g::text,
                                                'registeredAt', s.created_at) AS doc, s.created_at AS at, s.id
                        FROM lots s WHERE ${inWindow}`)} AS lots
    FROM (SELECT count(*)::int AS n FROM lots s WHERE ${inWindow}) a
   WHERE a.n >= ${structuring.minLots}::int`;
};

const evidence = (actor: SQL, role: string) => sql`jsonb_build_object(
    'pattern', 'registrations', 'actorId', ${actor}, 'actorRole', ${role}::text, 'lots', p.lots, 'lotCount', p.n,
    'thresholdFineG', round(${thresholdG}, 3)::text,
    'thresholdUsd', ${structuring.reportingThresholdUsd}::int,
    'referenceUsdPerFineG', ${String(structuring.referenceUsdPerFineG)}::numeric,
    'bandPercent', ${String(structuring.bandPercent)}::numeric,
    'bandFromFineG', round(${thresholdG} * (100 - ${String(structuring.bandPercent)}::numeric) / 100, 3)::text,
    'windowDays', ${structuring.windowDays}::int, 'minLots', ${structuring.minLots}::int)`;

/** The last hand-over of lot `l` (a transfer or an export), as `t`. */
const lastHandOver = sql`
  SELECT t.* FROM lot_transfers t WHERE t.lot_id = l.id ORDER BY t.occurred_at DESC, t.id DESC LIMIT 1`;

/**
 * Hand-overs by the same actor in the band within handOnWindowDays up to this one, when there
 * are at least minLots of them.
 */
const handOnWindow = sql`s.from_actor_id = t.from_actor_id AND ${inBand(sql`s.fine_weight_g`)}
     AND s.occurred_at <= t.occurred_at
     AND s.occurred_at >= t.occurred_at - make_interval(days => ${structuring.handOnWindowDays}::int)`;
const handOnPattern = sql`
  SELECT a.n,
         ${latest(sql`SELECT jsonb_build_object('id', s.lot_id, 'code', sl.code, 'fineWeightG', s.fine_weight_g::text,
                                                'operation', s.operation, 'toActorId', s.to_actor_id,
                                                'handedOnAt', s.occurred_at) AS doc, s.occurred_at AS at, s.id
                        FROM lot_transfers s JOIN lots sl ON sl.id = s.lot_id WHERE ${handOnWindow}`)} AS lots
    FROM (SELECT count(*)::int AS n FROM lot_transfers s WHERE ${handOnWindow}) a
   WHERE a.n >= ${structuring.minLots}::int`;

/** Peru's calendar month (UTC−5 all year) of an instant, as its first instant. */
const limaMonthStart = (at: SQL) =>
  sql`((date_trunc('month', (${at}) AT TIME ZONE 'UTC' - interval '5 hours') + interval '5 hours') AT TIME ZONE 'UTC')`;

/**
 * Transfers from this hand-over's actor to the same counterpart, each under the single-operation
 * threshold, in Peru's calendar month up to this one, when their value at the reference price
 * reaches the multiple-operations threshold.
 */
const monthWindow = sql`s.from_actor_id = t.from_actor_id AND s.to_actor_id = t.to_actor_id
     AND s.fine_weight_g < ${thresholdG}
     AND s.occurred_at >= ${limaMonthStart(sql`t.occurred_at`)} AND s.occurred_at <= t.occurred_at`;
const monthlyAggregate = sql`
  SELECT a.n, a.fine_g,
         to_char((t.occurred_at AT TIME ZONE 'UTC') - interval '5 hours', 'YYYY-MM') AS month,
         ${latest(sql`SELECT jsonb_build_object('id', s.lot_id, 'code', sl.code, 'fineWeightG', s.fine_weight_g::text,
                                                'handedOnAt', s.occurred_at) AS doc, s.occurred_at AS at, s.id
                        FROM lot_transfers s JOIN lots sl ON sl.id = s.lot_id WHERE ${monthWindow}`)} AS lots
    FROM (SELECT count(*)::int AS n, sum(s.fine_weight_g) AS fine_g FROM lot_transfers s WHERE ${monthWindow}) a
   WHERE a.n > 0
     AND a.fine_g * ${String(structuring.referenceUsdPerFineG)}::numeric >= ${structuring.multipleOperationsUsd}::numeric`;

/**
 * STRUCTURING: gold cut into pieces to stay under the value at which Peru's financial
 * intelligence unit requires an operation registered (thresholds.structuring), in three
 * patterns, each flagged once per cause (the fingerprint names it):
 *
 * - registrations ('producer', 'custodian:<id>'): a producer — or, separately, the custodian
 *   registering on a producer's behalf — registered at least minLots lots within windowDays whose
 *   fine weight lies just under the threshold. The lot that completes the pattern and every later
 *   one in it are flagged (high). The custodian's lots are those it still holds.
 * - hand-overs ('handover:<actor id>', on a transfer): an actor handed on (lot_transfers:
 *   transfers and exports) at least minLots lots just under the threshold within
 *   handOnWindowDays — a lot split into parts just under it and passed on together, which the
 *   registration pattern never sees (parts are not registered). High.
 * - monthly aggregate ('counterpart:<id>:<YYYY-MM>', on a transfer): an actor's transfers to one
 *   counterpart in a calendar month, each under the single-operation threshold, worth together at
 *   least the multiple-operations threshold — operations the register counts together. Medium:
 *   the operations are to be registered, not forbidden.
 *
 * Values are fine grams at the reference price, not declared prices, which the parties choose.
 * The evidence counts every operation of the pattern and lists the latest fifty (listedMax).
 */
export const structuringRule: LotRule = {
  code: 'STRUCTURING',
  kind: 'lot',
  on: ['registration', 'custody', 'export'],
  dependsOn: [],
  inheritable: true,
  screen: (lots) => sql`
    SELECT l.id AS subject_id, 'high' AS severity, 'producer' AS fingerprint,
           ${evidence(sql`l.producer_id`, 'producer')} AS evidence
      FROM lots l
      CROSS JOIN LATERAL (${pattern(sql`s.producer_id = l.producer_id`)}) p
     WHERE l.id IN (${lots}) AND ${isRootLot('l')} AND l.producer_id IS NOT NULL
       AND ${inBand(sql`l.fine_weight_g`)}
    UNION ALL
    SELECT l.id, 'high', 'custodian:' || l.custodian_id::text,
           ${evidence(sql`l.custodian_id`, 'custodian')}
      FROM lots l
      CROSS JOIN LATERAL (${pattern(sql`s.custodian_id = l.custodian_id`)}) p
     WHERE l.id IN (${lots}) AND ${isRootLot('l')} AND l.custodian_id IS DISTINCT FROM l.producer_id
       AND ${inBand(sql`l.fine_weight_g`)}
    UNION ALL
    SELECT l.id, 'high', 'handover:' || t.from_actor_id::text,
           ${evidence(sql`t.from_actor_id`, 'custodian')} || jsonb_build_object(
             'pattern', 'handovers', 'lots', p.lots, 'lotCount', p.n,
             'windowDays', ${structuring.handOnWindowDays}::int)
      FROM lots l
      CROSS JOIN LATERAL (${lastHandOver}) t
      CROSS JOIN LATERAL (${handOnPattern}) p
     WHERE l.id IN (${lots}) AND ${inBand(sql`t.fine_weight_g`)}
    UNION ALL
    SELECT l.id, 'medium', 'counterpart:' || t.to_actor_id::text || ':' || m.month,
           jsonb_build_object(
             'pattern', 'monthly', 'actorId', t.from_actor_id, 'counterpartId', t.to_actor_id,
             'month', m.month, 'operationCount', m.n, 'lots', m.lots, 'totalFineG', m.fine_g::text,
             'totalUsd', round(m.fine_g * ${String(structuring.referenceUsdPerFineG)}::numeric, 2)::text,
             'multipleOperationsUsd', ${structuring.multipleOperationsUsd}::int,
             'thresholdUsd', ${structuring.reportingThresholdUsd}::int,
             'thresholdFineG', round(${thresholdG}, 3)::text,
             'referenceUsdPerFineG', ${String(structuring.referenceUsdPerFineG)}::numeric)
      FROM lots l
      CROSS JOIN LATERAL (${lastHandOver}) t
      CROSS JOIN LATERAL (${monthlyAggregate}) m
     WHERE l.id IN (${lots}) AND t.to_actor_id IS NOT NULL AND t.fine_weight_g < ${thresholdG}`,
  summarize: (e) => {
    const lots = (e.lots as { code: string; fineWeightG: string }[] | undefined) ?? [];
    const all = Number(e.pattern === 'monthly' ? e.operationCount : e.lotCount);
    const named = lots.map((l) => `${l.code} ${l.fineWeightG} g`).join(', ');
    const list = lots.length < all ? `the latest ${lots.length}: ${named}` : named;
    if (e.pattern === 'monthly')
      return `${e.actorId} handed ${e.operationCount} lots to ${e.counterpartId} in ${e.month}, each under the US$ ${e.thresholdUsd} single-operation threshold, together ${e.totalFineG} g fine (US$ ${e.totalUsd} at US$ ${e.referenceUsdPerFineG}/g), at least the US$ ${e.multipleOperationsUsd} of multiple operations in a month: ${list}`;
    const did = e.pattern === 'handovers' ? 'handed on' : 'registered';
    return `${e.actorRole} ${e.actorId} ${did} ${e.lotCount} lots in ${e.windowDays} days just under the US$ ${e.thresholdUsd} reporting threshold (${e.thresholdFineG} g fine at US$ ${e.referenceUsdPerFineG}/g): ${list}`;
  },
};
