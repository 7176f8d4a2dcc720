/**
 * Controlled inputs as the API answers them: movements and monthly quotas. Plain zod: the
 * routes publish these shapes in the OpenAPI document, the presenters return their inferred
 * types, and the apps read the same types. A shape that contains another is built by a
 * function of its parts, so that the published document can refer to the parts by name.
 */
import { z } from 'zod';
import { flagSummarySchema } from '../screening/schemas.js';
import { pointSchema } from '../shared/geojson.js';
import { controlledInputs, inputUnits, movementStatuses, riskLevels } from '../shared/vocabulary.js';

const quantity = z.string().meta({ example: '34.500', description: 'exact, three decimals, in `unit`' });
const unit = z.enum(inputUnits);

/** A control post on a movement's declared route. */
export const checkpointSummarySchema = z.object({ id: z.uuid(), code: z.string(), name: z.string() });
export type CheckpointSummary = z.output<typeof checkpointSummarySchema>;

/** A movement (DESIGN "Resources as returned"), carrying its flags as `flag`. */
export const movementSchemaOf = (flag: typeof flagSummarySchema) =>
  z.object({
    id: z.uuid(),
    code: z.string().meta({ example: 'MV-2026-000123' }),
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
      .array(checkpointSummarySchema)
      .meta({ description: 'The control posts on the declared route' }),
    authorizationId: z
      .uuid()
      .nullable()
      .meta({ description: "The consignee's controlled-inputs registration it draws on" }),
    qrUrl: z.string().meta({ description: '<base>/v/<jws>: the URL printed in the QR code' }),
    riskLevel: z.enum(riskLevels),
    flags: z.array(flag),
    declaredAt: z.date(),
    deliveredAt: z.date().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  });
export const movementSchema = movementSchemaOf(flagSummarySchema);
export type Movement = z.output<typeof movementSchema>;

/** Per controlled input, an actor's monthly quota against what it received. */
export const quotaReportSchema = z.object({
  actorId: z.uuid(),
  month: z.string().meta({ example: '2026-11' }),
  from: z.date().meta({ description: 'Start of the month, UTC (inclusive)' }),
  to: z.date().meta({ description: 'Start of the next month, UTC (exclusive)' }),
  registration: z
    .object({ id: z.uuid(), status: z.string(), validFrom: z.string(), validTo: z.string().nullable() })
    .nullable()
    .meta({ description: 'The controlled-inputs registration the quotas come from' }),
  quotas: z.array(
    z.object({
      input: z.enum(controlledInputs),
      unit,
      quota: quantity.meta({ description: 'Monthly quota; 0 without an authorized one' }),
      received: quantity.meta({
        description: 'Declared to the actor as consignee in the month, seized ones excepted',
      }),
      remaining: quantity.meta({ description: 'quota − received; negative when over quota' }),
      registrationId: z.uuid().nullable(),
    }),
  ),
});
export type QuotaReport = z.output<typeof quotaReportSchema>;
