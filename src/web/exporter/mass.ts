/** Mass arithmetic of the desk: exact, in integer thousandths (src/web/shared/grams.ts). */
import { fromMilli, toMilli } from '../shared/grams.js';

export {
  compareGrams,
  finenessOf,
  fineWeight,
  parseFineness,
  parseGrams,
  showGrams,
  subtractGrams,
  sumGrams,
} from '../shared/grams.js';

/** `total` grams in `n` equal parts, each rounded down to the milligram (the rest stays over). */
export function equalParts(total: string, n: number): string[] {
  const each = toMilli(total) / BigInt(n);
  return Array.from({ length: n }, () => fromMilli(each));
}
