import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { jsonResponse } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { renderDocs } from './docs.js';

const tags = ['System'];

export const apiInfo = {
  title: 'orotrace API',
  version: '0.1.0',
  description:
    'Gold-traceability and supply-control ledger: gold lots from extraction to export, controlled inputs on fiscal routes, risk flags and a tamper-evident event log.',
};

const health = createRoute({
  method: 'get',
  path: '/health',
  tags,
  summary: 'Liveness and database reachability',
  responses: {
    200: jsonResponse(z.object({ status: z.literal('ok'), database: z.string(), postgis: z.string() }), 'Up'),
  },
});

const jwks = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags,
  summary: "The ledger's public keys (verify QR codes and signed tree heads offline)",
  responses: { 200: jsonResponse(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), 'JWKS') },
});

export function registerSystemRoutes(app: Router) {
  app.openapi(health, async (c) => {
    const [row] = rowsOf<{ version: string; postgis: string }>(
      await c.var.services.db.execute(sql`SELECT version() AS version, postgis_lib_version() AS postgis`),
    );
    return c.json(
      { status: 'ok' as const, database: row?.version ?? 'unknown', postgis: row?.postgis ?? 'unknown' },
      200,
    );
  });
  app.openapi(jwks, (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json({ keys: [c.var.services.ledgerKey.publicJwk as Record<string, unknown>] }, 200);
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A JWT with claims sub, role (checkpoint|exporter|regulator|admin), actor or checkpoint, iss, aud, exp.',
  });
  const document = () => app.getOpenAPI31Document({ openapi: '3.1.0', info: apiInfo });
  app.get('/openapi.json', (c) => c.json(document()));
  app.get('/docs', (c) => c.html(renderDocs(document() as Parameters<typeof renderDocs>[0])));
}
