/**
 * Rate limiting (README "Rate limits"). Every request is counted in one class:
 * - without a bearer token (public pages, /v/ look-ups, health): `public`, by client address;
 * - with a token that does not verify: `auth-failure`, by client address — a tight budget, and
 *   once it is spent the address is refused before its tokens' signatures are checked at all;
 * - with a token that verifies: `read` (GET, HEAD, OPTIONS) or `write`, by the token's subject.
 * A refused request gets 429 problem+json with `Retry-After`; every counted answer carries the
 * `RateLimit-Policy` and `RateLimit` fields of draft-ietf-httpapi-ratelimit-headers
 * (`"read";q=1200;w=60` and `"read";r=1199;t=60`).
 *
 * Node counts in process (`memoryRateLimiter`); the Worker uses the Workers Rate Limiting
 * bindings when they are bound (`bindingRateLimiter`), which say only yes or no.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { RateLimitBinding, RateLimitClass, RateLimitPolicies } from '../config.js';
import { ApiError } from '../domain/shared/errors.js';
import type { Principal } from '../domain/shared/principal.js';
import type { AppEnv } from './env.js';
import { problemResponse } from './problem.js';

/** What a limiter says of one request of a key. */
interface Decision {
  allowed: boolean;
  /** Requests left in the window; undefined when the limiter cannot tell (Workers bindings). */
  remaining: number | undefined;
  /** Seconds until the window ends (≥ 1). */
  resetSeconds: number;
}

export interface RateLimiter {
  /** Counts one request of `key` in `cls`. */
  hit(cls: RateLimitClass, key: string): Decision | Promise<Decision>;
  /** The refusal `key` would get in `cls` right now, without counting; undefined if admitted. */
  refusal(cls: RateLimitClass, key: string): Decision | undefined;
}

