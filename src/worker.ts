/**
 * Cloudflare Workers entry (`nodejs_compat`): the same app as on Node, over PostgreSQL reached
 * through a Hyperdrive binding. Imports stay clean of PGlite and node:fs (src/db/node.ts,
 * src/keys/local.ts, src/services.node.ts): CI checks that the bundle holds no PGlite.
 * Migrations are not run here (drizzle's migrator reads its journal with node:fs): run
 * `npm run db:migrate` against the database before deploying.
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import type { ExecutionContext } from 'hono';
import postgres from 'postgres';
import { createApp } from './app.js';
import { parseWorkerConfig, type RateLimitBinding, type WorkerConfig } from './config.js';
import type { Db } from './db/client.js';
import * as schema from './db/schema/index.js';
import { sessionParameters } from './db/session.js';
import { sequence } from './domain/ledger/store.js';
import { witnessPolicy } from './domain/ledger/witnesses.js';
import { screenDue } from './domain/screening/due.js';
import { createTokenVerifier } from './http/auth.js';
import type { Services, TokenVerifier } from './http/env.js';
import { consoleLog, type Log } from './http/logging.js';
import { bindingRateLimiter, memoryRateLimiter, type RateLimiting } from './http/rate-limit.js';
import { type SigningKey, signingKeyFromJwk } from './keys/signing.js';

/** The bindings wrangler.toml and the secrets give the Worker; parsed by config.ts. */
export interface WorkerEnv {
  /** `[[hyperdrive]]` binding; locally its `localConnectionString`. */
  HYPERDRIVE: { connectionString: string };
  /** The ledger's private JWK as JSON (a secret: `wrangler secret put LEDGER_PRIVATE_JWK`). */
  LEDGER_PRIVATE_JWK: string;
  JWKS_URL?: string;
  JWT_PUBLIC_JWKS?: string;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  BASE_URL?: string;
  RATE_LIMITS?: string;
  /** The Workers Rate Limiting bindings (wrangler.toml `[[ratelimits]]`), one per class. */
  RATE_LIMIT_PUBLIC?: RateLimitBinding;
  RATE_LIMIT_AUTH_FAILURE?: RateLimitBinding;
  RATE_LIMIT_READ?: RateLimitBinding;
  RATE_LIMIT_WRITE?: RateLimitBinding;
  BODY_LIMIT_BYTES?: string;
  GEOMETRY_BODY_LIMIT_BYTES?: string;
  EPCIS_CAPTURE_LIMIT?: string;
  STATEMENT_TIMEOUT_MS?: string;
}

/** What outlives a request: env is fixed for an isolate's life, and importing keys costs crypto work. */
interface IsolateState {
  config: WorkerConfig;
  verifyToken: TokenVerifier;
  ledgerKey: SigningKey;
  rateLimiting: RateLimiting | undefined;
}

let isolateState: Promise<IsolateState> | undefined;

/**
 * Request logs as JSON lines on the console (Workers Logs), at LOG_LEVEL once the isolate has
 * read its env; a line written before (a failure to read it) goes out at info.
 */
let isolateLog: Log = consoleLog('info');
const log: Log = {
  info: (fields, message) => isolateLog.info(fields, message),
  warn: (fields, message) => isolateLog.warn(fields, message),
  error: (fields, message) => isolateLog.error(fields, message),
};

function isolate(env: unknown): Promise<IsolateState> {
  isolateState ??= (async () => {
    const config = parseWorkerConfig(env);
    isolateLog = consoleLog(config.LOG_LEVEL);
    return {
      config,
      // A remote JWKS is fetched lazily and cached by jose for the isolate's life.
      verifyToken: createTokenVerifier({
        keys: config.tokenKeys,
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        policy: { maxLifetimeSeconds: config.TOKEN_MAX_LIFETIME, clockSkewSeconds: config.TOKEN_CLOCK_SKEW },
        claims: config.claims,
      }),
      ledgerKey: await signingKeyFromJwk(config.LEDGER_PRIVATE_JWK, 'LEDGER_PRIVATE_JWK', {
        checkpointOrigin: config.CHECKPOINT_ORIGIN,
      }),
      rateLimiting: workerRateLimiting(config),
    };
  })().catch((err: unknown) => {
    // Do not keep a failure for the isolate's life: the next request tries again (and reports it).
    isolateState = undefined;
    throw err;
  });
  return isolateState;
}

/**
 * The database client of each request, and the sequencing run a write started on it; the client
 * is closed once the app has answered and that run has settled (see `fetch`). It cannot be closed
 * from inside `services`: postgres.js rejects every query issued after `end()`.
 */
interface RequestState {
  client: postgres.Sql;
  sequencing?: Promise<void>;
}
const requests = new WeakMap<Request, RequestState>();

/**
 * The bindings count across the location's isolates; a class without one is counted in this
 * isolate's memory (weaker: each isolate has its own count). The client's address is the one
 * Cloudflare's edge saw.
 */
