import { z } from '@hono/zod-openapi';
import {
  concessionSchema as concession,
  concessionDetailSchemaOf,
  concessionOperatorSchema,
} from '../../domain/reference/schemas.js';
import { concessionKinds } from '../../domain/shared/vocabulary.js';
import {
  bboxQuery,
  decimalField,
  flagCountsField,
  listDetailQuery,
  pageQuery,
  ratioField,
} from '../../http/openapi.js';

export const operatorSchema = concessionOperatorSchema.openapi('ConcessionOperator');
export const concessionSchema = concession.openapi('Concession');
export const concessionDetailSchema = concessionDetailSchemaOf(concessionSchema, operatorSchema).openapi(
  'ConcessionDetail',
);

/** GET /v1/concessions: by bounding box and kind. */
export const concessionListQuery = z.object({
  bbox: bboxQuery,
  kind: z.enum(concessionKinds).optional(),
  detail: listDetailQuery,
  ...pageQuery,
});

export const concessionBalanceSchema = z
  .object({
    concessionId: z.uuid(),
    code: z.string(),
    name: z.string(),
    window: z.object({ from: z.iso.date(), to: z.iso.date(), days: z.number().int() }),
    areaHa: decimalField('Area of the concession (geodesic), hectares.'),
    declaredFineG: decimalField('Fine gold of the root lots declared on it, extracted in the window, grams.'),
    lotCount: z.number().int(),
    capacityFineG: decimalField('area × fineKgPerHaYear × days ÷ 365, grams.'),
    ratio: ratioField,
    thresholds: z.object({ version: z.string(), fineKgPerHaYear: z.number() }),
    openFlags: flagCountsField,
  })
  .openapi('ConcessionBalance');
