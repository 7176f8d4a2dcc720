import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverOut } from '../../src/build.js';
import { generateJwk } from '../../src/keys/local.js';
import { type SigningKey, signingKeyFromJwk } from '../../src/keys/signing.js';
import { mintToken } from '../../src/keys/tokens.js';
import { builtServer } from '../ops/server.js';

/**
 * What `npm start` and a production image run: the bundles of `npm run build:server` under
 * dist/server/, started with plain node (no tsx) from another working directory, so the
 * migrations (drizzle/) and the web apps (dist/web/, built by pretest) must be found from the
 * package root. On the embedded PGlite in a fresh DATA_DIR; the run on PostgreSQL skips it (the
 * same bundle, nothing here depends on the database). Its keys come from the environment, as in
 * production: the ledger's from LEDGER_PRIVATE_JWK, the identity provider's from JWT_PUBLIC_JWKS.
 */
const run = promisify(execFile);
// A fresh PGlite with PostGIS starts in ~12 s on an idle machine, and took 70 s on a busy one.
const readyWithinMs = 180_000;

// vitest puts Vite's BASE_URL ('/') into process.env; the server must not inherit it.
const { BASE_URL: _viteBase, DATABASE_URL: _db, MIGRATION_DATABASE_URL: _mdb, ...inherited } = process.env;

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
const issuer = 'https://idp.example.pe';
const audience = 'orotrace';

describe.skipIf(!!process.env.DATABASE_URL)('the built server (node dist/server/node.js)', () => {
  let workDir = '';
  let server: ChildProcess | undefined;
  let output = '';
  let base = '';
  let exit: Promise<number | null> | undefined;
  let authKey: SigningKey;
  let ledgerKid = '';

  beforeAll(async () => {
    await builtServer();
    authKey = await signingKeyFromJwk(await generateJwk('built-auth'));
    const ledgerJwk = await generateJwk('built-ledger');
    ledgerKid = ledgerJwk.kid ?? '';
    workDir = mkdtempSync(join(tmpdir(), 'orotrace-built-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['--enable-source-maps', join(serverOut, 'node.js')], {
      cwd: workDir,
      env: {
        ...inherited,
        PORT: String(port),
        DATA_DIR: join(workDir, 'data'),
        DEMO_DATA: 'off',
        LEDGER_PRIVATE_JWK: JSON.stringify(ledgerJwk),
        JWT_PUBLIC_JWKS: JSON.stringify({ keys: [authKey.publicJwk] }),
        JWT_ISSUER: issuer,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output = `${output}${chunk.toString()}`.slice(-20_000);
    };
    server.stdout?.on('data', keep);
    server.stderr?.on('data', keep);
    const child = server;
    exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    let exited = false;
    void exit.then(() => {
      exited = true;
    });

    const deadline = Date.now() + readyWithinMs;
    for (;;) {
      if (exited) throw new Error(`the built server exited before it served:\n${output}`);
      if (Date.now() > deadline) {
        throw new Error(`the built server not ready within ${readyWithinMs / 1000} s:\n${output}`);
      }
      try {
        const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) });
        if (res.status === 200) break;
        await res.body?.cancel();
      } catch {
        // Not listening yet.
      }
      await sleep(250);
    }
  }, readyWithinMs + 60_000);

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      const stopped = await Promise.race([exit?.then(() => true), sleep(15_000).then(() => false)]);
      if (!stopped) server.kill('SIGKILL');
    }
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('answers GET /health 200 from the embedded database it migrated, and serves the web apps', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', postgis: expect.stringMatching(/^\d+\.\d+/) });
    const page = await fetch(`${base}/app/checkpoint/`);
    expect(page.status, output).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="app.js">');
    expect(output).toContain(`PGlite in ${join(workDir, 'data')}`);
  });

  it('listens on the loopback address only, and keeps its data folder to its own user (0700)', async () => {
    expect(output).toContain(`listening on http://127.0.0.1:${new URL(base).port}`);
    // Any address of this machine that is not loopback must not answer.
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (outside) {
      await expect(
        fetch(`http://${outside.address}:${new URL(base).port}/health`, {
          signal: AbortSignal.timeout(5_000),
        }),
      ).rejects.toThrow();
    }
    for (const dir of ['data', 'data/pgdata', 'data/keys'].map((d) => join(workDir, d))) {
      if (existsSync(dir)) expect((statSync(dir).mode & 0o777).toString(8), dir).toBe('700');
    }
    expect(existsSync(join(workDir, 'data', 'pgdata'))).toBe(true);
  });

  it('signs with LEDGER_PRIVATE_JWK and admits tokens of the JWT_PUBLIC_JWKS set only', async () => {
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: object[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kid: ledgerKid })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const zones = (token: string) =>
      fetch(`${base}/v1/zones`, { headers: { authorization: `Bearer ${token}` } });
    expect((await zones(await mintToken(authKey, { issuer, audience }, { role: 'admin' }))).status).toBe(200);
    const stranger = await signingKeyFromJwk(await generateJwk('stranger'));
    expect((await zones(await mintToken(stranger, { issuer, audience }, { role: 'admin' }))).status).toBe(
      401,
    );
    // No local identity provider: the server made no key of its own and printed no tokens.
    expect(output).not.toContain('Tokens (12 h');
  });

  it('stops on SIGTERM with exit status 0', async () => {
    server?.kill('SIGTERM');
    expect(await Promise.race([exit, sleep(15_000).then(() => 'still running')])).toBe(0);
  });

  it('the built CLIs run with plain node too: dist/server/cli/token.js mints a token with the key in DATA_DIR', async () => {
    const { stdout } = await run(process.execPath, [join(serverOut, 'cli', 'token.js'), '--role', 'admin'], {
      cwd: workDir,
      env: { ...inherited, DATA_DIR: join(workDir, 'data') },
    });
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });

  it('refuses a bad environment at start with exit status 2, one line per wrong variable', async () => {
    const refused = await run(process.execPath, [join(serverOut, 'node.js')], {
      cwd: workDir,
      env: {
        ...inherited,
        DATA_DIR: join(workDir, 'never'),
        PORT: '70000',
        JWT_PUBLIC_JWKS: '{"keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "c"}]}',
        LEDGER_PRIVATE_JWK: 'not json',
      },
    }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused?.code).toBe(2);
    expect(refused?.stderr).toMatch(/^invalid configuration:\n/);
    expect(refused?.stderr).toMatch(/^ {2}PORT: .*$/m);
    expect(refused?.stderr).toMatch(/^ {2}JWT_PUBLIC_JWKS: keys\[0\] is a private key/m);
    expect(refused?.stderr).toMatch(/^ {2}LEDGER_PRIVATE_JWK: is not valid JSON$/m);
  });
});
