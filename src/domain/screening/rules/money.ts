import { type SQL, sql } from 'drizzle-orm';
import { thresholds } from '../thresholds.js';

/**
 * Fragments the money-trail rules share (CASH_ABOVE_THRESHOLD, PRICE_ANOMALY): a hand-over
 * `t` (a row of lot_transfers) with its lot `l`, its parties `fa` and `ta`, the month's reference
 * figures `r` and its values in US$ `v`.
 */

const { money } = thresholds;
const troyOunceG = '31.1034768';

/**
 * The reference table as SQL rows. Its figures are the thresholds' own constants (never user
 * input), so they are written into the statement rather than bound: the statement stays one
 * prepared plan for every write.
 */
const referenceRows = sql.raw(
  `(VALUES ${Object.entries(money.references)
    .map(
      ([month, r]) =>
        `('${month}', ${r.goldUsdPerOz}::numeric, ${r.penPerUsd}::numeric, ${r.usdPerEur}::numeric, ${month > money.publishedThrough})`,
    )
    .join(', ')}) AS ref(month, gold_usd_per_oz, pen_per_usd, usd_per_eur, provisional)`,
);

/** The month (UTC) of a hand-over: when the server recorded it, which the parties cannot choose. */
const monthOf = sql.raw(`to_char(t.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM')`);

/**
 * The hand-overs of `lots` with what both rules read: the lot, its parties, the reference month
 * (the latest the table holds at or before the hand-over's month; the earliest for one before
 * the table) and the declared price and the gold's estimated value, both in US$; `more` joins
 * what a rule adds, before the WHERE the caller continues with AND.
 */
export const handOvers = (lots: SQL, more: SQL = sql``) => sql`
  lot_transfers t
  JOIN lots l ON l.id = t.lot_id
  JOIN actors fa ON fa.id = t.from_actor_id
  LEFT JOIN actors ta ON ta.id = t.to_actor_id
  CROSS JOIN LATERAL (
    SELECT ref.*, ref.gold_usd_per_oz / ${sql.raw(troyOunceG)}::numeric AS usd_per_fine_g
      FROM ${referenceRows}
     ORDER BY (ref.month > ${monthOf}), CASE WHEN ref.month <= ${monthOf} THEN ref.month END DESC, ref.month
     LIMIT 1) r
  CROSS JOIN LATERAL (
    SELECT CASE t.price_currency WHEN 'USD' THEN t.price_amount
                                 WHEN 'PEN' THEN t.price_amount / r.pen_per_usd
                                 WHEN 'EUR' THEN t.price_amount * r.usd_per_eur END AS price_usd,
           t.fine_weight_g * r.usd_per_fine_g AS estimated_usd) v
  ${more}
  WHERE t.lot_id IN (${lots})`;

/** One hand-over per flag: the fingerprint names the lot_transfers row. */
export const handOverFingerprint = sql.raw(`'transfer:' || t.id::text`);

const party = (a: string) =>
  sql.raw(
    `CASE WHEN ${a}.id IS NULL THEN NULL ELSE jsonb_build_object('id', ${a}.id, 'taxId', ${a}.tax_id, 'name', ${a}.name) END`,
  );

/** What both rules' evidence says of a hand-over: the deal as declared and the reference it is judged on. */
export const handOverEvidence = sql`(jsonb_build_object(
    'handOverId', t.id, 'operation', t.operation, 'lotCode', l.code,
    'occurredAt', to_char(t.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'from', ${party('fa')}, 'to', ${party('ta')},
    'grossWeightG', t.gross_weight_g::text, 'fineWeightG', t.fine_weight_g::text,
    'price', CASE WHEN t.price_amount IS NULL THEN NULL
                  ELSE jsonb_build_object('amount', t.price_amount::text, 'currency', t.price_currency) END,
    'payment', CASE WHEN t.payment_method IS NULL THEN NULL
                    ELSE jsonb_build_object('method', t.payment_method, 'reference', t.payment_reference) END,
    'invoice', CASE WHEN t.invoice_number IS NULL THEN NULL
                    ELSE jsonb_build_object('number', t.invoice_number, 'issuedOn', t.invoice_issued_on::text) END)
  || jsonb_build_object(
    'priceUsd', round(v.price_usd, 2)::text,
    'estimatedValueUsd', round(v.estimated_usd, 2)::text,
    'reference', jsonb_build_object(
      'month', r.month, 'provisional', r.provisional,
      'goldUsdPerOz', r.gold_usd_per_oz::text, 'usdPerFineG', round(r.usd_per_fine_g, 3)::text,
      'penPerUsd', CASE WHEN t.price_currency = 'PEN' THEN r.pen_per_usd::text END,
      'usdPerEur', CASE WHEN t.price_currency = 'EUR' THEN r.usd_per_eur::text END,
      'sources', 'LBMA Gold Price PM monthly average; BCRP interbank S/ per US$; ECB euro reference rate')))`;

