import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, defaultRateLimits, parseNodeConfig, parseWorkerConfig } from '../../src/config.js';
import { cosignatureVerifierKey, parseVerifierKey } from '../../src/domain/ledger/note.js';
import { generateJwk } from '../../src/keys/local.js';
import worker from '../../src/worker.js';

let privateJwk: Record<string, unknown>;
let publicJwk: Record<string, unknown>;

beforeAll(async () => {
  privateJwk = { ...(await generateJwk('config-test')) };
  const { d: _d, ...rest } = privateJwk;
  publicJwk = rest;
});

/** The issues of a refused environment, as variable → messages. */
function refusal(parse: () => unknown): Record<string, string[]> {
  try {
    parse();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const issues: Record<string, string[]> = {};
    for (const { variable, message } of (err as ConfigError).issues) {
      issues[variable] = [...(issues[variable] ?? []), message];
    }
    // The message names each wrong variable too, one line each.
    for (const variable of Object.keys(issues)) expect((err as Error).message).toContain(`\n  ${variable}: `);
    return issues;
  }
  throw new Error('the environment was accepted');
}

/** The key-set cases both runtimes must refuse alike. */
const badKeySets: [string, () => string, RegExp][] = [
  ['text that is not JSON', () => '{"keys": [', /not valid JSON/],
  ['JSON that is not a key set (an array)', () => '[]', /not a JSON Web Key Set/],
  ['one JWK instead of a set', () => JSON.stringify(publicJwk), /not a JSON Web Key Set/],
  ['a set without keys', () => '{"keys": []}', /holds no key/],
  ['a key that is not an object', () => '{"keys": ["EC"]}', /keys\[0\] is not a JWK/],
  ['a key without kty', () => '{"keys": [{"crv": "P-256", "x": "a", "y": "b"}]}', /keys\[0\] has no "kty"/],
  [
    'a private key in the public set',
    () => JSON.stringify({ keys: [publicJwk, privateJwk] }),
    /keys\[1\] is a private key \(has "d"\)/,
  ],
];

