import '@hono/zod-openapi';
import { inspectionResultSchemaOf } from '../../domain/inputs/schemas.js';
import { flagSummarySchema } from '../flags/schemas.js';
import { movementSchema } from '../movements/schemas.js';

export const inspectionResultSchema = inspectionResultSchemaOf(movementSchema, flagSummarySchema).openapi(
  'InspectionResult',
);
