import '@hono/zod-openapi';
import { movementSchemaOf, quotaReportSchema as quotaReport } from '../../domain/inputs/schemas.js';
import { flagSummarySchema } from '../flags/schemas.js';

export const movementSchema = movementSchemaOf(flagSummarySchema).openapi('Movement');
export const quotaReportSchema = quotaReport.openapi('QuotaReport');
