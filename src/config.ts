/**
 * The environment of orotrace: one zod schema, parsed the same way by the Node server
 * (src/node.ts, through config.node.ts), the CLIs (src/cli/*) and the Worker (src/worker.ts), so
 * a variable means the same thing and is checked the same way on both runtimes. Worker-safe: it
 * imports nothing Node-only (the Worker bundle holds it); Node reads process.env through
 * config.node.ts, which also ends the process on a bad environment.
 *
 * A bad environment is refused as a whole: the error names every wrong variable, and never
 * repeats a value (some are secrets).
 */
import type { JSONWebKeySet, JWK } from 'jose';
import { z } from 'zod';
import { parseVerifierKey } from './domain/ledger/note.js';
import { qrFormats } from './domain/lots/qr.js';
import { type ClaimMapping, parseRoleMap } from './domain/shared/claims.js';
import { companyPrefixPattern, demonstrationCompanyPrefix } from './domain/shared/gs1.js';
import type { Role } from './domain/shared/vocabulary.js';
import { logLevels } from './http/logging.js';

/**
 * A variable holding JSON text, parsed and then checked by `shape`; never echoes the text. A
 * Worker var set as a TOML table in wrangler.toml arrives already parsed, and is checked as is.
 */
const jsonText = <T extends z.ZodType>(shape: T) =>
  z
    .unknown()
    .transform((value, ctx) => {
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(shape);

/** JWK members that only a private (or secret) key has: RFC 7518 §6.2.2, §6.3.2, §6.4.1. */
const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const jwkObject = (extra: z.ZodRawShape = {}) =>
  z.looseObject(
    { kty: z.string({ error: 'has no "kty" (key type)' }).min(1, 'has an empty "kty"'), ...extra },
    { error: 'is not a JWK (a JSON object)' },
  );

/** A public key of a key set: a JWK with its type, and no private part. */
const publicJwk = jwkObject().superRefine((jwk, ctx) => {
  const secret = privateMembers.filter((m) => m in jwk);
  if (secret.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `is a private key (has ${secret.map((m) => `"${m}"`).join(', ')}): a public key set holds public keys only`,
    });
  }
});

/** A JSON Web Key Set of public keys (RFC 7517 §5), as identity providers publish them. */
const publicJwks = z.object(
  {
    keys: z
      .array(publicJwk, { error: 'is not a JSON Web Key Set: {"keys": [JWK, …]}' })
      .min(1, 'holds no key'),
  },
  { error: 'is not a JSON Web Key Set: {"keys": [JWK, …]}' },
);

/** The ledger's private key: EC P-256, as everything orotrace signs is ES256 (keys/signing.ts). */
const ledgerPrivateJwk = jwkObject({
  kty: z.literal('EC', { error: 'must have "kty": "EC" (the ledger signs with ES256, P-256)' }),
  crv: z.literal('P-256', { error: 'must have "crv": "P-256" (the ledger signs with ES256)' }),
  x: z.string({ error: 'has no "x"' }).min(1, 'has an empty "x"'),
  y: z.string({ error: 'has no "y"' }).min(1, 'has an empty "y"'),
  d: z
    .string({ error: 'has no "d": this is a public key, the private key is needed to sign' })
    .min(1, 'has an empty "d"'),
  kid: z
    .string({ error: 'has no "kid" (the id /.well-known/jwks.json publishes it under)' })
    .min(1, 'has an empty "kid"'),
});

/**
 * The classes of request that are rate limited, each with its own budget (http/rate-limit.ts):
 * requests without a bearer token (public pages, /v/ look-ups), by client address; requests
 * whose token does not verify, by client address; and, per token subject, reads (GET, HEAD,
 * OPTIONS) and writes.
 */
const rateLimitClasses = ['public', 'auth-failure', 'read', 'write'] as const;
export type RateLimitClass = (typeof rateLimitClasses)[number];
interface RateLimitPolicy {
  /** Requests admitted per window. */
  limit: number;
  windowSeconds: number;
}
export type RateLimitPolicies = Record<RateLimitClass, RateLimitPolicy>;

