import { z } from 'zod';
import { fitsStored, maxStored, parseDecimal, parseFineness, parseGrams } from './grams.js';

/**
 * An exact, non-negative decimal with at most three places, given as a string ("12.345") or a
 * number whose decimal text has at most three places, no larger than a numeric(14, 3) column
 * holds. Normalised to a string with three
 * places; arithmetic on it is done in PostgreSQL numeric or in integer thousandths (grams.ts),
 * never in floats.
 */
export const decimal3 = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const parsed = parseDecimal(typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'NaN') : v);
  if (parsed === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a non-negative decimal with at most 3 decimal places' });
    return z.NEVER;
  }
  if (!fitsStored(parsed)) {
    ctx.addIssue({ code: 'custom', message: `must be at most ${maxStored}, the largest the ledger stores` });
    return z.NEVER;
  }
  return parsed;
});

/** A weight in grams: exact, three decimals, strictly positive (the apps' parseGrams). */
export const gramsSchema = decimal3.refine((g) => parseGrams(g) !== null, 'must be greater than 0 g');

/** Fineness in parts per thousand (‰): 0 < f ≤ 1000, three decimals at most (the apps' parseFineness). */
export const finenessSchema = decimal3.refine(
  (f) => parseFineness(f) !== null,
  'fineness is in ‰: greater than 0 and at most 1000',
);
