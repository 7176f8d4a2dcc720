import { base64url, type CompactJWSHeaderParameters, CompactSign, type JWK } from 'jose';
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
  /**
   * The same key's ES256 signature (r ‖ s, 64 bytes) of `data` by the platform's own ECDSA, where
   * the runtime has one (Node: keys/native-signing.node.ts). Absent, signatures go through
   * WebCrypto (jose): ~4× the CPU per signature (174 µs against 41 µs here), and the server signs
   * a QR code and an event for every lot it registers.
   */
  signEs256?: (data: Uint8Array) => Uint8Array;
}

const encoder = new TextEncoder();

/**
 * A compact JWS (ES256) of `payload` under `header`: by the native signer when the key has one,
 * else by jose. Both make the same JWS — base64url of the header's JSON, of the payload, of the
 * 64-byte signature — which anyone verifies with the public key.
 */
export async function signCompact(
  signer: LedgerSigner,
  header: CompactJWSHeaderParameters & { alg: 'ES256' },
  payload: Uint8Array,
): Promise<string> {
  if (!signer.signEs256) return new CompactSign(payload).setProtectedHeader(header).sign(signer.privateKey);
  const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(payload)}`;
  return `${input}.${base64url.encode(signer.signEs256(encoder.encode(input)))}`;
}
