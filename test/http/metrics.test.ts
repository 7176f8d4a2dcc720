import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { sequence } from '../../src/domain/ledger/store.js';
import { rules } from '../../src/domain/screening/rules/index.js';
import { createMetrics } from '../../src/http/metrics.node.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { adminDb, testDatabaseUrls } from '../helpers/db.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';

const database = testDatabaseUrls() ? 'postgres' : 'pglite';

/** The value of one sample of the exposition (`name{labels}`), or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
    if (!m || m[1] !== name) continue;
    const have = m[2] ? m[2].split(/,(?=[a-z_]+=")/) : [];
    if (wanted.every((l) => have.includes(l)) && (wanted.length > 0 || have.length === 0))
      return Number(m[3]);
  }
  return undefined;
}

/** The sum of every sample of `name` whose labels include `labels`. */
function total(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
    if (!m || m[1] !== name) continue;
    const have = m[2] ? m[2].split(/,(?=[a-z_]+=")/) : [];
    if (wanted.every((l) => have.includes(l))) sum += Number(m[3]);
  }
  return sum;
}

let w: GoldWorld;
let t: TestContext;
beforeAll(async () => {
  w = await goldWorld(await testApp());
}, 300_000);

const withMetrics = async () => {
  const metrics = createMetrics({ database, processMetrics: false });
  t = await testApp({ reset: false, metrics });
  return metrics;
};
const scrape = async (token = w.regulatorToken) => {
  const res = await t.call('GET', '/metrics', { token });
  expect(res.status, res.text).toBe(200);
  return res.text;
};

describe('/metrics', () => {
  it('refuses a request without a token (401) and roles other than admin and regulator (403)', async () => {
    await withMetrics();
    expect((await t.call('GET', '/metrics')).status).toBe(401);
    expect((await t.call('GET', '/metrics', { token: w.minerToken })).status).toBe(403);
    expect((await t.call('GET', '/metrics', { token: w.mazukoToken })).status).toBe(403);
    const res = await t.call('GET', '/metrics', { token: await t.token('admin') });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('answers 404 when the app collects no metrics (the Worker)', async () => {
    t = await testApp({ reset: false });
    const res = await t.call('GET', '/metrics', { token: w.regulatorToken });
    expect(res.status).toBe(404);
    expect(res.body.type).toBe('/problems/not-found');
  });

  it('counts requests per route pattern and status class, never per path', async () => {
    await withMetrics();
    const lot = await registerLot(t, w);
    const other = await registerLot(t, w);
    for (const id of [lot.id, other.id, lot.id]) {
      expect((await t.call('GET', `/v1/lots/${id}`, { token: w.minerToken })).status).toBe(200);
    }
    expect((await t.call('GET', `/v1/lots/${randomUUID()}`, { token: w.minerToken })).status).toBe(404);
    expect((await t.call('GET', '/v1/lots')).status).toBe(401);
    const text = await scrape();
    const route = { method: 'GET', route: '/v1/lots/:id' };
    expect(sample(text, 'orotrace_http_requests_total', { ...route, status_class: '2xx' })).toBe(3);
    expect(sample(text, 'orotrace_http_requests_total', { ...route, status_class: '4xx' })).toBe(1);
    expect(
      sample(text, 'orotrace_http_request_duration_seconds_count', { ...route, status_class: '2xx' }),
    ).toBe(3);
    expect(
      sample(text, 'orotrace_http_requests_total', {
        method: 'POST',
        route: '/v1/lots',
        status_class: '2xx',
      }),
    ).toBe(2);
    expect(
      sample(text, 'orotrace_http_requests_total', { method: 'GET', route: '/v1/lots', status_class: '4xx' }),
    ).toBe(1);
    expect(text).not.toContain(lot.id);
    // The counters move: three more reads are three more.
    for (let i = 0; i < 3; i++) await t.call('GET', `/v1/lots/${lot.id}`, { token: w.minerToken });
    expect(sample(await scrape(), 'orotrace_http_requests_total', { ...route, status_class: '2xx' })).toBe(6);
  });

  it('times screening per trigger after a lot registration, and counts flags raised per rule and severity as the database holds them', async () => {
    await withMetrics();
    const before = await scrape();
    expect(total(before, 'orotrace_screening_duration_seconds_count', { trigger: 'registration' })).toBe(0);
    const flagsBefore = rowsOf<{ rule: string; severity: string; n: number }>(
      await t.db.execute(sql`SELECT rule, severity, count(*)::int AS n FROM flags GROUP BY 1, 2`),
    );
    // A lot whose origin lies outside its concession: flags are raised.
    await registerLot(t, w, { origin: { type: 'Point', coordinates: [-69.2, -12.6] } });
    await registerLot(t, w);
    const text = await scrape();
    expect(sample(text, 'orotrace_screening_duration_seconds_count', { trigger: 'registration' })).toBe(2);
    expect(
      sample(text, 'orotrace_screening_duration_seconds_sum', { trigger: 'registration' }),
    ).toBeGreaterThan(0);
    const flagsAfter = rowsOf<{ rule: string; severity: string; n: number }>(
      await t.db.execute(sql`SELECT rule, severity, count(*)::int AS n FROM flags GROUP BY 1, 2`),
    );
    const raised = flagsAfter
      .map((f) => ({
        ...f,
        n: f.n - (flagsBefore.find((b) => b.rule === f.rule && b.severity === f.severity)?.n ?? 0),
      }))
      .filter((f) => f.n > 0);
    expect(raised.length).toBeGreaterThan(0);
    for (const f of raised) {
      expect(sample(text, 'orotrace_flags_raised_total', { rule: f.rule, severity: f.severity })).toBe(f.n);
    }
    expect(total(text, 'orotrace_flags_raised_total')).toBe(raised.reduce((s, f) => s + f.n, 0));
  });

  it('times each rule alone on the sampled writes — every rule of a registration, a scan and an offline batch at rate 1, none at rate 0 — and raises the same flags', async () => {
    t = await testApp({
      reset: false,
      metrics: createMetrics({ database, processMetrics: false, ruleSampleRate: 1 }),
    });
    const outside = { origin: { type: 'Point', coordinates: [-69.2, -12.6] } };
    const flagged = await registerLot(t, w, outside);
    const rulesFlagged = async (id: string) =>
      rowsOf<{ rule: string }>(
        await t.db.execute(sql`SELECT rule FROM flags WHERE subject_id = ${id}::uuid ORDER BY rule`),
      ).map((r) => r.rule);
    const sampledFlags = await rulesFlagged(flagged.id);
    expect(sampledFlags.length).toBeGreaterThan(0);
    const scan = (clientId: string) => ({
      token: flagged.qrUrl,
      checkpointId: w.mazuko.id,
      observedGrossWeightG: '1000.000',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      clientId,
    });
    const direct = await t.call('POST', '/v1/scans', { token: w.mazukoToken, body: scan(randomUUID()) });
    expect(direct.status, direct.text).toBe(201);
    const batch = await t.call('POST', '/v1/sync', {
      token: w.mazukoToken,
      body: { records: [{ kind: 'scan', ...scan(randomUUID()) }] },
    });
    expect(batch.body.counts).toEqual({ applied: 1, duplicate: 0, rejected: 0 });
    const text = await scrape();
    const runOn = (trigger: 'registration' | 'scan') =>
      rules
        .filter((r) => (trigger === 'scan' ? r.kind === 'scan' : r.kind === 'lot' && r.on.includes(trigger)))
        .map((r) => r.code);
    expect(runOn('registration').length).toBeGreaterThan(5);
    for (const rule of runOn('registration'))
      expect(
        sample(text, 'orotrace_screening_rule_duration_seconds_count', { trigger: 'registration', rule }),
        rule,
      ).toBe(1);
    expect(runOn('scan').length).toBeGreaterThan(0);
    for (const rule of runOn('scan'))
      expect(
        sample(text, 'orotrace_screening_rule_duration_seconds_count', { trigger: 'scan', rule }),
        rule,
      ).toBe(2);
    t = await testApp({
      reset: false,
      metrics: createMetrics({ database, processMetrics: false, ruleSampleRate: 0 }),
    });
    // The same lot screened without timing raises the same flags: timing reads, never writes.
    expect(await rulesFlagged((await registerLot(t, w, outside)).id)).toEqual(sampledFlags);
    expect(total(await scrape(), 'orotrace_screening_rule_duration_seconds_count')).toBe(0);
  });

  it('counts offline records applied, duplicate and rejected', async () => {
    await withMetrics();
    const lot = await registerLot(t, w);
    const record = {
      kind: 'scan',
      token: lot.qrUrl,
      checkpointId: w.mazuko.id,
      observedGrossWeightG: '1000.000',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      clientId: randomUUID(),
    };
    const forged = { ...record, clientId: randomUUID(), token: `${lot.qrUrl.slice(0, -8)}AAAAAAAA` };
    const res = await t.call('POST', '/v1/sync', {
      token: w.mazukoToken,
      body: { records: [record, forged] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.counts).toEqual({ applied: 1, duplicate: 0, rejected: 1 });
    const again = await t.call('POST', '/v1/sync', { token: w.mazukoToken, body: { records: [record] } });
    expect(again.body.counts).toEqual({ applied: 0, duplicate: 1, rejected: 0 });
    const text = await scrape();
    expect(sample(text, 'orotrace_sync_records_total', { outcome: 'applied' })).toBe(1);
    expect(sample(text, 'orotrace_sync_records_total', { outcome: 'duplicate' })).toBe(1);
    expect(sample(text, 'orotrace_sync_records_total', { outcome: 'rejected' })).toBe(1);
    expect(
      sample(text, 'orotrace_screening_duration_seconds_count', { trigger: 'scan' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('shows the sequencer lag: events pending and the age of the oldest, 0 once the sequencer has signed', async () => {
    await withMetrics();
    await sequence(t.db, t.ledgerKey);
    let text = await scrape();
    expect(sample(text, 'orotrace_ledger_pending_events')).toBe(0);
    expect(sample(text, 'orotrace_ledger_oldest_pending_event_age_seconds')).toBe(0);
    await registerLot(t, w);
    await new Promise((resolve) => setTimeout(resolve, 50));
    text = await scrape();
    const pending = sample(text, 'orotrace_ledger_pending_events') ?? 0;
    const [{ n } = { n: -1 }] = rowsOf<{ n: number }>(
      await t.db.execute(
        sql`SELECT count(*)::int AS n FROM events e WHERE NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.event_id = e.id)`,
      ),
    );
    expect(pending).toBeGreaterThan(0);
    expect(pending).toBe(n);
    expect(sample(text, 'orotrace_ledger_oldest_pending_event_age_seconds')).toBeGreaterThan(0.04);
    await sequence(t.db, t.ledgerKey);
    text = await scrape();
    expect(sample(text, 'orotrace_ledger_pending_events')).toBe(0);
    expect(sample(text, 'orotrace_ledger_oldest_pending_event_age_seconds')).toBe(0);
  });

  it('shows no cosignature age before any witness cosigned, and the database connections', async () => {
    await withMetrics();
    const text = await scrape();
    expect(text).not.toContain('orotrace_witness_latest_cosignature_age_seconds');
    if (database === 'pglite') expect(sample(text, 'orotrace_db_connections', { state: 'embedded' })).toBe(1);
    else expect(sample(text, 'orotrace_db_connections', { state: 'active' })).toBeGreaterThanOrEqual(1);
  });

  it('shows the age of the latest witness cosignature once one has arrived', async () => {
    await withMetrics();
    const { head } = await sequence(t.db, t.ledgerKey);
    const admin = await adminDb();
    await admin.execute(sql`
      INSERT INTO witness_cosignatures (tree_size, witness_key_id, witness_name, timestamp, signature_line, received_at)
      VALUES (${head.treeSize}, 'a1b2c3d4', 'witness.example', ${Math.floor(Date.now() / 1000) - 90},
              '— witness.example obsolete', clock_timestamp() - interval '90 seconds')`);
    const age = sample(await scrape(), 'orotrace_witness_latest_cosignature_age_seconds');
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(120);
  });

  it('counts rate-limit refusals by class', async () => {
    const metrics = createMetrics({ database, processMetrics: false });
    const limits = {
      public: { limit: 2, windowSeconds: 60 },
      'auth-failure': { limit: 5, windowSeconds: 60 },
      read: { limit: 100, windowSeconds: 60 },
      write: { limit: 100, windowSeconds: 60 },
    };
    t = await testApp({ reset: false, metrics, rateLimits: limits });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await t.call('GET', '/health/live', { headers: { 'cf-connecting-ip': '198.51.100.9' } })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    const text = await scrape();
    expect(sample(text, 'orotrace_rate_limited_total', { class: 'public' })).toBe(3);
    expect(
      sample(text, 'orotrace_http_requests_total', {
        method: 'GET',
        route: '/health/live',
        status_class: '4xx',
      }),
    ).toBe(3);
  });

  it('keeps each app its own registry: two apps in one process count apart, with the process metrics on', async () => {
    const a = createMetrics({ database });
    const b = createMetrics({ database });
    const ta = await testApp({ reset: false, metrics: a });
    const tb = await testApp({ reset: false, metrics: b });
    await ta.call('GET', '/health/live');
    await ta.call('GET', '/health/live');
    await tb.call('GET', '/health/live');
    const labels = { method: 'GET', route: '/health/live', status_class: '2xx' };
    const textA = (await ta.call('GET', '/metrics', { token: w.regulatorToken })).text;
    const textB = (await tb.call('GET', '/metrics', { token: w.regulatorToken })).text;
    expect(sample(textA, 'orotrace_http_requests_total', labels)).toBe(2);
    expect(sample(textB, 'orotrace_http_requests_total', labels)).toBe(1);
    expect(textA).toContain('process_cpu_user_seconds_total');
    expect(textA).toContain('nodejs_eventloop_lag_seconds');
  });
});
