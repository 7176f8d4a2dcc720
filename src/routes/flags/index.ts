import { createRoute } from '@hono/zod-openapi';
import {
  flagListQuery,
  flagReviewSchema,
  getFlag,
  listFlags,
  reviewFlag,
} from '../../domain/screening/flag-review.js';
import {
  access,
  errorResponses,
  jsonBody,
  jsonResponse,
  pageOf,
  pageQuery,
  uuidParam,
} from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { flagSchema } from './schemas.js';

const tags = ['Flags'];

const routes = {
  list: createRoute({
    method: 'get',
    path: '/v1/flags',
    tags,
    summary: 'Risk flags by status, rule, subject and severity, in the order they were raised',
    ...access('regulator', 'admin'),
    request: { query: flagListQuery.extend(pageQuery) },
    responses: { 200: jsonResponse(pageOf(flagSchema), 'A page of flags'), ...errorResponses },
  }),
  get: createRoute({
    method: 'get',
    path: '/v1/flags/{id}',
    tags,
    summary: 'A risk flag with its evidence and review',
    ...access('regulator', 'admin'),
    request: { params: uuidParam },
    responses: { 200: jsonResponse(flagSchema, 'The flag'), ...errorResponses },
  }),
  review: createRoute({
    method: 'post',
    path: '/v1/flags/{id}/review',
    tags,
    summary: 'Acknowledge, escalate or dismiss a flag, with a reason (recorded in the ledger)',
    // Regulators review flags (DESIGN "Users and roles"); admins maintain reference data only.
    ...access('regulator'),
    request: { params: uuidParam, body: jsonBody(flagReviewSchema) },
    responses: { 200: jsonResponse(flagSchema, 'The flag as reviewed'), ...errorResponses },
  }),
};

export function registerFlagRoutes(app: Router) {
  app.openapi(routes.list, async (c) =>
    c.json(await listFlags(c.var.services.db, c.req.valid('query')), 200),
  );
  app.openapi(routes.get, async (c) =>
    c.json(await getFlag(c.var.services.db, c.req.valid('param').id), 200),
  );
  app.openapi(routes.review, async (c) =>
    c.json(
      await reviewFlag(c.var.services.db, c.var.principal, c.req.valid('param').id, c.req.valid('json')),
      200,
    ),
  );
}
