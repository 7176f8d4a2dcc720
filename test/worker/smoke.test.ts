import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { openDatabase } from '../../src/db/node.js';
import { appendEvents } from '../../src/domain/ledger/events.js';
import { installWriteKey } from '../../src/domain/ledger/write-signature.js';
import { generateJwk } from '../../src/keys/local.js';
import { type SigningKey, signingKeyFromJwk } from '../../src/keys/signing.js';
import { mintToken } from '../../src/keys/tokens.js';

/**
 * The Worker entry (src/worker.ts) as Cloudflare runs it: bundled by wrangler, served by workerd
 * (`wrangler dev`, local mode, offline), reaching the PostgreSQL of DATABASE_URL through the
 * Hyperdrive binding's local connection string. Proves the edge build wires the same app:
 * database, ledger key, token verification, problem+json.
 */
const databaseUrl = process.env.DATABASE_URL;
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const wranglerBin = join(repoRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const issuer = 'orotrace-worker-smoke';
const audience = 'orotrace';
const readyWithinMs = 60_000;

/** A port nobody listens on right now (the OS picks it; wrangler binds it right after). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!databaseUrl)('the Worker under wrangler dev (workerd) against PostgreSQL', () => {
  let wrangler: ChildProcess | undefined;
  let output = '';
  let workDir = '';
  let base = '';
  let authKey: SigningKey;
  let ledgerKid = '';

  /** Fetch against the Worker with a bounded wait, so a hung workerd fails the test, not the run. */
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });

  beforeAll(async () => {
    const url = new URL(databaseUrl ?? '');
    // Hyperdrive's local emulation refuses a connection string without a password.
    if (!url.password) throw new Error('DATABASE_URL must carry a password for the Hyperdrive binding');

    // The Worker does not migrate (drizzle's migrator needs node:fs): do it as `npm run db:migrate` does.
    const database = await openDatabase({ url: url.href, migrationUrl: process.env.MIGRATION_DATABASE_URL });
    await database.close();

    const authJwk = await generateJwk('smoke-auth');
    const ledgerJwk = await generateJwk('smoke-ledger');
    authKey = await signingKeyFromJwk(authJwk);
    ledgerKid = ledgerJwk.kid ?? '';
    // What a CLI writing to this database signs its events with: the Worker's own ledger key.
    installWriteKey(await signingKeyFromJwk(ledgerJwk));

    // Vars through an env file of our own: keeps the private key off the command line and never
    // touches a developer's .dev.vars (wrangler reads only the files named by --env-file).
    workDir = mkdtempSync(join(tmpdir(), 'orotrace-worker-smoke-'));
    const envFile = join(workDir, 'worker.env');
    const vars = {
      LEDGER_PRIVATE_JWK: JSON.stringify(ledgerJwk),
      JWT_PUBLIC_JWKS: JSON.stringify({ keys: [authKey.publicJwk] }),
      JWT_ISSUER: issuer,
      JWT_AUDIENCE: audience,
      // Smaller than the default, to see the Worker read it (every other body here is far smaller).
      BODY_LIMIT_BYTES: '65536',
    };
    // Single quotes: dotenv takes the JSON verbatim (JWKs hold no single quote).
    writeFileSync(
      envFile,
      Object.entries(vars)
        .map(([k, v]) => `${k}='${v}'\n`)
        .join(''),
      { mode: 0o600 },
    );

    const [port, inspectorPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    wrangler = spawn(
      process.execPath,
      [
        wranglerBin,
        'dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--inspector-port',
        String(inspectorPort),
        '--env-file',
        envFile,
        '--persist-to',
        join(workDir, 'state'),
        '--show-interactive-dev-session=false',
        '--test-scheduled',
        '--log-level',
        'log',
      ],
      {
        cwd: repoRoot,
        // Its own process group, so afterAll ends workerd along with wrangler.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          // The variable wrangler 4.86 reads for the binding named HYPERDRIVE (see wrangler.toml).
          CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: url.href,
          WRANGLER_SEND_METRICS: 'false',
          WRANGLER_LOG_PATH: join(workDir, 'logs'),
          // Not the DATABASE_URL of this process: the Worker reaches the database only via Hyperdrive.
          DATABASE_URL: '',
        },
      },
    );
    const keep = (chunk: Buffer) => {
      output = `${output}${chunk.toString()}`.slice(-20_000);
    };
    wrangler.stdout?.on('data', keep);
    wrangler.stderr?.on('data', keep);
    let exited = false;
    wrangler.once('exit', () => {
      exited = true;
    });

    const deadline = Date.now() + readyWithinMs;
    for (;;) {
      if (exited) throw new Error(`wrangler dev exited before it served:\n${output}`);
      if (Date.now() > deadline) {
        throw new Error(`wrangler dev not ready within ${readyWithinMs / 1000} s:\n${output}`);
      }
      try {
        const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) });
        if (res.status === 200) break;
        await res.body?.cancel();
      } catch {
        // Not listening yet.
      }
      await sleep(500);
    }
  });

  // What wrangler and the Worker logged (errors with their causes) explains a failure best.
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => console.error(`wrangler dev output:\n${output}`));
  });

  afterAll(async () => {
    const child = wrangler;
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const killGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-(child.pid as number), signal);
        } catch {
          // The group is already gone.
        }
      };
      killGroup('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      // workerd may outlive wrangler's exit: end whatever is left of the group either way.
      killGroup('SIGKILL');
      if (!stopped) await Promise.race([exited, sleep(5_000)]);
    }
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('answers /health from PostgreSQL with PostGIS through Hyperdrive', async () => {
    const res = await call('/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; database: string; postgis: string };
    expect(body.status).toBe('ok');
    expect(body.database).toMatch(/^PostgreSQL \d+/);
    expect(body.postgis).toMatch(/^\d+\.\d+/);
  });

  it('answers the probes: /health/live, and /health/ready checking the migrations against the bundled journal', async () => {
    const live = await call('/health/live');
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'live' });
    // Without a token a probe reads the status alone; the checks are an admin's or a regulator's.
    const probe = await call('/health/ready');
    expect(Object.keys((await probe.json()) as object)).toEqual(['status']);
    const token = await mintToken(authKey, { issuer, audience }, { role: 'admin' });
    const ready = await call('/health/ready', { headers: { authorization: `Bearer ${token}` } });
    const body = (await ready.json()) as { checks: { name: string; ok: boolean; detail: string }[] };
    for (const name of ['database', 'migrations', 'ledger_key']) {
      expect(
        body.checks.find((c) => c.name === name),
        JSON.stringify(body),
      ).toMatchObject({ ok: true });
    }
    // The Worker collects no metrics (an isolate's counters are its own).
    expect((await call('/metrics')).status).toBe(401);
  });

  it('publishes the ledger key from the LEDGER_PRIVATE_JWK secret, without its private part', async () => {
    const res = await call('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(body.keys.map((k) => k.kid)).toEqual([ledgerKid]);
    expect(body.keys[0]).not.toHaveProperty('d');
  });

  it('creates an actor with an admin token verified against JWT_PUBLIC_JWKS, and reads it back', async () => {
    const token = await mintToken(authKey, { issuer, audience }, { role: 'admin' });
    const taxId = `20${String(Date.now()).slice(-9)}`;
    const created = await call('/v1/actors', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ taxId, name: 'Minera Smoke SAC', kinds: ['miner'] }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const actor = (await created.json()) as { id: string; taxId: string };
    expect(actor.taxId).toBe(taxId);

    const read = await call(`/v1/actors/${actor.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      id: actor.id,
      taxId,
      name: 'Minera Smoke SAC',
      kinds: ['miner'],
    });
  });

  it('registers a lot screened inside its write (prepared statement through Hyperdrive) and flags gold from a protected area', async () => {
    const admin = await mintToken(authKey, { issuer, audience }, { role: 'admin' });
    const post = async (path: string, body: unknown, token = admin) => {
      const res = await call(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(201);
      return (await res.json()) as { id: string; flags: { rule: string; evidence: { zoneId?: string } }[] };
    };
    const stamp = String(Date.now()).slice(-9);
    const miner = await post('/v1/actors', {
      taxId: `21${stamp}`,
      name: 'Minera Smoke II',
      kinds: ['miner'],
    });
    await post(`/v1/actors/${miner.id}/registrations`, {
      registry: 'formalization',
      status: 'formalized',
      validFrom: '2015-01-01',
    });
    const ring = (w: number, s: number, e: number, n: number) => ({
      type: 'Polygon',
      coordinates: [
        [
          [w, s],
          [e, s],
          [e, n],
          [w, n],
          [w, s],
        ],
      ],
    });
    const concession = await post('/v1/concessions', {
      code: `SMOKE-${stamp}`,
      name: 'Smoke concession',
      kind: 'mining',
      holderId: miner.id,
      status: 'titled',
      geometry: ring(-60.2, -10.2, -60.1, -10.1),
      // Each run files the same ground again: the registry accepts it only under an exception.
      overlapException: { legalBasis: 'smoke test: the same ground filed by every run' },
    });
    const zone = await post('/v1/zones', {
      name: `Smoke reserve ${stamp}`,
      kind: 'protected_area',
      legalBasis: 'smoke test',
      validFrom: '2000-01-01',
      geometry: ring(-60.2, -10.2, -60.15, -10.1),
    });
    const minerToken = await mintToken(authKey, { issuer, audience }, { role: 'exporter', actor: miner.id });
    const lot = (lon: number) =>
      post(
        '/v1/lots',
        {
          producerId: miner.id,
          concessionId: concession.id,
          origin: { type: 'Point', coordinates: [lon, -10.15] },
          extractedOn: '2026-10-01',
          grossWeightG: '10.000', // six lots stay under the input rule's 100 g floor
          fineness: '900',
          form: 'dore',
        },
        minerToken,
      );
    // Several registrations, so that the prepared statement is reused over the pool.
    for (let i = 0; i < 3; i++) {
      expect((await lot(-60.12)).flags.map((f) => f.rule)).toEqual([]);
      // (a database kept from an earlier run may hold earlier smoke reserves at the same place)
      const flagged = (await lot(-60.18)).flags;
      expect(flagged.every((f) => f.rule === 'ORIGIN_IN_EXCLUSION_ZONE')).toBe(true);
      expect(flagged.filter((f) => f.evidence.zoneId === zone.id)).toHaveLength(1);
    }
  });

  it('the Cron Trigger appends to the ledger events written without a sequencing run (e.g. by a CLI)', async () => {
    const database = await openDatabase({
      url: databaseUrl ?? '',
      migrationUrl: process.env.MIGRATION_DATABASE_URL,
    });
    try {
      const [id] = await appendEvents(database.db, { sub: 'smoke', role: 'admin' }, [
        { type: 'smoke.cli_write', subjectType: 'test', subjectId: randomUUID(), payload: {} },
      ]);
      const inLog = async () =>
        rowsOf<{ n: number }>(
          await database.db.execute(sql`SELECT count(*)::int AS n FROM ledger_leaves WHERE event_id = ${id}`),
        )[0]?.n;
      expect(await inLog()).toBe(0);
      const res = await call('/__scheduled?cron=*/5+*+*+*+*');
      expect(res.status).toBe(200);
      for (let i = 0; i < 50 && (await inLog()) === 0; i++) await sleep(100);
      expect(await inLog()).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('the Cron Trigger judges the diversion that fell due: mercury whose lag has just passed, with no gold', async () => {
    const database = await openDatabase({
      url: databaseUrl ?? '',
      migrationUrl: process.env.MIGRATION_DATABASE_URL,
    });
    try {
      // Written directly, as no client may date a declaration: due two seconds ago, so after the
      // last due run any earlier test made (runs here happen only on /__scheduled).
      const [supplier, miner, movement] = [randomUUID(), randomUUID(), randomUUID()];
      const taxId = () => `2${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
      await database.db.execute(sql`INSERT INTO actors (id, tax_id, name, kinds) VALUES
        (${supplier}, ${taxId()}, 'Smoke supplier', ARRAY['supplier']),
        (${miner}, ${taxId()}, 'Smoke miner', ARRAY['miner'])`);
      await database.db.execute(sql`INSERT INTO movements
        (id, code, input, quantity, unit, consignor_id, consignee_id, destination_point, vehicle, route, qr_token, declared_at)
        VALUES (${movement}, ${`MV-SMOKE-${movement.slice(0, 8)}`}, 'mercury', 40, 'kg', ${supplier}, ${miner},
                ST_SetSRID(ST_MakePoint(-70.1, -12.9), 4326), 'SMOKE-1', 'Interoceánica Sur', 'smoke',
                now() - make_interval(days => 60) - interval '2 seconds')`);
      const flagged = async () =>
        rowsOf<{ judged: string }>(
          await database.db.execute(sql`SELECT evidence ->> 'judged' AS judged FROM flags
            WHERE subject_type = 'movement' AND subject_id = ${movement} AND rule = 'INPUT_OUTPUT_MISMATCH'`),
        );
      expect(await flagged()).toEqual([]);
      const res = await call('/__scheduled?cron=*/5+*+*+*+*');
      expect(res.status).toBe(200);
      for (let i = 0; i < 50 && (await flagged()).length === 0; i++) await sleep(100);
      expect(await flagged()).toEqual([{ judged: 'after_lag' }]);
    } finally {
      await database.close();
    }
  });

  it('refuses a body above BODY_LIMIT_BYTES with 413 problem+json from its Content-Length', async () => {
    const token = await mintToken(authKey, { issuer, audience }, { role: 'admin' });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const declared = await call('/v1/actors', { method: 'POST', headers, body: 'x'.repeat(65537) });
    expect(declared.status).toBe(413);
    expect(declared.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await declared.json()).toMatchObject({ type: '/problems/payload-too-large', limitBytes: 65536 });
    expect((await call('/health')).status).toBe(200);
  });

  it('refuses a request without a token with 401 problem+json', async () => {
    const res = await call('/v1/actors');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // The request's id, from the client when well-formed, in the header and the problem.
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toMatchObject({ status: 401, requestId: res.headers.get('x-request-id') });
    const mine = await call('/v1/actors', { headers: { 'x-request-id': 'smoke-7' } });
    expect(mine.headers.get('x-request-id')).toBe('smoke-7');
  });

  it('serves the web apps as static assets, with the same headers as Node (dist/web/_headers)', async () => {
    for (const app of ['checkpoint', 'exporter', 'regulator']) {
      const page = await call(`/app/${app}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await page.text()).toContain('<script type="module" src="app.js">');
      const script = await call(`/app/${app}/app.js`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toMatch(/javascript/);
      await script.arrayBuffer();
    }
    const sw = await call('/app/checkpoint/sw.js');
    expect(sw.status).toBe(200);
    expect(await sw.text()).toMatch(/orotrace-checkpoint-[0-9a-f]{16}/);
    // A folder without its slash is redirected to it, as on Node.
    const bare = await call('/app/checkpoint', { redirect: 'manual' });
    expect([301, 307, 308]).toContain(bare.status);
    expect(bare.headers.get('location')).toMatch(/\/app\/checkpoint\/$/);
    // A path under /app/ that is no file reaches the Worker: a problem, not a page.
    const missing = await call('/app/checkpoint/nothing-here.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
  // Last: it spends this address's budget of failed tokens for a minute.
  it('refuses a burst of forged tokens with 429 through the Rate Limiting binding (wrangler.toml [[ratelimits]])', async () => {
    const good = await mintToken(authKey, { issuer, audience }, { role: 'admin' });
    const forged = `${good.slice(0, -6)}AAAAAA`;
    const statuses: number[] = [];
    let refusal: Response | undefined;
    for (let i = 0; i < 30; i++) {
      const res = await call('/v1/actors', { headers: { authorization: `Bearer ${forged}` } });
      statuses.push(res.status);
      if (i === 0) {
        // Counted by the binding, which tells no remaining count (memory would: `r=19`).
        expect(res.headers.get('ratelimit-policy')).toBe('"auth-failure";q=20;w=60');
        expect(res.headers.get('ratelimit')).toBeNull();
      }
      if (res.status === 429) refusal ??= res;
      else await res.body?.cancel();
    }
    const first = statuses.indexOf(429);
    expect(first, statuses.join(' ')).toBeGreaterThan(0);
    expect(statuses.slice(0, first).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(first).every((s) => s === 429)).toBe(true);
    expect(refusal?.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refusal?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refusal?.headers.get('ratelimit-policy')).toBe('"auth-failure";q=20;w=60');
    expect(refusal?.headers.get('ratelimit')).toMatch(/^"auth-failure";r=0;t=\d+$/);
    expect(await refusal?.json()).toMatchObject({ status: 429, type: '/problems/rate-limited' });
  });
});
