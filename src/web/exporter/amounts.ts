/**
 * Weights and fineness as the desk reads and shows them: typed with a decimal comma or point
 * (numbers.ts typedDecimal), then checked exactly by grams.ts; shown with es-PE conventions and
 * no trailing zeros ("500 g", never "500.000 g").
 */
import { parseFineness, parseGrams } from '../../domain/shared/grams.js';
import { useLang } from '../shared/i18n.js';
import { ambiguousGrouping, formatGrams, formatNumber, typedDecimal } from '../shared/numbers.js';

/**
 * A typed amount as decimal text, or null: one whose grouping is ambiguous ("1.250": 1250 or
 * 1.25?) is refused, never guessed (numbers.ts ambiguousGrouping); AmbiguousAmounts says why.
 */
const typedAmount = (text: string): string | null => (ambiguousGrouping(text) ? null : typedDecimal(text));

/** A typed weight as the API's grams ("1250,5" → "1250.500"), or null. */
export const typedGrams = (text: string): string | null => {
  const d = typedAmount(text);
  return d === null ? null : parseGrams(d);
};

/** A typed fineness in ‰ as the API's text, or null. */
export const typedFineness = (text: string): string | null => {
  const d = typedAmount(text);
  return d === null ? null : parseFineness(d);
};

/** Formatters in the reader's language: grams and per mille. */
export function useUnits(): { g(d: string): string; permille(d: string): string } {
  const lang = useLang();
  return {
    g: (d) => formatGrams(d, lang),
    permille: (d) => formatNumber(d, lang, { unit: '‰' }),
  };
}
