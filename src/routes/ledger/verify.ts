import { createRoute } from '@hono/zod-openapi';
import { verifyLedger } from '../../domain/ledger/verify.js';
import { access, errorResponses, jsonResponse } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { ledgerVerificationSchema } from './schemas.js';

const route = createRoute({
  method: 'get',
  path: '/v1/ledger/verify',
  tags: ['Ledger'],
  summary: 'Rebuild the whole event log from the stored events and check every leaf and signed head',
  ...access('regulator'),
  responses: {
    200: jsonResponse(
      ledgerVerificationSchema,
      'The verification report, whether the log holds or not: `ok` false names the first bad leaf or head',
    ),
    ...errorResponses,
  },
});

export function registerLedgerVerifyRoutes(app: Router) {
  app.openapi(route, async (c) => {
    const { db, ledgerKey } = c.var.services;
    // What is stored is checked as it is: no sequencing first.
    return c.json(await verifyLedger(db, [ledgerKey.publicJwk]), 200);
  });
}
