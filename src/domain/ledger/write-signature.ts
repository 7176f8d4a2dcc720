import * as nodeCrypto from 'node:crypto';
import { flattenedVerify, importJWK, type JWK } from 'jose';
import { eventLeafBytes } from './canonical.js';
import type { LedgerEvent } from './schemas.js';
import { type LedgerSigner, signCompact } from './signer.js';

/**
 * Signed writes. Every event carries the API's signature over its leaf data (canonical.ts), made
 * in the writing transaction before the row is inserted, with the write key — the ledger's key,
 * which the database never holds. Someone who can insert into `events` but does not hold the
 * key (an insider at the database) cannot make an event the sequencer accepts: it refuses every
 * event without a valid signature and records an incident (store.ts, incidents.ts).
 *
 * The signature is a JWS (RFC 7515) with a detached payload (Appendix F): `<header>..<signature>`,
 * ES256, `typ: orotrace-event+jws` (so that it can never pass for a head's or a QR code's), the
 * payload being the leaf data. Anyone with the JWKS checks it: put the base64url of the leaf data
 * between the two dots and verify the compact JWS.
 *
 * One write key per process: a Node process or a Worker isolate serves one ledger, and the domain
 * functions that write events are called from many places (routes, CLIs, the demo loader, tests)
 * with a database handle but no key. The entry installs the key once at start (installWriteKey);
 * writing an event without one is a programming error and fails loudly.
 */

const typ = 'orotrace-event+jws';

let writeKey: LedgerSigner | undefined;

/** Makes `key` the one every event written from now on in this process is signed with. */
export function installWriteKey(key: LedgerSigner): void {
  writeKey = key;
}

/** The signature (detached compact JWS) of an event's leaf data with the installed write key. */
export async function signEvent(event: LedgerEvent): Promise<string> {
  if (!writeKey) throw new Error('no write key installed: the entry must call installWriteKey at start');
  // Detached: the compact JWS without its payload, which is the leaf data itself.
  const [header, , signature] = (
    await signCompact(writeKey, { alg: 'ES256', kid: writeKey.kid, typ }, eventLeafBytes(event))
  ).split('.');
  return `${header}..${signature}`;
}

/** Public keys by kid, imported once: verification runs over every event of the log. */
const imported = new WeakMap<JWK, Promise<CryptoKey | Uint8Array>>();

/**
 * The same keys as native key objects, for the fast path below; null when the JWK is not a plain
 * P-256 public verification key or this runtime cannot import one (jose then decides alone).
 */
const nativeKeys = new WeakMap<JWK, nodeCrypto.KeyObject | null>();

function nativeKey(jwk: JWK): nodeCrypto.KeyObject | null {
  const known = nativeKeys.get(jwk);
  if (known !== undefined) return known;
  let key: nodeCrypto.KeyObject | null = null;
  // Only what jose would accept for ES256 verification without a second thought: a public P-256
  // key, not restricted to other uses. Anything else keeps jose's own judgement.
  const plain =
    jwk.kty === 'EC' &&
    jwk.crv === 'P-256' &&
    typeof jwk.x === 'string' &&
    typeof jwk.y === 'string' &&
    jwk.d === undefined &&
    (jwk.alg === undefined || jwk.alg === 'ES256') &&
    (jwk.use === undefined || jwk.use === 'sig') &&
    (jwk.key_ops === undefined || jwk.key_ops.includes('verify'));
  if (plain) {
    try {
      key = nodeCrypto.createPublicKey({
        key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
        format: 'jwk',
      });
    } catch {
      key = null; // not a point of the curve, or no such import here: jose will refuse or decide
    }
  }
  nativeKeys.set(jwk, key);
  return key;
}

const B64URL = /^[A-Za-z0-9_-]+$/;
/** An ES256 signature: 64 bytes (r ‖ s, RFC 7518 §3.4), 86 base64url characters, no padding. */
const ES256_SIGNATURE = /^[A-Za-z0-9_-]{86}$/;

/**
 * The fast path: the signature checked synchronously by the platform's ECDSA (OpenSSL through
 * node:crypto), over the JWS signing input `<protected>.<base64url(leaf data)>` — what jose
 * checks through WebCrypto, whose async calls cost the sequencer more than the arithmetic.
 * Taken only for canonical encodings and a header without `crit` or `b64` (extensions jose
 * interprets), where both must answer the same; undefined sends the case to jose.
 */
function verifyNatively(
  key: nodeCrypto.KeyObject,
  protectedHeader: string,
  leaf: Uint8Array,
  signature: string,
  header: Record<string, unknown>,
): boolean | undefined {
  if ('crit' in header || 'b64' in header) return undefined;
  if (!B64URL.test(protectedHeader) || !ES256_SIGNATURE.test(signature)) return undefined;
  try {
    const input = Buffer.from(`${protectedHeader}.${Buffer.from(leaf).toString('base64url')}`, 'ascii');
    return nodeCrypto.verify(
      'sha256',
      input,
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
  } catch {
    return undefined; // a runtime without native ECDSA verification: jose answers
  }
}

/**
 * Whether `signature` is a valid write signature of `event` by one of `keys` (the JWKS). Its
 * header must name a key of the set and the event type; anything else is a forgery.
 */
export async function verifyEventSignature(
  event: LedgerEvent,
  signature: string | null,
  keys: JWK[],
): Promise<boolean> {
  let leaf: Uint8Array;
  try {
    leaf = eventLeafBytes(event);
  } catch {
    return false;
  }
  return verifyLeafSignature(leaf, signature, keys);
}

/** verifyEventSignature over an event's leaf data already serialized (the sequencer hashes the same bytes). */
export async function verifyLeafSignature(
  leaf: Uint8Array,
  signature: string | null,
  keys: JWK[],
): Promise<boolean> {
  if (!signature) return false;
  const parts = signature.split('.');
  if (parts.length !== 3 || parts[1] !== '') return false;
  const [protectedHeader, , sig] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    if (header.typ !== typ || header.alg !== 'ES256') return false;
    const jwk = keys.find((k) => k.kid === header.kid);
    if (!jwk) return false;
    const native = nativeKey(jwk);
    const fast = native ? verifyNatively(native, protectedHeader, leaf, sig, header) : undefined;
    if (fast !== undefined) return fast;
    let key = imported.get(jwk);
    if (!key) {
      key = importJWK(jwk, 'ES256');
      imported.set(jwk, key);
    }
    await flattenedVerify(
      {
        protected: protectedHeader,
        payload: Buffer.from(leaf).toString('base64url'),
        signature: sig,
      },
      await key,
    );
    return true;
  } catch {
    return false;
  }
}
