import { z } from '@hono/zod-openapi';
import {
  overlapSchema as overlap,
  overlapPreviewSchema as overlapPreview,
} from '../../domain/reference/overlaps.js';
import {
  concessionSchema as concession,
  concessionDetailSchemaOf,
  concessionOperatorSchema,
} from '../../domain/reference/schemas.js';
import { concessionBalanceSchema as concessionBalance } from '../../domain/reports/schemas.js';
import { concessionKinds } from '../../domain/shared/vocabulary.js';
import { bboxQuery, listDetailQuery, pageQuery } from '../../http/openapi.js';
import { problemSchema } from '../../http/problem.js';

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

export const overlapPreviewSchema = overlapPreview.openapi('OverlapPreview');

/** `?dryRun=`: only true and false, so that a misspelling never files for real. */
export const overlapDryRunQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .openapi({
      param: { name: 'dryRun', in: 'query' },
      type: 'string',
      enum: ['true', 'false'],
      description:
        'true: measure the right against every right in force and answer 200 with the overlaps and what filing would do (filed, filed_with_cases, refused); nothing is written.',
    }),
});

/** The refusal of a right over rights in force: the problem, with each overlap named. */
export const overlapConflictResponse = {
  409: {
    description:
      'The right overlaps rights in force (each named in `overlaps`, with its holder and the overlap), or the code is taken. Nothing was written.',
    content: {
      'application/problem+json': {
        schema: problemSchema
          .extend({ overlaps: z.array(overlap.openapi('Overlap')).optional() })
          .openapi('OverlapConflict'),
      },
    },
  },
} as const;
