import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { rowsOf } from '../../src/db/client.js';
import { sequence } from '../../src/domain/ledger/store.js';
import type { Principal } from '../../src/domain/shared/principal.js';
import { testApp } from '../helpers/app.js';
import { adminDb } from '../helpers/db.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';

let w: GoldWorld;
beforeAll(async () => {
  w = await goldWorld(await testApp());
}, 300_000);

const checkOf = (body: { checks: { name: string; ok: boolean; detail: string }[] }, name: string) =>
  body.checks.find((c) => c.name === name);

/** GET /health/ready with an admin's token: the answer with each check. */
const readyWithChecks = async (t: Awaited<ReturnType<typeof testApp>>) =>
  t.call('GET', '/health/ready', { token: await t.token('admin') });

describe('probes', () => {
  it('/health/live answers 200 without asking the database', async () => {
    const t = await testApp({ reset: false });
    const res = await t.call('GET', '/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'live' });
  });

  it('/health keeps its answer', async () => {
    const t = await testApp({ reset: false });
    const res = await t.call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok' });
    expect(typeof res.body.postgis).toBe('string');
  });

  it('/health/ready answers 200 with every check passed once the ledger has caught up', async () => {
    const t = await testApp({ reset: false });
    await sequence(t.db, t.ledgerKey);
    const res = await readyWithChecks(t);
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe('ready');
    expect(res.body.checks.map((c: { name: string }) => c.name)).toEqual([
      'database',
      'migrations',
      'ledger_key',
      'ledger_lag',
    ]);
    expect(res.body.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('/health/ready answers 503 while the ledger lags beyond the bound, and 200 once the sequencer has signed', async () => {
    const t = await testApp({ reset: false, maxLedgerLagSeconds: 0 });
    await sequence(t.db, t.ledgerKey);
    await registerLot(t, w);
    const lagging = await readyWithChecks(t);
    expect(lagging.status).toBe(503);
    expect(lagging.body.status).toBe('not_ready');
    expect(checkOf(lagging.body, 'ledger_lag')).toMatchObject({ ok: false });
    expect(checkOf(lagging.body, 'ledger_lag')?.detail).toMatch(/^\d+ event\(s\) not yet in a signed head/);
    expect(checkOf(lagging.body, 'database')).toMatchObject({ ok: true });
    await sequence(t.db, t.ledgerKey);
    expect((await t.call('GET', '/health/ready')).status).toBe(200);
    // Within the default bound of 60 s a fresh write does not make the server unready.
    const relaxed = await testApp({ reset: false });
    await registerLot(relaxed, w);
    expect((await relaxed.call('GET', '/health/ready')).status).toBe(200);
    await sequence(t.db, t.ledgerKey);
  });

  it('/health/ready answers 503 naming a migration the database has not applied', async () => {
    const t = await testApp({ reset: false });
    await sequence(t.db, t.ledgerKey);
    const admin = await adminDb();
    const [last] = rowsOf<{ id: number; hash: string; created_at: string }>(
      await admin.execute(
        sql`SELECT id, hash, created_at::text AS created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`,
      ),
    );
    if (!last) throw new Error('no migration recorded');
    await admin.execute(sql`DELETE FROM drizzle.__drizzle_migrations WHERE id = ${last.id}`);
    try {
      const res = await readyWithChecks(t);
      expect(res.status).toBe(503);
      const migrations = checkOf(res.body, 'migrations');
      expect(migrations?.ok).toBe(false);
      expect(migrations?.detail).toMatch(/^not applied: \d{4}_[a-z0-9_]+ \(run npm run db:migrate\)$/);
      expect(checkOf(res.body, 'database')).toMatchObject({ ok: true });
    } finally {
      await admin.execute(
        sql`INSERT INTO drizzle.__drizzle_migrations (id, hash, created_at) VALUES (${last.id}, ${last.hash}, ${last.created_at}::bigint)`,
      );
    }
    expect((await t.call('GET', '/health/ready')).status).toBe(200);
  });

  it('/health/ready answers 503 when the database does not answer, without its error text', async () => {
    const t = await testApp({ reset: false });
    const app = createApp({
      services: () => ({
        db: {
          execute: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432 password=secret')),
        } as unknown as typeof t.db,
        // Any token is an admin's here: the details are asked for, and the database is down.
        verifyToken: async (): Promise<Principal> => ({ role: 'admin', sub: 'admin' }),
        baseUrl: 'http://orotrace.test',
        ledgerKey: t.ledgerKey,
      }),
    });
    const res = await app.request('/health/ready', { headers: { authorization: 'Bearer admin' } });
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(text).not.toContain('secret');
    expect(text).not.toContain('10.0.0.5');
    const body = JSON.parse(text) as { checks: { name: string; ok: boolean }[] };
    expect(body.checks.find((c) => c.name === 'database')?.ok).toBe(false);
    expect(body.checks.find((c) => c.name === 'ledger_key')?.ok).toBe(true);
    // A probe, without a token, reads 503 and nothing more.
    const probe = await app.request('/health/ready');
    expect(probe.status).toBe(503);
    expect(await probe.json()).toEqual({ status: 'not_ready' });
    // Liveness does not depend on the database.
    expect((await app.request('/health/live')).status).toBe(200);
  });

  it('/health/ready tells a caller without a token the status alone (ready or not), as a probe needs it', async () => {
    const t = await testApp({ reset: false, maxLedgerLagSeconds: 0 });
    await sequence(t.db, t.ledgerKey);
    const res = await t.call('GET', '/health/ready');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    // Not ready: 503 and still nothing of why (the ledger lag, the migrations) without a token.
    await registerLot(t, w);
    const lagging = await t.call('GET', '/health/ready');
    expect(lagging.status).toBe(503);
    expect(lagging.body).toEqual({ status: 'not_ready' });
    expect(lagging.text).not.toMatch(/ledger|event|migration|kid/);
    // A regulator, as for /metrics, reads why.
    const regulator = await t.call('GET', '/health/ready', { token: await t.token('regulator') });
    expect(regulator.status).toBe(503);
    expect(checkOf(regulator.body, 'ledger_lag')).toMatchObject({ ok: false });
    await sequence(t.db, t.ledgerKey);
  });

  it('/health/ready refuses a token that does not verify (401) and one of another role (403), telling nothing', async () => {
    const t = await testApp({ reset: false });
    await sequence(t.db, t.ledgerKey);
    const forged = await t.call('GET', '/health/ready', { token: 'not.a.token' });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toMatch(/^Bearer realm="orotrace"/);
    expect(forged.text).not.toMatch(/ledger_lag|checks/);
    for (const [role, token] of [
      ['exporter', w.exporterToken],
      ['checkpoint', w.mazukoToken],
    ] as const) {
      const other = await t.call('GET', '/health/ready', { token });
      expect(other.status, role).toBe(403);
      expect(other.text, role).not.toMatch(/ledger_lag|checks/);
    }
    const empty = await t.call('GET', '/health/ready', { headers: { authorization: '' } });
    expect(empty.status).toBe(401);
  });

  it('the probes are in the OpenAPI document, public, with operation ids', async () => {
    const t = await testApp({ reset: false });
    const doc = (await t.call('GET', '/openapi.json')).body;
    expect(doc.paths['/health/live'].get.operationId).toBe('getLiveness');
    expect(doc.paths['/health/live'].get.security).toEqual([]);
    expect(doc.paths['/health/ready'].get.operationId).toBe('getReadiness');
    // The token optional: none (a probe), or a bearer token for the details.
    expect(doc.paths['/health/ready'].get.security).toEqual([{}, { bearerAuth: [] }]);
    expect(Object.keys(doc.paths['/health/ready'].get.responses)).toEqual(
      expect.arrayContaining(['200', '503', '401', '403']),
    );
    expect(doc.components.schemas.Readiness.required).toEqual(['status']);
    expect(doc.paths['/metrics'].get.operationId).toBe('getMetrics');
    expect(doc.paths['/metrics'].get.security).toEqual([{ bearerAuth: [] }]);
  });
});
