import { createRoute, z } from '@hono/zod-openapi';
import { geometryVersionSchema, geometryVersionsOf } from '../../domain/reference/concession-geometries.js';
import { getConcession } from '../../domain/reference/concessions.js';
import { access, errorResponses, jsonResponse, uuidParam } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';

const geometryVersion = geometryVersionSchema.openapi('ConcessionGeometryVersion');

const concessionGeometriesRoute = createRoute({
  method: 'get',
  path: '/v1/concessions/{id}/geometries',
  tags: ['Concessions'],
  summary: 'The versions of a right’s geometry, oldest first, each with the days it was in force',
  ...access('admin', 'regulator', 'exporter'),
  request: { params: uuidParam },
  responses: {
    200: jsonResponse(z.object({ items: z.array(geometryVersion) }), 'The geometry versions'),
    ...errorResponses,
  },
});

export function registerConcessionGeometryRoutes(app: Router) {
  app.openapi(concessionGeometriesRoute, async (c) => {
    const { id } = c.req.valid('param');
    const db = c.var.services.db;
    await getConcession(db, id); // 404 for an unknown right
    return c.json({ items: await geometryVersionsOf(db, id) }, 200);
  });
}