/** What the middleware needs; absent (createApp's `rateLimits` unset), nothing is limited. */
export interface RateLimiting {
  policies: RateLimitPolicies;
  limiter: RateLimiter;
  /** The client's address (undefined: unknown, all such clients share one budget). */
  clientAddress: (c: Context<AppEnv>) => string | undefined;
  /** Told of every refusal (a metrics counter). */
  onRefused?: (cls: RateLimitClass) => void;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Fixed windows per key, in process, with bounded memory: at most `maxKeys` keys; windows that
 * ended are dropped first, and when every key is live the oldest window goes (a flood of
 * distinct addresses can thus only reset the oldest counters, never grow the map).
 */
export function memoryRateLimiter(
  policies: RateLimitPolicies,
  opts: { maxKeys?: number; now?: () => number } = {},
): RateLimiter & { size(): number } {
  const maxKeys = opts.maxKeys ?? 100_000;
  const now = opts.now ?? Date.now;
  // Insertion order is window start order: a new window is deleted and set again.
  const windows = new Map<string, { ends: number; count: number }>();

  const evict = (at: number) => {
    for (const [key, w] of windows) {
      if (windows.size < maxKeys && w.ends > at) return;
      windows.delete(key);
    }
  };

  return {
    hit(cls, key) {
      const { limit, windowSeconds } = policies[cls];
      const at = now();
      const id = `${cls} ${key}`;
      let w = windows.get(id);
      if (!w || w.ends <= at) {
        windows.delete(id);
        evict(at);
        w = { ends: at + windowSeconds * 1000, count: 0 };
        windows.set(id, w);
      }
      const resetSeconds = seconds(w.ends - at);
      if (w.count >= limit) return { allowed: false, remaining: 0, resetSeconds };
      w.count += 1;
      return { allowed: true, remaining: limit - w.count, resetSeconds };
    },
    refusal(cls, key) {
      const at = now();
      const w = windows.get(`${cls} ${key}`);
      if (!w || w.ends <= at || w.count < policies[cls].limit) return undefined;
      return { allowed: false, remaining: 0, resetSeconds: seconds(w.ends - at) };
    },
    size: () => windows.size,
  };
}

/**
 * The Workers Rate Limiting bindings, one namespace per class (their limit and period are set in
 * wrangler.toml and should match RATE_LIMITS, which the headers announce). A class without a
 * binding is counted by `fallback`. A binding cannot be asked without counting, so refusals are
 * remembered in the isolate for the window (bounded) to answer `refusal`.
 */
export function bindingRateLimiter(
  policies: RateLimitPolicies,
  bindings: Partial<Record<RateLimitClass, RateLimitBinding>>,
  fallback: RateLimiter,
  opts: { maxKeys?: number; now?: () => number } = {},
): RateLimiter {
  const maxKeys = opts.maxKeys ?? 10_000;
  const now = opts.now ?? Date.now;
  const refused = new Map<string, number>();
  return {
    async hit(cls, key) {
      const binding = bindings[cls];
      if (!binding) return fallback.hit(cls, key);
      const windowMs = policies[cls].windowSeconds * 1000;
      const { success } = await binding.limit({ key });
      if (success) return { allowed: true, remaining: undefined, resetSeconds: seconds(windowMs) };
      const id = `${cls} ${key}`;
      refused.delete(id);
      if (refused.size >= maxKeys) refused.delete(refused.keys().next().value as string);
      refused.set(id, now() + windowMs);
      return { allowed: false, remaining: 0, resetSeconds: seconds(windowMs) };
    },
    refusal(cls, key) {
      if (!bindings[cls]) return fallback.refusal(cls, key);
      const id = `${cls} ${key}`;
      const until = refused.get(id);
      if (until === undefined) return undefined;
      if (until <= now()) {
        refused.delete(id);
        return undefined;
      }
      return { allowed: false, remaining: 0, resetSeconds: seconds(until - now()) };
    },
  };
}

/**
 * One budget per client: an IPv4 address as is (also when IPv4-mapped), an IPv6 address by its
 * /64 (what one subscriber is usually given, so a client cannot rotate through its own range).
 */
export function addressKey(address: string | undefined): string {
  const a = address?.trim().toLowerCase();
  if (!a) return 'unknown';
  const mapped = a.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped?.[1]) return mapped[1];
  if (!a.includes(':')) return a;
  const [head = '', tail = ''] = a.replace(/%.*$/, '').split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = a.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Where a client's address is read (TRUST_PROXY): the socket, or a header a trusted proxy set. */
export type TrustProxy = 'off' | 'cf-connecting-ip' | 'x-forwarded-for';

export function clientAddressOf(
  trust: TrustProxy,
  socket: (c: Context<AppEnv>) => string | undefined,
): (c: Context<AppEnv>) => string | undefined {
  if (trust === 'cf-connecting-ip') return (c) => c.req.header('cf-connecting-ip')?.trim() || socket(c);
  if (trust === 'x-forwarded-for') {
    // The last entry is the one the proxy in front added; earlier ones are the client's word.
    return (c) => c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim() || socket(c);
  }
  return socket;
}

const bearer = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i;
const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function headersOf(cls: RateLimitClass, policies: RateLimitPolicies, d: Decision): Record<string, string> {
  const { limit, windowSeconds } = policies[cls];
  return {
    'ratelimit-policy': `"${cls}";q=${limit};w=${windowSeconds}`,
    ...(d.remaining === undefined ? {} : { ratelimit: `"${cls}";r=${d.remaining};t=${d.resetSeconds}` }),
  };
}

/**
 * The middleware. `setup` is asked per request (the Worker builds it from its env); undefined
 * turns limiting off. Mount it after the services are set and before the routes.
 */
export function rateLimit(
  setup: (c: Context<AppEnv>) => RateLimiting | undefined | Promise<RateLimiting | undefined>,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const rl = await setup(c);
    if (!rl) return next();
    const { limiter, policies } = rl;
    const refuse = (cls: RateLimitClass, d: Decision) => {
      rl.onRefused?.(cls);
      const who = cls === 'read' || cls === 'write' ? 'this token' : 'this address';
      const err = new ApiError(
        'rate_limited',
        `too many ${cls === 'auth-failure' ? 'requests with a token that does not verify' : `${cls === 'public' ? '' : `${cls} `}requests`} from ${who}: at most ${policies[cls].limit} per ${policies[cls].windowSeconds} s; retry after ${d.resetSeconds} s`,
      );
      return problemResponse(c, err, {
        'retry-after': String(d.resetSeconds),
        ...headersOf(cls, policies, { ...d, remaining: 0 }),
      });
    };
    const admit = async (cls: RateLimitClass, d: Decision) => {
      if (!d.allowed) return refuse(cls, d);
      await next();
      for (const [name, value] of Object.entries(headersOf(cls, policies, d))) c.res.headers.set(name, value);
      return undefined;
    };

    const address = addressKey(rl.clientAddress(c));
    const token = c.req.header('authorization')?.match(bearer)?.[1];
    if (!token) return admit('public', await limiter.hit('public', address));

    // An address whose failed tokens spent their budget costs no signature check until it ends.
    const blocked = limiter.refusal('auth-failure', address);
    if (blocked) return refuse('auth-failure', blocked);
    let principal: Principal;
    try {
      // Verified tokens are cached (http/auth.ts): the route's own check costs a map look-up.
      principal = await c.var.services.verifyToken(token);
    } catch (err) {
      // A token that does not verify: counted against the address, answered 401 by the route.
      if (err instanceof ApiError) return admit('auth-failure', await limiter.hit('auth-failure', address));
      // The key set could not be reached: not the client's fault; count it as public.
      return admit('public', await limiter.hit('public', address));
    }
    const cls = readMethods.has(c.req.method) ? 'read' : 'write';
    return admit(cls, await limiter.hit(cls, `sub ${principal.sub}`));
  };
}
