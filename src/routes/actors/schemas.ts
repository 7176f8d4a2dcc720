import { z } from '@hono/zod-openapi';
import { actorKinds, registries } from '../../db/schema/index.js';

export const registrationSchema = z
  .object({
    id: z.uuid(),
    actorId: z.uuid(),
    registry: z.enum(registries),
    status: z.string(),
    step: z.number().int().nullable(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    quotas: z.array(z.object({ input: z.string(), monthly: z.string(), unit: z.string() })),
    createdAt: z.date(),
  })
  .openapi('Registration');

export const actorSchema = z
  .object({
    id: z.uuid(),
    taxId: z.string(),
    name: z.string(),
    kinds: z.array(z.enum(actorKinds)),
    createdAt: z.date(),
  })
  .openapi('Actor');

export const actorDetailSchema = actorSchema
  .extend({
    registrations: z
      .array(registrationSchema)
      .openapi({ description: 'Whole history, oldest first per registry.' }),
    current: z
      .record(z.string(), registrationSchema.nullable())
      .openapi({ description: 'Registration in force today, per registry (null where none).' }),
  })
  .openapi('ActorDetail');
