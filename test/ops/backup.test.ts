import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratedDataDir } from '../helpers/data-dir.js';
import {
  builtServer,
  goldSupplier,
  localToken,
  lotWriters,
  type RunningServer,
  readyWithinMs,
  runCli,
  sleep,
  startServer,
} from './server.js';

/**
 * The backup drill on the embedded database: `npm run backup` (the built CLI) asks the running
 * server for a copy while writers register lots, the server keeps answering, and the copy,
 * restored by `npm run restore` into a fresh folder, opens, holds every event up to the head
 * the manifest names and verifies with the keys the backup brought. PostgreSQL is backed up
 * with pg_dump: test/ops/pg-backup.test.ts.
 */

interface Manifest {
  head: { treeSize: number; rootHash: string } | null;
  events: number;
  keys: string[];
  pgdata: { bytes: number; sha256: string };
}

describe.skipIf(!!process.env.DATABASE_URL)('backups of the embedded database', () => {
  let workDir = '';
  let dataDir = '';
  let server: RunningServer | undefined;

  beforeAll(async () => {
    await builtServer();
    workDir = mkdtempSync(join(tmpdir(), 'orotrace-backup-'));
    dataDir = join(workDir, 'data');
  }, readyWithinMs);

  afterAll(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('--offline refuses a folder that holds no database, rather than back up a new, empty one', async () => {
    const nowhere = join(workDir, 'no-database-here');
    const res = await runCli('backup', ['--offline', '--out', join(workDir, 'never')], { DATA_DIR: nowhere });
    expect(res.code, res.stdout + res.stderr).toBe(2);
    expect(res.stderr).toContain('holds no database');
    expect(existsSync(join(nowhere, 'pgdata'))).toBe(false);
  });

  it(
    'a backup taken under load restores into a fresh folder that holds every event up to its signed head and verifies',
    async () => {
      const backup = join(workDir, 'backup');
      const restored = join(workDir, 'restored');
      // Without a server there is nothing to ask: the CLI says so and writes nothing.
      const unreachable = await runCli('backup', ['--out', backup], { DATA_DIR: dataDir });
      expect(unreachable.code).toBe(2);
      expect(unreachable.stderr).toContain('no server answers');
      expect(existsSync(backup)).toBe(false);

      // Not a first start (test/build/built-server.test.ts is): the database is made already.
      server = await startServer(await migratedDataDir(dataDir), { RATE_LIMITS: 'off' });
      const { base } = server;
      const admin = await localToken(dataDir, { role: 'admin' });
      const supplier = await goldSupplier(base, admin);
      const exporter = await localToken(dataDir, { role: 'exporter', actor: supplier.miner });
      const writers = lotWriters(base, exporter, supplier.lotBody, 4);
      while (writers.acknowledged.length < 20 && writers.failures.length === 0) await sleep(100);

      const taken = await runCli('backup', ['--out', backup], { DATA_DIR: dataDir });
      expect(taken.code, taken.stderr).toBe(0);
      expect(taken.stdout).toContain('holds the private keys (ledger, auth)');
      // The server kept answering while the copy was taken, and after.
      const during = writers.acknowledged.length;
      while (writers.acknowledged.length < during + 10 && writers.failures.length === 0) await sleep(100);
      await writers.stop();
      expect(writers.failures, server.output()).toEqual([]);
      expect(server.output()).toMatch(/backups: copy taken in \d+ ms/);

      const manifest = JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8')) as Manifest;
      expect(manifest.head?.treeSize).toBeGreaterThan(0);
      expect(manifest.events).toBeGreaterThanOrEqual(manifest.head?.treeSize ?? 0);
      expect(manifest.keys).toEqual(['ledger', 'auth']);
      // Kept as secrets are: the folder and every file its owner's only.
      expect((statSync(backup).mode & 0o777).toString(8)).toBe('700');
      for (const file of ['manifest.json', 'pgdata.tar.gz', 'keys/ledger.private.jwk.json']) {
        expect((statSync(join(backup, file)).mode & 0o777).toString(8), file).toBe('600');
      }
      expect(readFileSync(join(backup, 'keys', 'ledger.private.jwk.json'))).toEqual(
        readFileSync(join(dataDir, 'keys', 'ledger.private.jwk.json')),
      );
      // Never over a running server, --force or not.
      const running = await runCli('restore', [backup, '--force'], { DATA_DIR: dataDir });
      expect(running.code).toBe(2);
      expect(running.stderr).toContain('a server is running');
      expect(await server.stop()).toBe(0);

      // A non-empty folder is refused, and left as it was.
      mkdirSync(restored);
      writeFileSync(join(restored, 'keep.txt'), 'mine');
      const refused = await runCli('restore', [backup], { DATA_DIR: restored });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('is not empty');
      expect(readdirSync(restored)).toEqual(['keep.txt']);
      rmSync(restored, { recursive: true });

      // A damaged tarball is refused before anything is written.
      const damaged = join(workDir, 'damaged');
      mkdirSync(damaged);
      for (const f of ['manifest.json', 'pgdata.tar.gz'])
        writeFileSync(join(damaged, f), readFileSync(join(backup, f)));
      const bytes = readFileSync(join(damaged, 'pgdata.tar.gz'));
      const middle = bytes.length >> 1;
      bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
      writeFileSync(join(damaged, 'pgdata.tar.gz'), bytes);
      const broken = await runCli('restore', [damaged], { DATA_DIR: restored });
      expect(broken.code).toBe(2);
      expect(broken.stderr).toContain("does not match the manifest's SHA-256");
      expect(existsSync(restored)).toBe(false);

      const done = await runCli('restore', [backup], { DATA_DIR: restored });
      expect(done.code, done.stdout + done.stderr).toBe(0);
      expect(done.stdout).toContain('keys restored: ledger, auth');

      // The restored folder verifies with the ledger key the backup brought back.
      const verified = await runCli('verify', ['--json'], { DATA_DIR: restored });
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      const report = JSON.parse(verified.stdout) as {
        ok: boolean;
        leavesChecked: number;
        unsequencedEvents: number;
        latestHead: { treeSize: number; rootHash: string } | null;
        state: { ok: boolean; lotsChecked: number };
      };
      expect(report.ok).toBe(true);
      expect(report.state.ok).toBe(true);
      expect(report.latestHead?.treeSize).toBeGreaterThanOrEqual(manifest.head?.treeSize ?? 1);
      expect(report.leavesChecked + report.unsequencedEvents).toBeGreaterThanOrEqual(manifest.events);
      // A copy of a moment: the writes acknowledged after it are not in it.
      expect(report.state.lotsChecked).toBeLessThan(writers.acknowledged.length);

      // A damaged backup given with --force over a folder in use leaves that folder as it was:
      // the backup is restored and checked beside it first.
      const kept = readdirSync(restored).sort();
      const damagedOver = await runCli('restore', [damaged, '--force'], { DATA_DIR: restored });
      expect(damagedOver.code, damagedOver.stderr).toBe(2);
      expect(readdirSync(restored).sort()).toEqual(kept);
      expect(readdirSync(workDir).filter((d) => d.startsWith('restored.'))).toEqual([]);

      // --force over a folder in use moves it aside whole, and deletes nothing.
      const again = await runCli('restore', [backup, '--force'], { DATA_DIR: restored });
      expect(again.code, again.stdout + again.stderr).toBe(0);
      const aside = readdirSync(workDir).find((d) => d.startsWith('restored.before-restore-'));
      expect(aside, again.stdout).toBeDefined();
      expect(readdirSync(join(workDir, aside ?? '')).sort()).toEqual(['keys', 'pgdata', 'verify-head.json']);
      expect(readdirSync(restored).sort()).toEqual(['keys', 'pgdata']);
    },
    4 * readyWithinMs,
  );
});
