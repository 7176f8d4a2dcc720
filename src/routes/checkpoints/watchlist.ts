import { createRoute } from '@hono/zod-openapi';
import { checkpointWatchlist } from '../../domain/inputs/watchlist.js';
import { access, errorResponses, jsonResponse, uuidParam } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { watchlistSchema } from './schemas.js';

const watchlist = createRoute({
  method: 'get',
  path: '/v1/checkpoints/{id}/watchlist',
  tags: ['Checkpoints'],
  summary: 'What a checkpoint device keeps to give a verdict offline (its staff, regulators, admins)',
  ...access('checkpoint', 'regulator', 'admin'),
  request: { params: uuidParam },
  responses: { 200: jsonResponse(watchlistSchema, 'The watchlist'), ...errorResponses },
});

export function registerWatchlistRoutes(app: Router) {
  app.openapi(watchlist, async (c) => {
    const { db } = c.var.services;
    return c.json(await checkpointWatchlist(db, c.var.principal, c.req.valid('param').id), 200);
  });
}
