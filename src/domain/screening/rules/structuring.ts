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
 * The pattern for one actor: the root lots in the band registered in the structuring window up to
 * this lot's registration, when there are at least minLots of them. `who` picks the actor's lots.
 */
const pattern = (who: SQL) => sql`
  SELECT count(*)::int AS n,
         jsonb_agg(jsonb_build_object('id', s.id, 'code', s.code, 'fineWeightG', s.fine_weight_g::text,
                                      'registeredAt', s.created_at) ORDER BY s.created_at, s.id) AS lots
    FROM lots s
   WHERE ${who} AND ${isRootLot('s')} AND ${inBand(sql`s.fine_weight_g`)}
     AND s.created_at <= l.created_at
     AND s.created_at >= l.created_at - make_interval(days => ${structuring.windowDays}::int)
  HAVING count(*) >= ${structuring.minLots}::int`;

const evidence = (actor: SQL, role: string) => sql`jsonb_build_object(
    'actorId', ${actor}, 'actorRole', ${role}::text, 'lots', p.lots, 'lotCount', p.n,
    'thresholdFineG', round(${thresholdG}, 3)::text,
    'thresholdUsd', ${structuring.reportingThresholdUsd}::int,
    'referenceUsdPerFineG', ${String(structuring.referenceUsdPerFineG)}::numeric,
    'bandPercent', ${String(structuring.bandPercent)}::numeric,
    'bandFromFineG', round(${thresholdG} * (100 - ${String(structuring.bandPercent)}::numeric) / 100, 3)::text,
    'windowDays', ${structuring.windowDays}::int, 'minLots', ${structuring.minLots}::int)`;

/**
 * STRUCTURING: a producer — or, separately, the custodian registering on a producer's behalf —
 * registered at least minLots lots within windowDays whose fine weight lies just under the
 * value at which Peru's financial intelligence unit requires the operation registered
 * (thresholds.structuring): gold cut into pieces to stay under the register. The lot that
 * completes the pattern and every later one in it are flagged (high), once per actor:
 * fingerprint 'producer' or 'custodian:<id>'. The custodian's lots are those it still holds:
 * a lot passed on before the pattern completes counts for its producer only (custody history
 * lives in the ledger's events, which have no index by actor to find them cheaply).
 */
export const structuringRule: LotRule = {
  code: 'STRUCTURING',
  kind: 'lot',
  on: ['registration'],
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
       AND ${inBand(sql`l.fine_weight_g`)}`,
  summarize: (e) => {
    const lots = (e.lots as { code: string; fineWeightG: string }[] | undefined) ?? [];
    return `${e.actorRole} ${e.actorId} registered ${e.lotCount} lots in ${e.windowDays} days just under the US$ ${e.thresholdUsd} reporting threshold (${e.thresholdFineG} g fine at US$ ${e.referenceUsdPerFineG}/g): ${lots.map((l) => `${l.code} ${l.fineWeightG} g`).join(', ')}`;
  },
};
