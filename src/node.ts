import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from './app.js';
import { loadNodeConfig } from './config.node.js';
import { autoAnalyzer } from './db/auto-analyze.js';
import { findDemo, loadDemo } from './demo/madre-de-dios.js';
import { latestHead } from './domain/ledger/store.js';
import { screenDue } from './domain/screening/due.js';
import { webAssets } from './http/assets.node.js';
import { pinoLog } from './http/logging.node.js';
import { createMetrics } from './http/metrics.node.js';
import { clientAddressOf, memoryRateLimiter, type RateLimiting } from './http/rate-limit.js';
import { gracefulShutdown } from './http/shutdown.node.js';
import { mintToken } from './keys/tokens.js';
import { serveBackups } from './ops/backup-socket.node.js';
import { startNodeRuntime } from './services.node.js';

/** Node entry: embedded PGlite by default, PostgreSQL when DATABASE_URL is set. */
const config = loadNodeConfig();
const runtime = await startNodeRuntime(config);
const { db } = runtime.services;

let demo = await findDemo(db);
const wantDemo =
  config.DEMO_DATA === 'on' || (config.DEMO_DATA === 'auto' && runtime.database.kind === 'pglite');
if (!demo && wantDemo) {
  const loaded = await loadDemo(db, undefined, {
    ledgerKey: runtime.services.ledgerKey,
    baseUrl: runtime.services.baseUrl,
  });
  demo = loaded;
  console.log(
    `Loaded the Madre de Dios demo data set (real protected areas, invented actors and concessions; see src/demo/README.md): ${loaded.cases.length} lots and movements, flagged where the screening rules say so.`,
  );
}

// Catch the log up with whatever was written while the server was down (the demo, an import
// from the CLI): in the background, as after any write.
if (typeof runtime.services.sequencing === 'object') runtime.services.sequencing.schedule();

// PGlite runs no autovacuum, so nothing refreshes the planner's statistics as tables grow, and
// plans made for empty tables stay (a sequencer run was ~3× slower on stale statistics, see
// bench/ledger.ts; registrations under load ten times slower, bench/http.ts). The embedded server
// analyzes at start and then as autovacuum would, when the tables grew by its rule
// (db/auto-analyze.ts), checked every ten seconds; PostgreSQL does it on its own.
// The server's own lines (statistics, due screening, backups, shutdown) go through the request
// log's logger: one stream of JSON lines for the log store, in the order they happened.
const log = pinoLog({ level: config.LOG_LEVEL });
const failed = (err: unknown) => ({ err: err instanceof Error ? err : new Error(String(err)) });

let analyzer: ReturnType<typeof setInterval> | undefined;
if (runtime.database.kind === 'pglite') {
  const auto = autoAnalyzer(db, (err) => log.error(failed(err), 'ANALYZE failed'));
  void auto.run();
  analyzer = setInterval(() => void auto.run(), 10_000);
  analyzer.unref();
}

// Screening that falls due with time (diversion once a movement's lag has passed), every
// SCREEN_DUE_INTERVAL_SECONDS (0: off). One run at a time: a slow run is not overtaken by the next.
let dueScreener: ReturnType<typeof setInterval> | undefined;
let dueRun: Promise<void> | undefined;
if (config.SCREEN_DUE_INTERVAL_SECONDS > 0) {
  const runDue = () => {
    dueRun ??= screenDue(db)
      .then((r) => {
        if (r.flagsRaised > 0 || r.movementsJudged > 0) {
          log.info(
            { movementsJudged: r.movementsJudged, flagsRaised: r.flagsRaised },
            `due screening: ${r.movementsJudged} movements judged, ${r.flagsRaised} flags raised`,
          );
          if (typeof runtime.services.sequencing === 'object') runtime.services.sequencing.schedule();
        }
      })
      .catch((err: unknown) => log.error(failed(err), 'due screening failed'))
      .finally(() => {
        dueRun = undefined;
      });
  };
  runDue();
  dueScreener = setInterval(runDue, config.SCREEN_DUE_INTERVAL_SECONDS * 1000);
  dueScreener.unref();
}

const rateLimiting: RateLimiting | undefined =
  config.RATE_LIMITS === 'off'
    ? undefined
    : {
        policies: config.RATE_LIMITS,
        limiter: memoryRateLimiter(config.RATE_LIMITS),
        clientAddress: clientAddressOf(config.TRUST_PROXY, (c) => getConnInfo(c).remote.address),
      };
