import { FlattenedSign, flattenedVerify, importJWK, type JWK } from 'jose';
import { eventLeafBytes } from './canonical.js';
import type { LedgerEvent } from './schemas.js';
import type { LedgerSigner } from './signer.js';

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
  const jws = await new FlattenedSign(eventLeafBytes(event))
    .setProtectedHeader({ alg: 'ES256', kid: writeKey.kid, typ })
    .sign(writeKey.privateKey);
  return `${jws.protected}..${jws.signature}`;
}

/** Public keys by kid, imported once: verification runs over every event of the log. */
const imported = new WeakMap<JWK, Promise<CryptoKey | Uint8Array>>();

/**
 * Whether `signature` is a valid write signature of `event` by one of `keys` (the JWKS). Its
 * header must name a key of the set and the event type; anything else is a forgery.
 */
export async function verifyEventSignature(
  event: LedgerEvent,
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
    let key = imported.get(jwk);
    if (!key) {
      key = importJWK(jwk, 'ES256');
      imported.set(jwk, key);
    }
    await flattenedVerify(
      {
        protected: protectedHeader,
        payload: Buffer.from(eventLeafBytes(event)).toString('base64url'),
        signature: sig,
      },
      await key,
    );
    return true;
  } catch {
    return false;
  }
}