/**
 * Budgets honest work never meets (README "Rate limits"): a checkpoint syncs its offline
 * records in one request (up to 1,000 records), an exporter desk paging a list or the web app
 * loading a screen makes tens of reads a minute, registrations are typed by hand. The failed
 * token budget is tight: an honest client whose token expired fails a few times, then signs in.
 */
export const defaultRateLimits: RateLimitPolicies = {
  public: { limit: 300, windowSeconds: 60 },
  'auth-failure': { limit: 20, windowSeconds: 60 },
  read: { limit: 1200, windowSeconds: 60 },
  write: { limit: 300, windowSeconds: 60 },
};

/**
 * `RATE_LIMITS`: `on` (the defaults), `off` (benchmarks, load tests), or budgets that replace
 * some of the defaults: `class=limit/seconds` separated by commas, e.g. `read=600/60,write=60/10`.
 */
const rateLimits = z
  .string()
  .default('on')
  .transform((text, ctx): RateLimitPolicies | 'off' => {
    const value = text.trim();
    if (value === 'off') return 'off';
    const policies = { ...defaultRateLimits };
    if (value === 'on') return policies;
    for (const part of value.split(',')) {
      const match = part.trim().match(/^([a-z-]+)=(\d{1,9})\/(\d{1,6})s?$/);
      const name = match?.[1] as RateLimitClass | undefined;
      if (!match || !name || !rateLimitClasses.includes(name) || Number(match[3]) < 1) {
        ctx.addIssue({
          code: 'custom',
          message: `must be on, off or class=limit/seconds[,…] with class one of ${rateLimitClasses.join(', ')} (e.g. read=600/60)`,
        });
        return z.NEVER;
      }
      policies[name] = { limit: Number(match[2]), windowSeconds: Number(match[3]) };
    }
    return policies;
  });

/** A Workers Rate Limiting binding (wrangler.toml `[[ratelimits]]`). */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}
const rateLimitBinding = z
  .custom<RateLimitBinding>(
    (v) => typeof v === 'object' && v !== null && typeof (v as { limit?: unknown }).limit === 'function',
    { error: 'is not a rate limiting binding (wrangler.toml [[ratelimits]])' },
  )
  .optional();

/** The Worker's rate limiting bindings, one per class, and the class each serves. */
const rateLimitBindingNames = {
  public: 'RATE_LIMIT_PUBLIC',
  'auth-failure': 'RATE_LIMIT_AUTH_FAILURE',
  read: 'RATE_LIMIT_READ',
  write: 'RATE_LIMIT_WRITE',
} as const satisfies Record<RateLimitClass, string>;
/** A whole number of bytes, milliseconds…, at least `min`. */
const count = (what: string, min: number, fallback: number) =>
  z.coerce
    .number({ error: `must be a number of ${what}` })
    .int(`must be a whole number of ${what}`)
    .min(min, `must be at least ${min} ${what}`)
    .default(fallback);

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const durationUnits = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

/**
 * A duration as people write it ("24h", "90m", "3600s", "7d", "1w"; a bare number is seconds),
 * in seconds; undefined when the text is not one. The token CLI's --ttl is read the same way.
 */
export function durationSeconds(text: string): number | undefined {
  const m = /^(\d{1,7})\s*([smhdw]?)$/.exec(text.trim());
  return m ? Number(m[1]) * durationUnits[(m[2] || 's') as keyof typeof durationUnits] : undefined;
}

