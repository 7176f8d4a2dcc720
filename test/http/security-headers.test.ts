import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { TestContext } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const jwsOf = (qrUrl: string) => qrUrl.split('/v/')[1] as string;

function expectBaseline(headers: Headers) {
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
}

describe('security headers on every answer', () => {
  it('the HTML pages (/v/, /docs, a label) carry a CSP that runs no script, and no framing', async () => {
    const lot = await registerLot(t, w);
    const pages = [
      await t.call('GET', `/v/${jwsOf(lot.qrUrl)}`),
      await t.call('GET', '/docs'),
      await t.call('GET', `/v1/lots/${lot.id}/label`, { token: w.minerToken }),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expectBaseline(page.headers);
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).not.toMatch(/script-src/);
    }
  });

  it('authenticated answers, successes and problems alike, are never stored', async () => {
    const lot = await registerLot(t, w);
    const answers = [
      await t.call('GET', `/v1/lots/${lot.id}`, { token: w.minerToken }),
      await t.call('GET', `/v1/lots/${lot.id}`, { token: w.exporterToken }),
      await t.call('GET', `/v1/lots/${lot.id}/label`, { token: w.minerToken }),
      await t.call('GET', '/v1/flags', { token: 'not-a-token' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 200, 401]);
    for (const a of answers) {
      expectBaseline(a.headers);
      expect(a.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('public answers keep their own caching, and a 404 of no route still carries the headers', async () => {
    const jwks = await t.call('GET', '/.well-known/jwks.json');
    expect(jwks.headers.get('cache-control')).toBe('public, max-age=300');
    expectBaseline(jwks.headers);
    const missing = await t.call('GET', '/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expectBaseline(missing.headers);
    expect(missing.headers.get('strict-transport-security')).toBeNull();
  });

  it('HSTS is sent when the deployment is on https, and only then', async () => {
    const services = {
      db: t.db,
      verifyToken: async () => Promise.reject(new Error('unused')),
      ledgerKey: t.ledgerKey,
    };
    const onHttps = createApp({ services: () => ({ ...services, baseUrl: 'https://trace.example.pe' }) });
    const res = await onHttps.request('/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=31536000/);
    expect((await t.call('GET', '/health')).headers.get('strict-transport-security')).toBeNull();
  });
});
