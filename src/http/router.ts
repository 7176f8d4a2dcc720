import { OpenAPIHono } from '@hono/zod-openapi';
import { isLimitIssue } from '../domain/shared/bounded.js';
import { ApiError } from '../domain/shared/errors.js';
import type { AppEnv } from './env.js';
import { fieldErrors, problemResponse } from './problem.js';

/**
 * A router whose zod validation failures answer 400 problem+json naming every failing field; a
 * request refused only for its size (too many elements, too many vertices) answers 422
 * `limit-exceeded`, each error naming the field and its limit.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const where = result.target === 'json' ? undefined : result.target;
        const errors = fieldErrors(result.error.issues, where);
        const summary = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
        const tooLarge = result.error.issues.every(isLimitIssue);
        return problemResponse(
          c,
          new ApiError(
            tooLarge ? 'limit_exceeded' : 'validation',
            `${tooLarge ? 'too large' : 'invalid'} ${result.target}: ${summary}`,
            { errors },
          ),
        );
      }
    },
  });
}

export type Router = ReturnType<typeof createRouter>;
