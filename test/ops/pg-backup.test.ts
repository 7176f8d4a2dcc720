import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDb } from '../helpers/db.js';
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
 * The PostgreSQL backup drill, as README "Operations" documents it: pg_dump -Fc as the owner
 * role while the server registers lots, pg_restore --no-owner --role=<owner> into a new
 * database, and `npm run verify` there with the ledger key of the server. Runs when the suite
 * runs on PostgreSQL (DATABASE_URL, MIGRATION_DATABASE_URL and TEST_ADMIN_DATABASE_URL, as CI
 * sets them) and pg_dump is installed (on PATH or in Debian's /usr/lib/postgresql/<n>/bin).
 */

const run = promisify(execFile);

function pgTool(name: string): string | undefined {
  for (const dir of [
    ...(process.env.PATH ?? '').split(':'),
    '/usr/lib/postgresql/17/bin',
    '/usr/lib/postgresql/16/bin',
    '/usr/lib/postgresql/15/bin',
  ]) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

const url = process.env.DATABASE_URL;
const ownerUrl = process.env.MIGRATION_DATABASE_URL;
const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
const pgDump = pgTool('pg_dump');
const pgRestore = pgTool('pg_restore');
const missing = !url
  ? 'the suite runs on PGlite (no DATABASE_URL)'
  : !ownerUrl || !adminUrl
    ? 'MIGRATION_DATABASE_URL and TEST_ADMIN_DATABASE_URL are needed (an owner role and a superuser)'
    : !pgDump || !pgRestore
      ? 'pg_dump and pg_restore are not installed (apt-get install postgresql-client-15)'
      : undefined;
if (missing && url) console.warn(`PostgreSQL backup drill skipped: ${missing}`);

/** The same URL with another database name. */
const withDatabase = (u: string, name: string) => {
  const parsed = new URL(u);
  parsed.pathname = `/${name}`;
  return parsed.toString();
};

describe.skipIf(missing !== undefined)('backups of PostgreSQL with pg_dump and pg_restore', () => {
  let workDir = '';
  let server: RunningServer | undefined;
  const restoredName = `${new URL(url ?? 'postgres://x/x').pathname.slice(1)}_restored`;
  let admin: postgres.Sql | undefined;

  beforeAll(async () => {
    await builtServer();
    workDir = mkdtempSync(join(tmpdir(), 'orotrace-pgbackup-'));
    await resetDb();
    admin = postgres(adminUrl ?? '', { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`);
  }, readyWithinMs);

  afterAll(async () => {
    await server?.stop();
    await resetDb();
    await admin?.unsafe(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`);
    await admin?.end();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it(
    'a pg_dump taken under load restores into a new database whose ledger verifies',
    async () => {
      const dataDir = join(workDir, 'data');
      const database = { DATABASE_URL: url ?? '', MIGRATION_DATABASE_URL: ownerUrl ?? '' };
      server = await startServer(dataDir, { ...database, RATE_LIMITS: 'off' });
      const adminToken = await localToken(dataDir, { role: 'admin' });
      const supplier = await goldSupplier(server.base, adminToken);
      const exporter = await localToken(dataDir, { role: 'exporter', actor: supplier.miner });
      const writers = lotWriters(server.base, exporter, supplier.lotBody, 4);
      while (writers.acknowledged.length < 20 && writers.failures.length === 0) await sleep(100);

      const dump = join(workDir, 'orotrace.dump');
      // Less the test suite's own copy of the tables (test/helpers/db.ts, a superuser's schema).
      await run(pgDump ?? 'pg_dump', [
        '-Fc',
        '--exclude-schema=test_snapshot',
        '-d',
        ownerUrl ?? '',
        '-f',
        dump,
      ]);
      const during = writers.acknowledged.length;
      while (writers.acknowledged.length < during + 10 && writers.failures.length === 0) await sleep(100);
      await writers.stop();
      expect(writers.failures, server.output()).toEqual([]);
      expect(await server.stop()).toBe(0);

      const owner = decodeURIComponent(new URL(ownerUrl ?? '').username);
      await admin?.unsafe(`CREATE DATABASE ${restoredName} OWNER ${owner}`);
      const inRestored = postgres(withDatabase(adminUrl ?? '', restoredName), { max: 1, onnotice: () => {} });
      await inRestored.unsafe('CREATE EXTENSION postgis');
      // The trigram index of the lot-code search (migration 0022) needs pg_trgm before it is restored.
      await inRestored.unsafe('CREATE EXTENSION pg_trgm');
      await inRestored.end();
      // PostGIS was created above by a superuser, with its table of reference systems; the owner
      // role may not create it, comment on it nor write that table, so those entries are left out
      // of the list restored (README "Operations").
      const { stdout: toc } = await run(pgRestore ?? 'pg_restore', ['-l', dump]);
      const list = join(workDir, 'orotrace.toc');
      writeFileSync(
        list,
        toc
          .split('\n')
          .filter((line) => !/ EXTENSION | TABLE DATA public spatial_ref_sys /.test(line))
          .join('\n'),
      );
      const restored = await run(pgRestore ?? 'pg_restore', [
        '--no-owner',
        '-L',
        list,
        `--role=${owner}`,
        '--exit-on-error',
        '-d',
        withDatabase(ownerUrl ?? '', restoredName),
        dump,
      ]).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(restored.code, restored.stderr).toBe(0);

      // The application's role reads the restored database (the grants came back with it), and
      // the ledger verifies with the server's key.
      const verified = await runCli('verify', ['--json'], {
        DATABASE_URL: withDatabase(url ?? '', restoredName),
        DATA_DIR: dataDir,
      });
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      const report = JSON.parse(verified.stdout) as {
        ok: boolean;
        latestHead: { treeSize: number } | null;
        state: { ok: boolean; lotsChecked: number };
      };
      expect(report.ok).toBe(true);
      expect(report.state.ok).toBe(true);
      // Every lot acknowledged before the dump began is in it.
      expect(report.state.lotsChecked).toBeGreaterThanOrEqual(20);
      // A copy of a moment: the writes acknowledged after it are not in it.
      expect(report.state.lotsChecked).toBeLessThan(writers.acknowledged.length);
    },
    3 * readyWithinMs,
  );
});
