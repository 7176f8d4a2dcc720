import { z } from '@hono/zod-openapi';
import { ruleCodes } from '../../domain/screening/rules/types.js';
import { pointSchema } from '../../domain/shared/geojson.js';
import { flagStatuses, lotForms, lotStatuses, severities } from '../../domain/shared/vocabulary.js';

const grams = z.string().openapi({ example: '1250.500', description: 'grams, exact, three decimals' });

export const flagSummarySchema = z
  .object({
    id: z.uuid(),
    rule: z.enum(ruleCodes),
    severity: z.enum(severities),
    status: z.enum(flagStatuses),
    evidence: z.record(z.string(), z.unknown()),
    inheritedFrom: z.uuid().nullable(),
  })
  .openapi('FlagSummary');

export const lotSchema = z
  .object({
    id: z.uuid(),
    code: z.string().openapi({ example: 'AU-2026-000123' }),
    status: z.enum(lotStatuses),
    producerId: z.uuid().nullable(),
    concessionId: z.uuid().nullable(),
    custodianId: z.uuid(),
    origin: pointSchema.nullable(),
    extractedOn: z.string().nullable(),
    grossWeightG: grams,
    fineness: z.string().openapi({ example: '870.000', description: '‰' }),
    fineWeightG: grams,
    form: z.enum(lotForms),
    parentIds: z.array(z.uuid()),
    qrUrl: z.string().openapi({ description: '<base>/v/<jws>: the URL printed in the QR code' }),
    riskLevel: z.enum(['none', ...severities]),
    flags: z.array(flagSummarySchema),
    exportedOn: z.string().nullable(),
    customsDeclaration: z.string().nullable(),
    destinationCountry: z.string().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .openapi('Lot');

export const splitResultSchema = z
  .object({ parent: lotSchema, children: z.array(lotSchema) })
  .openapi('SplitResult');
