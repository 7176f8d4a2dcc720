import { OpenAPIHono } from '@hono/zod-openapi';
import { ApiError } from '../domain/shared/errors.js';
import type { AppEnv } from './env.js';
import { fieldErrors, problemResponse } from './problem.js';

/** A router whose zod validation failures answer 400 problem+json naming every failing field. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const where = result.target === 'json' ? undefined : result.target;
        const errors = fieldErrors(result.error.issues, where);
        const summary = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
        return problemResponse(
          c,
          new ApiError('validation', `invalid ${result.target}: ${summary}`, { errors }),
        );
      }
    },
  });
}

export type Router = ReturnType<typeof createRouter>;
