import { z } from '@hono/zod-openapi';
import { pointSchema } from '../../domain/shared/geojson.js';
import { controlledInputs, movementStatuses, severities } from '../../domain/shared/vocabulary.js';
import { flagSummarySchema } from '../flags/schemas.js';

const quantity = z.string().openapi({ example: '34.500', description: 'exact, three decimals, in `unit`' });
const unit = z.enum(['kg', 'L']);

export const movementSchema = z
  .object({
    id: z.uuid(),
    code: z.string().openapi({ example: 'MV-2026-000123' }),
    status: z.enum(movementStatuses),
    input: z.enum(controlledInputs),
    quantity,
    unit,
    consignorId: z.uuid(),
    consigneeId: z.uuid(),
    destination: z.union([z.object({ concessionId: z.uuid() }), z.object({ point: pointSchema })]),
    vehicle: z.string(),
    route: z.string(),
    checkpoints: z
      .array(z.object({ id: z.uuid(), code: z.string(), name: z.string() }))
      .openapi({ description: 'The control posts on the declared route' }),
    authorizationId: z
      .uuid()
      .nullable()
      .openapi({ description: "The consignee's controlled-inputs registration it draws on" }),
    qrUrl: z.string().openapi({ description: '<base>/v/<jws>: the URL printed in the QR code' }),
    riskLevel: z.enum(['none', ...severities]),
    flags: z.array(flagSummarySchema),
    declaredAt: z.date(),
    deliveredAt: z.date().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .openapi('Movement');

export const quotaReportSchema = z
  .object({
    actorId: z.uuid(),
    month: z.string().openapi({ example: '2026-11' }),
    from: z.date().openapi({ description: 'Start of the month, UTC (inclusive)' }),
    to: z.date().openapi({ description: 'Start of the next month, UTC (exclusive)' }),
    registration: z
      .object({ id: z.uuid(), status: z.string(), validFrom: z.string(), validTo: z.string().nullable() })
      .nullable()
      .openapi({ description: 'The controlled-inputs registration the quotas come from' }),
    quotas: z.array(
      z.object({
        input: z.enum(controlledInputs),
        unit,
        quota: quantity.openapi({ description: 'Monthly quota; 0 without an authorized one' }),
        received: quantity.openapi({
          description: 'Declared to the actor as consignee in the month, seized ones excepted',
        }),
        remaining: quantity.openapi({ description: 'quota − received; negative when over quota' }),
        registrationId: z.uuid().nullable(),
      }),
    ),
  })
  .openapi('QuotaReport');
