import { createRoute } from '@hono/zod-openapi';
import { checkState } from '../../domain/audit/state-check.js';
import { verifyLedger } from '../../domain/ledger/verify.js';
import { access, errorResponses, jsonResponse } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { ledgerVerificationSchema } from './schemas.js';

const route = createRoute({
  method: 'get',
  path: '/v1/ledger/verify',
  tags: ['Ledger'],
  summary:
    'Rebuild the whole event log from the stored events and check every leaf and signed head; replay the events and hold every lot and movement against them',
  ...access('regulator'),
  responses: {
    200: jsonResponse(
      ledgerVerificationSchema,
      'The verification report, whether the log holds or not: `ok` false names the first bad leaf or head, or under `state` each field of a lot or movement that its events do not give',
    ),
    ...errorResponses,
  },
});

export function registerLedgerVerifyRoutes(app: Router) {
  app.openapi(route, async (c) => {
    const { db, ledgerKey } = c.var.services;
    // What is stored is checked as it is: no sequencing first.
    const ledger = await verifyLedger(db, [ledgerKey.publicJwk]);
    const state = await checkState(db);
    return c.json({ ...ledger, ok: ledger.ok && state.ok, state }, 200);
  });
}
