/**
 * Exact decimal arithmetic in integer thousandths (grams to the milligram, fineness in ‰ to three
 * places), never in floats: the one module for weights, used by the server and bundled into the
 * web apps alike. Pure and free of zod, so the apps' bundles stay small; the zod schemas that
 * validate these decimals in requests are built on it in decimal-schemas.ts.
 */

/**
 * A non-negative decimal with at most three places, normalised to three places ("12.5" →
 * "12.500"); null when the text is not one (a decimal point, never a comma).
 */
export function parseDecimal(text: string): string | null {
  const m = /^(\d{1,12})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (!m) return null;
  return `${BigInt(m[1] ?? '0')}.${(m[2] ?? '').padEnd(3, '0')}`;
}

/**
 * The largest weight or quantity the ledger stores: its columns are numeric(14, 3), eleven
 * integer digits and three decimals. A sum (a merge) is checked against it before it is written.
 */
export const maxStored = '99999999999.999';
export const fitsStored = (d: string): boolean => toMilli(d) <= toMilli(maxStored);

/** Integer thousandths of a decimal string with at most three places ("12.5" → 12500n). */
export const toMilli = (d: string): bigint => {
  const neg = d.startsWith('-');
  const [i = '0', f = ''] = (neg ? d.slice(1) : d).split('.');
  const m = BigInt(i || '0') * 1000n + BigInt(f.padEnd(3, '0').slice(0, 3));
  return neg ? -m : m;
};

/** Thousandths back to a decimal string with three places. */
export const fromMilli = (m: bigint): string => {
  const sign = m < 0n ? '-' : '';
  const a = m < 0n ? -m : m;
  return `${sign}${a / 1000n}.${(a % 1000n).toString().padStart(3, '0')}`;
};

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

/** A positive weight in grams, normalised to three places, or null. */
export function parseGrams(text: string): string | null {
  const d = parseDecimal(text);
  return d && toMilli(d) > 0n ? d : null;
}

/** A fineness in ‰ (0 < f ≤ 1000), normalised to three places, or null. */
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
