import type { z } from 'zod';
import { decimal3, fromMilli, toMilli } from './quantity.js';

/** A weight in grams: exact, three decimals, strictly positive. */
export const gramsSchema = decimal3.refine((g) => toMilli(g) > 0n, 'must be greater than 0 g');

/** Fineness in parts per thousand (‰): 0 < f ≤ 1000, three decimals at most. */
export const finenessSchema = decimal3.refine((f) => {
  const m = toMilli(f);
  return m > 0n && m <= 1_000_000n;
}, 'fineness is in ‰: greater than 0 and at most 1000');

/**
 * Fine gold in a gross weight at a fineness, rounded DOWN to the milligram: rounding can lose a
 * milligram, never create one, so the fine weights of split parts never add up to more than
 * their parent's.
 */
export function fineWeight(grossG: string, finenessPermille: string): string {
  // thousandths of a gram × thousandths of a per-mille / (1000 ‰ × 1000) = thousandths of a gram
  return fromMilli((toMilli(grossG) * toMilli(finenessPermille)) / 1_000_000n);
}

/** The fineness of a mixture: fine / gross in ‰, rounded down to three decimals. */
export function finenessOf(fineG: string, grossG: string): string {
  return fromMilli((toMilli(fineG) * 1_000_000n) / toMilli(grossG));
}

export const sumGrams = (gs: string[]): string => fromMilli(gs.reduce((a, g) => a + toMilli(g), 0n));
export const subtractGrams = (a: string, b: string): string => fromMilli(toMilli(a) - toMilli(b));
export const compareGrams = (a: string, b: string): number => {
  const d = toMilli(a) - toMilli(b);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
};

export type Grams = z.infer<typeof gramsSchema>;
