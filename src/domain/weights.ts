import type { z } from 'zod';
import { toMilli } from './milli.js';
import { decimal3 } from './quantity.js';

/** A weight in grams: exact, three decimals, strictly positive. */
export const gramsSchema = decimal3.refine((g) => toMilli(g) > 0n, 'must be greater than 0 g');

/** Fineness in parts per thousand (‰): 0 < f ≤ 1000, three decimals at most. */
export const finenessSchema = decimal3.refine((f) => {
  const m = toMilli(f);
  return m > 0n && m <= 1_000_000n;
}, 'fineness is in ‰: greater than 0 and at most 1000');

export { compareGrams, finenessOf, fineWeight, subtractGrams, sumGrams } from './milli.js';

export type Grams = z.infer<typeof gramsSchema>;