/** A hand-over's evidence as the rules' sentences use it. */
export interface HandOverEvidence {
  operation?: string;
  lotCode?: string;
  occurredAt?: string;
  from?: { taxId: string; name: string } | null;
  to?: { taxId: string; name: string } | null;
  fineWeightG?: string;
  price?: { amount: string; currency: string } | null;
  payment?: { method: string; reference: string | null } | null;
  invoice?: { number: string; issuedOn: string } | null;
  priceUsd?: string | null;
  estimatedValueUsd?: string;
  reference?: {
    month: string;
    provisional: boolean;
    goldUsdPerOz: string;
    usdPerFineG: string;
    penPerUsd: string | null;
    usdPerEur: string | null;
  };
}

const symbol: Record<string, string> = { PEN: 'S/', USD: 'US$', EUR: '€' };

/** An exact decimal as people read it: thousands grouped, two decimals. */
export const money2 = (amount: string | null | undefined, currency = 'USD') => {
  const n = Number(amount);
  const shown = Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    : String(amount);
  return `${symbol[currency] ?? currency} ${shown}`;
};

/** "lot AU-… handed over by X (RUC …) to Y (RUC …) on 2026-12-07" / "exported by X on …". */
export function dealSentence(e: HandOverEvidence): string {
  const who = (a: { taxId: string; name: string } | null | undefined) =>
    a ? `${a.name} (RUC ${a.taxId})` : 'an unknown party';
  const on = e.occurredAt?.slice(0, 10) ?? '?';
  return e.operation === 'export'
    ? `lot ${e.lotCode} exported by ${who(e.from)} on ${on}`
    : `lot ${e.lotCode} handed by ${who(e.from)} to ${who(e.to)} on ${on}`;
}

/** The declared price, with its conversion to US$ when it was in another currency. */
export function priceSentence(e: HandOverEvidence): string {
  if (!e.price) return 'no price declared';
  const r = e.reference;
  const conversion =
    e.price.currency === 'PEN' && r?.penPerUsd
      ? ` (${money2(e.priceUsd)} at S/ ${r.penPerUsd} per US$, BCRP ${r.month})`
      : e.price.currency === 'EUR' && r?.usdPerEur
        ? ` (${money2(e.priceUsd)} at US$ ${r.usdPerEur} per €, ECB ${r.month})`
        : '';
  return `${money2(e.price.amount, e.price.currency)}${conversion}`;
}

/** The payment reference and invoice, when declared. */
export function papersSentence(e: HandOverEvidence): string {
  const parts = [
    e.payment?.reference ? `payment reference ${e.payment.reference}` : null,
    e.invoice ? `invoice ${e.invoice.number} of ${e.invoice.issuedOn}` : 'no invoice',
  ].filter((p): p is string => p !== null);
  return parts.join(', ');
}

/** The reference price the deal is judged on, naming a provisional month. */
export function referenceSentence(e: HandOverEvidence): string {
  const r = e.reference;
  if (!r) return '';
  return `US$ ${r.usdPerFineG}/g fine (LBMA PM ${r.month} average US$ ${Number(r.goldUsdPerOz).toLocaleString('en-US')}/oz${r.provisional ? ', provisional: the month’s average is not yet in the thresholds' : ''})`;
}
