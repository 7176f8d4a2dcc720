/**
 * The real server under concurrent load, out of process: `node dist/server/node.js` (what
 * `npm start` runs; built here when missing or older than src/), spawned as a child, loaded over
 * TCP on 127.0.0.1 by autocannon with 16 connections, rate limits off, its tokens minted by the
 * token CLI over its data dir as an operator mints them (`npm run token`). Figures:
 *
 * 1. Throughput of POST /v1/lots (an exporter registering lots) and POST /v1/scans (checkpoint
 *    staff scanning existing lots' QR codes, a fresh clientId each), beside the same rows (the lot
 *    and its event; the scan and its event) written by 16 postgres.js connections, one
 *    transaction per record, for the same time. Any non-2xx answer fails the suite.
 * 2. Start-up, from spawning the process to the first 200 on GET /health: on PostgreSQL (migrated
 *    already: an ordinary restart), on PGlite cold (a fresh data dir: keys, migrations) and warm
 *    (the second start on it); beside a bare Hono server on @hono/node-server answering /health.
 * 3. Memory: the server's RSS (VmRSS of /proc/<pid>/status, read from outside) over
 *    BENCH_HTTP_LOTS registrations (default 100,000), sampled every 10,000, and the latency of
 *    the first and the last 10,000.
 *
 * On PostgreSQL when DATABASE_URL is set — a throwaway database: this suite empties it (it drops
 * every object the role of MIGRATION_DATABASE_URL, else DATABASE_URL, owns) so that the server
 * starts on a fresh schema, and it runs after the in-process suites, whose connection stays idle;
 * else on PGlite in a temporary data dir (and the raw baseline on the in-process PGlite).
 *
 * BENCH_HTTP_SECONDS (default 10): the length of each throughput run. BENCH_HTTP_LOTS (default
 * 100,000): the registrations of the memory run, which stops anyway after BENCH_HTTP_MAX_SECONDS
 * (default 240, to keep the suite near six minutes) and says so. BENCH_HTTP_NODE_ARGS: extra
 * node flags for the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 *
 * Against a running deployment instead of a spawned server: BENCH_HTTP_URL=https://host (its
 * base URL) and BENCH_HTTP_TOKEN_COMMAND, a shell command that prints a token when given
 * `--role R [--actor ID] [--checkpoint ID]` (e.g. `DATA_DIR=/srv/orotrace npm run token --`, or a
 * script asking your identity provider), or BENCH_HTTP_TOKEN alone: an admin token, with which
 * only the setup runs and the loads are refused (lots and scans need actor- and checkpoint-bound
 * tokens). The bench then creates an actor, a concession and a checkpoint named BENCH-… there,
 * runs the throughput figures only (no start-up, no RSS, no raw baseline: it cannot see the
 * database or the process) and writes ~2 × 16 × BENCH_HTTP_SECONDS × rate records: use a
 * staging deployment, never production, and mind its rate limits (RATE_LIMITS=off there).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { buildServer, serverOut } from '../src/build.js';
import { rowsOf } from '../src/db/client.js';
import { newId } from '../src/domain/shared/ids.js';
import { packageRoot } from '../src/package-root.node.js';
import {
  type Bench,
  benchConcessionBody,
  benchMiner,
  benchMinerBody,
  printTable,
  type Row,
} from './harness.js';

const connections = 16;
const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const memoryLots = Number(process.env.BENCH_HTTP_LOTS ?? 100_000);
/**
 * The memory run stops after the chunk that passes this many seconds, and says so in its table:
 * at the rates of today (registrations slow down as a concession's lots accumulate) 100,000
 * would take hours.
 */
const memoryCapSeconds = Number(process.env.BENCH_HTTP_MAX_SECONDS ?? 240);
// Sampled every 10,000 (every tenth of a shorter run).
const chunk = Math.min(10_000, Math.max(100, Math.round(memoryLots / 10)));
const serverEntry = join(serverOut, 'node.js');

type Binding = { actor?: string; checkpoint?: string };

interface Target {
  url: string;
  token(role: string, binding?: Binding): Promise<string>;
}

interface Server {
  proc: ChildProcess;
  url: string;
  /** Spawn to the first 200 on /health, in ms. */
  startMs: number;
  stop(): Promise<void>;
}

