import '@hono/zod-openapi';
import {
  dryRunLotsSchemaOf,
  lotSchemaOf,
  provenanceSchemaOf,
  splitResultSchemaOf,
} from '../../domain/lots/schemas.js';
import { flagSummarySchema, raisedFlagSchema } from '../flags/schemas.js';

export const lotSchema = lotSchemaOf(flagSummarySchema).openapi('Lot');
export const splitResultSchema = splitResultSchemaOf(lotSchema).openapi('SplitResult');
export const provenanceSchema = provenanceSchemaOf(lotSchema, flagSummarySchema).openapi('Provenance');
export const dryRunLotsSchema = dryRunLotsSchemaOf(lotSchema, raisedFlagSchema).openapi('DryRunLots');
