import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRateLimits, parseNodeConfig, type RateLimitPolicies } from '../../src/config.js';
import {
  addressKey,
  bindingRateLimiter,
  clientAddressOf,
  memoryRateLimiter,
} from '../../src/http/rate-limit.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { type GoldWorld, goldWorld, lotBody } from '../helpers/fixtures.js';

const tight: RateLimitPolicies = {
  public: { limit: 10, windowSeconds: 60 },
  'auth-failure': { limit: 5, windowSeconds: 60 },
  read: { limit: 8, windowSeconds: 60 },
  write: { limit: 4, windowSeconds: 60 },
};

let w: GoldWorld;
beforeAll(async () => {
  w = await goldWorld(await testApp());
}, 300_000);

/** A fresh app (fresh counters) over the world's database. */
const limited = (rateLimits: RateLimitPolicies = tight) => testApp({ reset: false, rateLimits });
const from = (address: string) => ({ 'cf-connecting-ip': address });
/** The miner's token with its signature broken: it parses, but does not verify. */
const forged = () => `${w.minerToken.slice(0, -6)}AAAAAA`;

function expectRefusal(res: Awaited<ReturnType<TestContext['call']>>, cls: string) {
  expect(res.status, res.text).toBe(429);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 429, type: '/problems/rate-limited', title: 'Too many requests' });
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.headers.get('ratelimit-policy')).toMatch(new RegExp(`^"${cls}";q=\\d+;w=60$`));
  expect(res.headers.get('ratelimit')).toBe(`"${cls}";r=0;t=${retryAfter}`);
}

describe('rate limits by client address: tokens that do not verify', () => {
  it('refuses an address after its budget of failed tokens, before checking signatures; another address is unaffected', async () => {
    const t = await limited();
    for (let i = 0; i < 5; i++) {
      const res = await t.call('GET', '/v1/lots', { token: forged(), headers: from('203.0.113.7') });
      expect(res.status).toBe(401);
      expect(res.headers.get('ratelimit')).toBe(`"auth-failure";r=${4 - i};t=60`);
    }
    expectRefusal(
      await t.call('GET', '/v1/lots', { token: forged(), headers: from('203.0.113.7') }),
      'auth-failure',
    );
    // Refused before verification: even a good token from that address waits out the window.
    expectRefusal(
      await t.call('GET', '/v1/lots', { token: w.minerToken, headers: from('203.0.113.7') }),
      'auth-failure',
    );
    // Another address: its own budget.
    expect((await t.call('GET', '/v1/lots', { token: forged(), headers: from('203.0.113.8') })).status).toBe(
      401,
    );
    expect(
      (await t.call('GET', '/v1/lots', { token: w.minerToken, headers: from('203.0.113.8') })).status,
    ).toBe(200);
  });

  it('a flood of 200 forged tokens from one address gets 195 refusals', async () => {
    const t = await limited();
    const statuses = await Promise.all(
      Array.from({ length: 200 }, () =>
        t.call('POST', '/v1/lots', { token: forged(), body: lotBody(w), headers: from('198.51.100.1') }),
      ),
    );
    expect(statuses.filter((r) => r.status === 401)).toHaveLength(5);
    expect(statuses.filter((r) => r.status === 429)).toHaveLength(195);
  });

  it('counts an IPv6 client by its /64', async () => {
    const t = await limited();
    for (let i = 0; i < 5; i++) {
      await t.call('GET', '/v1/lots', { token: forged(), headers: from(`2001:db8:1:2::${i + 1}`) });
    }
    expectRefusal(
      await t.call('GET', '/v1/lots', { token: forged(), headers: from('2001:db8:1:2:ffff::9') }),
      'auth-failure',
    );
    expect(
      (await t.call('GET', '/v1/lots', { token: forged(), headers: from('2001:db8:1:3::1') })).status,
    ).toBe(401);
  });
});

