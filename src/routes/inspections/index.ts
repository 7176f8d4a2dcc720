import { createRoute } from '@hono/zod-openapi';
import { inspectMovement, newInspectionSchema } from '../../domain/inputs/inspections.js';
import { qrLinks } from '../../http/gs1.js';
import { access, errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { inspectionResultSchema } from './schemas.js';

const record = createRoute({
  method: 'post',
  path: '/v1/inspections',
  tags: ['Checkpoints'],
  summary: 'Record an inspection of a movement at your checkpoint; answers a pass/hold verdict',
  ...access('checkpoint'),
  request: { body: jsonBody(newInspectionSchema) },
  responses: {
    201: jsonResponse(inspectionResultSchema, 'The inspection, recorded now'),
    200: jsonResponse(
      inspectionResultSchema,
      'The inspection recorded earlier under this clientId (a retry)',
    ),
    ...errorResponses,
  },
});

export function registerInspectionRoutes(app: Router) {
  app.openapi(record, async (c) => {
    const { db, ledgerKey } = c.var.services;
    const result = await inspectMovement(db, c.var.principal, c.req.valid('json'), {
      ledgerKeys: [ledgerKey.publicJwk],
      links: qrLinks(c),
    });
    return c.json(result, result.duplicate ? 200 : 201);
  });
}