describe('the environment on Node (server and CLIs)', () => {
  it('has defaults for everything: the embedded database in ./data, the local key, port 8787', () => {
    expect(parseNodeConfig({})).toEqual({
      PORT: 8787,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      BASE_URL: 'http://localhost:8787',
      CHECKPOINT_ORIGIN: 'localhost:8787/ledger',
      WITNESS_KEYS: [],
      WITNESS_QUORUM: 0,
      JWT_ISSUER: 'orotrace-local',
      JWT_AUDIENCE: 'orotrace',
      DEMO_DATA: 'auto',
      LOG_LEVEL: 'info',
      READY_MAX_LEDGER_LAG_SECONDS: 60,
      SCREENING_RULE_SAMPLE_RATE: 0.01,
      TOKEN_MAX_LIFETIME: 86_400,
      TOKEN_CLOCK_SKEW: 60,
      BODY_LIMIT_BYTES: 1024 * 1024,
      GEOMETRY_BODY_LIMIT_BYTES: 8 * 1024 * 1024,
      STATEMENT_TIMEOUT_MS: 15_000,
      EPCIS_CAPTURE_LIMIT: 500,
      SCREEN_DUE_INTERVAL_SECONDS: 3600,
      SHUTDOWN_TIMEOUT_SECONDS: 25,
      tokenKeys: undefined,
      LEDGER_PRIVATE_JWK: undefined,
      RATE_LIMITS: defaultRateLimits,
      TRUST_PROXY: 'off',
      GS1_COMPANY_PREFIX: '9520000',
      GS1_ACCEPTED_PREFIXES: [],
      QR_FORMAT: 'digital-link',
      claims: { role: 'role', actor: 'actor', checkpoint: 'checkpoint' },
    });
  });

  it('reads an identity provider’s claims where it puts them, and its role names as ours', () => {
    const c = parseNodeConfig({
      JWKS_URL: 'https://idp.example/jwks',
      JWT_ROLE_CLAIM: '/realm_access/roles',
      JWT_ACTOR_CLAIM: 'https://orotrace.example/actor',
      JWT_ROLE_MAP: 'orotrace-regulador=regulator, orotrace-puesto=checkpoint',
    });
    expect(c.claims).toEqual({
      role: '/realm_access/roles',
      actor: 'https://orotrace.example/actor',
      checkpoint: 'checkpoint',
      roleMap: { 'orotrace-regulador': 'regulator', 'orotrace-puesto': 'checkpoint' },
    });
    for (const [bad, why] of [
      ['x=superuser', /not a role of orotrace/],
      ['=regulator', /not provider-role=our-role/],
      ['a=regulator,a=admin', /mapped to two roles/],
      [' , ', /maps no role/],
    ] as const)
      expect(() => parseNodeConfig({ JWT_ROLE_MAP: bad }), bad).toThrow(why);
  });

  it('discovers the keys from the issuer when only the issuer is given', () => {
    expect(parseNodeConfig({ JWT_ISSUER: 'https://idp.example/realms/peru' }).tokenKeys).toEqual({
      discover: 'https://idp.example/realms/peru',
    });
    // A name that is not a URL is our own issuer: the local key.
    expect(parseNodeConfig({ JWT_ISSUER: 'orotrace-local' }).tokenKeys).toBeUndefined();
    // Plain http only on this machine.
    expect(parseNodeConfig({ JWT_ISSUER: 'http://idp.example' }).tokenKeys).toBeUndefined();
  });

  it('takes a GS1 Company Prefix of 4 to 12 digits, nothing else', () => {
    expect(parseNodeConfig({ GS1_COMPANY_PREFIX: '0614141' }).GS1_COMPANY_PREFIX).toBe('0614141');
    for (const bad of ['061', '0614141A', '1234567890123'])
      expect(() => parseNodeConfig({ GS1_COMPANY_PREFIX: bad }), bad).toThrow(
        /GS1_COMPANY_PREFIX: must be a GS1 Company Prefix/,
      );
  });

  it('accepts the labels of earlier GS1 Company Prefixes listed in GS1_ACCEPTED_PREFIXES, each checked', () => {
    expect(parseNodeConfig({ GS1_ACCEPTED_PREFIXES: '9520000, 0614141' }).GS1_ACCEPTED_PREFIXES).toEqual([
      '9520000',
      '0614141',
    ]);
    expect(parseNodeConfig({}).GS1_ACCEPTED_PREFIXES).toEqual([]);
    expect(() => parseNodeConfig({ GS1_ACCEPTED_PREFIXES: '9520000,061' })).toThrow(
      /GS1_ACCEPTED_PREFIXES: "061" is not a GS1 Company Prefix/,
    );
    expect(() => parseNodeConfig({ GS1_ACCEPTED_PREFIXES: '9520000 9520000' })).toThrow(
      /GS1_ACCEPTED_PREFIXES: names a prefix twice/,
    );
  });

  it('prints QR codes as GS1 Digital Links unless told compact, on a resolver given as a URL', () => {
    expect(parseNodeConfig({}).QR_FORMAT).toBe('digital-link');
    expect(parseNodeConfig({ QR_FORMAT: 'compact' }).QR_FORMAT).toBe('compact');
    expect(parseNodeConfig({ QR_RESOLVER: 'https://id.gs1.org' }).QR_RESOLVER).toBe('https://id.gs1.org');
    expect(() => parseNodeConfig({ QR_FORMAT: 'jws' })).toThrow(/QR_FORMAT/);
    expect(() => parseNodeConfig({ QR_RESOLVER: 'javascript:alert(1)' })).toThrow(
      /QR_RESOLVER: must be an http\(s\) URL/,
    );
  });

  it('reads token lifetimes as people write them, in seconds, and refuses what is not one or too long', () => {
    expect(parseNodeConfig({ TOKEN_MAX_LIFETIME: '12h', TOKEN_CLOCK_SKEW: '90s' })).toMatchObject({
      TOKEN_MAX_LIFETIME: 43_200,
      TOKEN_CLOCK_SKEW: 90,
    });
    expect(parseNodeConfig({ TOKEN_MAX_LIFETIME: '3600' }).TOKEN_MAX_LIFETIME).toBe(3600);
    const issues = refusal(() => parseNodeConfig({ TOKEN_MAX_LIFETIME: '100y', TOKEN_CLOCK_SKEW: '1h' }));
    expect(issues.TOKEN_MAX_LIFETIME?.join()).toMatch(/a duration such as 24h.*at most 30d/);
    expect(issues.TOKEN_CLOCK_SKEW?.join()).toMatch(/at most 10m/);
  });

  it('reads how long a shutdown waits for the requests in flight: 0 cuts them at once, a negative number is refused', () => {
    expect(parseNodeConfig({ SHUTDOWN_TIMEOUT_SECONDS: '0' })).toMatchObject({ SHUTDOWN_TIMEOUT_SECONDS: 0 });
    expect(parseNodeConfig({ SHUTDOWN_TIMEOUT_SECONDS: '55' })).toMatchObject({
      SHUTDOWN_TIMEOUT_SECONDS: 55,
    });
    expect(
      refusal(() => parseNodeConfig({ SHUTDOWN_TIMEOUT_SECONDS: '-1' })).SHUTDOWN_TIMEOUT_SECONDS,
    ).toEqual(['must be at least 0 seconds']);
  });

  it('reads how often due screening runs: 0 turns it off, a negative or fractional number is refused', () => {
    expect(parseNodeConfig({ SCREEN_DUE_INTERVAL_SECONDS: '0' })).toMatchObject({
      SCREEN_DUE_INTERVAL_SECONDS: 0,
    });
    expect(parseNodeConfig({ SCREEN_DUE_INTERVAL_SECONDS: '600' })).toMatchObject({
      SCREEN_DUE_INTERVAL_SECONDS: 600,
    });
    expect(
      refusal(() => parseNodeConfig({ SCREEN_DUE_INTERVAL_SECONDS: '-5' })).SCREEN_DUE_INTERVAL_SECONDS,
    ).toEqual(['must be at least 0 seconds']);
    expect(
      refusal(() => parseNodeConfig({ SCREEN_DUE_INTERVAL_SECONDS: '1.5' })).SCREEN_DUE_INTERVAL_SECONDS,
    ).toEqual(['must be a whole number of seconds']);
  });

  it('reads the limits on a request, and refuses one that is not a whole number in range', () => {
    expect(
      parseNodeConfig({
        BODY_LIMIT_BYTES: '65536',
        GEOMETRY_BODY_LIMIT_BYTES: '4194304',
        STATEMENT_TIMEOUT_MS: '0',
        EPCIS_CAPTURE_LIMIT: '50',
      }),
    ).toMatchObject({
      BODY_LIMIT_BYTES: 65536,
      GEOMETRY_BODY_LIMIT_BYTES: 4194304,
      STATEMENT_TIMEOUT_MS: 0,
      EPCIS_CAPTURE_LIMIT: 50,
    });
    const error = (() => {
      try {
        parseNodeConfig({
          BODY_LIMIT_BYTES: '1MB',
          GEOMETRY_BODY_LIMIT_BYTES: '10',
          STATEMENT_TIMEOUT_MS: '-1',
        });
      } catch (err) {
        return err as ConfigError;
      }
      throw new Error('accepted');
    })();
    expect(Object.fromEntries(error.issues.map((i) => [i.variable, i.message]))).toEqual({
      BODY_LIMIT_BYTES: 'must be a number of bytes',
      GEOMETRY_BODY_LIMIT_BYTES: 'must be at least 1024 bytes',
      STATEMENT_TIMEOUT_MS: 'must be at least 0 milliseconds',
    });
  });

  it('reads MIGRATION_DATABASE_URL beside DATABASE_URL, and refuses it alone or not postgres://', () => {
    const both = {
      DATABASE_URL: 'postgres://orotrace_api:pw@db/orotrace',
      MIGRATION_DATABASE_URL: 'postgres://orotrace_owner:pw@db/orotrace',
    };
    expect(parseNodeConfig(both).MIGRATION_DATABASE_URL).toBe(both.MIGRATION_DATABASE_URL);
    expect(refusal(() => parseNodeConfig({ MIGRATION_DATABASE_URL: both.MIGRATION_DATABASE_URL }))).toEqual({
      MIGRATION_DATABASE_URL: [expect.stringMatching(/without DATABASE_URL/)],
    });
    expect(
      refusal(() => parseNodeConfig({ ...both, MIGRATION_DATABASE_URL: 'mysql://u:pw@db/x' }))
        .MIGRATION_DATABASE_URL,
    ).toEqual(['must be a postgres:// URL']);
  });

  it('reads every variable, treats empty as unset, and drops the trailing slash of BASE_URL', () => {
    const config = parseNodeConfig({
      PORT: '9000',
      DATABASE_URL: 'postgres://u:pw@db.internal:5432/orotrace',
      DATA_DIR: '/var/lib/orotrace',
      BASE_URL: 'https://trace.example.pe/',
      JWT_PUBLIC_JWKS: JSON.stringify({ keys: [publicJwk] }),
      JWT_ISSUER: 'https://idp.example.pe',
      JWT_AUDIENCE: 'orotrace-prod',
      DEMO_DATA: 'off',
      LEDGER_PRIVATE_JWK: JSON.stringify(privateJwk),
      JWKS_URL: '',
    });
    expect(config).toMatchObject({
      PORT: 9000,
      DATABASE_URL: 'postgres://u:pw@db.internal:5432/orotrace',
      DATA_DIR: '/var/lib/orotrace',
      BASE_URL: 'https://trace.example.pe',
      tokenKeys: { jwks: { keys: [publicJwk] } },
      JWT_ISSUER: 'https://idp.example.pe',
      JWT_AUDIENCE: 'orotrace-prod',
      DEMO_DATA: 'off',
      LEDGER_PRIVATE_JWK: privateJwk,
    });
    expect(parseNodeConfig({ JWKS_URL: 'https://idp.example.pe/jwks' }).tokenKeys).toEqual({
      jwksUrl: 'https://idp.example.pe/jwks',
    });
  });

  it.each(badKeySets)('refuses JWT_PUBLIC_JWKS given as %s, naming the variable', (_case, value, message) => {
    const issues = refusal(() => parseNodeConfig({ JWT_PUBLIC_JWKS: value() }));
    expect(Object.keys(issues)).toEqual(['JWT_PUBLIC_JWKS']);
    expect(issues.JWT_PUBLIC_JWKS?.join('\n')).toMatch(message);
  });

  it('names every wrong variable at once, and never repeats a value', () => {
    const secret = JSON.stringify({ ...privateJwk, d: undefined });
    const error = (() => {
      try {
        parseNodeConfig({
          PORT: 'eighty',
          DATABASE_URL: 'mysql://u:pw@h/db',
          BASE_URL: 'trace.example.pe',
          DEMO_DATA: 'yes',
          LEDGER_PRIVATE_JWK: secret,
          JWKS_URL: 'https://idp.example.pe/jwks',
          JWT_PUBLIC_JWKS: JSON.stringify({ keys: [publicJwk] }),
        });
      } catch (err) {
        return err as ConfigError;
      }
      throw new Error('accepted');
    })();
    expect(error.issues.map((i) => i.variable).sort()).toEqual(
      ['BASE_URL', 'DATABASE_URL', 'DEMO_DATA', 'JWT_PUBLIC_JWKS', 'LEDGER_PRIVATE_JWK', 'PORT'].sort(),
    );
    expect(error.issues.find((i) => i.variable === 'LEDGER_PRIVATE_JWK')?.message).toMatch(/has no "d"/);
    expect(error.issues.find((i) => i.variable === 'JWT_PUBLIC_JWKS')?.message).toMatch(/not both/);
    expect(error.message).not.toContain(String(publicJwk.x));
    expect(error.message).not.toContain('pw@h');
  });

  it('refuses a LEDGER_PRIVATE_JWK that is not JSON, a public key, or not P-256', () => {
    expect(refusal(() => parseNodeConfig({ LEDGER_PRIVATE_JWK: 'ledger.jwk' })).LEDGER_PRIVATE_JWK).toEqual([
      'is not valid JSON',
    ]);
    expect(
      refusal(() => parseNodeConfig({ LEDGER_PRIVATE_JWK: JSON.stringify(publicJwk) })).LEDGER_PRIVATE_JWK,
    ).toEqual([expect.stringMatching(/has no "d"/)]);
    expect(
      refusal(() => parseNodeConfig({ LEDGER_PRIVATE_JWK: JSON.stringify({ ...privateJwk, crv: 'P-384' }) }))
        .LEDGER_PRIVATE_JWK,
    ).toEqual([expect.stringMatching(/P-256/)]);
  });
});

