/**
 * The printed codes of lots (AU-2026-000123) and movements (MV-2026-000045) as people type them
 * from a label or a paper: in any case, with or without the dashes, with spaces, with the
 * number's leading zeros left out, with a letter O for a zero. One normaliser for the lookups of both, so that "au 2026 123"
 * finds the lot a scanner would.
 */

/** What a code starts with: lots AU (gold), movements MV. */
const codePrefixes = ['AU', 'MV'] as const;
export type CodePrefix = (typeof codePrefixes)[number];

/** The typed text with everything but letters and digits taken out, upper-cased. */
const compact = (typed: string): string =>
  typed
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '');

/**
 * A typed code as the ledger writes it ("au2026123" → "AU-2026-000123"), or null when it cannot
 * be one: two letters (`prefix` when given), a four-digit year and a number (padded to the six
 * digits the sequences print; longer numbers as they are).
 */
export function canonicalCode(typed: string, prefix?: CodePrefix): string | null {
  const c = compact(typed);
  // After the two letters a code holds digits only: a letter O typed for a zero, or I or L for a
  // one (they look alike on a worn label and sit beside each other on a phone), is read as meant.
  const m = /^([A-Z]{2})(\d{4})(\d{1,12})$/.exec(
    c.slice(0, 2) + c.slice(2).replace(/O/g, '0').replace(/[IL]/g, '1'),
  );
  if (!m) return null;
  const [, letters = '', year = '', n = ''] = m;
  if (prefix ? letters !== prefix : !(codePrefixes as readonly string[]).includes(letters)) return null;
  const number = n.replace(/^0+(?=\d)/, '').padStart(6, '0');
  return `${letters}-${year}-${number}`;
}

/**
 * A fragment of a code to search by ("2026-0001", "000123", "au-2026"), as letters and digits
 * to find inside a code written without its dashes; null when it holds none.
 */
export function codeFragment(typed: string): string | null {
  const c = compact(typed);
  return c.length > 0 ? c : null;
}