function workerRateLimiting(config: WorkerConfig): RateLimiting | undefined {
  const policies = config.RATE_LIMITS;
  if (policies === 'off') return undefined;
  return {
    policies,
    limiter: bindingRateLimiter(
      policies,
      config.rateLimitBindings,
      memoryRateLimiter(policies, { maxKeys: 10_000 }),
    ),
    clientAddress: (c) => c.req.header('cf-connecting-ip'),
  };
}

const app = createApp({
  log,
  maxLedgerLagSeconds: async (c) => (await isolate(c.env)).config.READY_MAX_LEDGER_LAG_SECONDS,
  rateLimits: async (c) => (await isolate(c.env)).rateLimiting,
  services: async (c): Promise<Services> => {
    const { config, verifyToken, ledgerKey } = await isolate(c.env);
    // Per request: workerd forbids reusing a socket opened by another request ("Cannot perform
    // I/O on behalf of a different request"); Hyperdrive pools the real connections.
    // fetch_types: false spares a round trip per request (no custom types are read by name).
    // statement_timeout rides in the startup message, so a runaway statement is cancelled by
    // the database itself (SQLSTATE 57014, answered 503) and does not hold a pooled connection.
    const client = postgres(config.HYPERDRIVE.connectionString, {
      max: 5,
      fetch_types: false,
      connection: sessionParameters(config.STATEMENT_TIMEOUT_MS),
    });
    const state: RequestState = { client };
    requests.set(c.req.raw, state);
    // drizzle's postgres-js handle is a PgDatabase over another result HKT; the domain only uses
    // the shared PgDatabase surface (same cast as src/db/node.ts).
    const db = drizzle(client, { schema }) as unknown as Db;
    const baseUrl = (config.BASE_URL ?? new URL(c.req.url).origin).replace(/\/+$/, '');
    // After a write, sequencing runs on this request's own client while the response goes out;
    // `fetch` hands it to waitUntil and closes the client only after it (an isolate cannot share
    // a socket or a run across requests, so there is no per-isolate runner here; concurrent runs
    // queue on the sequencer's advisory lock, and one that finds nothing new signs nothing).
    const sequencing = {
      schedule() {
        state.sequencing ??= sequence(db, ledgerKey).then(
          () => undefined,
          (err: unknown) => console.error('ledger sequencing failed:', err),
        );
      },
    };
    const limits = {
      bodyBytes: config.BODY_LIMIT_BYTES,
      geometryBodyBytes: config.GEOMETRY_BODY_LIMIT_BYTES,
      epcisCaptureEvents: config.EPCIS_CAPTURE_LIMIT,
    };
    const witnesses = witnessPolicy(config.WITNESS_KEYS, config.WITNESS_QUORUM);
    const gs1CompanyPrefix = config.GS1_COMPANY_PREFIX;
    const reportContact = config.PUBLIC_REPORT_CONTACT;
    return {
      db,
      verifyToken,
      baseUrl,
      gs1CompanyPrefix,
      gs1AcceptedPrefixes: config.GS1_ACCEPTED_PREFIXES,
      qrFormat: config.QR_FORMAT,
      qrResolver: config.QR_RESOLVER?.replace(/\/+$/, ''),
      ledgerKey,
      witnesses,
      sequencing,
      limits,
      ...(reportContact ? { reportContact } : {}),
    };
  },
});

/**
 * The Cron Trigger (wrangler.toml `[triggers]`): judges the screening that fell due with time
 * (diversion once a movement's lag has passed, screening/due.ts), then catches the ledger up —
 * with that run's events, and whatever a write's own sequencing left when it was cut short (an
 * isolate evicted, a run that failed), as `npm start` does at start. A failed due run does not
 * keep the ledger from catching up.
 */
async function scheduledRun(env: WorkerEnv): Promise<void> {
  const { config, ledgerKey } = await isolate(env);
  const client = postgres(config.HYPERDRIVE.connectionString, {
    max: 1,
    fetch_types: false,
    connection: sessionParameters(config.STATEMENT_TIMEOUT_MS),
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  try {
    await screenDue(db).catch((err: unknown) => console.error('due screening failed:', err));
    await sequence(db, ledgerKey);
  } finally {
    await client.end({ timeout: 5 });
  }
}

export default {
  async scheduled(_controller: unknown, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(scheduledRun(env).catch((err: unknown) => console.error('ledger catch-up failed:', err)));
  },

  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    try {
      return await app.fetch(request, env, ctx);
    } finally {
      // Every response body is built before app.fetch resolves (no streaming), so the queries
      // that answer this request are done; what may still run is the sequencing a write started.
      // Closing after both keeps the socket count bounded.
      const state = requests.get(request);
      if (state) {
        const { client, sequencing } = state;
        ctx.waitUntil(
          (async () => {
            await sequencing;
            await client.end({ timeout: 5 });
          })(),
        );
      }
    }
  },
};
