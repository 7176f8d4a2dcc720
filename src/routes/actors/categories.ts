import { createRoute, z } from '@hono/zod-openapi';
import { getActorRow } from '../../domain/reference/actors.js';
import {
  addMinerCategory,
  minerCategoriesOf,
  newMinerCategorySchema,
} from '../../domain/reference/miner-categories.js';
import { access, errorResponses, jsonBody, jsonResponse, uuidParam } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { minerCategorySchema } from './schemas.js';

const tags = ['Actors'];

const record = createRoute({
  method: 'post',
  path: '/v1/actors/{id}/categories',
  tags,
  summary:
    "Append a miner's legal category (artisanal, small producer…) and mining method to its history; its lots are screened again",
  ...access('admin'),
  request: { params: uuidParam, body: jsonBody(newMinerCategorySchema) },
  responses: { 201: jsonResponse(minerCategorySchema, 'The category entry'), ...errorResponses },
});

const history = createRoute({
  method: 'get',
  path: '/v1/actors/{id}/categories',
  tags,
  summary: "A miner's category and method history, oldest first",
  ...access('admin', 'regulator'),
  request: { params: uuidParam },
  responses: {
    200: jsonResponse(z.object({ items: z.array(minerCategorySchema) }), 'The category history'),
    ...errorResponses,
  },
});

export function registerMinerCategoryRoutes(app: Router) {
  app.openapi(record, async (c) => {
    const row = await addMinerCategory(
      c.var.services.db,
      c.var.principal,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json(row, 201);
  });
  app.openapi(history, async (c) => {
    const { id } = c.req.valid('param');
    const db = c.var.services.db;
    await getActorRow(db, id); // 404 for an unknown actor
    return c.json({ items: await minerCategoriesOf(db, id) }, 200);
  });
}
