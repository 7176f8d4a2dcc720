import type { JWK } from 'jose';
import type { NoteSigner } from './note.js';

/**
 * The ledger's private signing key as the domain uses it: it signs tree heads and the JWS in QR
 * codes. Its public half is served as the JWKS; where it comes from is the runtime's business
 * (src/keys). `note`, when present, also signs each head as a C2SP checkpoint (note.ts).
 */
export interface LedgerSigner {
  kid: string;
  privateKey: CryptoKey;
  /** Its public half: what the sequencer checks write signatures and the last head with. */
  publicJwk: JWK;
  note?: NoteSigner;
}
