/**
 * Weights as people type and read them in the web apps. The arithmetic is the server's own
 * (src/domain/milli.ts, free of zod, so the bundle stays small): re-exported here.
 */
import { fromMilli, parseDecimal, toMilli } from '../../domain/milli.js';

export {
  compareGrams,
  finenessOf,
  fineWeight,
  fromMilli,
  parseDecimal,
  subtractGrams,
  sumGrams,
  toMilli,
} from '../../domain/milli.js';

/** A positive weight in grams, or null. */
export function parseGrams(text: string): string | null {
  const d = parseDecimal(text);
  return d && toMilli(d) > 0n ? d : null;
}

/** A fineness in ‰ (0 < f ≤ 1000), or null. */
export function parseFineness(text: string): string | null {
  const d = parseDecimal(text);
  if (!d) return null;
  const m = toMilli(d);
  return m > 0n && m <= 1_000_000n ? d : null;
}

/** "1234567.500" → "1,234,567.500" (Peru writes a decimal point and groups by commas). */
export function showGrams(d: string): string {
  const neg = d.startsWith('-');
  const [i = '0', f = '000'] = (neg ? d.slice(1) : d).split('.');
  return `${neg ? '−' : ''}${i.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f}`;
}

/** `total` grams in `n` equal parts, each rounded down to the milligram (the rest stays over). */
export function equalParts(total: string, n: number): string[] {
  const each = toMilli(total) / BigInt(n);
  return Array.from({ length: n }, () => fromMilli(each));
}