/** A duration variable, in seconds, at most `max` (written as a duration too). */
const duration = (max: string) =>
  z.string().transform((text, ctx) => {
    const seconds = durationSeconds(text);
    if (seconds === undefined || seconds > (durationSeconds(max) ?? 0)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a duration such as 24h, 90m or 3600s, at most ${max}`,
      });
      return z.NEVER;
    }
    return seconds;
  });

/**
 * `WITNESS_KEYS`: witnesses' cosignature/v1 vkeys (`name+keyid+base64`, what `npm run witness
 * -- --print-key` prints), separated by whitespace or commas; each checked, none repeated.
 */
const witnessKeys = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const keys = text.split(/[\s,]+/).filter((k) => k !== '');
    const bad = keys.findIndex((k) => parseVerifierKey(k, 'cosignature') === undefined);
    if (bad >= 0) {
      ctx.addIssue({
        code: 'custom',
        message: `key ${bad + 1} is not a cosignature/v1 verifier key (name+keyid+base64 of 0x04 and an Ed25519 key)`,
      });
      return z.NEVER;
    }
    if (new Set(keys.map((k) => k.split('+')[0])).size !== keys.length) {
      ctx.addIssue({ code: 'custom', message: 'names a witness twice' });
      return z.NEVER;
    }
    return keys;
  });

/**
 * `GS1_ACCEPTED_PREFIXES`: the company prefixes of labels printed before GS1_COMPANY_PREFIX
 * changed, separated by commas or whitespace; each 4 to 12 digits, none repeated. Their Digital
 * Links keep resolving and verifying; new labels use GS1_COMPANY_PREFIX only.
 */
const acceptedPrefixes = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const prefixes = text.split(/[\s,]+/).filter((p) => p !== '');
    const bad = prefixes.find((p) => !companyPrefixPattern.test(p));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad}" is not a GS1 Company Prefix: 4 to 12 digits` });
      return z.NEVER;
    }
    if (new Set(prefixes).size !== prefixes.length) {
      ctx.addIssue({ code: 'custom', message: 'names a prefix twice' });
      return z.NEVER;
    }
    return prefixes;
  });

/**
 * A checkpoint origin, which is also the name of the note key: a signed-note key name has no
 * space and no '+'. By convention a URL without its scheme (https://c2sp.org/tlog-checkpoint).
 */
const checkpointOrigin = z
  .string()
  .regex(/^[^\s+]+$/, 'must be a name without spaces or "+", e.g. trace.example.pe/ledger');

