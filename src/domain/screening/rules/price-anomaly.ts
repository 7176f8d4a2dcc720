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
const low = sql.raw(`${money.priceLowRatio}::numeric`);
const high = sql.raw(`${money.priceHighRatio}::numeric`);

/**
 * PRICE_ANOMALY: the price declared for a hand-over (transfer or export), per gram of fine gold,
 * far from the reference price of its month (LBMA PM monthly average; PEN and EUR converted at
 * the month's BCRP and ECB rates; thresholds.money): below priceLowRatio of it — gold of illegal
 * origin sold at a discount no honest seller takes, or an invoice for less gold than it papers
 * (facturadora) — or above priceHighRatio — over-invoicing to move money. High either way. One
 * flag per hand-over (fingerprint `transfer:<lot_transfers.id>`); a hand-over without a price is
 * not judged. Not inheritable: it concerns the deal, not where the gold came from.
 */
export const priceAnomaly: LotRule = {
  code: 'PRICE_ANOMALY',
  kind: 'lot',
  on: ['custody', 'export'],
  dependsOn: [],
  inheritable: false,
  screen: (lots) => sql`
    SELECT t.lot_id AS subject_id, 'high' AS severity, ${handOverFingerprint} AS fingerprint,
           ${handOverEvidence} || jsonb_build_object(
             'priceUsdPerFineG', round(p.per_g, 3)::text, 'ratio', round(p.ratio, 3)::text,
             'direction', CASE WHEN p.ratio < ${low} THEN 'below' ELSE 'above' END,
             'bandLowRatio', ${money.priceLowRatio}::text, 'bandHighRatio', ${money.priceHighRatio}::text) AS evidence
      FROM ${handOvers(
        lots,
        sql`CROSS JOIN LATERAL (
              SELECT v.price_usd / nullif(t.fine_weight_g, 0) AS per_g,
                     v.price_usd / nullif(t.fine_weight_g, 0) / r.usd_per_fine_g AS ratio) p`,
      )}
       AND t.price_amount IS NOT NULL AND t.fine_weight_g > 0
       AND (p.ratio < ${low} OR p.ratio > ${high})`,
  summarize: (evidence) => {
    const e = evidence as HandOverEvidence & {
      priceUsdPerFineG?: string;
      ratio?: string;
      direction?: string;
      bandLowRatio?: string;
      bandHighRatio?: string;
    };
    const pct = Math.round(Math.abs(Number(e.ratio) - 1) * 100);
    const how = `${pct} % ${e.direction === 'below' ? 'below' : 'above'}`;
    return `${dealSentence(e)} for ${priceSentence(e)}: ${money2(e.priceUsdPerFineG)} per g fine for ${e.fineWeightG} g fine, ${how} the reference ${referenceSentence(e)} (ratio ${e.ratio}; band ${e.bandLowRatio}–${e.bandHighRatio}); ${e.payment ? `paid by ${e.payment.method.replace('_', ' ')}` : 'payment not declared'}, ${papersSentence(e)}`;
  },
};
