import type { JWK } from 'jose';

/**
 * The ledger's private signing key as the domain uses it: it signs tree heads and the JWS in QR
 * codes. Its public half is served as the JWKS; where it comes from is the runtime's business
 * (src/keys).
 */
export interface LedgerSigner {
  kid: string;
  privateKey: CryptoKey;
  /** Its public half: what the sequencer checks write signatures and the last head with. */
  publicJwk: JWK;
}
