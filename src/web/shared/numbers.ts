/**
 * Numbers as people in Peru read and type them. Shown with the es-PE conventions of the
 * platform (Intl: comma groups thousands, point marks decimals: "1,250.5 g"), never with
 * trailing zeros that make "500.000 g" read as half a tonne; typed with a decimal comma or a
 * decimal point, since both are in daily use ("12,5" and "12.5" are both twelve and a half).
 */
import type { Lang } from './i18n.js';

/** The locale a language formats numbers in: Peru's Spanish, or English. */
export const numberLocale = (lang: Lang): string => (lang === 'es' ? 'es-PE' : 'en-US');

/**
 * A number (or the decimal text the API writes, "1250.500") for reading: grouped thousands, at
 * most `maxFraction` decimals, no trailing zeros; the unit after a no-break space.
 */
export function formatNumber(
  value: number | string | null | undefined,
  lang: Lang,
  opts: { unit?: string; maxFraction?: number } = {},
): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  const text = n.toLocaleString(numberLocale(lang), {
    minimumFractionDigits: 0,
    maximumFractionDigits: opts.maxFraction ?? 3,
  });
  return opts.unit ? `${text}\u00a0${opts.unit}` : text;
}

/** Grams, as weights are shown everywhere: "1,250.5 g". */
export const formatGrams = (value: number | string | null | undefined, lang: Lang): string =>
  formatNumber(value, lang, { unit: 'g' });

/**
 * A decimal number as a person types it, or null when it is not one. Either mark is a decimal
 * separator when it is the only one ("12,5", "12.5"); with both, the last one is ("1.250,5",
 * "1,250.5"), and the other groups thousands. Spaces (also no-break) group thousands.
 */
export function parseDecimal(text: string): number | null {
  const t = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (!/^[+-]?[\d.,]+$/.test(t) || !/\d/.test(t)) return null;
  const lastComma = t.lastIndexOf(',');
  const lastPoint = t.lastIndexOf('.');
  const decimalAt = Math.max(lastComma, lastPoint);
  const both = lastComma >= 0 && lastPoint >= 0;
  let intPart: string;
  let fracPart = '';
  if (decimalAt < 0) intPart = t;
  else if (!both && (t.match(/[.,]/g)?.length ?? 0) > 1) {
    // "1.250.000" or "1,250,000": only grouping marks, each group of three digits.
    if (!/^[+-]?\d{1,3}([.,]\d{3})+$/.test(t)) return null;
    intPart = t.replace(/[.,]/g, '');
  } else {
    intPart = t.slice(0, decimalAt);
    fracPart = t.slice(decimalAt + 1);
    if (both) {
      const group = t[decimalAt] === ',' ? '.' : ',';
      if (!new RegExp(`^[+-]?\\d{1,3}(\\${group}\\d{3})*$`).test(intPart)) return null;
      intPart = intPart.replaceAll(group, '');
    }
  }
  if (!/^[+-]?\d*$/.test(intPart) || !/^\d*$/.test(fracPart)) return null;
  const n = Number(`${intPart || '0'}.${fracPart || '0'}`);
  return Number.isFinite(n) ? n : null;
}

/**
 * A typed decimal as the API takes it (its text with a point, "12.5"), or null when it is not
 * a number: what a form sends after accepting "12,5".
 */
export function decimalForApi(text: string): string | null {
  const n = parseDecimal(text);
  return n === null ? null : String(n);
}