describe('checkpoints and witnesses', () => {
  // w1's key id does not match its name and key; w2 and w3 are well-formed cosignature/v1 vkeys.
  const w1 = 'w1.example/witness+44f5a0e1+BFwv7mu4sDkpfw9x3YeVKlNL3p1SJtYDzrIlLFpK0Bg8';
  const w2 = cosignatureVerifierKey('w2.example', new Uint8Array(32).fill(0xfb)).text;
  const w3 = cosignatureVerifierKey('w3.example', new Uint8Array(32).fill(0x3e)).text;

  it('derives the origin from BASE_URL, or takes CHECKPOINT_ORIGIN; the Worker without either signs none', () => {
    expect(parseNodeConfig({ BASE_URL: 'https://trace.example.pe/base/' }).CHECKPOINT_ORIGIN).toBe(
      'trace.example.pe/base/ledger',
    );
    expect(parseNodeConfig({ CHECKPOINT_ORIGIN: 'trace.example.pe/log' }).CHECKPOINT_ORIGIN).toBe(
      'trace.example.pe/log',
    );
    expect(refusal(() => parseNodeConfig({ CHECKPOINT_ORIGIN: 'a b+c' })).CHECKPOINT_ORIGIN).toEqual([
      expect.stringMatching(/without spaces or "\+"/),
    ]);
    const worker = {
      HYPERDRIVE: { connectionString: 'postgres://u:pw@127.0.0.1:5432/orotrace' },
      LEDGER_PRIVATE_JWK: JSON.stringify(privateJwk),
      JWKS_URL: 'https://idp.example.pe/jwks',
    };
    expect(parseWorkerConfig(worker).CHECKPOINT_ORIGIN).toBeUndefined();
    expect(parseWorkerConfig({ ...worker, BASE_URL: 'https://trace.example.pe' }).CHECKPOINT_ORIGIN).toBe(
      'trace.example.pe/ledger',
    );
  });

  it('names whom the public page tells a buyer to alert (PUBLIC_REPORT_CONTACT), on Node and on the Worker', () => {
    const contact = 'DREMAD Madre de Dios, tel. 082 000 000';
    expect(parseNodeConfig({ PUBLIC_REPORT_CONTACT: `  ${contact} ` }).PUBLIC_REPORT_CONTACT).toBe(contact);
    expect(parseNodeConfig({}).PUBLIC_REPORT_CONTACT).toBeUndefined();
    expect(
      refusal(() => parseNodeConfig({ PUBLIC_REPORT_CONTACT: 'x'.repeat(301) })).PUBLIC_REPORT_CONTACT,
    ).toHaveLength(1);
    const worker = {
      HYPERDRIVE: { connectionString: 'postgres://u:pw@127.0.0.1:5432/orotrace' },
      LEDGER_PRIVATE_JWK: JSON.stringify(privateJwk),
      JWKS_URL: 'https://idp.example.pe/jwks',
      PUBLIC_REPORT_CONTACT: contact,
    };
    expect(parseWorkerConfig(worker).PUBLIC_REPORT_CONTACT).toBe(contact);
  });

  it('reads witness vkeys separated by spaces or commas, and a quorum they can reach', () => {
    expect(parseVerifierKey(w2, 'cosignature')).toBeDefined();
    const config = parseNodeConfig({ WITNESS_KEYS: ` ${w2},\n${w3} `, WITNESS_QUORUM: '1' });
    expect(config.WITNESS_QUORUM).toBe(1);
    expect(config.WITNESS_KEYS).toHaveLength(2);
    const issues = refusal(() => parseNodeConfig({ WITNESS_KEYS: `${w2} ${w1}`, WITNESS_QUORUM: '3' }));
    expect(issues.WITNESS_KEYS).toEqual([
      expect.stringMatching(/key 2 is not a cosignature\/v1 verifier key/),
    ]);
    expect(refusal(() => parseNodeConfig({ WITNESS_KEYS: w2, WITNESS_QUORUM: '2' })).WITNESS_QUORUM).toEqual([
      'is 2 but WITNESS_KEYS names 1 witness(es)',
    ]);
    expect(refusal(() => parseNodeConfig({ WITNESS_KEYS: `${w2},${w2}` })).WITNESS_KEYS).toEqual([
      'names a witness twice',
    ]);
  });
});

