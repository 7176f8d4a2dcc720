import type { MiddlewareHandler } from 'hono';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import { type ClaimMapping, defaultClaimMapping, mappedClaims } from '../domain/shared/claims.js';
import { ApiError } from '../domain/shared/errors.js';
import { claimsSchema, type Principal, principalOf } from '../domain/shared/principal.js';
import type { Role } from '../domain/shared/vocabulary.js';
import type { AppEnv, TokenVerifier } from './env.js';
import { problemResponse } from './problem.js';

/** Algorithms an identity provider may sign with; `none` and HMAC are never accepted. */
const acceptedAlgorithms = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];

export interface TokenPolicy {
  /** The longest a token may live, exp − iat, in seconds (default a day). */
  maxLifetimeSeconds?: number;
  /** Clock difference tolerated on exp, nbf and iat, in seconds (default a minute). */
  clockSkewSeconds?: number;
}

export function createTokenVerifier(opts: {
  /** A key set by URL, inline, or named by the issuer's OpenID configuration (`discover`: its URL). */
  keys: { jwksUrl: string } | { jwks: JSONWebKeySet } | { discover: string };
  issuer: string;
  audience: string;
  policy?: TokenPolicy;
  /** Where the tokens say role, actor and checkpoint; default: our own claims. */
  claims?: ClaimMapping;
}): TokenVerifier {
  const maxLifetime = opts.policy?.maxLifetimeSeconds ?? 86_400;
  const skew = opts.policy?.clockSkewSeconds ?? 60;
  const mapping = opts.claims ?? defaultClaimMapping;
  const getKey: JWTVerifyGetKey =
    'jwksUrl' in opts.keys
      ? createRemoteJWKSet(new URL(opts.keys.jwksUrl))
      : 'discover' in opts.keys
        ? discoveredKeySet(opts.keys.discover)
        : createLocalJWKSet(opts.keys.jwks);
  // Verified tokens are remembered until they expire (at most 5 minutes, at most 10,000 of them):
  // a device sends the same token with every request, and an ES256 verification costs ~0.25 ms.
  const cache = new Map<string, { principal: Principal; until: number }>();
  return async (token) => {
    const now = Date.now();
    const hit = cache.get(token);
    if (hit && hit.until > now) return hit.principal;
    if (hit) cache.delete(token);
    const verified = await verify(token);
    if (cache.size >= 10_000) cache.delete(cache.keys().next().value as string);
    cache.set(token, { principal: verified.principal, until: Math.min(verified.exp * 1000, now + 300_000) });
    return verified.principal;
  };

  async function verify(token: string): Promise<{ principal: Principal; exp: number }> {
    let payload: { exp?: number; iat?: number; [claim: string]: unknown } | undefined;
    try {
      // jose checks exp and nbf (and that iat is a number) with the tolerance for clock skew.
      ({ payload } = await jwtVerify<{ exp?: number; iat?: number }>(token, getKey, {
        issuer: opts.issuer,
        audience: opts.audience,
        algorithms: acceptedAlgorithms,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: skew,
      }));
    } catch (err) {
      if (err instanceof DiscoveryError) throw new ApiError('unavailable', err.message);
      throw new ApiError('unauthenticated', `invalid token: ${describeJoseError(err)}`);
    }
    const lifetimeProblem = lifetimeOf(payload, maxLifetime, skew);
    if (lifetimeProblem) throw new ApiError('unauthenticated', `invalid token: ${lifetimeProblem}`);
    const mapped = mappedClaims(payload, mapping);
    if ('problem' in mapped) throw new ApiError('unauthenticated', `invalid token claims: ${mapped.problem}`);
    const claims = claimsSchema.safeParse(mapped.claims);
    if (!claims.success) {
      throw new ApiError(
        'unauthenticated',
        `invalid token claims: ${claims.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    return { principal: principalOf(claims.data), exp: payload?.exp ?? 0 };
  }
}

/** How long the provider's discovery document is waited for, as jose waits for its key set. */
const discoveryTimeoutMs = 5_000;

/** The identity provider could not tell us its keys: a failure of ours to verify, not of the token. */
class DiscoveryError extends Error {}

/**
 * The key set an OpenID provider names in its discovery document (OpenID Connect Discovery 1.0
 * §4: `<issuer>/.well-known/openid-configuration`, whose `issuer` must be the one configured,
 * §4.3), read on the first token and kept; jose's remote key set then follows the provider's
 * key rotation. A failed read is tried again on the next token, and answers 503, not 401.
 */
function discoveredKeySet(issuer: string): JWTVerifyGetKey {
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  const load = async (): Promise<JWTVerifyGetKey> => {
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let doc: { issuer?: unknown; jwks_uri?: unknown };
    try {
      // A provider that does not answer must not hold every request that waits on it.
      const res = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(discoveryTimeoutMs),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      doc = (await res.json()) as typeof doc;
    } catch (err) {
      throw new DiscoveryError(
        `the identity provider's configuration (${url}) could not be read: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (doc.issuer !== issuer)
      throw new DiscoveryError(
        `${url} is the configuration of issuer ${JSON.stringify(doc.issuer)}, not ${issuer}`,
      );
    if (typeof doc.jwks_uri !== 'string' || !URL.canParse(doc.jwks_uri))
      throw new DiscoveryError(`${url} names no jwks_uri`);
    return createRemoteJWKSet(new URL(doc.jwks_uri));
  };
  return async (header, token) => {
    keySet ??= load().catch((err: unknown) => {
      keySet = undefined;
      throw err;
    });
    return (await keySet)(header, token);
  };
}

/**
 * A token may live at most `max` seconds: a long-lived token is a standing credential whoever
 * steals it keeps. Judged from exp − iat, and from exp − now as well, so that a token without iat,
 * or one claiming to be issued in the future, cannot stretch it.
 */
function lifetimeOf(payload: { exp?: number; iat?: number }, max: number, skew: number): string | undefined {
  const now = Math.floor(Date.now() / 1000);
  const exp = payload.exp ?? 0;
  if (payload.iat !== undefined && payload.iat > now + skew) return 'issued in the future ("iat")';
  if (payload.iat !== undefined && exp - payload.iat > max) {
    return `lives longer than the ${max} s a token may ("exp" - "iat")`;
  }
  if (exp - now > max + skew) return `expires more than ${max} s from now`;
  return undefined;
}

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'nbf')
    return 'not valid yet ("nbf")';
  if (err instanceof joseErrors.JWTClaimValidationFailed)
    return `claim "${err.claim}" ${err.reason === 'check_failed' ? 'does not match' : err.reason}`;
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'signing algorithm not accepted';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature does not verify';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'signed by an unknown key';
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid) return 'malformed';
  if (err instanceof joseErrors.JOSEError) return err.code;
  return 'could not be verified';
}

