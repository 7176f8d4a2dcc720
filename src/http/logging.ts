/**
 * Request logs (README "Operations" → "Metrics and logs"): one JSON line per request, and every
 * answer carrying the request's id, so that an operator finds one request's whole story — its
 * line, its error, the problem a client reports — by that id. Worker-safe: the Node server logs
 * through pino (logging.node.ts); the Worker through `consoleLog`, one JSON line per call on
 * the console, which Workers Logs collect.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from './env.js';

/** The levels the logs know, lowest first (pino's names). */
export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

type LogFn = (fields: Record<string, unknown>, message: string) => void;

/** What the app logs through: pino's logger satisfies it, and so does `consoleLog`. */
export interface Log {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/**
 * JSON lines on the console at `level` and above (the Worker's logger; pino's line shape):
 * errors on console.error, the rest on console.log, as Workers Logs tell them apart.
 */
export function consoleLog(level: LogLevel = 'info'): Log {
  const threshold = logLevels.indexOf(level);
  const at =
    (name: LogLevel, number: number, write: (line: string) => void): LogFn =>
    (fields, message) => {
      if (logLevels.indexOf(name) < threshold) return;
      write(JSON.stringify({ level: number, time: Date.now(), ...serializable(fields), msg: message }));
    };
  return {
    info: at('info', 30, (line) => console.log(line)),
    warn: at('warn', 40, (line) => console.warn(line)),
    error: at('error', 50, (line) => console.error(line)),
  };
}

/** An Error as JSON (its own members are not enumerable): type, message, stack, cause. */
function serializable(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? errorFields(v) : v;
  return out;
}

const errorFields = (e: Error): Record<string, unknown> => ({
  type: e.name,
  message: e.message,
  stack: e.stack,
  ...(e.cause instanceof Error ? { cause: errorFields(e.cause) } : {}),
});

/**
 * A client's X-Request-Id is kept when it is one short token of safe characters (letters,
 * digits, `.`, `_`, `:`, `-`; at most 128): it then ties our lines to the client's or a proxy's.
 * Anything else — too long, a newline that would forge a log line, a non-ASCII letter, a quote —
 * is replaced by an id of our own, never cleaned up and kept.
 */
const wellFormedId = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(header: string | undefined): string {
  return header !== undefined && wellFormedId.test(header) ? header : crypto.randomUUID();
}

/**
 * The route pattern that answered (`/v1/lots/:id`), never the path with its ids: a bounded set,
 * fit for a log field and a metric label. A request no route matched is `(unmatched)`.
 */
export function routePatternOf(c: Context): string {
  // The last route matched is the one that answers, or would have (a request refused before it,
  // by authentication or a rate limit, is still counted under it); the first ones are middleware.
  const path = routePath(c, -1);
  return path === '*' || path === '/*' || path === '' ? '(unmatched)' : path;
}

/**
 * First middleware: gives the request its id (c.var.requestId, the X-Request-Id of the answer,
 * the `requestId` of a problem) and, when a log is given, writes its line once the answer is
 * made: method, route pattern, status, duration, id, and who asked (role and token subject
 * only; never the token, the path's ids, the query or the body).
 */
export function requestLogging(log: Log | undefined): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = requestIdOf(c.req.header('x-request-id'));
    c.set('requestId', requestId);
    await next();
    c.res.headers.set('x-request-id', requestId);
    if (!log) return;
    const status = c.res.status;
    const principal = c.var.principal;
    const fields = {
      requestId,
      method: c.req.method,
      route: routePatternOf(c),
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      ...(principal ? { role: principal.role, subject: principal.sub } : {}),
    };
    if (status >= 500) log.error(fields, 'request');
    else log.info(fields, 'request');
  };
}
