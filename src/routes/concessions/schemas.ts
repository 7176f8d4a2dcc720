import { z } from '@hono/zod-openapi';
import {
  concessionSchema as concession,
  concessionDetailSchemaOf,
  concessionOperatorSchema,
} from '../../domain/reference/schemas.js';
import { concessionBalanceSchema as concessionBalance } from '../../domain/reports/schemas.js';
import { concessionKinds } from '../../domain/shared/vocabulary.js';
import { bboxQuery, listDetailQuery, pageQuery } from '../../http/openapi.js';

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

export const concessionBalanceSchema = concessionBalance.openapi('ConcessionBalance');
