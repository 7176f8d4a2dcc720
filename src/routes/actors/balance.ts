import { createRoute } from '@hono/zod-openapi';
import { actorBalance, balanceQuery } from '../../domain/reports/balances.js';
import { access, errorResponses, jsonResponse, uuidParam } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { actorBalanceSchema } from './schemas.js';

const actorBalanceRoute = createRoute({
  method: 'get',
  path: '/v1/actors/{id}/balance',
  tags: ['Balances'],
  summary:
    'Fine gold a producer declared in a window against the mercury and fuel it received, and the reverse',
  ...access('regulator', 'admin'),
  request: { params: uuidParam, query: balanceQuery },
  responses: { 200: jsonResponse(actorBalanceSchema, 'The balance'), ...errorResponses },
});

export function registerActorBalanceRoutes(app: Router) {
  app.openapi(actorBalanceRoute, async (c) =>
    c.json(await actorBalance(c.var.services.db, c.req.valid('param').id, c.req.valid('query')), 200),
  );
}
