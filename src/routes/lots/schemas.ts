import '@hono/zod-openapi';
import { lotSchemaOf, provenanceSchemaOf, splitResultSchemaOf } from '../../domain/lots/schemas.js';
import { flagSummarySchema } from '../flags/schemas.js';

export const lotSchema = lotSchemaOf(flagSummarySchema).openapi('Lot');
export const splitResultSchema = splitResultSchemaOf(lotSchema).openapi('SplitResult');
export const provenanceSchema = provenanceSchemaOf(lotSchema, flagSummarySchema).openapi('Provenance');
