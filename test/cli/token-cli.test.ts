import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

// vitest puts Vite's BASE_URL ('/') into process.env; the CLI must not inherit it.
const { BASE_URL: _viteBase, ...env } = process.env;

async function token(dataDir: string, ...args: string[]) {
  return run(tsx, ['src/cli/token.ts', ...args], { env: { ...env, DATA_DIR: dataDir } });
}

describe('npm run token', () => {
  it('prints the bare token alone on stdout, signed by the local key it generates on first use', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'orotrace-token-'));
    const actor = '01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f';
    const { stdout } = await token(dataDir, '--role', 'exporter', '--actor', actor, '--ttl', '30m');
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);

    const keyFile = join(dataDir, 'keys', 'auth.private.jwk.json');
    expect(statSync(keyFile).mode & 0o077).toBe(0); // readable by its owner only
    const { d: _d, ...publicJwk } = JSON.parse(readFileSync(keyFile, 'utf8'));
    const { payload } = await jwtVerify(stdout.trim(), createLocalJWKSet({ keys: [publicJwk] }), {
      issuer: 'orotrace-local',
      audience: 'orotrace',
    });
    expect(payload).toMatchObject({ role: 'exporter', actor });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(30 * 60);

    // A second token reuses the same key.
    const again = await token(dataDir, '--role', 'admin');
    await expect(
      jwtVerify(again.stdout.trim(), createLocalJWKSet({ keys: [publicJwk] })),
    ).resolves.toBeTruthy();
  });

  it('refuses an exporter without an actor and an unknown role, with exit code 2', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'orotrace-token-'));
    await expect(token(dataDir, '--role', 'exporter')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/actor/),
    });
    await expect(token(dataDir, '--role', 'king')).rejects.toMatchObject({ code: 2 });
  });
});
