import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratedDataDir } from '../helpers/data-dir.js';
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
 * SIGTERM under load, on the real server (the built dist/server/node.js): writers register lots
 * as fast as they are answered; one more registration is in flight, its body half sent, when the
 * signal comes. The server must answer it, exit 0 after signing its last head, and on restart
 * hold every write it acknowledged, with a ledger that verifies and nothing left unsequenced.
 * On the embedded PGlite by default; on PostgreSQL when the suite runs there.
 */

const database: Record<string, string> = process.env.DATABASE_URL
  ? {
      DATABASE_URL: process.env.DATABASE_URL,
      ...(process.env.MIGRATION_DATABASE_URL
        ? { MIGRATION_DATABASE_URL: process.env.MIGRATION_DATABASE_URL }
        : {}),
    }
  : {};

describe('graceful shutdown of the running server', () => {
  let workDir = '';
  let dataDir = '';
  let server: RunningServer | undefined;

  beforeAll(async () => {
    await builtServer();
    workDir = mkdtempSync(join(tmpdir(), 'orotrace-shutdown-'));
    dataDir = join(workDir, 'data');
    // On PostgreSQL the server shares the suite's database: it starts from an empty one.
    if (database.DATABASE_URL) await resetDb();
  }, readyWithinMs);

  afterAll(async () => {
    await server?.stop();
    if (database.DATABASE_URL) await resetDb();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it(
    'on SIGTERM under load answers the request in flight, exits 0 with its last head signed, and after a restart holds every acknowledged write in a ledger that verifies',
    async () => {
      const env = { ...database, SHUTDOWN_TIMEOUT_SECONDS: '20', RATE_LIMITS: 'off' };
      // On PGlite not a first start (test/build/built-server.test.ts is): the database is made already.
      server = await startServer(database.DATABASE_URL ? dataDir : await migratedDataDir(dataDir), env);
      const { base } = server;
      const admin = await localToken(dataDir, { role: 'admin' });
      const supplier = await goldSupplier(base, admin);
      const exporter = await localToken(dataDir, { role: 'exporter', actor: supplier.miner });
      const writers = lotWriters(base, exporter, supplier.lotBody, 6);
      const loadDeadline = Date.now() + 120_000;
      while (writers.acknowledged.length < 30 && writers.failures.length === 0 && Date.now() < loadDeadline) {
        await sleep(100);
      }
      expect(writers.failures, server.output()).toEqual([]);
      expect(writers.acknowledged.length).toBeGreaterThanOrEqual(30);

      // A registration whose body is half sent when the signal comes: it is in flight.
      const text = JSON.stringify(supplier.lotBody());
      let sendRest: () => void = () => {};
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(text.slice(0, 40)));
          sendRest = () => {
            controller.enqueue(new TextEncoder().encode(text.slice(40)));
            controller.close();
          };
        },
      });
      const inFlight = fetch(`${base}/v1/lots`, {
        method: 'POST',
        headers: { authorization: `Bearer ${exporter}`, 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
      await sleep(300);
      server.child.kill('SIGTERM');
      await sleep(1_000);
      sendRest();
      const answered = await inFlight;
      const lot = (await answered.json()) as { id: string };
      expect(answered.status, JSON.stringify(lot)).toBe(201);

      await writers.stop();
      const acknowledged = [...writers.acknowledged, lot.id];
      // The writers stopped at their first refusal: a refused connection, a 503 with Retry-After
      // on a connection kept alive, or a kept-alive connection closed while idle, just as the
      // writer sent its next request on it (ECONNRESET, UND_ERR_SOCKET: the race every HTTP
      // keep-alive client must retry, RFC 9112 §9.6). The server never read such a request, so
      // none is an acknowledgement lost; what proves the requests in flight were answered is the
      // half-sent one above, and the log's line that none was cut.
      for (const failure of writers.failures) {
        expect(failure, writers.failures.join('\n')).toMatch(
          /^(ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|503 5 .*\/problems\/unavailable.*)$/s,
        );
      }
      expect(await server.exit).toBe(0);
      const log = server.output();
      expect(log).not.toContain('still running after');
      const steps = [
        /shutdown: SIGTERM received; refusing new connections, \d+ request\(s\) in flight given 20 s to finish/,
        /shutdown: every request in flight was answered; the listener is closed/,
        /shutdown: stopping the background jobs/,
        /shutdown: letting the ledger sequencer finish its batch and sign the last head/,
        /shutdown: ledger: last signed head \d+ leaves, root [0-9a-f]{64}/,
        /shutdown: closing the database/,
        /shutdown: database closed/,
        /shutdown: done/,
      ];
      let at = 0;
      for (const step of steps) {
        const found = log.slice(at).search(step);
        expect(found, `${step} in order in:\n${log}`).toBeGreaterThanOrEqual(0);
        at += found;
      }

      // Sequenced to the last event before the database closed, and intact.
      const verified = await runCli('verify', ['--json'], { ...database, DATA_DIR: dataDir });
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      const report = JSON.parse(verified.stdout) as {
        ok: boolean;
        unsequencedEvents: number;
        latestHead: { treeSize: number } | null;
      };
      expect(report.ok).toBe(true);
      expect(report.unsequencedEvents).toBe(0);
      // One event per lot, and the actor and the concession.
      expect(report.latestHead?.treeSize).toBeGreaterThanOrEqual(acknowledged.length + 2);

      server = await startServer(dataDir, env);
      const restarted = server;
      const missing: string[] = [];
      for (let i = 0; i < acknowledged.length; i += 10) {
        await Promise.all(
          acknowledged.slice(i, i + 10).map(async (id) => {
            const res = await fetch(`${restarted.base}/v1/lots/${id}`, {
              headers: { authorization: `Bearer ${admin}` },
            });
            await res.body?.cancel();
            if (res.status !== 200) missing.push(`${id}: ${res.status}`);
          }),
        );
      }
      expect(missing).toEqual([]);
      expect(await server.stop()).toBe(0);
    },
    3 * readyWithinMs,
  );
});
