import { createRoute } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { rowsOf } from '../../db/client.js';
import { missingMigrations } from '../../db/migrations-status.js';
import { ledgerLag } from '../../domain/ledger/lag.js';
import type { Role } from '../../domain/shared/vocabulary.js';
import { requireRole } from '../../http/auth.js';
import type { AppEnv, Services } from '../../http/env.js';
import { errorResponses, jsonResponse, publicAccess, rateLimitedResponse } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { healthSchema, livenessSchema, type ReadinessCheck, readinessSchema } from './schemas.js';

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['System'],
  summary: 'Liveness and database reachability',
  ...publicAccess('For probes and monitors.'),
  responses: {
    200: jsonResponse(healthSchema, 'Up'),
    ...rateLimitedResponse,
  },
});

const live = createRoute({
  method: 'get',
  path: '/health/live',
  operationId: 'getLiveness',
  tags: ['System'],
  summary: 'Liveness probe: the process answers (the database is not asked)',
  ...publicAccess('For the orchestrator: restart the process when this fails.'),
  responses: {
    200: jsonResponse(livenessSchema, 'The process is up'),
    ...rateLimitedResponse,
  },
});

/** Who may read the readiness checks' details: those who may read /metrics. */
const detailRoles: Role[] = ['admin', 'regulator'];

/**
 * A token is optional here: a request without an Authorization header passes (a probe sends
 * none); one that carries a header must verify and hold one of `roles`, as on /metrics, so a bad
 * token is told so rather than silently answered less.
 */
function optionalRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  const required = requireRole(...roles);
  return (c, next) => (c.req.header('authorization') === undefined ? next() : required(c, next));
}

const ready = createRoute({
  method: 'get',
  path: '/health/ready',
  operationId: 'getReadiness',
  tags: ['System'],
  summary: 'Readiness probe: database, migrations, ledger key and ledger lag',
  description: `Public: no token, for the load balancer or the orchestrator: send no traffic here while this answers 503. Without a token the answer is the status alone; with a token of an admin or a regulator (roles: ${detailRoles.join(', ')}) it also holds each check and what it found (the ledger lag, the migrations missing), which are the operator's business as /metrics is.`,
  // Either no token at all or a bearer token: OpenAPI's way to say the token is optional.
  security: [{}, { bearerAuth: [] }],
  middleware: [optionalRole(...detailRoles)],
  responses: {
    200: jsonResponse(readinessSchema, 'Every check passed'),
    503: jsonResponse(readinessSchema, 'A check failed; with a token `checks` says which and why'),
    401: errorResponses[401],
    403: errorResponses[403],
    ...rateLimitedResponse,
  },
});

/** Runs a check; a check that throws has failed, saying so without the error's text. */
async function check(
  name: ReadinessCheck['name'],
  run: () => Promise<{ ok: boolean; detail: string }>,
  failure: string,
): Promise<ReadinessCheck> {
  try {
    return { name, ...(await run()) };
  } catch {
    return { name, ok: false, detail: failure };
  }
}

/** The readiness checks (GET /health/ready); `maxLedgerLagSeconds` is READY_MAX_LEDGER_LAG_SECONDS. */
async function readiness(services: Services, maxLedgerLagSeconds: number): Promise<ReadinessCheck[]> {
  const { db, ledgerKey } = services;
  // One after the other: the embedded database answers one query at a time anyway.
  const database = await check(
    'database',
    async () => {
      await db.execute(sql`SELECT 1`);
      return { ok: true, detail: 'answers' };
    },
    'the database did not answer',
  );
  const migrations = await check(
    'migrations',
    async () => {
      const missing = await missingMigrations(db);
      return missing.length === 0
        ? { ok: true, detail: 'every migration of this build is applied' }
        : { ok: false, detail: `not applied: ${missing.join(', ')} (run npm run db:migrate)` };
    },
    'the applied migrations could not be read',
  );
  const key = await check(
    'ledger_key',
    async () =>
      ledgerKey?.publicJwk.kid
        ? { ok: true, detail: `loaded (kid ${ledgerKey.publicJwk.kid})` }
        : { ok: false, detail: 'no ledger signing key' },
    'no ledger signing key',
  );
  const lag = await check(
    'ledger_lag',
    async () => {
      const { pending, oldestSeconds } = await ledgerLag(db);
      const detail = `${pending} event(s) not yet in a signed head, the oldest ${Math.round(oldestSeconds)} s old (at most ${maxLedgerLagSeconds} s)`;
      return { ok: oldestSeconds <= maxLedgerLagSeconds, detail };
    },
    'the ledger lag could not be read',
  );
  return [database, migrations, key, lag];
}

export function registerHealthRoutes(
  app: Router,
  opts: { maxLedgerLagSeconds: number | ((c: Context<AppEnv>) => Promise<number>) },
) {
  app.openapi(health, async (c) => {
    const [row] = rowsOf<{ version: string; postgis: string }>(
      await c.var.services.db.execute(sql`SELECT version() AS version, postgis_lib_version() AS postgis`),
    );
    return c.json(
      { status: 'ok' as const, database: row?.version ?? 'unknown', postgis: row?.postgis ?? 'unknown' },
      200,
    );
  });

  app.openapi(live, (c) => c.json({ status: 'live' as const }, 200));

  app.openapi(ready, async (c) => {
    const bound = opts.maxLedgerLagSeconds;
    const checks = await readiness(c.var.services, typeof bound === 'number' ? bound : await bound(c));
    c.header('cache-control', 'no-store');
    // The details only to a verified admin or regulator (optionalRole set the principal): the
    // ledger lag and the missing migrations are nobody else's business.
    const details = c.get('principal') === undefined ? {} : { checks };
    return checks.every((k) => k.ok)
      ? c.json({ status: 'ready' as const, ...details }, 200)
      : c.json({ status: 'not_ready' as const, ...details }, 503);
  });
}
