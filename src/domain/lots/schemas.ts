/**
 * Lots as the API answers them. Plain zod: the routes publish these shapes in the OpenAPI
 * document, the presenters return their inferred types, and the apps read the same types.
 * A shape that contains another is built by a function of its parts, so that the published
 * document can build it from the published parts (and refer to them by name).
 */
import { z } from 'zod';
import { flagSummarySchema } from '../screening/schemas.js';
import { pointSchema } from '../shared/geojson.js';
import { lotForms, lotStatuses, riskLevels } from '../shared/vocabulary.js';

const grams = z.string().meta({ example: '1250.500', description: 'grams, exact, three decimals' });

/** A lot (DESIGN "Resources as returned"), carrying its flags as `flag`. */
export const lotSchemaOf = (flag: typeof flagSummarySchema) =>
  z.object({
    id: z.uuid(),
    code: z.string().meta({ example: 'AU-2026-000123' }),
    status: z.enum(lotStatuses),
    producerId: z.uuid().nullable(),
    concessionId: z.uuid().nullable(),
    custodianId: z.uuid(),
    origin: pointSchema.nullable(),
    extractedOn: z.string().nullable(),
    grossWeightG: grams,
    fineness: z.string().meta({ example: '870.000', description: '‰' }),
    fineWeightG: grams,
    form: z.enum(lotForms),
    parentIds: z.array(z.uuid()),
    qrUrl: z.string().meta({ description: '<base>/v/<jws>: the URL printed in the QR code' }),
    riskLevel: z.enum(riskLevels),
    flags: z.array(flag),
    exportedOn: z.string().nullable(),
    customsDeclaration: z.string().nullable(),
    destinationCountry: z.string().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  });
export const lotSchema = lotSchemaOf(flagSummarySchema);
export type Lot = z.output<typeof lotSchema>;

/** A split: the consumed lot and its parts. */
export const splitResultSchemaOf = (lot: typeof lotSchema) =>
  z.object({ parent: lot, children: z.array(lot) });
export const splitResultSchema = splitResultSchemaOf(lotSchema);
export type SplitResult = z.output<typeof splitResultSchema>;
