import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { ApiError, type FieldError, type ProblemCode, problemCodes } from '../domain/shared/errors.js';

/** RFC 9457 problem details, as every error of the API is answered. */
export const problemSchema = z
  .object({
    type: z.string().describe('Stable identifier of the kind of problem, e.g. /problems/validation'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    requestId: z
      .string()
      .optional()
      .describe('The id of the request (also its X-Request-Id header): quote it when reporting a problem'),
  })
  .catchall(z.unknown());
export type Problem = z.infer<typeof problemSchema>;

const titles: Record<ProblemCode, string> = {
  validation: 'Invalid request',
  unauthenticated: 'Authentication required',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  preview_outdated: 'The write would flag more than its preview said',
  payload_too_large: 'Request body too large',
  unsupported_media_type: 'Unsupported media type',
  unprocessable: 'Unprocessable request',
  limit_exceeded: 'Limit exceeded',
  invalid_geometry: 'Invalid geometry',
  invalid_qr: 'QR code not genuine',
  rate_limited: 'Too many requests',
  internal: 'Internal error',
  unavailable: 'Temporarily unavailable',
};

export function problemOf(err: ApiError, instance?: string): Problem {
  return {
    type: `/problems/${err.code.replaceAll('_', '-')}`,
    title: titles[err.code],
    status: problemCodes[err.code],
    detail: err.message,
    ...(instance ? { instance } : {}),
    ...(err.errors ? { errors: err.errors } : {}),
    ...err.extra,
  };
}

/**
 * The problem as the answer; it carries the request's id (`requestId`, also the X-Request-Id
 * header and the request's log line), so a client's report leads to the server's logs.
 */
export function problemResponse(c: Context, err: ApiError, headers: Record<string, string> = {}): Response {
  const requestId: unknown = c.get('requestId');
  const body = {
    ...problemOf(err, new URL(c.req.url).pathname),
    ...(typeof requestId === 'string' ? { requestId } : {}),
  };
  return c.body(JSON.stringify(body), err.status as ContentfulStatusCode, {
    'content-type': 'application/problem+json',
    ...headers,
  });
}

/** zod issues as the `errors` member: one entry per failing field, with its dotted path. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldError[] {
  return issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: i.message,
  }));
}

/**
 * PostgreSQL errors that are the client's fault, mapped to what they mean; others are ours. The
 * schemas refuse bad input before it is written; this is the net under them: a data exception
 * (SQLSTATE class 22: a value out of range, badly encoded, of the wrong form) is a 400, a limit
 * of the database (class 54: too long, too many, too complex) a 422, each naming the column's
 * field when the error names it.
 */
export function fromDatabaseError(err: unknown): ApiError | undefined {
  const pg = findPgError(err);
  if (!pg) return undefined;
  const field = pg.column ? fieldOfColumn(pg.column) : undefined;
  const errors = field ? { errors: [{ field, message: pg.message }] } : {};
  if (pg.code.startsWith('22')) {
    return new ApiError(
      'validation',
      `the database refused a value${field ? ` of ${field}` : ''}: ${pg.message}`,
      errors,
    );
  }
  if (pg.code.startsWith('54')) {
    return new ApiError(
      'unprocessable',
      `too large for the database${field ? ` (${field})` : ''}: ${pg.message}`,
      errors,
    );
  }
  switch (pg.code) {
    case '23502':
      return new ApiError('unprocessable', `${field ?? 'a required value'} is missing`, errors);
    case '23505':
      return new ApiError('conflict', `already exists: ${pg.detail ?? pg.constraint ?? pg.message}`);
    case '23503':
      return new ApiError(
        'unprocessable',
        `refers to something that does not exist: ${pg.detail ?? pg.message}`,
      );
    case '23514':
      return new ApiError('unprocessable', `violates ${pg.constraint ?? 'a check constraint'}`);
    case '40001':
    case '40P01':
    case '55P03':
      return new ApiError('conflict', 'a concurrent change won; retry the request');
    case '57014':
      // query_canceled: the statement timeout (or an operator) stopped a statement. Input is
      // bounded before it reaches the database (body size, vertices, array lengths, page size),
      // so a statement that still runs too long says the server is overloaded, not that the
      // request was wrong: 503, and the client may retry (app.ts adds Retry-After).
      return new ApiError('unavailable', 'the database did not answer in time; retry shortly');
    default:
      return undefined;
  }
}

interface PgLikeError {
  code: string;
  message: string;
  detail?: string;
  constraint?: string;
  column?: string;
}

/** A column as the API names its field: gross_weight_g → grossWeightG. */
const fieldOfColumn = (column: string) => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function findPgError(err: unknown): PgLikeError | undefined {
  // drizzle wraps driver errors in DrizzleQueryError with the original as `cause`. postgres.js
  // names the constraint and column `constraint_name` and `column_name`, PGlite as the protocol
  // does (`constraint`, `column`).
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const cand = e as Partial<PgLikeError> & {
      cause?: unknown;
      constraint_name?: string;
      column_name?: string;
    };
    if (typeof cand.code === 'string' && /^[0-9A-Z]{5}$/.test(cand.code)) {
      return {
        code: cand.code,
        message: String(cand.message ?? ''),
        ...(cand.detail ? { detail: cand.detail } : {}),
        ...((cand.constraint ?? cand.constraint_name)
          ? { constraint: cand.constraint ?? cand.constraint_name }
          : {}),
        ...((cand.column ?? cand.column_name) ? { column: cand.column ?? cand.column_name } : {}),
      };
    }
    e = cand.cause;
  }
  return undefined;
}
