import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { RateLimitClass } from './config.js';
import { installWriteKey } from './domain/ledger/write-signature.js';
import { ApiError } from './domain/shared/errors.js';
import type { AppEnv, Services } from './http/env.js';
import { limitRequestBody } from './http/limits.js';
import { type Log, requestLogging } from './http/logging.js';
import { type AppMetrics, measureRequests } from './http/metrics.js';
import { fromDatabaseError, problemResponse } from './http/problem.js';
import { type RateLimiting, rateLimit } from './http/rate-limit.js';
import { createRouter } from './http/router.js';
import { securityHeaders } from './http/security-headers.js';
import { sequenceAfterWrites } from './http/sequencer.js';
import { registerActorBalanceRoutes } from './routes/actors/balance.js';
import { registerMinerCategoryRoutes } from './routes/actors/categories.js';
import { registerActorRoutes } from './routes/actors/index.js';
import { registerCheckpointRoutes } from './routes/checkpoints/index.js';
import { registerWatchlistRoutes } from './routes/checkpoints/watchlist.js';
import { registerConcessionBalanceRoutes } from './routes/concessions/balance.js';
import { registerConcessionGeometryRoutes } from './routes/concessions/geometries.js';
import { registerConcessionRoutes } from './routes/concessions/index.js';
import { registerDetectionRoutes } from './routes/detections/index.js';
import { registerDocsRoutes } from './routes/docs/index.js';
import { registerEpcisCaptureRoutes } from './routes/epcis/capture.js';
import { registerEpcisRoutes } from './routes/epcis/index.js';
import { registerFlagRoutes } from './routes/flags/index.js';
import { registerHealthRoutes } from './routes/health/index.js';
import { registerInspectionRoutes } from './routes/inspections/index.js';
import { registerLedgerIncidentRoutes } from './routes/ledger/incidents.js';
import { registerLedgerRoutes } from './routes/ledger/index.js';
import { registerLedgerVerifyRoutes } from './routes/ledger/verify.js';
import { registerLotRoutes } from './routes/lots/index.js';
import { registerProvenanceRoutes } from './routes/lots/provenance.js';
import { registerMetricsRoutes } from './routes/metrics/index.js';
import { registerMovementRoutes } from './routes/movements/index.js';
import { registerOverlapRoutes } from './routes/overlaps/index.js';
import { registerReportRoutes } from './routes/reports/index.js';
import { registerScanRoutes } from './routes/scans/index.js';
import { registerSyncRoutes } from './routes/sync/index.js';
import { registerVerifyRoutes } from './routes/v/index.js';
import { registerWellKnownRoutes } from './routes/well-known/index.js';
import { registerZoneRoutes } from './routes/zones/index.js';

export interface AppDeps {
  /** The services of a request: the same object on Node, built per request on Workers. */
  services: (c: Context<AppEnv>) => Services | Promise<Services>;
  /**
   * Where unexpected errors are reported; default: the log's error line (with the request's id),
   * or stderr without a log.
   */
  logError?: (err: unknown) => void;
  /** The request log (http/logging.ts): a line per request and the errors; unset: none (tests). */
  log?: Log;
  /** What /metrics serves (http/metrics.ts); unset: nothing is counted and /metrics answers 404. */
  metrics?: AppMetrics;
  /** GET /health/ready fails beyond this ledger lag (READY_MAX_LEDGER_LAG_SECONDS); default 60. */
  maxLedgerLagSeconds?: number | ((c: Context<AppEnv>) => Promise<number>);
  /**
   * The web apps' files under /app/ (Node: assets.node.ts). The Worker leaves it unset: Workers
   * static assets answer those paths before the Worker runs.
   */
  webAssets?: MiddlewareHandler;
  /**
   * Rate limiting (http/rate-limit.ts), asked per request; unset or undefined: nothing is
   * limited (RATE_LIMITS=off, and the test app unless a test turns it on).
   */
  rateLimits?: (c: Context<AppEnv>) => RateLimiting | undefined | Promise<RateLimiting | undefined>;
}

