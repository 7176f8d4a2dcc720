import '@hono/zod-openapi';
import {
  dryRunMovementSchemaOf,
  movementSchemaOf,
  quotaReportSchema as quotaReport,
} from '../../domain/inputs/schemas.js';
import { flagSummarySchema, raisedFlagSchema } from '../flags/schemas.js';

export const movementSchema = movementSchemaOf(flagSummarySchema).openapi('Movement');
export const quotaReportSchema = quotaReport.openapi('QuotaReport');
export const dryRunMovementSchema = dryRunMovementSchemaOf(movementSchema, raisedFlagSchema).openapi(
  'DryRunMovement',
);
