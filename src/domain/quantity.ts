import { z } from 'zod';
import { fromMilli, parseDecimal, toMilli } from './milli.js';

/**
 * An exact, non-negative decimal with at most three places, given as a string ("12.345") or a
 * number whose decimal text has at most three places. Normalised to a string with three
 * places; arithmetic on it is done in PostgreSQL numeric or in integer thousandths, never in floats.
 */
export const decimal3 = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const parsed = parseDecimal(typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'NaN') : v);
  if (parsed === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a non-negative decimal with at most 3 decimal places' });
    return z.NEVER;
  }
  return parsed;
});

export { fromMilli, toMilli };
