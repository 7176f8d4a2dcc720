import { z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { daySchema } from '../domain/shared/dates.js';
import { text } from '../domain/shared/text.js';
import type { Role } from '../domain/shared/vocabulary.js';
import { requireRole } from './auth.js';
import type { AppEnv } from './env.js';
import { problemSchema } from './problem.js';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** The error answers every route may give, spread into each route's `responses`. */
export const errorResponses = {
  400: problem('The request is malformed; `errors` names each failing field. Nothing was changed.'),
  401: problem('Missing, expired or invalid bearer token.'),
  403: problem('The token is valid but its role or binding does not allow this.'),
  404: problem('No such resource, or its existence is private to the caller.'),
  409: problem('Conflicts with the current state (duplicate key, concurrent change).'),
  422: problem('Well-formed but not acceptable (invalid geometry, unknown reference, broken rule).'),
} as const;

/**
 * Declares who may call a route: the middleware that enforces it and the OpenAPI security
 * requirement that documents it, spread into `createRoute`.
 */
export function access(...roles: Role[]) {
  const middleware: MiddlewareHandler<AppEnv>[] = [requireRole(...roles)];
  return {
    middleware,
    security: [{ bearerAuth: [] }],
    description: `Roles: ${roles.join(', ')}.`,
  };
}

/**
 * The refusal every request may meet when rate limiting is on (http/rate-limit.ts): a public
 * route has no other 4xx to document, and this one is real.
 */
export const rateLimitedResponse = {
  429: problem('Too many requests (RATE_LIMITS); Retry-After says when to try again.'),
} as const;

/**
 * Declares a route anyone may call without a token, for what it answers is public by design (a
 * key, a checkpoint, hashes); the OpenAPI document says so with an empty security requirement.
 */
export function publicAccess(why: string) {
  return { security: [], description: `Public: no token. ${why}` };
}

export const uuidParam = z.object({
  id: z
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' }, example: '01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f' }),
});

export const pageQuery = {
  cursor: text({ max: 200 })
    .optional()
    .openapi({ description: 'Opaque cursor from a previous page (`nextCursor`).' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .openapi({ description: 'Page size, 1–500 (default 50).' }),
};

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` for the next page; null at the end.' }),
  });

/** `?detail=`: how much of each area a list of zones or concessions answers (reference/geometry.ts). */
export const listDetailQuery = z
  .enum(['simplified', 'full'])
  .default('simplified')
  .openapi({
    description:
      'simplified (default): an area of more than 1,000 vertices is simplified to at most 1,000 ' +
      '(tolerance 1/500 of its extent), enough to draw it on a map; full: every vertex as stored. ' +
      'GET of one zone or concession always answers full detail.',
  });

/** Bounding box filter `minLon,minLat,maxLon,maxLat` (RFC 7946 §5 order). */
export const bboxQuery = text({ max: 200 })
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined;
    const parts = s.split(',').map((p) => Number(p.trim()));
    const [minLon, minLat, maxLon, maxLat] = parts;
    if (
      parts.length !== 4 ||
      minLon === undefined ||
      minLat === undefined ||
      maxLon === undefined ||
      maxLat === undefined ||
      parts.some((n) => !Number.isFinite(n)) ||
      minLon < -180 ||
      maxLon > 180 ||
      minLat < -90 ||
      maxLat > 90 ||
      minLon > maxLon ||
      minLat > maxLat
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'bbox must be minLon,minLat,maxLon,maxLat within WGS84 bounds',
      });
      return z.NEVER;
    }
    return { minLon, minLat, maxLon, maxLat };
  })
  .openapi({
    type: 'string',
    example: '-70.3,-13.2,-69.8,-12.8',
    description: 'minLon,minLat,maxLon,maxLat',
  });

const isoDate = daySchema.openapi({ example: '2024-03-01' });

/** A JSON response entry for `createRoute`. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A JSON request body entry for `createRoute`. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/** A list answered as `{items, nextCursor}`, or as a FeatureCollection for `Accept: application/geo+json`. */
export const listResponse = <T extends z.ZodType>(item: T, description: string) => ({
  description,
  content: {
    'application/json': { schema: pageOf(item) },
    'application/geo+json': {
      schema: z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }),
    },
  },
});

const lastDay = isoDate.openapi({ description: 'Day from which it is no longer in force.' });
/** Bodies of the retire routes: reference data is retired from a date on, never deleted. */
export const retiredOnBody = jsonBody(z.object({ retiredOn: lastDay }));
export const validToBody = jsonBody(z.object({ validTo: lastDay }));
