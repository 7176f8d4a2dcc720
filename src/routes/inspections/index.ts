import { createRoute, z } from '@hono/zod-openapi';
import { inspectMovement, newInspectionSchema } from '../../domain/inputs/inspections.js';
import { inspectionOutcomes } from '../../domain/shared/vocabulary.js';
import { access, errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { flagSummarySchema } from '../flags/schemas.js';
import { movementSchema } from '../movements/schemas.js';

export const inspectionResultSchema = z
  .object({
    id: z.uuid(),
    clientId: z.string(),
    movementId: z.uuid(),
    checkpointId: z.uuid(),
    observedQuantity: z.string(),
    outcome: z.enum(inspectionOutcomes),
    notes: z.string().nullable(),
    verdict: z.enum(['pass', 'hold']),
    reasons: z
      .array(z.string())
      .openapi({ description: 'Why the movement is held, in plain words; empty on pass.' }),
    occurredAt: z.date().openapi({ description: 'Device time' }),
    recordedAt: z.date().openapi({ description: 'Server receipt time' }),
    duplicate: z
      .boolean()
      .openapi({ description: 'The clientId had been recorded before; nothing new was written.' }),
    movement: movementSchema,
    flags: z.array(flagSummarySchema),
  })
  .openapi('InspectionResult');

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
    const { db, ledgerKey, baseUrl } = c.var.services;
    const result = await inspectMovement(db, c.var.principal, c.req.valid('json'), {
      ledgerKeys: [ledgerKey.publicJwk],
      baseUrl,
    });
    const { inspectedBy: _by, seq: _seq, ...inspection } = result;
    return c.json(inspection, result.duplicate ? 200 : 201);
  });
}
