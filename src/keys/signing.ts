import { importJWK, type JWK } from 'jose';

/** The algorithm of every key orotrace signs with (QR codes, tree heads, local tokens). */
export const keyAlg = 'ES256';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A signing key from a private JWK (a file on Node, a secret on Workers). */
export async function signingKeyFromJwk(jwk: JWK): Promise<SigningKey> {
  if (!jwk.kid) throw new Error('signing key has no kid');
  const privateKey = (await importJWK(jwk, keyAlg)) as CryptoKey;
  const { d: _d, ...publicJwk } = jwk;
  return { kid: jwk.kid, privateKey, publicJwk: { ...publicJwk, alg: keyAlg, use: 'sig' } };
}
