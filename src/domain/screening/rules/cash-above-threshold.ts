import { sql } from 'drizzle-orm';
import { thresholds } from '../thresholds.js';
import {
  dealSentence,
  type HandOverEvidence,
  handOverEvidence,
  handOverFingerprint,
  handOvers,
  money2,
  papersSentence,
  priceSentence,
  referenceSentence,
} from './money.js';
import type { LotRule } from './types.js';

const { money } = thresholds;
const pen = sql.raw(`${money.cashThresholdPen}::numeric`);
const usd = sql.raw(`${money.cashThresholdUsd}::numeric`);

/** The declared price at or above the bancarización figure of its currency (EUR converted to US$). */
const declaredAbove = sql`CASE t.price_currency WHEN 'PEN' THEN t.price_amount >= ${pen}
                                                ELSE v.price_usd >= ${usd} END`;
/** The gold's value at the month's reference price at or above the US$ figure. */
const estimatedAbove = sql`(v.estimated_usd >= ${usd})`;

/**
 * CASH_ABOVE_THRESHOLD: a hand-over (transfer or export) paid in cash at or above the amount
 * from which Peru's bancarización law requires payment through the financial system (Ley 28194
 * art. 4 as amended by D.Leg. 1529: S/ 2,000 or US$ 500; thresholds.money). Judged on the
 * declared price in its currency, and on the gold's value at the month's reference price
 * (fine weight × LBMA average): cash for gold worth more than the threshold is the pattern
 * whatever price is written, so a low price on paper, or none, does not hide it. High from the
 * US$ 10,000 the financial intelligence unit registers, medium below (thresholds.money.cashHighUsd).
 * One flag per hand-over (fingerprint `transfer:<lot_transfers.id>`). Not inheritable: it
 * concerns the deal, not where the gold came from, and stays on the lot that was paid for.
 */
export const cashAboveThreshold: LotRule = {
  code: 'CASH_ABOVE_THRESHOLD',
  kind: 'lot',
  on: ['custody', 'export'],
  dependsOn: [],
  inheritable: false,
  screen: (lots) => sql`
    SELECT t.lot_id AS subject_id,
           CASE WHEN greatest(coalesce(v.price_usd, 0), v.estimated_usd) >= ${money.cashHighUsd}::numeric
                THEN 'high' ELSE 'medium' END AS severity,
           ${handOverFingerprint} AS fingerprint,
           ${handOverEvidence} || jsonb_build_object(
             'basis', CASE WHEN coalesce(${declaredAbove}, false) AND ${estimatedAbove} THEN 'declared_and_estimated'
                           WHEN coalesce(${declaredAbove}, false) THEN 'declared' ELSE 'estimated' END,
             'thresholdPen', ${money.cashThresholdPen}::text, 'thresholdUsd', ${money.cashThresholdUsd}::text,
             'highFromUsd', ${money.cashHighUsd}::int,
             'legalBasis', 'Ley 28194 art. 4 (D.Leg. 1529)') AS evidence
      FROM ${handOvers(lots)}
       AND t.payment_method = 'cash'
       AND (coalesce(${declaredAbove}, false) OR ${estimatedAbove})`,
  summarize: (evidence) => {
    const e = evidence as HandOverEvidence & { basis?: string; thresholdPen?: string; thresholdUsd?: string };
    const value = `the gold, ${e.fineWeightG} g fine, is worth about ${money2(e.estimatedValueUsd)} at ${referenceSentence(e)}`;
    return `${dealSentence(e)}, paid in cash: ${priceSentence(e)}; ${value} — at or above the bancarización threshold of ${money2(e.thresholdPen, 'PEN')} / ${money2(e.thresholdUsd)} (Ley 28194 art. 4), judged on the ${e.basis === 'estimated' ? "gold's value" : e.basis === 'declared' ? 'declared price' : "declared price and the gold's value"}; ${papersSentence(e)}`;
  },
};
