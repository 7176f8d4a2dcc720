import { createApp } from '../../src/app.js';
import type { RateLimitPolicies } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import { sequence } from '../../src/domain/ledger/store.js';
import type { WitnessPolicy } from '../../src/domain/ledger/witnesses.js';
import { installWriteKey } from '../../src/domain/ledger/write-signature.js';
import type { QrFormat } from '../../src/domain/lots/qr.js';
import type { Role } from '../../src/domain/shared/vocabulary.js';
import { webAssets } from '../../src/http/assets.node.js';
import { createTokenVerifier } from '../../src/http/auth.js';
import { type Log, logLevels } from '../../src/http/logging.js';
import { pinoLog } from '../../src/http/logging.node.js';
import type { AppMetrics } from '../../src/http/metrics.js';
import { clientAddressOf, memoryRateLimiter, type RateLimiting } from '../../src/http/rate-limit.js';
import { createSequenceRunner, type SequenceRunner } from '../../src/http/sequencer.js';
import { generateJwk } from '../../src/keys/local.js';
import { type SigningKey, signingKeyFromJwk } from '../../src/keys/signing.js';
import { mintToken } from '../../src/keys/tokens.js';
import { resetDb, testDb } from './db.js';

export const testIssuer = 'orotrace-test';
export const testAudience = 'orotrace';
/** The origin of the test ledger's checkpoints (its note key's name). */
export const testCheckpointOrigin = 'orotrace.test/ledger';

export interface TestContext {
  app: ReturnType<typeof createApp>;
  db: Db;
  authKey: SigningKey;
  ledgerKey: SigningKey;
  token(
    role: Role,
    binding?: { actor?: string; checkpoint?: string; ttl?: string; sub?: string },
  ): Promise<string>;
  call(method: string, path: string, opts?: CallOptions): Promise<CallResult>;
  /** Resolves once background sequencing (if on) has nothing in flight. */
  sequencingIdle(): Promise<void>;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered
  body: any;
  text: string;
}

let keys: Promise<{ authKey: SigningKey; ledgerKey: SigningKey }> | undefined;

/**
 * The app over the test database, with keys made for this run and tokens minted as production
 * verifies them. Sequencing after writes is off by default: a background run must not race with
 * the next file's resetDb; tests sequence explicitly (or through GET /v1/ledger/head). With
 * 'background' the app runs the Node runner; a given runner is used as is.
 */
export async function testApp(
  opts: {
    reset?: boolean;
    sequencing?: 'off' | 'background' | SequenceRunner;
    /** Serve the built web apps under /app/ too, as the Node server does (browser tests). */
    webAssets?: boolean;
    /**
     * Rate limiting with these budgets, the client's address read from CF-Connecting-IP (as
     * behind TRUST_PROXY=cf-connecting-ip). Unset: off, as the suite fires many requests.
     */
    rateLimits?: RateLimitPolicies;
    /** The witnesses whose cosignatures are accepted (default none, quorum 0). */
    witnesses?: WitnessPolicy;
    /** The request log (default: none, the suite stays quiet, unless LOG_LEVEL is set). */
    log?: Log;
    /** The metrics /metrics serves (default none: /metrics answers 404). */
    metrics?: AppMetrics;
    /** GET /health/ready's bound on the ledger lag, in seconds (default 60). */
    maxLedgerLagSeconds?: number;
    /** The form of the URLs printed in QR codes (default compact, the services' default). */
    qrFormat?: QrFormat;
    /** GS1_COMPANY_PREFIX and GS1_ACCEPTED_PREFIXES (default: the demonstration prefix alone). */
    gs1?: { companyPrefix: string; acceptedPrefixes?: string[] };
  } = {},
): Promise<TestContext> {
  const db = await testDb();
  if (opts.reset !== false) await resetDb();
  keys ??= (async () => ({
    authKey: await signingKeyFromJwk(await generateJwk('test-auth')),
    ledgerKey: await signingKeyFromJwk(await generateJwk('test-ledger'), 'test ledger key', {
      checkpointOrigin: testCheckpointOrigin,
    }),
  }))();
  const { authKey, ledgerKey } = await keys;
  // Tests also write through the domain functions, outside a request: sign with this run's key.
  installWriteKey(ledgerKey);
  const verifyToken = createTokenVerifier({
    keys: { jwks: { keys: [authKey.publicJwk] } },
    issuer: testIssuer,
    audience: testAudience,
  });
  const runner =
    opts.sequencing === 'background'
      ? createSequenceRunner(() => sequence(db, ledgerKey))
      : opts.sequencing === 'off'
        ? undefined
        : opts.sequencing;
  const rateLimiting: RateLimiting | undefined = opts.rateLimits && {
    policies: opts.rateLimits,
    limiter: memoryRateLimiter(opts.rateLimits),
    clientAddress: clientAddressOf('cf-connecting-ip', () => undefined),
  };
  // Quiet unless asked: LOG_LEVEL=info npx vitest run … shows each request's line.
  const asked = logLevels.find((l) => l === process.env.LOG_LEVEL);
  const log = opts.log ?? (asked ? pinoLog({ level: asked }) : undefined);
  const app = createApp({
    services: () => ({
      db,
      verifyToken,
      baseUrl: 'http://orotrace.test',
      ledgerKey,
      ...(opts.witnesses ? { witnesses: opts.witnesses } : {}),
      ...(opts.qrFormat ? { qrFormat: opts.qrFormat } : {}),
      ...(opts.gs1
        ? { gs1CompanyPrefix: opts.gs1.companyPrefix, gs1AcceptedPrefixes: opts.gs1.acceptedPrefixes }
        : {}),
      sequencing: runner ?? 'off',
    }),
    ...(opts.webAssets ? { webAssets: webAssets() } : {}),
    ...(rateLimiting ? { rateLimits: () => rateLimiting } : {}),
    ...(log ? { log } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    ...(opts.maxLedgerLagSeconds !== undefined ? { maxLedgerLagSeconds: opts.maxLedgerLagSeconds } : {}),
  });
  const token: TestContext['token'] = (role, binding = {}) =>
    mintToken(authKey, { issuer: testIssuer, audience: testAudience }, { role, ...binding });
  const call: TestContext['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.body !== undefined) {
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  const sequencingIdle = async () => runner?.idle();
  return { app, db, authKey, ledgerKey, token, call, sequencingIdle };
}
