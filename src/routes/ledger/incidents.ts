import { createRoute, z } from '@hono/zod-openapi';
import { incidentSchema, listIncidents } from '../../domain/ledger/incidents.js';
import { access, errorResponses, jsonResponse, pageOf, pageQuery } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';

const route = createRoute({
  method: 'get',
  path: '/v1/ledger/incidents',
  tags: ['Ledger'],
  summary: 'Events the sequencer refused and tamper alarms, newest first',
  ...access('regulator'),
  description:
    'Roles: regulator. Each incident is evidence that someone wrote to the database behind the API: an event without a valid write signature (refused, never sequenced), or a stored tree that no longer gives the last signed head (sequencing stopped). Recorded once, never removed.',
  request: { query: z.object(pageQuery) },
  responses: {
    200: jsonResponse(pageOf(incidentSchema.openapi('LedgerIncident')), 'A page of incidents'),
    ...errorResponses,
  },
});

export function registerLedgerIncidentRoutes(app: Router) {
  app.openapi(route, async (c) => c.json(await listIncidents(c.var.services.db, c.req.valid('query')), 200));
}
