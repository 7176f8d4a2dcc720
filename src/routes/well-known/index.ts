import { createRoute } from '@hono/zod-openapi';
import { acceptedPrefixesOf } from '../../domain/shared/gs1.js';
import { qrLinks } from '../../http/gs1.js';
import { jsonResponse, publicAccess, rateLimitedResponse } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { jwksSchema } from './schemas.js';

const jwks = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['System'],
  summary: "The ledger's public keys (verify QR codes and signed tree heads offline)",
  ...publicAccess('Anyone verifies what the ledger signs.'),
  responses: { 200: jsonResponse(jwksSchema, 'JWKS'), ...rateLimitedResponse },
});

export function registerWellKnownRoutes(app: Router) {
  app.openapi(jwks, (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json(
      {
        keys: [c.var.services.ledgerKey.publicJwk as Record<string, unknown>],
        gs1CompanyPrefixes: acceptedPrefixesOf(qrLinks(c)),
      },
      200,
    );
  });
}
