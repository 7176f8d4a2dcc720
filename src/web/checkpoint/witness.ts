/**
 * The device as a witness of the ledger (shared/witness.tsx): after each sync it checks the
 * server's signed head against the one it kept in IndexedDB, with the JWKS it keeps for QR codes.
 * The head is kept for the device, not per checkpoint: it is the same ledger whatever the post.
 */
import type { Api } from '../shared/api.js';
import { ledgerSource, type WitnessStore, witnessLedger } from '../shared/witness.js';
import { dropFact, getFact, putFact } from './store.js';
import { ledgerKeys, refreshLedgerKeys } from './verify.js';

const scope = 'ledger';

export const deviceWitness: WitnessStore = {
  kept: () => getFact('ledgerHead', scope),
  keep: (h) => putFact('ledgerHead', scope, h),
  alarm: () => getFact('ledgerAlarm', scope),
  raise: (a) => putFact('ledgerAlarm', scope, a),
  clear: async () => {
    await dropFact('ledgerAlarm', scope);
    await dropFact('ledgerHead', scope);
  },
};

/** The kept keys; fetched again when the head names a key the device does not know (a rotation). */
async function keysFor(kid: string) {
  const kept = (await ledgerKeys()) ?? [];
  if (kept.some((k) => k.kid === kid)) return kept;
  return (await refreshLedgerKeys()) ?? kept;
}

export const witnessFromDevice = (api: Api) => witnessLedger(deviceWitness, ledgerSource(api, keysFor));
