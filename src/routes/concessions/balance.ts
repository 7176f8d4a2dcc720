import { createRoute } from '@hono/zod-openapi';
import { balanceQuery, concessionBalance } from '../../domain/reports/balances.js';
import { access, errorResponses, jsonResponse, uuidParam } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { concessionBalanceSchema } from './schemas.js';

const concessionBalanceRoute = createRoute({
  method: 'get',
  path: '/v1/concessions/{id}/balance',
  tags: ['Balances'],
  summary: "Fine gold declared on a concession in a window, against its area's plausible capacity",
  ...access('regulator', 'admin'),
  request: { params: uuidParam, query: balanceQuery },
  responses: { 200: jsonResponse(concessionBalanceSchema, 'The balance'), ...errorResponses },
});

export function registerConcessionBalanceRoutes(app: Router) {
  app.openapi(concessionBalanceRoute, async (c) =>
    c.json(await concessionBalance(c.var.services.db, c.req.valid('param').id, c.req.valid('query')), 200),
  );
}