const app = createApp({
  services: () => runtime.services,
  webAssets: webAssets(),
  rateLimits: () => rateLimiting,
  log,
  metrics: createMetrics({
    database: runtime.database.kind,
    ruleSampleRate: config.SCREENING_RULE_SAMPLE_RATE,
  }),
  maxLedgerLagSeconds: config.READY_MAX_LEDGER_LAG_SECONDS,
});

// Backups of the embedded database are taken by this process, asked over a socket in DATA_DIR
// (ops/backup-socket.node.ts): PGlite cannot be opened or copied from outside while it runs.
const backups =
  runtime.database.kind === 'pglite'
    ? serveBackups(config.DATA_DIR, runtime.database, (line) => log.info({}, line))
    : undefined;

// SIGTERM/SIGINT: stop taking requests, let those in flight finish (SHUTDOWN_TIMEOUT_SECONDS),
// then the background jobs, the ledger's last batch and the database, in that order
// (http/shutdown.node.ts). The timers are stopped first so that no new run starts meanwhile.
const shutdown = gracefulShutdown({
  log: (line) => log.info({}, line),
  timeoutMs: config.SHUTDOWN_TIMEOUT_SECONDS * 1000,
  steps: () => [
    {
      name: 'stopping the background jobs (statistics, due screening, backup socket)',
      run: async () => {
        clearInterval(analyzer);
        clearInterval(dueScreener);
        // A due run in flight finishes (its transaction commits or rolls back) first.
        await dueRun;
        await backups?.close();
        return undefined;
      },
    },
    {
      name: 'letting the ledger sequencer finish its batch and sign the last head',
      run: async () => {
        // Once more, for writes whose run was still queued: every acknowledged event is sequenced.
        runtime.sequencer.schedule();
        await runtime.sequencer.idle();
        // Only reported: a database that fails here must still be closed by the next step.
        const head = await latestHead(db).catch((err: unknown) => err as Error);
        if (head instanceof Error) return `ledger: the last head could not be read: ${head.message}`;
        return head
          ? `ledger: last signed head ${head.treeSize} leaves, root ${head.rootHash}`
          : 'ledger: no signed head yet';
      },
    },
    {
      name: `closing the database (${runtime.database.kind === 'pglite' ? 'PGlite, so its data folder is left consistent' : 'PostgreSQL connections'})`,
      run: async () => {
        await runtime.close();
        return 'database closed';
      },
    },
  ],
});

// New requests are answered 503 once a shutdown has begun.
const answer = shutdown.fetch(app.fetch);
const server = serve({ fetch: answer, port: config.PORT, hostname: config.HOST }, async (info) => {
  const where =
    runtime.database.kind === 'pglite' ? `PGlite in ${config.DATA_DIR}` : 'PostgreSQL (DATABASE_URL)';
  console.log(`orotrace listening on http://${info.address}:${info.port} — database: ${where}`);
  console.log(`  Web apps:  ${config.BASE_URL}/app/ (checkpoint, exporter, regulator)`);
  console.log(`  API docs:  ${config.BASE_URL}/docs   (OpenAPI: ${config.BASE_URL}/openapi.json)`);
  if (runtime.authKey) {
    const opts = { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE };
    const tokens = {
      admin: await mintToken(runtime.authKey, opts, { role: 'admin' }),
      regulator: await mintToken(runtime.authKey, opts, { role: 'regulator' }),
      ...(demo
        ? {
            exporter: await mintToken(runtime.authKey, opts, {
              role: 'exporter',
              actor: demo.exporterActorId,
            }),
            checkpoint: await mintToken(runtime.authKey, opts, {
              role: 'checkpoint',
              checkpoint: demo.mazukoCheckpointId,
            }),
          }
        : {}),
    };
    console.log('  Tokens (12 h; more with `npm run token -- --role R [--actor ID] [--checkpoint ID]`):');
    for (const [role, token] of Object.entries(tokens)) console.log(`    ${role.padEnd(10)} ${token}`);
    // The token rides in the fragment, which browsers never send to a server.
    const apps = { checkpoint: tokens.checkpoint, exporter: tokens.exporter, regulator: tokens.regulator };
    console.log('  Web apps, signed in (open on this machine; the token is in the link):');
    for (const [name, token] of Object.entries(apps)) {
      if (token) console.log(`    ${name.padEnd(10)} ${config.BASE_URL}/app/${name}/#token=${token}`);
    }
    console.log(`  Try: curl -H "Authorization: Bearer <token>" ${config.BASE_URL}/v1/zones`);
  }
});

shutdown.watch(server as Server);
process.on('SIGINT', () => shutdown.onSignal('SIGINT'));
process.on('SIGTERM', () => shutdown.onSignal('SIGTERM'));
