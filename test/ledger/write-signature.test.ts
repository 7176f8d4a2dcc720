import { randomUUID } from 'node:crypto';
import { flattenedVerify, importJWK, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventLeafBytes } from '../../src/domain/ledger/canonical.js';
import type { LedgerEvent } from '../../src/domain/ledger/schemas.js';
import {
  installWriteKey,
  signEvent,
  verifyEventSignature,
  verifyLeafSignature,
} from '../../src/domain/ledger/write-signature.js';
import { generateJwk } from '../../src/keys/local.js';
import { type SigningKey, signingKeyFromJwk } from '../../src/keys/signing.js';

// Write signatures are checked natively (node:crypto's ECDSA) where the runtime can, and by jose
// (WebCrypto) otherwise. The reference below is the jose-only check as it stood before the fast
// path: for genuine signatures and for every forgery and odd encoding here, both must agree.
async function reference(event: LedgerEvent, signature: string | null, keys: JWK[]): Promise<boolean> {
  if (!signature) return false;
  const parts = signature.split('.');
  if (parts.length !== 3 || parts[1] !== '') return false;
  const [protectedHeader, , sig] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    if (header.typ !== 'orotrace-event+jws' || header.alg !== 'ES256') return false;
    const jwk = keys.find((k) => k.kid === header.kid);
    if (!jwk) return false;
    await flattenedVerify(
      {
        protected: protectedHeader,
        payload: Buffer.from(eventLeafBytes(event)).toString('base64url'),
        signature: sig,
      },
      await importJWK(jwk, 'ES256'),
    );
    return true;
  } catch {
    return false;
  }
}

const event = (i: number): LedgerEvent => ({
  id: randomUUID(),
  type: 'lot.registered',
  subjectType: 'lot',
  subjectId: randomUUID(),
  actorSub: `user-${i}`,
  actorRole: 'custodian',
  actorId: null,
  checkpointId: null,
  payload: { grossWeightG: '1250.500', fineness: '870.000', note: `bag ${i} ñandú` },
  occurredAt: '2026-12-04T10:00:00.000000Z',
  recordedAt: '2026-12-04T10:00:01.000001Z',
});

/** A compact JWS with a detached payload over `event`'s leaf data, with any header (signed raw, as a forger with the key would), by `key`. */
async function signWith(key: SigningKey, header: Record<string, unknown>, e: LedgerEvent): Promise<string> {
  const h = Buffer.from(JSON.stringify(header)).toString('base64url');
  const input = new TextEncoder().encode(`${h}.${Buffer.from(eventLeafBytes(e)).toString('base64url')}`);
  const s = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.privateKey, input);
  return `${h}..${Buffer.from(s).toString('base64url')}`;
}

// P-256 group order: (r, n − s) is the other valid encoding of an ECDSA signature (r, s).
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const highS = (signature: string): string => {
  const [h, , s] = signature.split('.') as [string, string, string];
  const bytes = Buffer.from(s, 'base64url');
  const sValue = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
  const flipped = Buffer.from((N - sValue).toString(16).padStart(64, '0'), 'hex');
  return `${h}..${Buffer.concat([bytes.subarray(0, 32), flipped]).toString('base64url')}`;
};

let key: SigningKey;
let other: SigningKey;
let keys: JWK[];

beforeAll(async () => {
  key = await signingKeyFromJwk(await generateJwk('write-signature-test'));
  other = await signingKeyFromJwk({ ...(await generateJwk('other')), kid: key.kid });
  keys = [key.publicJwk];
  installWriteKey(key);
});

describe('write signatures, native check against the jose reference', () => {
  it('genuine signatures verify, by both, over the event or its leaf bytes', async () => {
    for (let i = 0; i < 25; i++) {
      const e = event(i);
      const signature = await signEvent(e);
      expect(await verifyEventSignature(e, signature, keys)).toBe(true);
      expect(await verifyLeafSignature(eventLeafBytes(e), signature, keys)).toBe(true);
      expect(await reference(e, signature, keys)).toBe(true);
    }
  });

  it('forgeries and odd encodings get the same answer as the reference, and no forgery passes', async () => {
    const e = event(1);
    const good = await signEvent(e);
    const [h, , s] = good.split('.') as [string, string, string];
    const sigBytes = Buffer.from(s, 'base64url');
    const flipped = Buffer.from(sigBytes);
    flipped[40] = (flipped[40] as number) ^ 1;
    const forged: [string, LedgerEvent, string | null, boolean | 'as reference'][] = [
      ['another event under this signature', event(2), good, false],
      [
        'the event with its payload changed',
        { ...e, payload: { ...e.payload, grossWeightG: '9999.000' } },
        good,
        false,
      ],
      ['one bit of the signature flipped', e, `${h}..${flipped.toString('base64url')}`, false],
      ['a signature of r alone', e, `${h}..${sigBytes.subarray(0, 32).toString('base64url')}`, false],
      ['zeros', e, `${h}..${Buffer.alloc(64).toString('base64url')}`, false],
      [
        'signed by another key with the same kid',
        e,
        await signWith(other, { alg: 'ES256', kid: key.kid, typ: 'orotrace-event+jws' }, e),
        false,
      ],
      [
        'an unknown kid',
        e,
        await signWith(key, { alg: 'ES256', kid: 'someone-else', typ: 'orotrace-event+jws' }, e),
        false,
      ],
      ['the wrong typ', e, await signWith(key, { alg: 'ES256', kid: key.kid, typ: 'JWT' }, e), false],
      ['no typ', e, await signWith(key, { alg: 'ES256', kid: key.kid }, e), false],
      [
        'an embedded payload',
        e,
        good.replace('..', `.${Buffer.from(eventLeafBytes(e)).toString('base64url')}.`),
        false,
      ],
      ['nothing', e, null, false],
      ['an empty string', e, '', false],
      ['garbage', e, 'not.a.jws', false],
      // Encodings that are not canonical, and extensions: whatever jose says, the check says.
      ['base64 padding after the signature', e, `${good}==`, 'as reference'],
      ['a stray character in the signature', e, `${h}..${s.slice(0, 40)}!${s.slice(40)}`, 'as reference'],
      ['whitespace in the signature', e, `${h}..${s.slice(0, 40)} ${s.slice(40)}`, 'as reference'],
      ['the other (high-s) encoding of the same signature', e, highS(good), 'as reference'],
      [
        'a crit header naming an unknown extension',
        e,
        await signWith(
          key,
          { alg: 'ES256', kid: key.kid, typ: 'orotrace-event+jws', crit: ['x-unknown'], 'x-unknown': 1 },
          e,
        ),
        false,
      ],
      [
        'b64: false (RFC 7797)',
        e,
        await signWith(
          key,
          { alg: 'ES256', kid: key.kid, typ: 'orotrace-event+jws', b64: false, crit: ['b64'] },
          e,
        ),
        'as reference',
      ],
    ];
    for (const [what, ev, signature, expected] of forged) {
      const want = await reference(ev, signature, keys);
      if (expected !== 'as reference') expect(want, what).toBe(expected);
      expect(await verifyEventSignature(ev, signature, keys), what).toBe(want);
    }
  });

  it('a key the native path does not take (restricted to other uses) still gets jose’s answer', async () => {
    const e = event(3);
    const signature = await signEvent(e);
    const encOnly = [{ ...key.publicJwk, use: 'enc' }];
    expect(await verifyEventSignature(e, signature, encOnly)).toBe(await reference(e, signature, encOnly));
  });
});
