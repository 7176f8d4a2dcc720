import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { migratedDataDir } from '../helpers/data-dir.js';

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

// The CLI runs on an embedded database of its own: never on the suite's (DATABASE_URL dropped),
// and without Vite's BASE_URL ('/').
const {
  BASE_URL: _viteBase,
  DATABASE_URL: _db,
  MIGRATION_DATABASE_URL: _migration,
  LEDGER_PRIVATE_JWK: _key,
  ...env
} = process.env;

const screenDue = (dataDir: string, ...args: string[]) =>
  run(tsx, ['src/cli/screen-due.ts', ...args], { env: { ...env, DATA_DIR: dataDir }, timeout: 120_000 });

// Its own embedded database on either leg of CI, so the PGlite leg alone runs it.
describe.skipIf(!!process.env.DATABASE_URL)('npm run screen:due', () => {
  it('judges what fell due on the embedded database, with the ledger key of DATA_DIR, and says so', async () => {
    const dataDir = await migratedDataDir(mkdtempSync(join(tmpdir(), 'orotrace-due-')));
    const { stdout } = await screenDue(dataDir, '--json');
    expect(JSON.parse(stdout)).toMatchObject({ judgedFrom: null, movementsJudged: 0, flagsRaised: 0 });
  }, 120_000);

  it('prints its usage with --help, and refuses an unknown option with exit code 2', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'orotrace-due-'));
    expect((await screenDue(dataDir, '--help')).stdout).toMatch(/usage: npm run screen:due/);
    await expect(screenDue(dataDir, '--since', 'yesterday')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--since/),
    });
  });
});
