import { z } from '@hono/zod-openapi';
import { flagSummarySchema } from '../flags/schemas.js';
import { lotSchema } from '../lots/schemas.js';

export const scanResultSchema = z
  .object({
    id: z.uuid(),
    clientId: z.string(),
    lotId: z.uuid(),
    checkpointId: z.uuid(),
    observedGrossWeightG: z.string().nullable(),
    verdict: z.enum(['pass', 'hold']),
    reasons: z
      .array(z.string())
      .openapi({ description: 'Why the lot is held, in plain words; empty on pass.' }),
    occurredAt: z.date(),
    recordedAt: z.date(),
    duplicate: z
      .boolean()
      .openapi({ description: 'The clientId had been recorded before; nothing new was written.' }),
    lot: lotSchema,
    flags: z.array(flagSummarySchema),
  })
  .openapi('ScanResult');
