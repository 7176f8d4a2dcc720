import { createRoute } from '@hono/zod-openapi';
import { jsonResponse } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { jwksSchema } from './schemas.js';

const jwks = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['System'],
  summary: "The ledger's public keys (verify QR codes and signed tree heads offline)",
  responses: { 200: jsonResponse(jwksSchema, 'JWKS') },
});

export function registerWellKnownRoutes(app: Router) {
  app.openapi(jwks, (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json({ keys: [c.var.services.ledgerKey.publicJwk as Record<string, unknown>] }, 200);
  });
}
