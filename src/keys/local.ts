import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { keyAlg, type SigningKey, signingKeyFromJwk } from './signing.js';

/**
 * A P-256 key pair kept as a JWK file in `<dataDir>/keys`, generated on first use. The embedded
 * default signs its own tokens ('auth') and QR codes and tree heads ('ledger') with these; the
 * files never enter git (data/ is ignored) and are readable by their owner only.
 */
export async function loadOrCreateKey(
  dataDir: string,
  name: 'auth' | 'ledger',
  opts: { checkpointOrigin?: string } = {},
): Promise<SigningKey> {
  const dir = join(dataDir, 'keys');
  const file = join(dir, `${name}.private.jwk.json`);
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    jwk = await generateJwk(name);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // Another process (a CLI beside the server) created it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
    }
  }
  return signingKeyFromJwk(jwk, file, opts);
}

/** A fresh private JWK with a thumbprint-derived kid. */
export async function generateJwk(name: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(keyAlg, { extractable: true });
  const jwk = await exportJWK(privateKey);
  jwk.kid = `${name}-${(await calculateJwkThumbprint(jwk)).slice(0, 16)}`;
  jwk.alg = keyAlg;
  jwk.use = 'sig';
  return jwk;
}
