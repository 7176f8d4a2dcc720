import { createRoute } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { jsonResponse, publicAccess, rateLimitedResponse } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { healthSchema } from './schemas.js';

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['System'],
  summary: 'Liveness and database reachability',
  ...publicAccess('For probes and monitors.'),
  responses: {
    200: jsonResponse(healthSchema, 'Up'),
    ...rateLimitedResponse,
  },
});

export function registerHealthRoutes(app: Router) {
  app.openapi(health, async (c) => {
    const [row] = rowsOf<{ version: string; postgis: string }>(
      await c.var.services.db.execute(sql`SELECT version() AS version, postgis_lib_version() AS postgis`),
    );
    return c.json(
      { status: 'ok' as const, database: row?.version ?? 'unknown', postgis: row?.postgis ?? 'unknown' },
      200,
    );
  });
}
