/**
 * The codes this device has seen (store.ts `keptCodes`): every lot or movement scanned or looked
 * up by its printed code, most recent first. Kept per device, not per checkpoint (a lot is the
 * same lot at any post), and capped: what a post sees in a few weeks, a few hundred kilobytes.
 * With the watchlist (the held lots, and the movements under way on the post's routes) it is what
 * a code typed with no signal is checked against.
 */
import { getFact, type KeptCode, putFact } from './store.js';

const scope = 'device';
/** Enough for weeks of a busy post; each entry is mostly its ~330-character token. */
const keptCodesMax = 500;

async function keptCodes(): Promise<KeptCode[]> {
  return (await getFact('keptCodes', scope)) ?? [];
}

/** Keeps (or refreshes) one code, first in the list. */
export async function keepCode(entry: KeptCode): Promise<void> {
  const rest = (await keptCodes()).filter((k) => k.code !== entry.code);
  await putFact('keptCodes', scope, [entry, ...rest].slice(0, keptCodesMax));
}

export async function keptCode(code: string): Promise<KeptCode | undefined> {
  return (await keptCodes()).find((k) => k.code === code);
}
