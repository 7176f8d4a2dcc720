import { z } from '@hono/zod-openapi';
import { inspectionOutcomes } from '../../domain/shared/vocabulary.js';
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