/** The one place where routes are mounted and errors are turned into problem+json. */
export function createApp(deps: AppDeps) {
  const app = createRouter();
  const { log, metrics } = deps;

  // First, so that every answer carries them: the apps' files, routes, problems, 404s; the
  // request's id is set before anything can answer a problem that quotes it.
  app.use('*', requestLogging(log));
  // How a route reports an error it answers for itself (a record of an offline batch), as
  // onError reports the rest: with the request's id.
  app.use('*', async (c, next) => {
    c.set('reportError', (err) => {
      if (deps.logError) deps.logError(err);
      else if (log) log.error({ requestId: c.var.requestId, err }, 'unexpected error');
      else console.error(err);
    });
    await next();
  });
  if (metrics) app.use('*', measureRequests(metrics));
  app.use('*', securityHeaders);

  if (deps.webAssets) {
    const assets = deps.webAssets;
    app.get('/', (c) => c.redirect('/app/', 302));
    app.use('/app', assets);
    app.use('/app/*', assets);
  }

  app.use('*', async (c, next) => {
    const services = await deps.services(c);
    // Events this process writes are signed with the ledger key it serves (write-signature.ts).
    installWriteKey(services.ledgerKey);
    c.set('services', services);
    await next();
  });
  const rateLimits = deps.rateLimits;
  if (rateLimits) {
    // Refusals are counted: the limits answer before the route, and a 429 alone names no class.
    app.use(
      '*',
      rateLimit(
        metrics
          ? async (c) => {
              const rl = await rateLimits(c);
              if (!rl) return rl;
              const onRefused = (cls: RateLimitClass) => {
                rl.onRefused?.(cls);
                metrics.rateLimited(cls);
              };
              return { ...rl, onRefused };
            }
          : rateLimits,
      ),
    );
  }
  // Before any route reads it: an oversize body is refused, never buffered.
  app.use('*', limitRequestBody);
  // Successful writes schedule the ledger's sequencer and answer without waiting for it.
  app.use('*', sequenceAfterWrites);

  app.onError((err, c) => {
    if (err instanceof ApiError) return problemResponse(c, err);
    const fromDb = fromDatabaseError(err);
    if (fromDb) {
      return problemResponse(c, fromDb, fromDb.code === 'unavailable' ? { 'retry-after': '5' } : {});
    }
    if (err instanceof HTTPException) {
      const code =
        err.status === 400
          ? 'validation'
          : err.status === 415
            ? 'unsupported_media_type'
            : err.status === 401
              ? 'unauthenticated'
              : undefined;
      if (code) return problemResponse(c, new ApiError(code, err.message || 'bad request'));
    }
    c.var.reportError(err);
    return problemResponse(c, new ApiError('internal', 'an unexpected error occurred; it has been logged'));
  });

  app.notFound((c) =>
    problemResponse(
      c,
      new ApiError('not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`),
    ),
  );

  registerHealthRoutes(app, { maxLedgerLagSeconds: deps.maxLedgerLagSeconds ?? 60 });
  registerMetricsRoutes(app, metrics);
  registerWellKnownRoutes(app);
  registerDocsRoutes(app);
  registerActorRoutes(app);
  registerMinerCategoryRoutes(app);
  registerConcessionRoutes(app);
  registerOverlapRoutes(app);
  registerZoneRoutes(app);
  registerCheckpointRoutes(app);
  registerWatchlistRoutes(app);
  registerLotRoutes(app);
  registerProvenanceRoutes(app);
  registerScanRoutes(app);
  registerVerifyRoutes(app);
  registerMovementRoutes(app);
  registerInspectionRoutes(app);
  registerSyncRoutes(app);
  registerFlagRoutes(app);
  registerConcessionBalanceRoutes(app);
  registerConcessionGeometryRoutes(app);
  registerActorBalanceRoutes(app);
  registerReportRoutes(app);
  registerDetectionRoutes(app);
  registerLedgerRoutes(app);
  registerLedgerVerifyRoutes(app);
  registerLedgerIncidentRoutes(app);
  registerEpcisRoutes(app);
  registerEpcisCaptureRoutes(app);
  return app;
}