describe('the environment on Workers', () => {
  const hyperdrive = { connectionString: 'postgres://u:pw@127.0.0.1:5432/orotrace' };
  const authFailureBinding = { limit: async () => ({ success: true }) };
  const minimal = () => ({
    HYPERDRIVE: hyperdrive,
    LEDGER_PRIVATE_JWK: JSON.stringify(privateJwk),
    JWT_PUBLIC_JWKS: JSON.stringify({ keys: [publicJwk] }),
  });

  it('reads the bindings and secrets: Hyperdrive, the ledger key, a key set', () => {
    const config = parseWorkerConfig({
      HYPERDRIVE: hyperdrive,
      LEDGER_PRIVATE_JWK: JSON.stringify(privateJwk),
      JWT_PUBLIC_JWKS: JSON.stringify({ keys: [publicJwk] }),
      JWT_ISSUER: 'https://idp.example.pe',
      BASE_URL: '',
      RATE_LIMITS: 'read=600/60',
      RATE_LIMIT_AUTH_FAILURE: authFailureBinding,
      // Other bindings (static assets) are not configuration.
      ASSETS: { fetch: () => undefined },
    });
    expect(config).toEqual({
      HYPERDRIVE: hyperdrive,
      LEDGER_PRIVATE_JWK: privateJwk,
      tokenKeys: { jwks: { keys: [publicJwk] } },
      JWT_ISSUER: 'https://idp.example.pe',
      JWT_AUDIENCE: 'orotrace',
      TOKEN_MAX_LIFETIME: 86_400,
      TOKEN_CLOCK_SKEW: 60,
      BASE_URL: undefined,
      CHECKPOINT_ORIGIN: undefined,
      WITNESS_KEYS: [],
      WITNESS_QUORUM: 0,
      GS1_COMPANY_PREFIX: '9520000',
      GS1_ACCEPTED_PREFIXES: [],
      QR_FORMAT: 'digital-link',
      QR_RESOLVER: undefined,
      claims: { role: 'role', actor: 'actor', checkpoint: 'checkpoint' },
      RATE_LIMITS: { ...defaultRateLimits, read: { limit: 600, windowSeconds: 60 } },
      rateLimitBindings: { 'auth-failure': authFailureBinding },
      BODY_LIMIT_BYTES: 1024 * 1024,
      GEOMETRY_BODY_LIMIT_BYTES: 8 * 1024 * 1024,
      STATEMENT_TIMEOUT_MS: 15_000,
      EPCIS_CAPTURE_LIMIT: 500,
      LOG_LEVEL: 'info',
      READY_MAX_LEDGER_LAG_SECONDS: 60,
    });
    expect(() => parseWorkerConfig({ ...minimal(), RATE_LIMIT_READ: 'yes' })).toThrow(
      /RATE_LIMIT_READ: is not a rate limiting binding/,
    );
    // A var given as a TOML table in wrangler.toml arrives parsed: it is checked the same way.
    expect(
      parseWorkerConfig({
        HYPERDRIVE: hyperdrive,
        LEDGER_PRIVATE_JWK: JSON.stringify(privateJwk),
        JWT_PUBLIC_JWKS: { keys: [publicJwk] },
      }).tokenKeys,
    ).toEqual({ jwks: { keys: [publicJwk] } });
    expect(() =>
      parseWorkerConfig({
        HYPERDRIVE: hyperdrive,
        LEDGER_PRIVATE_JWK: JSON.stringify(privateJwk),
        JWT_PUBLIC_JWKS: { keys: [privateJwk] },
      }),
    ).toThrow(/JWT_PUBLIC_JWKS: keys\[0\] is a private key/);
  });

  it('needs Hyperdrive, the ledger key and a key set: an empty env names all three', () => {
    expect(Object.keys(refusal(() => parseWorkerConfig({}))).sort()).toEqual([
      'HYPERDRIVE',
      'JWKS_URL',
      'LEDGER_PRIVATE_JWK',
    ]);
  });

  it.each(badKeySets)('refuses JWT_PUBLIC_JWKS given as %s, as on Node', (_case, value, message) => {
    const issues = refusal(() =>
      parseWorkerConfig({
        HYPERDRIVE: hyperdrive,
        LEDGER_PRIVATE_JWK: JSON.stringify(privateJwk),
        JWT_PUBLIC_JWKS: value(),
      }),
    );
    expect(Object.keys(issues)).toEqual(['JWT_PUBLIC_JWKS']);
    expect(issues.JWT_PUBLIC_JWKS?.join('\n')).toMatch(message);
  });

  it('refuses a public key as LEDGER_PRIVATE_JWK and text that is not JSON', () => {
    const env = { HYPERDRIVE: hyperdrive, JWKS_URL: 'https://idp.example.pe/jwks' };
    expect(
      refusal(() => parseWorkerConfig({ ...env, LEDGER_PRIVATE_JWK: JSON.stringify(publicJwk) }))
        .LEDGER_PRIVATE_JWK,
    ).toEqual([expect.stringMatching(/has no "d"/)]);
    expect(
      refusal(() => parseWorkerConfig({ ...env, LEDGER_PRIVATE_JWK: '-----BEGIN' })).LEDGER_PRIVATE_JWK,
    ).toEqual(['is not valid JSON']);
  });

  describe('the Worker entry', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('answers 500 problem+json and logs the refusal, naming the variable, when its env is bad', async () => {
      const logged: unknown[] = [];
      vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
        logged.push(...args);
      });
      const env = {
        HYPERDRIVE: hyperdrive,
        LEDGER_PRIVATE_JWK: JSON.stringify(privateJwk),
        JWT_PUBLIC_JWKS: JSON.stringify({ keys: [privateJwk] }),
      };
      const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };
      const res = await worker.fetch(
        new Request('https://trace.example.pe/v1/zones'),
        env as never,
        ctx as never,
      );
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      // One JSON line (the Worker's log), with the request's id the problem carries.
      const { requestId } = (await res.json()) as { requestId: string };
      const lines = logged.flatMap((e) => {
        try {
          return [JSON.parse(String(e)) as { requestId?: string; err?: { type?: string; message?: string } }];
        } catch {
          return [];
        }
      });
      expect(
        lines.some(
          (l) =>
            l.requestId === requestId &&
            l.err?.type === 'ConfigError' &&
            /JWT_PUBLIC_JWKS: keys\[0\] is a private key/.test(l.err.message ?? ''),
        ),
      ).toBe(true);
    });
  });
});
