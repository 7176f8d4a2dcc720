import { randomUUID } from 'node:crypto';
import { compactVerify, flattenedVerify, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLeafBytes } from '../../src/domain/ledger/canonical.js';
import type { LedgerEvent } from '../../src/domain/ledger/schemas.js';
import { installWriteKey, signEvent, verifyEventSignature } from '../../src/domain/ledger/write-signature.js';
import { signQr, verifyQr } from '../../src/domain/lots/qr.js';
import { generateJwk } from '../../src/keys/local.js';
import { withNativeSigning } from '../../src/keys/native-signing.node.js';
import { type SigningKey, signingKeyFromJwk } from '../../src/keys/signing.js';

// The server signs QR codes and write signatures with node:crypto's ECDSA; jose (WebCrypto) did
// before and still does elsewhere. The JWS must be the same but for ECDSA's random signature:
// same header and payload parts, and verifiable by jose and by our own checks.
let jose: SigningKey;
let native: SigningKey;
beforeAll(async () => {
  jose = await signingKeyFromJwk(await generateJwk('native-test'));
  native = withNativeSigning(jose);
});
afterAll(() => installWriteKey(jose));

const subject = { kind: 'lot' as const, id: randomUUID(), code: 'AU-2026-000042' };

describe('native ES256 signing', () => {
  it('is there on Node, and leaves the key as it was', () => {
    expect(native.signEs256).toBeTypeOf('function');
    expect(jose.signEs256).toBeUndefined();
    expect(native.kid).toBe(jose.kid);
  });

  it('makes the QR jose made: the same header and payload, a signature jose and verifyQr accept', async () => {
    const a = await signQr(jose, subject);
    const b = await signQr(native, subject);
    expect(b.split('.').slice(0, 2)).toEqual(a.split('.').slice(0, 2));
    const { payload, protectedHeader } = await compactVerify(b, await importJWK(jose.publicJwk, 'ES256'));
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: jose.kid });
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({
      t: 'lot',
      i: subject.id,
      c: subject.code,
    });
    expect(await verifyQr([jose.publicJwk], b)).toEqual(subject);
    // Another key's public half refuses it.
    const other = await signingKeyFromJwk(await generateJwk('other'));
    await expect(verifyQr([{ ...other.publicJwk, kid: jose.kid }], b)).rejects.toThrow(/does not verify/);
  });

  it('makes write signatures jose verifies and the sequencer accepts', async () => {
    const event: LedgerEvent = {
      id: randomUUID(),
      type: 'lot.registered',
      subjectType: 'lot',
      subjectId: subject.id,
      actorSub: 'test',
      actorRole: 'exporter',
      actorId: null,
      checkpointId: null,
      payload: { code: subject.code, grossWeightG: '1000.000' },
      occurredAt: '2026-10-01T00:00:00.000000Z',
      recordedAt: '2026-10-01T00:00:01.000000Z',
    };
    installWriteKey(jose);
    const before = await signEvent(event);
    installWriteKey(native);
    const after = await signEvent(event);
    expect(after.split('.')[0]).toBe(before.split('.')[0]);
    expect(after.split('.')[1]).toBe('');
    expect(await verifyEventSignature(event, after, [jose.publicJwk])).toBe(true);
    const [header, , signature] = after.split('.') as [string, string, string];
    await expect(
      flattenedVerify(
        { protected: header, payload: Buffer.from(eventLeafBytes(event)).toString('base64url'), signature },
        await importJWK(jose.publicJwk, 'ES256'),
      ),
    ).resolves.toBeDefined();
    expect(await verifyEventSignature({ ...event, subjectId: randomUUID() }, after, [jose.publicJwk])).toBe(
      false,
    );
  });
});