/**
 * The WWW-Authenticate challenge (RFC 6750 §3). A header carries visible ASCII only: any other
 * character of the description (a typographic sign, a letter with an accent) is replaced, so a
 * message can never turn a refusal into a failure to answer at all.
 */
const challenge = (error: string, description: string) =>
  `Bearer realm="orotrace", error="${error}", error_description="${description.replaceAll('"', "'").replace(/[^\x20-\x7e]/g, '?')}"`;

/**
 * Admits a request whose bearer token verifies and whose role is one of `allowed`; sets the
 * principal on the context. Missing or bad token: 401 with WWW-Authenticate; wrong role: 403.
 */
export function requireRole(...allowed: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header?.match(/^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i);
    if (!match?.[1]) {
      const err = new ApiError('unauthenticated', 'an Authorization: Bearer <token> header is required');
      return problemResponse(c, err, { 'www-authenticate': 'Bearer realm="orotrace"' });
    }
    let principal: Principal;
    try {
      principal = await c.var.services.verifyToken(match[1]);
    } catch (err) {
      if (err instanceof ApiError) {
        return problemResponse(c, err, { 'www-authenticate': challenge('invalid_token', err.message) });
      }
      throw err;
    }
    if (!allowed.includes(principal.role)) {
      return problemResponse(
        c,
        new ApiError('forbidden', `role ${principal.role} may not do this; allowed: ${allowed.join(', ')}`),
      );
    }
    c.set('principal', principal);
    await next();
  };
}
