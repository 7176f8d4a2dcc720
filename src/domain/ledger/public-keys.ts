import { importJWK, type JWK } from 'jose';

/**
 * The ledger's public keys as WebCrypto keys, imported once each. Every scan verifies a QR and
 * every sequencer run a head: importing the JWK again each time cost more than the
 * verification itself (a CPU profile of the server under load). Keyed by the JWK object, which
 * the server passes the same with every request and a device keeps with its stored set; a key
 * that fails to import is not remembered, so the next call is refused afresh.
 */
const imported = new WeakMap<JWK, ReturnType<typeof importJWK>>();

export function importedPublicKey(jwk: JWK): ReturnType<typeof importJWK> {
  let key = imported.get(jwk);
  if (!key) {
    key = importJWK(jwk, 'ES256');
    key.catch(() => imported.delete(jwk));
    imported.set(jwk, key);
  }
  return key;
}
