import { z } from '@hono/zod-openapi';
import {
  actorSchema as actor,
  actorDetailSchemaOf,
  registrationSchema as registration,
} from '../../domain/reference/schemas.js';
import { text } from '../../domain/shared/text.js';
import { actorKinds } from '../../domain/shared/vocabulary.js';
import { decimalField, flagCountsField, pageQuery, ratioField } from '../../http/openapi.js';

export const registrationSchema = registration.openapi('Registration');
export const actorSchema = actor.openapi('Actor');
export const actorDetailSchema = actorDetailSchemaOf(actorSchema, registrationSchema).openapi('ActorDetail');

/** GET /v1/actors: by kind and by a text found in name or tax id. */
export const actorListQuery = z.object({
  kind: z.enum(actorKinds).optional(),
  q: text({ max: 100 }).optional(),
  ...pageQuery,
});

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
