import { createRoute } from '@hono/zod-openapi';
import { newScanSchema, recordScan } from '../../domain/lots/scans.js';
import { qrLinks } from '../../http/gs1.js';
import { access, errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { scanResultSchema } from './schemas.js';

const record = createRoute({
  method: 'post',
  path: '/v1/scans',
  tags: ['Checkpoints'],
  summary: 'Record a scan of a lot’s QR code at your checkpoint; answers a pass/hold verdict',
  ...access('checkpoint'),
  request: { body: jsonBody(newScanSchema) },
  responses: {
    201: jsonResponse(scanResultSchema, 'The scan, recorded now'),
    200: jsonResponse(scanResultSchema, 'The scan recorded earlier under this clientId (a retry)'),
    ...errorResponses,
  },
});

export function registerScanRoutes(app: Router) {
  app.openapi(record, async (c) => {
    const { db, ledgerKey } = c.var.services;
    const result = await recordScan(db, c.var.principal, c.req.valid('json'), {
      ledgerKeys: [ledgerKey.publicJwk],
      links: qrLinks(c),
    });
    return c.json(result, result.duplicate ? 200 : 201);
  });
}
