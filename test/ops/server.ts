import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { JWK } from 'jose';
import { buildServer, serverOut } from '../../src/build.js';
import { signingKeyFromJwk } from '../../src/keys/signing.js';
import { mintToken } from '../../src/keys/tokens.js';

/**
 * The built server (dist/server/node.js, as test/build/built-server.test.ts starts it) run as a
 * child process on a DATA_DIR of the test's, for the tests that stop, back up and restore it.
 * Its keys are its own, generated in DATA_DIR/keys on first start, as on a fresh install.
 */

// A fresh PGlite with PostGIS starts in ~12 s on an idle machine, and took 70 s on a busy one.
export const readyWithinMs = 180_000;

// vitest puts Vite's BASE_URL ('/') into process.env; the server must not inherit it, nor the
// test run's database unless a test passes it on.
const {
  BASE_URL: _viteBase,
  DATABASE_URL: _db,
  MIGRATION_DATABASE_URL: _mdb,
  TEST_ADMIN_DATABASE_URL: _adb,
  ...inherited
} = process.env;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let build: ReturnType<typeof buildServer> | undefined;

/**
 * `npm run build:server` once per test run, shared by the tests of the built server: the test
 * files run in one process (vitest.config.ts), and the sources do not change during a run.
 */
export function builtServer(): ReturnType<typeof buildServer> {
  build ??= buildServer();
  return build;
}

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

export interface RunningServer {
  base: string;
  child: ChildProcess;
  /** The last 50 kB of stdout and stderr. */
  output(): string;
  /** The exit status (null when killed by a signal). */
  exit: Promise<number | null>;
  /** SIGTERM, then SIGKILL if it has not exited within 60 s. */
  stop(): Promise<number | null>;
}

export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--enable-source-maps', join(serverOut, 'node.js')], {
    env: { ...inherited, PORT: String(port), DATA_DIR: dataDir, DEMO_DATA: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = `${output}${chunk.toString()}`.slice(-50_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exited = false;
  void exit.then(() => {
    exited = true;
  });
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (exited) throw new Error(`the server exited before it served:\n${output}`);
    if (Date.now() > deadline)
      throw new Error(`the server was not ready within ${readyWithinMs / 1000} s:\n${output}`);
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) });
      await res.body?.cancel();
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  return {
    base,
    child,
    output: () => output,
    exit,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      const code = await Promise.race([exit, sleep(60_000).then(() => 'late' as const)]);
      if (code !== 'late') return code;
      child.kill('SIGKILL');
      return exit;
    },
  };
}

/** A built CLI (dist/server/cli/NAME.js) run with plain node; never throws on a failing status. */
export async function runCli(
  name: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [join(serverOut, 'cli', `${name}.js`), ...args], {
    env: { ...inherited, ...env },
    maxBuffer: 10 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

/** A token minted with the server's own local identity key (DATA_DIR/keys/auth.private.jwk.json). */
export async function localToken(
  dataDir: string,
  claims: { role: 'admin' | 'exporter'; actor?: string },
): Promise<string> {
  const jwk = JSON.parse(readFileSync(join(dataDir, 'keys', 'auth.private.jwk.json'), 'utf8')) as JWK;
  return mintToken(await signingKeyFromJwk(jwk), { issuer: 'orotrace-local', audience: 'orotrace' }, claims);
}

/** A miner with a concession, and the tokens that register its lots. */
export async function goldSupplier(
  base: string,
  admin: string,
): Promise<{ lotBody(): object; miner: string }> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${text}`);
    return JSON.parse(text) as { id: string };
  };
  const miner = await post('/v1/actors', {
    taxId: '20600000011',
    name: 'Minera Guacamayo SAC',
    kinds: ['miner'],
  });
  const ring = [
    [-70.12, -12.96],
    [-70.08, -12.96],
    [-70.08, -12.93],
    [-70.12, -12.93],
    [-70.12, -12.96],
  ];
  const concession = await post('/v1/concessions', {
    code: '07-000123',
    name: 'Guacamayo I',
    kind: 'mining',
    holderId: miner.id,
    status: 'titled',
    grantedOn: '2012-04-20',
    geometry: { type: 'MultiPolygon', coordinates: [[ring]] },
  });
  return {
    miner: miner.id,
    lotBody: () => ({
      producerId: miner.id,
      concessionId: concession.id,
      origin: { type: 'Point', coordinates: [-70.1, -12.945] },
      extractedOn: '2026-10-01',
      grossWeightG: '1000.000',
      fineness: '870',
      form: 'dore',
    }),
  };
}

/**
 * Writers registering lots as fast as they are answered, each on its own kept-alive
 * connection, until `stop()` or their first failure (the server going away). `acknowledged`
 * holds the id of every lot answered 201.
 */
export function lotWriters(
  base: string,
  token: string,
  body: () => object,
  writers: number,
): { acknowledged: string[]; failures: string[]; stop(): Promise<void> } {
  const acknowledged: string[] = [];
  const failures: string[] = [];
  let stopping = false;
  const loops = Array.from({ length: writers }, async () => {
    while (!stopping) {
      try {
        const res = await fetch(`${base}/v1/lots`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body()),
        });
        const text = await res.text();
        if (res.status === 201) acknowledged.push((JSON.parse(text) as { id: string }).id);
        else {
          failures.push(`${res.status} ${res.headers.get('retry-after') ?? ''} ${text.slice(0, 200)}`);
          return;
        }
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        failures.push(cause?.code ?? cause?.message ?? (e as Error).message);
        return;
      }
    }
  });
  return {
    acknowledged,
    failures,
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}
