import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../domain/shared/errors.js';
import type { AppEnv, RequestLimits } from './env.js';
import { problemResponse } from './problem.js';

/** The defaults of config.ts, for an app built without a configuration (tests). */
const defaultLimits: RequestLimits = { bodyBytes: 1024 * 1024, geometryBodyBytes: 8 * 1024 * 1024 };

/** The routes that upload an area, and so may carry more than the default body limit. */
const geometryUploads = new Set(['POST /v1/zones', 'POST /v1/concessions']);

const size = (bytes: number) =>
  bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`;

/**
 * Refuses a body above the route's limit with 413 before it is read whole: a Content-Length above
 * the limit is refused without reading a byte; a body without one (chunked) is counted as it
 * streams in and refused at the first chunk past the limit (hono/body-limit does both).
 */
export const limitRequestBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const limits = c.var.services.limits ?? defaultLimits;
  const route = `${c.req.method} ${new URL(c.req.url).pathname.replace(/\/+$/, '')}`;
  const maxSize = geometryUploads.has(route) ? limits.geometryBodyBytes : limits.bodyBytes;
  const limit = bodyLimit({
    maxSize,
    onError: (c) =>
      problemResponse(
        c,
        new ApiError(
          'payload_too_large',
          `the request body is larger than this route accepts: at most ${size(maxSize)} (${maxSize} bytes)`,
          { extra: { limitBytes: maxSize } },
        ),
        // The rest of the body is not read: ask the client not to reuse the connection.
        { connection: 'close' },
      ),
  });
  return limit(c, next);
};
