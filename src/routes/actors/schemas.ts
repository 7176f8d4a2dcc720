import { z } from '@hono/zod-openapi';
import { actorKinds, registries } from '../../domain/shared/vocabulary.js';
import { decimalField, flagCountsField, ratioField } from '../../http/openapi.js';

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

export const actorBalanceSchema = z
  .object({
    actorId: z.uuid(),
    taxId: z.string(),
    name: z.string(),
    production: z.object({
      window: z.object({
        goldFrom: z.string(),
        inputsFrom: z.string(),
        to: z.string(),
        days: z.number().int(),
      }),
      declaredFineG: decimalField('Fine gold of the root lots it produced, registered in the window, grams.'),
      lotCount: z.number().int(),
      mercuryKg: decimalField('Mercury received as consignee (not seized), window plus lead, kg.'),
      fuelL: decimalField(
        'Diesel and gasoline received as consignee (not seized), window plus lead, litres.',
      ),
      mercurySupportsFineG: decimalField('mercury ÷ minMercuryKgPerKgGold, grams of fine gold.'),
      fuelSupportsFineG: decimalField('fuel × maxFineGPerLitre, grams of fine gold.'),
      mercuryRatio: ratioField,
      fuelRatio: ratioField,
    }),
    diversion: z.object({
      window: z.object({
        inputsFrom: z.string(),
        inputsTo: z.string(),
        goldTo: z.string(),
        days: z.number().int(),
      }),
      mercuryKg: decimalField('Mercury received in the window ending lagDays before the end, kg.'),
      declaredFineG: decimalField('Fine gold declared from the start of that window to the end, grams.'),
      mercuryKgPerKgGold: z.string().nullable(),
    }),
    thresholds: z.object({
      version: z.string(),
      minMercuryKgPerKgGold: z.number(),
      maxMercuryKgPerKgGold: z.number(),
      maxFineGPerLitre: z.number(),
      windowDays: z.number(),
      leadDays: z.number(),
      minWindowFineG: z.number(),
      lagDays: z.number(),
      minDiversionMercuryKg: z.number(),
    }),
    openFlags: z.object({ lots: flagCountsField, movements: flagCountsField }),
  })
  .openapi('ActorBalance');
