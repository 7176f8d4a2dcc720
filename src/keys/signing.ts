import { importJWK, type JWK } from 'jose';

/** The algorithm of every key orotrace signs with (QR codes, tree heads, local tokens). */
export const keyAlg = 'ES256';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * A signing key from a private JWK (a file on Node, a secret on Workers); `source` names where it
 * came from in the error when it cannot be used (LEDGER_PRIVATE_JWK, a key file).
 */
export async function signingKeyFromJwk(jwk: JWK, source = 'signing key'): Promise<SigningKey> {
  if (!jwk.kid) throw new Error(`${source}: the key has no kid`);
  let privateKey: CryptoKey;
  try {
    privateKey = (await importJWK(jwk, keyAlg)) as CryptoKey;
  } catch (err) {
    throw new Error(`${source}: not a usable ${keyAlg} private key (${(err as Error).message})`);
  }
  const { d: _d, ...publicJwk } = jwk;
  return { kid: jwk.kid, privateKey, publicJwk: { ...publicJwk, alg: keyAlg, use: 'sig' } };
}