/** The default origin: BASE_URL's host and path, then /ledger ("localhost:8787/ledger"). */
const originOf = (baseUrl: string) => {
  const url = new URL(baseUrl);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}/ledger`;
};

/** Every variable orotrace reads, on any runtime. Unset and empty are the same. */
const envSchema = z.object({
  /** Node: the HTTP port. */
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a port number')
    .min(1, 'must be a port number 1-65535')
    .max(65535, 'must be a port number 1-65535')
    .default(8787),
  /**
   * Node: the address the server listens on. Loopback by default, so that a server started on a
   * laptop is not reachable from the network it sits on; 0.0.0.0 (or ::) to serve others.
   */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Node: PostgreSQL; unset, the embedded PGlite (with PostGIS) in DATA_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  /**
   * Node: the role that owns the tables and applies migrations, when it is not the application's.
   * Set, migrations run over it and DATABASE_URL (a member of orotrace_writer, README "Database
   * roles") only reads and writes; unset, migrations run over DATABASE_URL.
   */
  MIGRATION_DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' })
    .optional(),
  /** Node: PGlite's folder and the local keys; its default is applied by parseNodeConfig. */
  DATA_DIR: z.string().optional(),
  /** What QR URLs and docs links start with; default http://localhost:PORT (Node), the request's origin (Worker). */
  BASE_URL: httpUrl.optional(),
  /**
   * The operator's GS1 Company Prefix, under which lots and movements get their GIAI in EPCIS
   * (domain/shared/gs1.ts). Default: 9520000, in the range GS1 reserves for demonstrations.
   */
  GS1_COMPANY_PREFIX: z
    .string()
    .regex(companyPrefixPattern, 'must be a GS1 Company Prefix: 4 to 12 digits')
    .default(demonstrationCompanyPrefix),
  /** Earlier company prefixes whose printed labels are still accepted (see acceptedPrefixes). */
  GS1_ACCEPTED_PREFIXES: acceptedPrefixes,
  /**
   * The URL printed in QR codes (domain/lots/qr.ts): `digital-link` (default), a GS1 Digital Link
   * naming the lot's GIAI or the movement's GINC with the signature as `?jws=`, which any GS1
   * scanner reads and the checkpoint app still verifies offline — one QR version larger than
   * `compact` (`<base>/v/<jws>`: version 12, 65 modules a side at level M, against 13 and 69),
   * which stays for operators whose labels are too small. Codes already printed verify in either.
   */
  QR_FORMAT: z.enum(qrFormats).default('digital-link'),
  /** The domain of the QR codes' Digital Links, e.g. a GS1 resolver that redirects to this ledger; default BASE_URL. */
  QR_RESOLVER: httpUrl.optional(),
  /** The identity provider's key set, by URL. Unset on Node (with JWT_PUBLIC_JWKS): the local key of `npm run token`. */
  JWKS_URL: httpUrl.optional(),
  /** An inline JSON Web Key Set of public keys, for an identity provider that publishes no URL. */
  JWT_PUBLIC_JWKS: jsonText(publicJwks).optional(),
  JWT_ISSUER: z.string().min(1).default('orotrace-local'),
  JWT_AUDIENCE: z.string().min(1).default('orotrace'),
  /**
   * Where the identity provider's tokens say the role, actor and checkpoint (domain/shared/claims.ts):
   * a top-level claim name as it is ("https://orotrace.example/role", as Auth0 namespaces them),
   * or a JSON Pointer ("/realm_access/roles", Keycloak's realm roles).
   */
  JWT_ROLE_CLAIM: z.string().min(1).default('role'),
  JWT_ACTOR_CLAIM: z.string().min(1).default('actor'),
  JWT_CHECKPOINT_CLAIM: z.string().min(1).default('checkpoint'),
  /** The provider's role names to ours: "provider-role=regulator,other=checkpoint". Unset: ours, by name. */
  JWT_ROLE_MAP: z
    .string()
    .transform((text, ctx) => {
      const map = parseRoleMap(text);
      if ('problem' in map) {
        ctx.addIssue({ code: 'custom', message: map.problem as string });
        return z.NEVER;
      }
      return map as Record<string, Role>;
    })
    .optional(),
  /**
   * The longest a token may live (exp − iat): a stolen token is good for no longer. A day covers
   * a checkpoint officer's shift without signal; identity providers issue far shorter ones.
   */
  TOKEN_MAX_LIFETIME: duration('30d').default(86_400),
  /** How far apart the issuer's clock and ours may be when exp, nbf and iat are checked. */
  TOKEN_CLOCK_SKEW: duration('10m').default(60),
  /**
   * Whom a buyer should alert when the public /v/ page says a lot is at high risk or its code is
   * forged: the regulator's office, phone or address, as one line of text shown on the page
   * ("DREMAD Madre de Dios, tel. 082 000 000"). Unset: the page names the authority in general
   * words (the police or the public prosecutor's office).
   */
  PUBLIC_REPORT_CONTACT: z.string().trim().min(1).max(300).optional(),
  /** Node: auto loads the Madre de Dios demo on the first start of the embedded database only. */
  DEMO_DATA: z.enum(['auto', 'on', 'off'], { error: 'must be auto, on or off' }).default('auto'),
  /**
   * The ledger's private JWK as JSON. The Worker needs it (a secret); on Node it replaces the key
   * file generated in DATA_DIR/keys.
   */
  LEDGER_PRIVATE_JWK: jsonText(ledgerPrivateJwk).optional(),
  /**
   * The origin line of the log's checkpoints and the name of its note key (C2SP tlog-checkpoint).
   * Default: BASE_URL's host and path, then /ledger ("localhost:8787/ledger"). On the Worker,
   * with neither it nor BASE_URL set, heads are signed as JWS only and no checkpoint is published.
   * Changing it changes the note key (derived from the ledger key and this name): witnesses must
   * be given the new vkey.
   */
  CHECKPOINT_ORIGIN: checkpointOrigin.optional(),
  /** Witnesses whose cosignatures POST /v1/ledger/cosignatures accepts (see `witnessKeys`). */
  WITNESS_KEYS: witnessKeys,
  /** How many distinct configured witnesses must cosign a head for it to be `final` (0: always). */
  WITNESS_QUORUM: count('witnesses', 0, 0),
  /** Rate limiting: on (the defaults), off, or budgets per class (see `rateLimits` above). */
  RATE_LIMITS: rateLimits,
  /**
   * Node: whose word names the client's address. `off`: the socket's peer; `cf-connecting-ip`
   * or `x-forwarded-for` (its last entry, added by the one proxy in front) only behind a proxy
   * that sets it, else any client picks its own address.
   */
  TRUST_PROXY: z
    .enum(['off', 'cf-connecting-ip', 'x-forwarded-for'], {
      error: 'must be off, cf-connecting-ip or x-forwarded-for',
    })
    .default('off'),
  /** Worker: the rate limiting bindings; absent, the Worker limits in the isolate's memory. */
  RATE_LIMIT_PUBLIC: rateLimitBinding,
  RATE_LIMIT_AUTH_FAILURE: rateLimitBinding,
  RATE_LIMIT_READ: rateLimitBinding,
  RATE_LIMIT_WRITE: rateLimitBinding,
  /** The largest request body, in bytes, on every route but the geometry uploads (413 above it). */
  BODY_LIMIT_BYTES: count('bytes', 1024, 1024 * 1024),
  /**
   * The largest body of POST /v1/zones and /v1/concessions, which carry an area: 100,000
   * vertices (the cap of geojson.ts) take ~2.7 MB as compact JSON, more when indented.
   */
  GEOMETRY_BODY_LIMIT_BYTES: count('bytes', 1024, 8 * 1024 * 1024),
  /**
   * The most events one EPCIS capture document may carry (413 CaptureLimitExceededException
   * above it, announced in GS1-EPCIS-Capture-Limit): a capture is one transaction, screened
   * whole, so its size bounds the time a partner's document holds the ledger's writers.
   */
  EPCIS_CAPTURE_LIMIT: count('events', 1, 500),
  /**
   * PostgreSQL: the longest a statement may run before the database cancels it (503). 0 turns it
   * off. PGlite (embedded, one connection) cannot interrupt a running statement and ignores it.
   */
  STATEMENT_TIMEOUT_MS: count('milliseconds', 0, 15_000),
  /**
   * Node: how often the server runs the screening that falls due with time (screening/due.ts:
   * diversion once a movement's lag has passed), in seconds; 0 turns it off (when another
   * server, the Worker's cron trigger or `npm run screen:due` from a scheduler does it). The lag
   * is counted in days, so an hour late is nothing; each run is one indexed query when nothing
   * fell due.
   */
  SCREEN_DUE_INTERVAL_SECONDS: count('seconds', 0, 3600),
  /**
   * The least severe log line written: trace, debug, info (default: a line per request), warn,
   * error, fatal or silent.
   */
  LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'),
  /**
   * GET /health/ready answers 503 when the oldest event not yet in a signed head is older than
   * this, in seconds: the sequencer signs within a second of a write, so a minute behind means it
   * is stuck or the database is overloaded, and traffic should go to another instance.
   */
  READY_MAX_LEDGER_LAG_SECONDS: count('seconds', 1, 60),
  /**
   * Node: the share of screened writes (0–1) whose rules are also run one by one and timed, for
   * orotrace_screening_rule_duration_seconds: the rules of a write run as one statement, so a
   * rule's own time exists only when it runs alone, which costs that write its screening again.
   * 0.01 measures every rule within minutes under load at about 1 % more screening work.
   */
  SCREENING_RULE_SAMPLE_RATE: z.coerce
    .number({ error: 'must be a number from 0 to 1' })
    .min(0, 'must be from 0 to 1')
    .max(1, 'must be from 0 to 1')
    .default(0.01),
  /**
   * Node: on SIGTERM or SIGINT, how long the requests in flight may take to finish before their
   * connections are cut; then the sequencer signs its last batch and the database closes. 25 s
   * leaves those last steps room inside Kubernetes' default grace period of 30 s
   * (terminationGracePeriodSeconds), after which the process is killed.
   */
  SHUTDOWN_TIMEOUT_SECONDS: count('seconds', 0, 25),
  /** Worker: the Hyperdrive binding (wrangler.toml `[[hyperdrive]]`); locally its `localConnectionString`. */
  HYPERDRIVE: z
    .object(
      { connectionString: z.string({ error: 'has no connectionString' }).min(1, 'has no connectionString') },
      { error: 'is not a Hyperdrive binding' },
    )
    .optional(),
});

type Env = z.infer<typeof envSchema>;

/** The variables that bound a request's cost, the same on both runtimes. */
const limitVariables = [
  'BODY_LIMIT_BYTES',
  'GEOMETRY_BODY_LIMIT_BYTES',
  'STATEMENT_TIMEOUT_MS',
  'EPCIS_CAPTURE_LIMIT',
] as const;

/**
 * Where tokens are verified: a remote key set, an inline one, or the key set an OpenID provider's
 * discovery document names (JWT_ISSUER a URL, no key set given); unset on Node: the local key.
 */
type TokenKeys = { jwksUrl: string } | { jwks: JSONWebKeySet } | { discover: string };

type WorkerBindingVariables =
  | 'HYPERDRIVE'
  | 'RATE_LIMIT_PUBLIC'
  | 'RATE_LIMIT_AUTH_FAILURE'
  | 'RATE_LIMIT_READ'
  | 'RATE_LIMIT_WRITE';

/** The configuration of the Node server and the CLIs. */
export interface NodeConfig
  extends Omit<
    Env,
    | 'JWKS_URL'
    | 'JWT_PUBLIC_JWKS'
    | 'LEDGER_PRIVATE_JWK'
    | 'DATA_DIR'
    | WorkerBindingVariables
    | ClaimVariables
  > {
  DATA_DIR: string;
  /** Without a trailing slash. */
  BASE_URL: string;
  /** Set or derived from BASE_URL. */
  CHECKPOINT_ORIGIN: string;
  /** Unset: tokens are verified against the local key generated in DATA_DIR/keys. */
  tokenKeys: TokenKeys | undefined;
  /** Where tokens say the role, actor and checkpoint. */
  claims: ClaimMapping;
  LEDGER_PRIVATE_JWK: JWK | undefined;
}

/** The variables that make `claims`. */
type ClaimVariables = 'JWT_ROLE_CLAIM' | 'JWT_ACTOR_CLAIM' | 'JWT_CHECKPOINT_CLAIM' | 'JWT_ROLE_MAP';

/** The configuration of the Worker. */
export interface WorkerConfig
  extends Pick<
    Env,
    | (typeof limitVariables)[number]
    | 'WITNESS_KEYS'
    | 'WITNESS_QUORUM'
    | 'GS1_COMPANY_PREFIX'
    | 'GS1_ACCEPTED_PREFIXES'
    | 'QR_FORMAT'
    | 'QR_RESOLVER'
    | 'PUBLIC_REPORT_CONTACT'
    | 'LOG_LEVEL'
    | 'READY_MAX_LEDGER_LAG_SECONDS'
  > {
  /** Set or derived from BASE_URL; undefined without either: no checkpoints are signed. */
  CHECKPOINT_ORIGIN: string | undefined;
  HYPERDRIVE: { connectionString: string };
  LEDGER_PRIVATE_JWK: JWK;
  tokenKeys: TokenKeys;
  claims: ClaimMapping;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  TOKEN_MAX_LIFETIME: number;
  TOKEN_CLOCK_SKEW: number;
  /** Without a trailing slash; unset: the origin of each request. */
  BASE_URL: string | undefined;
  RATE_LIMITS: RateLimitPolicies | 'off';
  /** The bound rate limiting namespaces, by class; a class without one is limited in memory. */
  rateLimitBindings: Partial<Record<RateLimitClass, RateLimitBinding>>;
}

/** A bad environment: one issue per wrong variable, each naming it. */
export class ConfigError extends Error {
  constructor(
    readonly runtime: 'node' | 'worker',
    readonly issues: { variable: string; message: string }[],
  ) {
    super(
      `invalid configuration${runtime === 'worker' ? ' of the Worker' : ''}:\n${issues
        .map((i) => `  ${i.variable}: ${i.message}`)
        .join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** `keys[0].kty` for the path [keys, 0, kty] inside a variable. */
function where(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

type Requirement = (env: Record<string, unknown>) => { variable: string; message: string } | undefined;

function parseEnv(
  runtime: 'node' | 'worker',
  input: unknown,
  schema: z.ZodType<Env>,
  requirements: Requirement[],
): Env {
  // Empty variables count as unset (an `export X=` or an empty line in .dev.vars).
  const env =
    typeof input === 'object' && input !== null
      ? Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== ''))
      : {};
  const parsed = schema.safeParse(env);
  const issues = (parsed.success ? [] : parsed.error.issues).map((issue) => {
    const [variable, ...inside] = issue.path;
    // A member's message names the member ('has no "kty"'): say which object it is missing from.
    if (typeof inside.at(-1) === 'string') inside.pop();
    return {
      variable: String(variable ?? '(environment)'),
      message: inside.length > 0 ? `${where(inside)} ${issue.message}` : issue.message,
    };
  });
  for (const requirement of requirements) {
    const issue = requirement(env);
    if (issue && !issues.some((i) => i.variable === issue.variable)) issues.push(issue);
  }
  if (!parsed.success || issues.length > 0) throw new ConfigError(runtime, issues);
  return parsed.data;
}

