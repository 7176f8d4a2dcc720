import { createRoute, z } from '@hono/zod-openapi';
import { ApiError } from '../../domain/shared/errors.js';
import type { AppMetrics } from '../../http/metrics.js';
import { access, errorResponses, rateLimitedResponse } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  tags: ['System'],
  summary: 'Prometheus metrics (text exposition format)',
  // A token, not a public page: the metrics say how busy each route is, how many flags each rule
  // raised and how far the ledger lags, which is the regulator's and the operator's business.
  ...access('admin', 'regulator'),
  responses: {
    200: {
      description:
        'The metrics in the Prometheus text format (version 0.0.4): requests, screening, flags, offline records, ledger lag, witness cosignatures, rate limits, database connections, process',
      content: { 'text/plain': { schema: z.string() } },
    },
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
    ...rateLimitedResponse,
  },
});

/** GET /metrics; `metrics` unset (the Worker): 404, this runtime collects none. */
export function registerMetricsRoutes(app: Router, metrics: AppMetrics | undefined) {
  app.openapi(metricsRoute, async (c) => {
    if (!metrics) throw new ApiError('not_found', 'this runtime collects no metrics (the Node server does)');
    const { contentType, body } = await metrics.scrape(c.var.services.db);
    return c.text(body, 200, { 'content-type': contentType });
  });
}
