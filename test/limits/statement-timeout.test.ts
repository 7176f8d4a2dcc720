import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { rowsOf } from '../../src/db/client.js';
import { type Database, openDatabase } from '../../src/db/node.js';
import { createTokenVerifier } from '../../src/http/auth.js';
import { type TestContext, testApp, testAudience, testIssuer } from '../helpers/app.js';
import { testDatabaseUrls } from '../helpers/db.js';

const url = process.env.DATABASE_URL;

// PGlite cannot interrupt a running statement (SET statement_timeout is accepted and never
// fires), so the timeout is a PostgreSQL setting and this is a PostgreSQL test.
describe.skipIf(!url)('statement timeout (PostgreSQL)', () => {
  let t: TestContext;
  let limited: Database;
  let locker: postgres.Sql;

  beforeAll(async () => {
    t = await testApp();
    limited = await openDatabase({ ...testDatabaseUrls(), url: url ?? '', statementTimeoutMs: 300 });
    locker = postgres(url ?? '', { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await limited?.close();
    await locker?.end();
  });

  it('cancels a statement that runs past it, answered 503 with Retry-After', async () => {
    const verifyToken = createTokenVerifier({
      keys: { jwks: { keys: [t.authKey.publicJwk] } },
      issuer: testIssuer,
      audience: testAudience,
    });
    const app = createApp({
      services: () => ({
        db: limited.db,
        verifyToken,
        baseUrl: 'http://orotrace.test',
        ledgerKey: t.ledgerKey,
      }),
      logError: () => {},
    });
    const token = await t.token('admin');
    // Another session holds the zones table: the list waits on it until its timeout.
    await locker.begin(async (tx) => {
      await tx`LOCK TABLE zones IN ACCESS EXCLUSIVE MODE`;
      const started = performance.now();
      const res = await app.request('/v1/zones', { headers: { authorization: `Bearer ${token}` } });
      const elapsed = performance.now() - started;
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toMatchObject({ type: '/problems/unavailable', status: 503 });
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(5000);
    });
    // Without the lock, the same app answers.
    const res = await app.request('/v1/zones', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });
  it('every application session runs with JIT off, whatever the server default (screening is OLTP)', async () => {
    for (const db of [t.db, limited.db]) {
      const [row] = rowsOf<{ jit: string }>(await db.execute(sql`SELECT current_setting('jit') AS jit`));
      expect(row?.jit).toBe('off');
    }
  });
});
