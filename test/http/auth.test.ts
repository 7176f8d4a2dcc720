import { SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateJwk } from '../../src/keys/local.js';
import { signingKeyFromJwk } from '../../src/keys/signing.js';
import { type TestContext, testApp, testAudience, testIssuer } from '../helpers/app.js';

let t: TestContext;
beforeAll(async () => {
  t = await testApp();
});

const protectedPath = '/v1/actors';

async function signed(
  key: Awaited<ReturnType<typeof signingKeyFromJwk>>,
  claims: Record<string, unknown>,
  opts: { iss?: string; aud?: string; exp?: string | number } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setSubject('someone')
    .setIssuer(opts.iss ?? testIssuer)
    .setAudience(opts.aud ?? testAudience)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '1h')
    .sign(key.privateKey);
}

function expectUnauthenticated(res: Awaited<ReturnType<TestContext['call']>>, detail: RegExp) {
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="orotrace"/);
  expect(res.body.type).toBe('/problems/unauthenticated');
  expect(res.body.detail).toMatch(detail);
}

describe('bearer tokens', () => {
  it('a request without a token is refused with 401 and a Bearer challenge', async () => {
    expectUnauthenticated(await t.call('GET', protectedPath), /Authorization: Bearer/);
  });

  it('a valid regulator token is admitted', async () => {
    const res = await t.call('GET', protectedPath, { token: await t.token('regulator') });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });

  it('an expired token is refused', async () => {
    const token = await signed(t.authKey, { role: 'admin' }, { exp: Math.floor(Date.now() / 1000) - 60 });
    expectUnauthenticated(await t.call('GET', protectedPath, { token }), /expired/);
  });

  it('a token signed by another key is refused', async () => {
    const stranger = await signingKeyFromJwk(await generateJwk('stranger'));
    const token = await signed({ ...stranger, kid: t.authKey.kid }, { role: 'admin' });
    expectUnauthenticated(await t.call('GET', protectedPath, { token }), /signature does not verify/);
  });

  it('a token with an unknown key id is refused', async () => {
    const stranger = await signingKeyFromJwk(await generateJwk('stranger'));
    expectUnauthenticated(
      await t.call('GET', protectedPath, { token: await signed(stranger, { role: 'admin' }) }),
      /unknown key/,
    );
  });

  it('a token from another issuer is refused', async () => {
    const token = await signed(t.authKey, { role: 'admin' }, { iss: 'https://evil.example' });
    expectUnauthenticated(await t.call('GET', protectedPath, { token }), /claim "iss"/);
  });

  it('a token for another audience is refused', async () => {
    const token = await signed(t.authKey, { role: 'admin' }, { aud: 'another-api' });
    expectUnauthenticated(await t.call('GET', protectedPath, { token }), /claim "aud"/);
  });

  it('an unsigned token (alg: none) is refused', async () => {
    const token = new UnsecuredJWT({ role: 'admin' })
      .setSubject('someone')
      .setIssuer(testIssuer)
      .setAudience(testAudience)
      .setExpirationTime('1h')
      .encode();
    expectUnauthenticated(await t.call('GET', protectedPath, { token }), /algorithm not accepted|malformed/);
  });

  it('a token whose signature was altered is refused', async () => {
    const token = await t.token('admin');
    const [h, p, s = ''] = token.split('.');
    const tampered = `${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`;
    expectUnauthenticated(await t.call('GET', protectedPath, { token: tampered }), /signature|malformed/);
  });

  it('a token with an unknown role is refused', async () => {
    const token = await signed(t.authKey, { role: 'superuser' });
    expectUnauthenticated(await t.call('GET', protectedPath, { token }), /role/);
  });

  it('an exporter token that names no actor is refused', async () => {
    const token = await signed(t.authKey, { role: 'exporter' });
    expectUnauthenticated(await t.call('GET', protectedPath, { token }), /actor/);
  });

  it('a valid token of the wrong role gets 403 and changes nothing', async () => {
    const checkpoint = await t.token('checkpoint', { checkpoint: '01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f' });
    const res = await t.call('POST', protectedPath, {
      token: checkpoint,
      body: { taxId: '20123456789', name: 'Nobody', kinds: ['miner'] },
    });
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('/problems/forbidden');
    expect(res.body.detail).toMatch(/role checkpoint.*allowed: admin/);
    const list = await t.call('GET', protectedPath, { token: await t.token('admin') });
    expect(list.body.items).toHaveLength(0);
  });

  it('public routes need no token', async () => {
    expect((await t.call('GET', '/health')).status).toBe(200);
    const jwks = await t.call('GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: t.ledgerKey.kid });
    expect(jwks.body.keys[0].d).toBeUndefined();
  });
});