const notBothKeySets: Requirement = (env) =>
  env.JWKS_URL !== undefined && env.JWT_PUBLIC_JWKS !== undefined
    ? { variable: 'JWT_PUBLIC_JWKS', message: 'set JWKS_URL or JWT_PUBLIC_JWKS, not both' }
    : undefined;

function tokenKeysOf(env: Env): TokenKeys | undefined {
  if (env.JWKS_URL) return { jwksUrl: env.JWKS_URL };
  if (env.JWT_PUBLIC_JWKS) return { jwks: env.JWT_PUBLIC_JWKS as JSONWebKeySet };
  // OpenID Connect Discovery 1.0 §4: an issuer identifier is an https URL (http on this machine
  // only, for a provider run locally); its configuration names its key set.
  if (isIssuerUrl(env.JWT_ISSUER)) return { discover: env.JWT_ISSUER };
  return undefined;
}

/** An issuer identifier discovery can start from: https, or http on a loopback address. */
function isIssuerUrl(issuer: string): boolean {
  try {
    const u = new URL(issuer);
    return (
      u.protocol === 'https:' ||
      (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname))
    );
  } catch {
    return false;
  }
}

/** How the provider's tokens are read (domain/shared/claims.ts), from the JWT_*_CLAIM variables. */
function claimMappingOf(env: Env): ClaimMapping {
  return {
    role: env.JWT_ROLE_CLAIM,
    actor: env.JWT_ACTOR_CLAIM,
    checkpoint: env.JWT_CHECKPOINT_CLAIM,
    ...(env.JWT_ROLE_MAP ? { roleMap: env.JWT_ROLE_MAP } : {}),
  };
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

/** A quorum no configured set of witnesses can reach is a mistake, not a policy. */
const reachableQuorum: Requirement = (env) => {
  const quorum = Number(env.WITNESS_QUORUM ?? 0);
  const keys = typeof env.WITNESS_KEYS === 'string' ? env.WITNESS_KEYS.split(/[\s,]+/).filter(Boolean) : [];
  return Number.isInteger(quorum) && quorum > keys.length
    ? {
        variable: 'WITNESS_QUORUM',
        message: `is ${quorum} but WITNESS_KEYS names ${keys.length} witness(es)`,
      }
    : undefined;
};

/** The Node server's and the CLIs' configuration; throws a ConfigError naming each wrong variable. */
export function parseNodeConfig(env: Record<string, string | undefined>): NodeConfig {
  const parsed = parseEnv('node', env, envSchema, [
    notBothKeySets,
    reachableQuorum,
    (e) =>
      e.MIGRATION_DATABASE_URL !== undefined && e.DATABASE_URL === undefined
        ? {
            variable: 'MIGRATION_DATABASE_URL',
            message: 'is set without DATABASE_URL: it migrates the PostgreSQL database DATABASE_URL names',
          }
        : undefined,
  ]);
  const {
    JWKS_URL: _u,
    JWT_PUBLIC_JWKS: _j,
    HYPERDRIVE: _h,
    RATE_LIMIT_PUBLIC: _rp,
    RATE_LIMIT_AUTH_FAILURE: _ra,
    RATE_LIMIT_READ: _rr,
    RATE_LIMIT_WRITE: _rw,
    LEDGER_PRIVATE_JWK,
    JWT_ROLE_CLAIM: _rc,
    JWT_ACTOR_CLAIM: _ac,
    JWT_CHECKPOINT_CLAIM: _cc,
    JWT_ROLE_MAP: _rm,
    ...rest
  } = parsed;
  const baseUrl = withoutTrailingSlash(rest.BASE_URL ?? `http://localhost:${rest.PORT}`);
  return {
    ...rest,
    DATA_DIR: rest.DATA_DIR ?? './data',
    BASE_URL: baseUrl,
    CHECKPOINT_ORIGIN: rest.CHECKPOINT_ORIGIN ?? originOf(baseUrl),
    tokenKeys: tokenKeysOf(parsed),
    claims: claimMappingOf(parsed),
    LEDGER_PRIVATE_JWK: LEDGER_PRIVATE_JWK as JWK | undefined,
  };
}

/** The Worker's configuration from its env (vars, secrets, bindings); throws a ConfigError. */
export function parseWorkerConfig(env: unknown): WorkerConfig {
  const parsed = parseEnv('worker', env, envSchema, [
    (e) =>
      e.HYPERDRIVE === undefined
        ? { variable: 'HYPERDRIVE', message: 'is not bound: add the [[hyperdrive]] binding (wrangler.toml)' }
        : undefined,
    (e) =>
      e.LEDGER_PRIVATE_JWK === undefined
        ? {
            variable: 'LEDGER_PRIVATE_JWK',
            message: 'is not set: the ledger private JWK, as a secret (wrangler secret put)',
          }
        : undefined,
    // The Worker has no local identity provider: tokens verify against a configured key set.
    (e) =>
      e.JWKS_URL === undefined && e.JWT_PUBLIC_JWKS === undefined && !isIssuerUrl(String(e.JWT_ISSUER ?? ''))
        ? {
            variable: 'JWKS_URL',
            message:
              'is not set: set JWKS_URL or JWT_PUBLIC_JWKS, or JWT_ISSUER to the identity provider’s URL',
          }
        : undefined,
    notBothKeySets,
    reachableQuorum,
  ]);
  const {
    HYPERDRIVE,
    LEDGER_PRIVATE_JWK,
    JWT_ISSUER,
    JWT_AUDIENCE,
    BASE_URL,
    TOKEN_MAX_LIFETIME,
    TOKEN_CLOCK_SKEW,
  } = parsed;
  const { BODY_LIMIT_BYTES, GEOMETRY_BODY_LIMIT_BYTES, STATEMENT_TIMEOUT_MS, EPCIS_CAPTURE_LIMIT } = parsed;
  const tokenKeys = tokenKeysOf(parsed);
  // parseEnv has thrown unless the requirements above hold.
  if (!HYPERDRIVE || !LEDGER_PRIVATE_JWK || !tokenKeys) throw new Error('unreachable: requirements checked');
  return {
    HYPERDRIVE,
    LEDGER_PRIVATE_JWK: LEDGER_PRIVATE_JWK as JWK,
    tokenKeys,
    claims: claimMappingOf(parsed),
    JWT_ISSUER,
    JWT_AUDIENCE,
    TOKEN_MAX_LIFETIME,
    TOKEN_CLOCK_SKEW,
    BASE_URL: BASE_URL === undefined ? undefined : withoutTrailingSlash(BASE_URL),
    CHECKPOINT_ORIGIN: parsed.CHECKPOINT_ORIGIN ?? (BASE_URL === undefined ? undefined : originOf(BASE_URL)),
    WITNESS_KEYS: parsed.WITNESS_KEYS,
    WITNESS_QUORUM: parsed.WITNESS_QUORUM,
    GS1_COMPANY_PREFIX: parsed.GS1_COMPANY_PREFIX,
    GS1_ACCEPTED_PREFIXES: parsed.GS1_ACCEPTED_PREFIXES,
    QR_FORMAT: parsed.QR_FORMAT,
    QR_RESOLVER: parsed.QR_RESOLVER,
    PUBLIC_REPORT_CONTACT: parsed.PUBLIC_REPORT_CONTACT,
    LOG_LEVEL: parsed.LOG_LEVEL,
    READY_MAX_LEDGER_LAG_SECONDS: parsed.READY_MAX_LEDGER_LAG_SECONDS,
    RATE_LIMITS: parsed.RATE_LIMITS,
    rateLimitBindings: Object.fromEntries(
      rateLimitClasses.flatMap((cls) => {
        const binding = parsed[rateLimitBindingNames[cls]];
        return binding ? [[cls, binding]] : [];
      }),
    ),
    BODY_LIMIT_BYTES,
    GEOMETRY_BODY_LIMIT_BYTES,
    STATEMENT_TIMEOUT_MS,
    EPCIS_CAPTURE_LIMIT,
  };
}
