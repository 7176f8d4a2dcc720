import '@hono/zod-openapi';
import { scanResultSchemaOf } from '../../domain/lots/schemas.js';
import { flagSummarySchema } from '../flags/schemas.js';
import { lotSchema } from '../lots/schemas.js';

export const scanResultSchema = scanResultSchemaOf(lotSchema, flagSummarySchema).openapi('ScanResult');