/** The newest modification time under a folder. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds dist/server when missing or older than the sources, as `npm start` would (prestart). */
async function ensureBuilt(): Promise<void> {
  if (existsSync(serverEntry) && statSync(serverEntry).mtimeMs >= newest(join(packageRoot, 'src'))) return;
  const { ms } = await buildServer();
  console.log(`(built dist/server in ${Math.round(ms)} ms)`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls GET /health until it answers 200; throws if the process dies or takes over 3 minutes. */
async function waitHealthy(url: string, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = performance.now() + 180_000;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(
        `the server exited (${proc.exitCode ?? proc.signalCode}) before answering:\n${output()}`,
      );
    }
    try {
      const res = await fetch(`${url}/health`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline)
      throw new Error(`the server did not answer /health in 3 min:\n${output()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The server's environment: the caller's, less what would steer it elsewhere, plus `env`. */
function serverEnv(env: Record<string, string | undefined>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(DATABASE_URL|MIGRATION_DATABASE_URL|DATA_DIR|PORT|BASE_URL|BENCH_)/.test(k)) {
      base[k] = v;
    }
  }
  for (const [k, v] of Object.entries(env)) if (v !== undefined) base[k] = v;
  return base;
}

/** Spawns `node [args] entry` and waits for its first 200 on /health. */
async function spawnHealthy(
  nodeArgs: string[],
  env: Record<string, string>,
  port: number,
): Promise<{ proc: ChildProcess; startMs: number; output: () => string }> {
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const started = performance.now();
  const proc = spawn(process.execPath, nodeArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  await waitHealthy(url, proc, () => log);
  return { proc, startMs: performance.now() - started, output: () => log };
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** The orotrace server as `npm start` runs it, on `dataDir` and, when given, PostgreSQL. */
async function startServer(dataDir: string, db: { url?: string; migrationUrl?: string }): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const extra = process.env.BENCH_HTTP_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const env = serverEnv({
    PORT: String(port),
    HOST: '127.0.0.1',
    BASE_URL: url,
    DATA_DIR: dataDir,
    RATE_LIMITS: 'off',
    // The demo data set is a first-start convenience of the embedded default, not the server's work.
    DEMO_DATA: 'off',
    DATABASE_URL: db.url,
    MIGRATION_DATABASE_URL: db.migrationUrl,
  });
  const { proc, startMs } = await spawnHealthy(['--enable-source-maps', ...extra, serverEntry], env, port);
  return { proc, url, startMs, stop: () => stopProcess(proc) };
}

/** A bare Hono server on @hono/node-server answering GET /health: the floor of any Node start. */
async function bareHonoStartMs(): Promise<number> {
  const port = await freePort();
  const code = `import { serve } from '@hono/node-server'; import { Hono } from 'hono';
const app = new Hono(); app.get('/health', (c) => c.json({ status: 'ok' }));
const s = serve({ fetch: app.fetch, port: ${port}, hostname: '127.0.0.1' });
process.on('SIGTERM', () => { s.close(); process.exit(0); });`;
  const { proc, startMs } = await spawnHealthy(['--input-type=module', '-e', code], serverEnv({}), port);
  // `-e` resolves packages from the working directory: run from the package root.
  await stopProcess(proc);
  return startMs;
}

/** Tokens minted by the token CLI over the server's data dir, as an operator does. */
function cliTokens(dataDir: string): Target['token'] {
  return (role, binding = {}) =>
    run(
      process.execPath,
      [
        join(serverOut, 'cli', 'token.js'),
        '--role',
        role,
        ...(binding.actor ? ['--actor', binding.actor] : []),
        ...(binding.checkpoint ? ['--checkpoint', binding.checkpoint] : []),
        '--ttl',
        '12h',
      ],
      serverEnv({ DATA_DIR: dataDir }),
    );
}

function run(file: string, args: string[], env: Record<string, string>, shell = false): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, shell, cwd: packageRoot }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout.trim());
    });
  });
}

/** Tokens of a deployment: BENCH_HTTP_TOKEN_COMMAND, or BENCH_HTTP_TOKEN for the admin only. */
function deploymentTokens(): Target['token'] {
  const command = process.env.BENCH_HTTP_TOKEN_COMMAND;
  return async (role, binding = {}) => {
    if (command) {
      const args = [
        '--role',
        role,
        ...(binding.actor ? ['--actor', binding.actor] : []),
        ...(binding.checkpoint ? ['--checkpoint', binding.checkpoint] : []),
      ];
      return run(`${command} ${args.join(' ')}`, [], serverEnv({}), true);
    }
    const token = process.env.BENCH_HTTP_TOKEN;
    if (role === 'admin' && token) return token;
    throw new Error(
      `a ${role} token is needed: set BENCH_HTTP_TOKEN_COMMAND (a command printing a token for --role R [--actor ID] [--checkpoint ID])`,
    );
  };
}

async function call(url: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

interface World {
  actorId: string;
  concessionId: string;
  checkpointId: string;
  exporter: string;
  staff: string;
}

/** An actor producing under a titled concession, and a checkpoint, made through the API. */
async function makeWorld(t: Target): Promise<World> {
  const admin = await t.token('admin');
  const actor = await call(t.url, admin, 'POST', '/v1/actors', benchMinerBody('Bench miner (HTTP load)'));
  const concession = await call(
    t.url,
    admin,
    'POST',
    '/v1/concessions',
    benchConcessionBody(actor.id, 'Bench (HTTP load)'),
  );
  const checkpoint = await call(t.url, admin, 'POST', '/v1/checkpoints', {
    code: `BENCH-${randomUUID()}`,
    name: 'Bench post (HTTP load)',
    location: { type: 'Point', coordinates: [-70.373, -13.098] },
    routes: [`Bench route ${randomUUID()}`],
  });
  const actorId = String(actor.id);
  const checkpointId = String(checkpoint.id);
  return {
    actorId,
    concessionId: String(concession.id),
    checkpointId,
    exporter: await t.token('exporter', { actor: actorId }),
    staff: await t.token('checkpoint', { checkpoint: checkpointId }),
  };
}

const lotBody = (w: World) =>
  JSON.stringify({
    producerId: w.actorId,
    concessionId: w.concessionId,
    origin: { type: 'Point', coordinates: [-70.1, -12.945] },
    extractedOn: '2026-10-01',
    grossWeightG: '1000.000',
    fineness: '870',
    form: 'dore',
  });

interface Load {
  rate: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** One autocannon run; fails loudly on any non-2xx answer or connection error. */
async function load(
  name: string,
  url: string,
  request: autocannon.Request,
  size: { duration: number } | { amount: number },
): Promise<Load> {
  // A request waits up to a minute before it counts as an error: on PGlite (one connection) 16
  // clients queue behind each other, and p99 reaches seconds; autocannon's default is 10 s.
  const started = performance.now();
  const result = await autocannon({ url, connections, timeout: 60, ...size, requests: [request] });
  // autocannon's own duration is in whole seconds: the rate of a short run is timed here.
  const elapsed = (performance.now() - started) / 1000;
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .map(([code, s]) => `${code}: ${(s as { count: number }).count}`)
    .join(', ');
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors (${statuses})`);
  }
  const requests = result['2xx'];
  return {
    rate: requests / elapsed,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const lotsLoad = (w: World, onLot?: (lot: { id: string; qrUrl: string }) => void): autocannon.Request => ({
  method: 'POST',
  path: '/v1/lots',
  headers: { authorization: `Bearer ${w.exporter}`, 'content-type': 'application/json' },
  body: lotBody(w),
  ...(onLot
    ? {
        onResponse: (status: number, body: string) => {
          if (status === 201) onLot(JSON.parse(body) as { id: string; qrUrl: string });
        },
      }
    : {}),
});

/** Scans of the given lots' QR codes in turn, each with a fresh clientId. */
function scansLoad(w: World, qrs: string[]): autocannon.Request {
  let next = 0;
  return {
    method: 'POST',
    path: '/v1/scans',
    headers: { authorization: `Bearer ${w.staff}`, 'content-type': 'application/json' },
    setupRequest: (req) => {
      const token = qrs[next++ % qrs.length];
      return {
        ...req,
        body: JSON.stringify({
          token,
          checkpointId: w.checkpointId,
          occurredAt: new Date().toISOString(),
          clientId: `bench-${randomUUID()}`,
        }),
      };
    },
  };
}

/** The resident set of a process, in KiB (Linux). */
function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? Number.NaN);
}

/** What the raw baseline needs: something that runs one transaction of plain INSERTs. */
type RawWriter = (ids: { lotId: string; i: number }) => Promise<void>;

/**
 * 16 loops, each writing one record per transaction, for `ms`: the baseline of a throughput
 * figure. On PGlite the 16 loops share the one in-process connection (it has no other).
 */
async function rawRate(write: RawWriter, ms: number, lotIds: string[]): Promise<number> {
  let done = 0;
  const until = performance.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const i = done++;
        await write({ lotId: lotIds[i % lotIds.length] ?? '', i });
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

interface RawDb {
  tx<T>(fn: (exec: (q: ReturnType<typeof sql>) => Promise<unknown>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The rows a registration writes: the lot and its `lot.registered` event. */
const rawLot =
  (db: RawDb, w: Pick<World, 'actorId' | 'concessionId'>): RawWriter =>
  () =>
    db.tx(async (exec) => {
      const id = newId();
      await exec(sql`INSERT INTO lots (id, code, producer_id, concession_id, origin, extracted_on, gross_weight_g,
          fineness, fine_weight_g, form, custodian_id, qr_token)
        VALUES (${id}, ${`RAW-${id}`}, ${w.actorId}, ${w.concessionId}, ST_SetSRID(ST_MakePoint(-70.1, -12.945), 4326),
          '2026-10-01', 1000.000, 870.000, 870.000, 'dore', ${w.actorId}, 'x')`);
      await exec(sql`INSERT INTO events (id, type, subject_type, subject_id, actor_sub, actor_role, payload, occurred_at)
        VALUES (${newId()}, 'lot.registered', 'lot', ${id}, 'bench', 'exporter', ${JSON.stringify({ code: `RAW-${id}` })}::jsonb, now())`);
    });

/** The rows a scan writes: the scan and its `lot.scanned` event. */
const rawScan =
  (db: RawDb, checkpointId: string): RawWriter =>
  ({ lotId }) =>
    db.tx(async (exec) => {
      const id = newId();
      await exec(sql`INSERT INTO scans (id, client_id, lot_id, checkpoint_id, verdict, reasons, scanned_by, occurred_at)
        VALUES (${id}, ${`raw-${id}`}, ${lotId}, ${checkpointId}, 'pass', '[]'::jsonb, 'bench', now())`);
      await exec(sql`INSERT INTO events (id, type, subject_type, subject_id, actor_sub, actor_role, payload, occurred_at)
        VALUES (${newId()}, 'lot.scanned', 'lot', ${lotId}, 'bench', 'checkpoint', ${JSON.stringify({ scanId: id })}::jsonb, now())`);
    });

/** postgres.js with 16 connections over drizzle's SQL (the same statements as the app's). */
async function postgresRaw(url: string): Promise<RawDb> {
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { max: connections, onnotice: () => {} });
  const db = drizzle(client);
  return {
    tx: (fn) => db.transaction((tx) => fn((q) => tx.execute(q))),
    close: () => client.end(),
  };
}

const pgliteRaw = (b: Bench): RawDb => ({
  tx: (fn) => b.db.transaction((tx) => fn((q) => tx.execute(q))),
  close: async () => {},
});

/**
 * Empties the throwaway PostgreSQL database of the bench for a fresh server: drops what the
 * migrating role owns (the tables, their sequences, types and functions, drizzle's journal).
 */
async function resetPostgres(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [role] = await client<
      { super: boolean }[]
    >`SELECT rolsuper AS super FROM pg_roles WHERE rolname = current_user`;
    // A superuser owns PostGIS and whatever else lives in the database: never drop all that.
    if (role?.super) {
      throw new Error(
        'the http suite empties its database by dropping what the migrating role owns: give it the owner role (README "Database roles"), not a superuser',
      );
    }
    await client.unsafe('DROP OWNED BY CURRENT_USER');
  } finally {
    await client.end();
  }
}

const f = (n: number, digits = 0) => n.toFixed(digits);
const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const lat = (l: { p50: number; p99: number }) => `p50 ${ms(l.p50)}, p99 ${ms(l.p99)}`;
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;

function throughputRow(what: string, h: Load, raw: number | undefined): Row {
  return {
    figure: `${what}, ${connections} connections, ${seconds} s`,
    value: `${f(h.rate)}/s (${lat(h)}; non-2xx ${h.non2xx})`,
    baseline: raw === undefined ? '—' : `${f(raw)}/s raw INSERTs, ${connections} loops`,
    ratio: raw === undefined ? '—' : `${(h.rate / raw).toFixed(2)}`,
    target: '≥ 0.33',
  };
}

/** Against a running deployment: the throughput figures only. */
async function benchDeployment(url: string): Promise<void> {
  const t: Target = { url: url.replace(/\/+$/, ''), token: deploymentTokens() };
  const w = await makeWorld(t);
  const qrs: string[] = [];
  await load('warm-up', t.url, lotsLoad(w), { duration: 2 });
  const lotsH = await load(
    'POST /v1/lots',
    t.url,
    lotsLoad(w, (lot) => {
      if (qrs.length < 5000) qrs.push(lot.qrUrl);
    }),
    { duration: seconds },
  );
  const scansH = await load('POST /v1/scans', t.url, scansLoad(w, qrs), { duration: seconds });
  printTable(`HTTP load on ${t.url}`, [
    throughputRow('POST /v1/lots', lotsH, undefined),
    throughputRow('POST /v1/scans', scansH, undefined),
  ]);
}

export async function runHttpBenchmarks(b: Bench): Promise<void> {
  const deployment = process.env.BENCH_HTTP_URL;
  if (deployment) return benchDeployment(deployment);
  await ensureBuilt();
  const pgUrl = process.env.DATABASE_URL;
  const migrationUrl = process.env.MIGRATION_DATABASE_URL;
  const kind = pgUrl ? 'PostgreSQL' : 'PGlite';
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'orotrace-bench-http-'));
    dirs.push(dir);
    return dir;
  };
  const rows: Row[] = [];
  const startRows: Row[] = [];
  const memoryRows: Row[] = [];
  const bare = await bareHonoStartMs();
  const startRow = (figure: string, startMs: number, target: string): Row => ({
    figure,
    value: ms(startMs),
    baseline: `${ms(bare)} bare Hono /health`,
    ratio: `${(startMs / bare).toFixed(1)}×`,
    target,
  });
  let server: Server | undefined;
  try {
    // PGlite start-ups: a fresh data dir, then the second start on it.
    const pgliteDir = tempDir();
    // The load server's keys (and, without PostgreSQL, its database).
    const dataDir = pgUrl ? tempDir() : pgliteDir;
    const cold = await startServer(pgliteDir, {});
    startRows.push(startRow('start-up, PGlite cold (keys, migrations)', cold.startMs, '—'));
    if (pgUrl) {
      await cold.stop();
      const warm = await startServer(pgliteDir, {});
      startRows.push(startRow('start-up, PGlite warm (second start)', warm.startMs, '< 2 s'));
      await warm.stop();
      await resetPostgres(migrationUrl ?? pgUrl);
      server = await startServer(dataDir, { url: pgUrl, migrationUrl });
    } else {
      server = cold;
    }
    const t: Target = { url: server.url, token: cliTokens(dataDir) };
    const w = await makeWorld(t);
    const pid = server.proc.pid ?? 0;

    // 1. Throughput, after a short warm-up (JIT, plans, pools).
    const qrs: string[] = [];
    const lotIds: string[] = [];
    await load('warm-up', t.url, lotsLoad(w), { duration: 2 });
    const lotsH = await load(
      'POST /v1/lots',
      t.url,
      lotsLoad(w, (lot) => {
        if (qrs.length < 5000) {
          qrs.push(lot.qrUrl);
          lotIds.push(lot.id);
        }
      }),
      { duration: seconds },
    );
    const scansH = await load('POST /v1/scans', t.url, scansLoad(w, qrs), { duration: seconds });

    // 3. Memory and latency over history: registrations by chunks of 10,000.
    const rss: number[] = [rssKiB(pid)];
    const chunks: Load[] = [];
    const memStarted = performance.now();
    let registered = 0;
    for (let done = 0; done < memoryLots; done += chunk) {
      if (performance.now() - memStarted > memoryCapSeconds * 1000) {
        console.log(
          `  stopped after ${done} of ${memoryLots} registrations: the run passed BENCH_HTTP_MAX_SECONDS (${memoryCapSeconds} s)`,
        );
        break;
      }
      const amount = Math.min(chunk, memoryLots - done);
      registered = done + amount;
      chunks.push(await load(`registrations ${done}–${done + amount}`, t.url, lotsLoad(w), { amount }));
      rss.push(rssKiB(pid));
      const c = chunks.at(-1) as Load;
      console.log(
        `  ${done + amount} lots: RSS ${mib(rss.at(-1) ?? 0)}, ${f(c.rate)}/s, ${lat(c)} (${f((performance.now() - memStarted) / 1000)} s)`,
      );
    }
    const memSeconds = (performance.now() - memStarted) / 1000;
    await server.stop();

    if (pgUrl) {
      // 2. The ordinary restart on PostgreSQL: migrated already, the tables full.
      const again = await startServer(dataDir, { url: pgUrl, migrationUrl });
      startRows.unshift(startRow('start-up, PostgreSQL (migrated; restart)', again.startMs, '< 2 s'));
      await again.stop();
    } else {
      const warm = await startServer(pgliteDir, {});
      startRows.push(
        startRow(`start-up, PGlite warm (second start, ${registered} lots)`, warm.startMs, '< 2 s'),
      );
      await warm.stop();
    }
    server = undefined;

    // 1. The baselines, with the server stopped (its sequencer would refuse unsigned events).
    let raw: RawDb;
    let rawWorld: Pick<World, 'actorId' | 'concessionId' | 'checkpointId'>;
    let rawLots: string[];
    if (pgUrl) {
      raw = await postgresRaw(pgUrl);
      rawWorld = w;
      rawLots = lotIds;
    } else {
      // The server's PGlite is its own; the baseline writes to the bench's in-process one.
      raw = pgliteRaw(b);
      const miner = await benchMiner(b);
      const cp = await b.call('POST', '/v1/checkpoints', await b.token('admin'), {
        code: `BENCH-${randomUUID()}`,
        name: 'Bench post (raw)',
        location: { type: 'Point', coordinates: [-70.373, -13.098] },
        routes: [`Bench route ${randomUUID()}`],
      });
      rawWorld = { ...miner, checkpointId: String(cp.id) };
      rawLots = [];
    }
    try {
      const lotsRaw = await rawRate(rawLot(raw, rawWorld), seconds * 1000, ['']);
      if (rawLots.length === 0) {
        const found = await b.db.execute(sql`SELECT id FROM lots WHERE code LIKE 'RAW-%' LIMIT 5000`);
        rawLots = rowsOf<{ id: string }>(found).map((r) => r.id);
      }
      const scansRaw = await rawRate(rawScan(raw, rawWorld.checkpointId), seconds * 1000, rawLots);
      rows.push(
        throughputRow('POST /v1/lots', lotsH, lotsRaw),
        throughputRow('POST /v1/scans', scansH, scansRaw),
      );
    } finally {
      await raw.close();
    }

    const first = chunks[0];
    const last = chunks.at(-1);
    const half = Math.floor(rss.length / 2);
    const perChunk = ((rss.at(-1) ?? 0) - (rss[half] ?? 0)) / Math.max(1, rss.length - 1 - half);
    memoryRows.push(
      {
        figure: `RSS after warm-up and the throughput runs`,
        value: mib(rss[0] ?? 0),
        baseline: '—',
        ratio: '—',
        target: '—',
      },
      {
        figure: `RSS after ${registered} more registrations (${f(memSeconds)} s${registered < memoryLots ? `; STOPPED at the ${memoryCapSeconds} s cap, of ${memoryLots}` : ''})`,
        value: mib(rss.at(-1) ?? 0),
        baseline: mib(rss[0] ?? 0),
        ratio: `${((rss.at(-1) ?? 0) / (rss[0] ?? 1)).toFixed(2)}×`,
        target: 'bounded',
      },
      {
        figure: `RSS growth per ${chunk} over the second half`,
        value: `${f(perChunk)} KiB (${(perChunk / chunk).toFixed(2)} KiB/request)`,
        baseline: '0',
        ratio: '—',
        target: '~0 KiB/request',
      },
    );
    if (first && last) {
      memoryRows.push(
        {
          figure: `latency of the last ${chunk} registrations`,
          value: lat(last),
          baseline: `${lat(first)} (first ${chunk})`,
          ratio: `p50 ${(last.p50 / first.p50).toFixed(2)}×, p99 ${(last.p99 / first.p99).toFixed(2)}×`,
          target: '~1× (flat in history)',
        },
        {
          figure: `rate of the last ${chunk} registrations`,
          value: `${f(last.rate)}/s`,
          baseline: `${f(first.rate)}/s (first ${chunk})`,
          ratio: `${(last.rate / first.rate).toFixed(2)}`,
          target: '~1',
        },
      );
    }
  } finally {
    await server?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
  printTable(`HTTP throughput (the server out of process, on ${kind})`, rows);
  printTable('HTTP start-up (spawn → first 200 on /health)', startRows);
  printTable(`HTTP memory and latency over history (${kind})`, memoryRows);
}
