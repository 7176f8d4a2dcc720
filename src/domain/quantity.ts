import { z } from 'zod';

/**
 * An exact, non-negative decimal with at most three places, given as a string ("12.345") or a
 * number whose decimal text has at most three places. Normalised to a string with three
 * places; arithmetic on it is done in PostgreSQL numeric or in integer thousandths, never in floats.
 */
export const decimal3 = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const text = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'NaN') : v.trim();
  const m = /^(\d{1,12})(?:\.(\d{1,3}))?$/.exec(text);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: 'must be a non-negative decimal with at most 3 decimal places' });
    return z.NEVER;
  }
  return `${BigInt(m[1] ?? '0')}.${(m[2] ?? '').padEnd(3, '0')}`;
});

/** Integer thousandths of a decimal3 string, for exact arithmetic in JS. */
export const toMilli = (d: string): bigint => {
  const [i = '0', f = ''] = d.split('.');
  return BigInt(i) * 1000n + BigInt(f.padEnd(3, '0').slice(0, 3));
};

export const fromMilli = (m: bigint): string => {
  const sign = m < 0n ? '-' : '';
  const a = m < 0n ? -m : m;
  return `${sign}${a / 1000n}.${(a % 1000n).toString().padStart(3, '0')}`;
};
