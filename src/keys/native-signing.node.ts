import { KeyObject, sign } from 'node:crypto';
import type { SigningKey } from './signing.js';

/**
 * The key with a native ES256 signer (node:crypto's ECDSA, OpenSSL): what the server signs with
 * on every write — the QR code of each lot, each event's write signature — at about a quarter
 * of the CPU of WebCrypto through jose, whose calls cost more than the arithmetic (a CPU profile
 * of the server under 16 concurrent clients). The JWS it makes are the same; without a native
 * key object (another runtime) the key is returned as it is, and jose signs.
 */
export function withNativeSigning(key: SigningKey): SigningKey {
  let native: KeyObject;
  try {
    native = KeyObject.from(key.privateKey);
  } catch {
    return key;
  }
  return {
    ...key,
    signEs256: (data) => sign('sha256', data, { key: native, dsaEncoding: 'ieee-p1363' }),
  };
}
