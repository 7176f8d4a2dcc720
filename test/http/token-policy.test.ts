import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestContext, testApp, testAudience, testIssuer } from '../helpers/app.js';

let t: TestContext;
beforeAll(async () => {
  t = await testApp();
});

const now = () => Math.floor(Date.now() / 1000);

/** A token signed by the key the app trusts, with the times given (seconds since the epoch). */
function minted(times: { iat?: number; exp: number; nbf?: number }) {
  const jwt = new SignJWT({ role: 'regulator' })
    .setProtectedHeader({ alg: 'ES256', kid: t.authKey.kid })
    .setSubject('policy-test')
    .setIssuer(testIssuer)
    .setAudience(testAudience)
    .setExpirationTime(times.exp);
  if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
  if (times.nbf !== undefined) jwt.setNotBefore(times.nbf);
  return jwt.sign(t.authKey.privateKey);
}

async function answer(token: string) {
  return t.call('GET', '/v1/flags', { token });
}

describe('token lifetime and clock', () => {
  it('a token valid for 100 years is refused, though its signature is good', async () => {
    const res = await answer(await minted({ iat: now(), exp: now() + 100 * 365 * 86_400 }));
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/lives longer than the 86400 s a token may/);
  });

  it('a token of exactly the maximum lifetime (a day) is accepted', async () => {
    expect((await answer(await minted({ iat: now(), exp: now() + 86_400 }))).status).toBe(200);
  });

  it('without iat, a far expiry is refused all the same', async () => {
    const res = await answer(await minted({ exp: now() + 30 * 86_400 }));
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/expires more than 86400 s from now/);
  });

  it('a token issued in the future (beyond the clock skew) is refused; within it, accepted', async () => {
    const future = await answer(await minted({ iat: now() + 600, exp: now() + 3600 }));
    expect(future.status).toBe(401);
    expect(future.body.detail).toMatch(/issued in the future/);
    expect((await answer(await minted({ iat: now() + 30, exp: now() + 3600 }))).status).toBe(200);
  });

  it('nbf is honoured: not yet valid is refused, and a clock 30 s behind is tolerated', async () => {
    const early = await answer(await minted({ iat: now(), nbf: now() + 600, exp: now() + 3600 }));
    expect(early.status).toBe(401);
    expect(early.body.detail).toMatch(/not valid yet/);
    expect((await answer(await minted({ iat: now(), nbf: now() + 30, exp: now() + 3600 }))).status).toBe(200);
  });

  it('a token expired 30 s ago is tolerated as clock skew; expired 5 minutes ago is refused', async () => {
    expect((await answer(await minted({ iat: now() - 3600, exp: now() - 30 }))).status).toBe(200);
    const res = await answer(await minted({ iat: now() - 3600, exp: now() - 300 }));
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/expired/);
  });
});
