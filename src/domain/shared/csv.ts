/**
 * One RFC 4180 field, for every CSV the ledger writes (reports, the flag queue, bulk exports).
 * Names, codes and reasons come from people, and a spreadsheet runs a cell that starts with = + -
 * @ (or a tab or carriage return, which some strip first) as a formula (OWASP "CSV Injection"):
 * such text gets a leading apostrophe, which spreadsheets show as text. A plain number (a
 * longitude of -70.1) is data and no formula: it is left as it is.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
