import { z } from 'zod';
import type { Tx } from '../../db/client.js';
import { lotTransfers } from '../../db/schema/index.js';
import { daySchema } from '../shared/dates.js';
import { newId } from '../shared/ids.js';
import { text } from '../shared/text.js';
import { currencies, paymentMethods, type TransferOperation } from '../shared/vocabulary.js';

/**
 * The money trail of a hand-over (a transfer or an export), as the parties declare it: what was
 * paid, how, and the invoice that documents it. Every part is optional — gold changes hands
 * without all three, and their absence is itself what a regulator looks at — but what is given
 * is exact: an amount is a decimal with at most two places (never a float), in a currency the
 * thresholds hold a reference rate for.
 */
const amountSchema = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'NaN') : v.trim();
  if (!/^\d{1,14}(\.\d{1,2})?$/.test(s)) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a positive decimal with at most 2 decimal places and 14 digits before the point',
    });
    return z.NEVER;
  }
  const [whole = '0', cents = ''] = s.split('.');
  const normalised = `${BigInt(whole).toString()}.${cents.padEnd(2, '0')}`;
  if (/^0\.00$/.test(normalised)) {
    ctx.addIssue({ code: 'custom', message: 'must be greater than 0' });
    return z.NEVER;
  }
  return normalised;
});

export const moneyTrailSchema = z.object({
  price: z
    .strictObject({
      amount: amountSchema.meta({
        description:
          'Greater than 0, at most 2 decimal places and 14 digits before the point; a string keeps it exact',
        example: '112000.00',
      }),
      currency: z.enum(currencies).meta({ description: 'ISO 4217: PEN (soles), USD or EUR' }),
    })
    .meta({
      description:
        'What the receiver paid for the lot, as declared. Judged per fine gram against the month’s reference gold price (PRICE_ANOMALY) and, when paid in cash, against the bancarización threshold (CASH_ABOVE_THRESHOLD)',
    })
    .optional(),
  payment: z
    .strictObject({
      method: z.enum(paymentMethods).meta({
        description:
          'cash is flagged from S/ 2,000 or US$ 500 (Ley 28194 art. 4), whatever price is declared',
      }),
      reference: text({ max: 100 }).optional().meta({
        description: 'Bank operation number, cheque number or receipt',
        example: 'BCP 000123456',
      }),
    })
    .meta({ description: 'How the price was paid' })
    .optional(),
  // A Peruvian electronic invoice is numbered series-correlative (F001-00012345, SUNAT RS
  // 097-2012/SUNAT); other forms are accepted as written.
  invoice: z
    .strictObject({
      number: text({ max: 40 }).meta({
        description: 'Series-correlative as SUNAT numbers it',
        example: 'F001-00012345',
      }),
      issuedOn: daySchema.meta({ description: 'The invoice’s date, YYYY-MM-DD', example: '2026-12-01' }),
    })
    .meta({ description: 'The invoice that documents the sale (both fields together)' })
    .optional(),
});
export type MoneyTrail = z.infer<typeof moneyTrailSchema>;

/** A hand-over as lot_transfers keeps it. */
interface HandOver {
  lotId: string;
  operation: TransferOperation;
  fromActorId: string;
  toActorId: string | null;
  grossWeightG: string;
  fineWeightG: string;
  money: MoneyTrail;
}

/** Records a hand-over with its money trail, in the operation's transaction; answers its id. */
export async function recordHandOver(tx: Tx, h: HandOver): Promise<string> {
  const id = newId();
  await tx.insert(lotTransfers).values({
    id,
    lotId: h.lotId,
    operation: h.operation,
    fromActorId: h.fromActorId,
    toActorId: h.toActorId,
    grossWeightG: h.grossWeightG,
    fineWeightG: h.fineWeightG,
    priceAmount: h.money.price?.amount ?? null,
    priceCurrency: h.money.price?.currency ?? null,
    paymentMethod: h.money.payment?.method ?? null,
    paymentReference: h.money.payment?.reference ?? null,
    invoiceNumber: h.money.invoice?.number ?? null,
    invoiceIssuedOn: h.money.invoice?.issuedOn ?? null,
  });
  return id;
}

/** The money trail as an event payload carries it: only what was declared. */
export function moneyPayload(m: MoneyTrail): Record<string, unknown> {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined));
}
