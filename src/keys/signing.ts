import { importJWK, type JWK } from 'jose';
import { ed25519FromSeed, type NoteSigner, noteVerifierKey } from '../domain/ledger/note.js';

/** The algorithm of every key orotrace signs with (QR codes, tree heads, local tokens). */
export const keyAlg = 'ES256';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** The Ed25519 key that signs checkpoints (C2SP signed notes), when an origin was given. */
  note?: NoteSigner;
  /** A native ES256 signer of the same key (LedgerSigner.signEs256; keys/native-signing.node.ts). */
  signEs256?: (data: Uint8Array) => Uint8Array;
}

/**
 * A signing key from a private JWK (a file on Node, a secret on Workers); `source` names where it
 * came from in the error when it cannot be used (LEDGER_PRIVATE_JWK, a key file). With
 * `checkpointOrigin`, the key also carries the note key that signs checkpoints under that name.
 */
export async function signingKeyFromJwk(
  jwk: JWK,
  source = 'signing key',
  opts: { checkpointOrigin?: string | undefined } = {},
): Promise<SigningKey> {
  if (!jwk.kid) throw new Error(`${source}: the key has no kid`);
  let privateKey: CryptoKey;
  try {
    privateKey = (await importJWK(jwk, keyAlg)) as CryptoKey;
  } catch (err) {
    throw new Error(`${source}: not a usable ${keyAlg} private key (${(err as Error).message})`);
  }
  const { d: _d, ...publicJwk } = jwk;
  const key: SigningKey = { kid: jwk.kid, privateKey, publicJwk: { ...publicJwk, alg: keyAlg, use: 'sig' } };
  if (opts.checkpointOrigin && jwk.d) key.note = await noteKeyOf(jwk.d, opts.checkpointOrigin);
  return key;
}

/**
 * The checkpoint note key, Ed25519, derived from the ledger key's private scalar with HKDF-SHA256:
 * no second secret to configure, store or rotate apart from the first, and the same on every
 * runtime (WebCrypto only). Distinct `info` keeps it independent of any other use of `d`.
 */
async function noteKeyOf(d: string, origin: string): Promise<NoteSigner> {
  const ikm = await crypto.subtle.importKey(
    'raw',
    Uint8Array.from(Buffer.from(d, 'base64url')),
    'HKDF',
    false,
    ['deriveBits'],
  );
  const seed = await crypto.subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(0),
      info: new TextEncoder().encode('orotrace checkpoint note key v1'),
    },
    ikm,
    256,
  );
  const { privateKey, publicKey } = await ed25519FromSeed(new Uint8Array(seed));
  return { name: origin, privateKey, publicKey, vkey: noteVerifierKey(origin, publicKey).text };
}