describe('rate limits by client address: requests without a token', () => {
  it('a burst of public /v/ look-ups is refused after its budget; another address is unaffected', async () => {
    const t = await limited();
    for (let i = 0; i < 10; i++) {
      const res = await t.call('GET', `/v/not-a-genuine-code-${i}`, { headers: from('192.0.2.10') });
      expect(res.status).not.toBe(429);
      expect(res.headers.get('ratelimit-policy')).toBe('"public";q=10;w=60');
      expect(res.headers.get('ratelimit')).toBe(`"public";r=${9 - i};t=60`);
    }
    expectRefusal(await t.call('GET', '/v/not-a-genuine-code', { headers: from('192.0.2.10') }), 'public');
    expect((await t.call('GET', '/v/not-a-genuine-code', { headers: from('192.0.2.11') })).status).not.toBe(
      429,
    );
  });
});

describe('rate limits by token subject', () => {
  it("one exporter's burst of registrations is refused while another exporter registers; its reads have their own budget", async () => {
    const t = await limited();
    for (let i = 0; i < 4; i++) {
      const res = await t.call('POST', '/v1/lots', { token: w.minerToken, body: lotBody(w) });
      expect(res.status, res.text).toBe(201);
      expect(res.headers.get('ratelimit-policy')).toBe('"write";q=4;w=60');
      expect(res.headers.get('ratelimit')).toBe(`"write";r=${3 - i};t=60`);
    }
    const refused = await t.call('POST', '/v1/lots', { token: w.minerToken, body: lotBody(w) });
    expectRefusal(refused, 'write');
    expect(refused.body.detail).toMatch(/at most 4 per 60 s/);
    // The same subject from any address: the budget follows the token's subject.
    expectRefusal(
      await t.call('POST', '/v1/lots', {
        token: w.minerToken,
        body: lotBody(w),
        headers: from('192.0.2.99'),
      }),
      'write',
    );
    const other = await t.call('POST', '/v1/lots', {
      token: w.traderToken,
      body: lotBody(w, { producerId: w.miner.id }),
    });
    expect(other.status).not.toBe(429);
    const read = await t.call('GET', '/v1/lots', { token: w.minerToken });
    expect(read.status).toBe(200);
    expect(read.headers.get('ratelimit')).toBe('"read";r=7;t=60');
  });
});

describe('RATE_LIMITS', () => {
  it('off (the test app by default) limits nothing', async () => {
    const t = await testApp({ reset: false });
    const results = await Promise.all(
      Array.from({ length: 60 }, () =>
        t.call('GET', '/v1/lots', { token: forged(), headers: from('192.0.2.1') }),
      ),
    );
    expect(results.every((r) => r.status === 401 && !r.headers.has('ratelimit'))).toBe(true);
    expect(parseNodeConfig({ RATE_LIMITS: 'off' }).RATE_LIMITS).toBe('off');
  });

  it('on by default; a policy string replaces the budgets it names; a bad one is refused, naming the variable', () => {
    expect(parseNodeConfig({}).RATE_LIMITS).toEqual(defaultRateLimits);
    expect(parseNodeConfig({ RATE_LIMITS: 'on' }).RATE_LIMITS).toEqual(defaultRateLimits);
    expect(parseNodeConfig({ RATE_LIMITS: 'read=600/60, auth-failure=3/10s' }).RATE_LIMITS).toEqual({
      ...defaultRateLimits,
      read: { limit: 600, windowSeconds: 60 },
      'auth-failure': { limit: 3, windowSeconds: 10 },
    });
    for (const bad of ['reads=600/60', 'read=600', 'read=600/0', 'read=-1/60', 'yes']) {
      expect(() => parseNodeConfig({ RATE_LIMITS: bad }), bad).toThrow(
        /RATE_LIMITS: must be on, off or class=/,
      );
    }
    expect(parseNodeConfig({}).TRUST_PROXY).toBe('off');
    expect(() => parseNodeConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY: must be off/);
  });

  it('the defaults let an honest day through: 30 registrations, 20 list pages, a 500-record sync, 50 look-ups by one shop', async () => {
    const t = await limited(defaultRateLimits);
    for (let i = 0; i < 30; i++) {
      expect((await t.call('POST', '/v1/lots', { token: w.minerToken, body: lotBody(w) })).status).toBe(201);
    }
    for (let page = 0; page < 20; page++) {
      expect((await t.call('GET', `/v1/lots?page=${page}`, { token: w.minerToken })).status).toBe(200);
    }
    // A checkpoint's sync of its offline records is one request, whatever it holds.
    const records = Array.from({ length: 500 }, (_, i) => ({ kind: 'scan', clientId: `c-${i}` }));
    const sync = await t.call('POST', '/v1/sync', { token: w.mazukoToken, body: { records } });
    expect(sync.status).not.toBe(429);
    expect(sync.headers.get('ratelimit')).toMatch(/^"write";r=299;t=\d+$/);
    for (let i = 0; i < 50; i++) {
      expect((await t.call('GET', `/v/code-${i}`, { headers: from('192.0.2.50') })).status).not.toBe(429);
    }
  });
});

