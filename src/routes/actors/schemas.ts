import { z } from '@hono/zod-openapi';
import { monthSchema } from '../../domain/inputs/quotas.js';
import {
  actorSchema as actor,
  actorDetailSchemaOf,
  minerCategorySchema as minerCategory,
  registrationSchema as registration,
} from '../../domain/reference/schemas.js';
import { actorBalanceSchema as actorBalance } from '../../domain/reports/schemas.js';
import { text } from '../../domain/shared/text.js';
import { actorKinds } from '../../domain/shared/vocabulary.js';
import { pageQuery } from '../../http/openapi.js';

export const registrationSchema = registration.openapi('Registration');
export const actorSchema = actor.openapi('Actor');
export const minerCategorySchema = minerCategory.openapi('MinerCategory');
export const actorDetailSchema = actorDetailSchemaOf(
  actorSchema,
  registrationSchema,
  minerCategorySchema,
).openapi('ActorDetail');

/** GET /v1/actors: by kind and by a text found in name or tax id. */
export const actorListQuery = z.object({
  kind: z.enum(actorKinds).optional(),
  q: text({ max: 100 }).optional(),
  ...pageQuery,
});

/** GET /v1/actors/{id}/quotas: the month, by default the current one. */
export const quotasQuery = z.object({ month: monthSchema.optional() });

export const actorBalanceSchema = actorBalance.openapi('ActorBalance');
