/**
 * Numbers as people in Peru read and type them. Shown with the es-PE conventions of the
 * platform (Intl: comma groups thousands, point marks decimals: "1,250.5 g"), never with
 * trailing zeros that make "500.000 g" read as half a tonne; typed with a decimal comma or a
 * decimal point, since both are in daily use ("12,5" and "12.5" are both twelve and a half).
 */
import type { Lang } from './i18n.js';

/** The locale a language formats numbers in: Peru's Spanish, or English. */
const numberLocale = (lang: Lang): string => (lang === 'es' ? 'es-PE' : 'en-US');

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
 * A decimal number as a person types it, as the text the API and grams.ts read ("1250.75": digits
 * and a decimal point, no grouping), or null when it is not one. Either mark is the decimal
 * separator when it is the only one ("12,5", "12.5"); with both, the last one is ("1.250,5",
 * "1,250.5") and the other must group thousands; a mark repeated alone groups thousands
 * ("1.250.000"). Spaces (also no-break) group thousands. Text in, text out: no float rounding,
 * grams.ts checks the places and the range.
 */
export function typedDecimal(text: string): string | null {
  const t = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (!/^[+-]?[\d.,]+$/.test(t) || !/\d/.test(t)) return null;
  const sign = t.startsWith('-') ? '-' : '';
  const body = t.replace(/^[+-]/, '');
  const lastComma = body.lastIndexOf(',');
  const lastPoint = body.lastIndexOf('.');
  const decimalAt = Math.max(lastComma, lastPoint);
  const marks = body.match(/[.,]/g)?.length ?? 0;
  let intPart: string;
  let fracPart = '';
  if (decimalAt < 0) intPart = body;
  else if (lastComma >= 0 && lastPoint >= 0) {
    const group = body[decimalAt] === ',' ? '.' : ',';
    intPart = body.slice(0, decimalAt);
    fracPart = body.slice(decimalAt + 1);
    if (!new RegExp(`^\\d{1,3}(\\${group}\\d{3})*$`).test(intPart)) return null;
    intPart = intPart.replaceAll(group, '');
  } else if (marks > 1) {
    if (!/^\d{1,3}([.,]\d{3})+$/.test(body)) return null;
    intPart = body.replace(/[.,]/g, '');
  } else {
    intPart = body.slice(0, decimalAt);
    fracPart = body.slice(decimalAt + 1);
  }
  if (!/^\d*$/.test(intPart) || !/^\d*$/.test(fracPart) || `${intPart}${fracPart}` === '') return null;
  const int = intPart.replace(/^0+(?=\d)/, '') || '0';
  return fracPart ? `${sign}${int}.${fracPart}` : `${sign}${int}`;
}

/**
 * An amount typed with one mark followed by exactly three digits after one to three others
 * ("1.250", "1,250", "500.000"): in Peru either mark may group thousands or mark decimals, and
 * the app itself shows 1250 g as "1,250 g", so such a text is 1250 to one reader and 1.25 to
 * another. Weights and quantities refuse it rather than guess (typedDecimal alone would read it
 * as decimals); "1250", "1,25", "1.250,0" or "1,250.0" say which. Not for coordinates, whose
 * three decimals ("-12.945") are unambiguous.
 */
export function ambiguousGrouping(text: string): boolean {
  return /^[+-]?[1-9]\d{0,2}[.,]\d{3}$/.test(text.trim().replace(/[\s\u00a0\u202f]/g, ''));
}

/**
 * The two readings of an amount whose grouping is ambiguous (ambiguousGrouping): as a whole
 * number ("1250"), and as a decimal written with `mark` ("1,25"), so a refusal can name both.
 */
export function groupingReadings(text: string, mark: string): { whole: string; decimal: string } {
  const t = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  const [int = '', frac = ''] = t.split(/[.,]/);
  const kept = frac.replace(/0+$/, '');
  return { whole: `${int}${frac}`, decimal: kept ? `${int}${mark}${kept}` : int };
}