describe('limiters', () => {
  it('memory: windows end, and the number of keys stays bounded', () => {
    let now = 0;
    const limiter = memoryRateLimiter(tight, { maxKeys: 100, now: () => now });
    for (let i = 0; i < 10; i++) expect(limiter.hit('public', 'a')).toMatchObject({ allowed: true });
    expect(limiter.hit('public', 'a')).toEqual({ allowed: false, remaining: 0, resetSeconds: 60 });
    expect(limiter.refusal('public', 'a')).toMatchObject({ allowed: false });
    expect(limiter.refusal('public', 'b')).toBeUndefined();
    now = 59_500;
    expect(limiter.hit('public', 'a')).toEqual({ allowed: false, remaining: 0, resetSeconds: 1 });
    now = 60_000;
    expect(limiter.refusal('public', 'a')).toBeUndefined();
    expect(limiter.hit('public', 'a')).toEqual({ allowed: true, remaining: 9, resetSeconds: 60 });
    for (let i = 0; i < 10_000; i++) limiter.hit('public', `flood-${i}`);
    expect(limiter.size()).toBeLessThanOrEqual(100);
  });

  it('Workers binding: counts by the binding, remembers its refusals, falls back for unbound classes', async () => {
    let now = 0;
    const counts = new Map<string, number>();
    const keys: string[] = [];
    const binding = {
      async limit({ key }: { key: string }) {
        keys.push(key);
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return { success: (counts.get(key) ?? 0) <= 2 };
      },
    };
    const fallback = memoryRateLimiter(tight, { now: () => now });
    const limiter = bindingRateLimiter(tight, { 'auth-failure': binding }, fallback, { now: () => now });
    expect(await limiter.hit('auth-failure', '192.0.2.1')).toEqual({
      allowed: true,
      remaining: undefined,
      resetSeconds: 60,
    });
    await limiter.hit('auth-failure', '192.0.2.1');
    expect(limiter.refusal('auth-failure', '192.0.2.1')).toBeUndefined();
    expect((await limiter.hit('auth-failure', '192.0.2.1')).allowed).toBe(false);
    expect(limiter.refusal('auth-failure', '192.0.2.1')).toMatchObject({ allowed: false, resetSeconds: 60 });
    now = 60_001;
    expect(limiter.refusal('auth-failure', '192.0.2.1')).toBeUndefined();
    expect(keys).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.1']);
    // No binding for reads: counted in memory, with what is left.
    expect(await limiter.hit('read', 'sub x')).toEqual({ allowed: true, remaining: 7, resetSeconds: 60 });
  });

  it('client addresses: IPv6 by /64, IPv4-mapped as IPv4; proxy headers only when trusted', async () => {
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('2001:0db8:0001:0002:0003:0004:0005:0006')).toBe('2001:db8:1:2::/64');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey(undefined)).toBe('unknown');
    // An app that echoes the address each policy reads.
    const { Hono } = await import('hono');
    const seen = (trust: Parameters<typeof clientAddressOf>[0]) => {
      const app = new Hono();
      // biome-ignore lint/suspicious/noExplicitAny: a bare Hono context stands in for the app's
      const address = clientAddressOf(trust, () => '10.0.0.1') as (c: any) => string | undefined;
      app.get('/', (c) => c.text(address(c) ?? ''));
      const headers = { 'cf-connecting-ip': '192.0.2.1', 'x-forwarded-for': '6.6.6.6, 192.0.2.2' };
      return Promise.resolve(app.request('/', { headers })).then((r) => r.text());
    };
    expect(await seen('off')).toBe('10.0.0.1');
    expect(await seen('cf-connecting-ip')).toBe('192.0.2.1');
    expect(await seen('x-forwarded-for')).toBe('192.0.2.2');
  });
});
