/**
 * The signed-in person of an app: a bearer token (minted by the identity provider, or by
 * `npm run token` on the embedded default), kept on the device. The server verifies it on every
 * call; the app only reads its claims to know the role, actor and checkpoint it works for.
 * A link may carry the token in its fragment (`…/app/checkpoint/#token=…`, or a route's
 * `#/lots/<id>?token=…`): it is taken, kept and removed from the address bar (the route stays),
 * never sent to the server in a URL.
 */
import { type Role, roles } from '../../domain/shared/vocabulary.js';
import { href, parseRoute } from './route.js';

export interface Session {
  token: string;
  role: Role;
  sub: string;
  actorId?: string;
  checkpointId?: string;
  /** Seconds since the epoch. */
  exp: number;
}

export type SessionProblem = 'invalid' | 'expired';

function base64UrlDecode(s: string): string {
  const b64 = s
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(s.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Reads a JWT's claims without verifying it (the server does); null when it is not a JWT. */
function sessionOf(token: string): Session | SessionProblem {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) return 'invalid';
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(base64UrlDecode(parts[1])) as Record<string, unknown>;
  } catch {
    return 'invalid';
  }
  const { role, sub, actor, checkpoint, exp } = claims;
  if (!isRole(role) || typeof sub !== 'string' || typeof exp !== 'number') {
    return 'invalid';
  }
  if (exp * 1000 <= Date.now()) return 'expired';
  return {
    token: token.trim(),
    role,
    sub,
    exp,
    ...(typeof actor === 'string' ? { actorId: actor } : {}),
    ...(typeof checkpoint === 'string' ? { checkpointId: checkpoint } : {}),
  };
}

function isRole(value: unknown): value is Role {
  return (roles as readonly unknown[]).includes(value);
}

const key = (app: string) => `orotrace.${app}.token`;

/**
 * The token a link carries in its fragment, and the address without it: "#token=…" (the whole
 * fragment) or a route's "?token=…" ("#/lots/<id>?token=…"), whose route stays, so a deep
 * link signs in and lands where it points.
 */
function tokenInFragment(hash: string): { token: string; rest: string } | null {
  const whole = new URLSearchParams(hash.slice(1)).get('token');
  if (/^#token=/.test(hash) && whole) return { token: whole, rest: '' };
  const route = parseRoute(hash);
  const token = route.query.get('token');
  if (!token) return null;
  route.query.delete('token');
  return { token, rest: href(route.path, Object.fromEntries(route.query)) };
}

/** The stored session of an app, taking a token from the address fragment first. */
export function loadSession(app: string): Session | SessionProblem | null {
  const carried = tokenInFragment(location.hash);
  if (carried) {
    localStorage.setItem(key(app), carried.token);
    history.replaceState(
      null,
      '',
      location.pathname + location.search + (carried.rest === '#/' ? '' : carried.rest),
    );
  }
  const token = localStorage.getItem(key(app));
  return token ? sessionOf(token) : null;
}

export function saveSession(app: string, token: string): Session | SessionProblem {
  const session = sessionOf(token);
  if (typeof session === 'object') localStorage.setItem(key(app), session.token);
  return session;
}

export function clearSession(app: string): void {
  localStorage.removeItem(key(app));
}
