/**
 * Lots as the API answers them. Plain zod: the routes publish these shapes in the OpenAPI
 * document, the presenters return their inferred types, and the apps read the same types.
 * A shape that contains another is built by a function of its parts, so that the published
 * document can build it from the published parts (and refer to them by name).
 */
import { z } from 'zod';
import { flagSummarySchema, provisionalFields, type raisedFlagSchemaOf } from '../screening/schemas.js';
import { pointSchema } from '../shared/geojson.js';
import {
  checkEntries,
  lotForms,
  lotOperations,
  lotStatuses,
  riskLevels,
  verdicts,
} from '../shared/vocabulary.js';

/** A lot's or movement's GS1 identifier (shared/gs1.ts), in both of its forms. */
export const gs1IdsSchema = z
  .object({
    epc: z.string().meta({ example: 'urn:epc:id:giai:9520000.AU-2026-000123' }),
    digitalLink: z.string().meta({ example: 'https://id.gs1.org/8004/9520000AU-2026-000123' }),
  })
  .meta({
    description:
      "The GS1 identifier under the operator's GS1 Company Prefix with the printed code as serial: a lot's GIAI (AI 8004), a movement's GINC (AI 401); as an EPC URN and as a GS1 Digital Link URI",
  });

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
    qrUrl: z.string().meta({
      description:
        'The URL printed in the QR code: <base>/v/<jws>, or a GS1 Digital Link <resolver>/8004/<GIAI>?jws=<jws> (QR_FORMAT)',
    }),
    gs1: gs1IdsSchema,
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

/**
 * A dry run of a lot write (`?dryRun=true`): the lots as the write would answer them (a split:
 * the consumed lot, then its parts) and every flag it would raise, nothing written.
 */
export const dryRunLotsSchemaOf = (
  lot: typeof lotSchema,
  raisedFlag: ReturnType<typeof raisedFlagSchemaOf>,
) =>
  z.object({
    dryRun: z.literal(true),
    lots: z.array(lot.extend(provisionalFields)),
    flags: z.array(raisedFlag).meta({
      description: 'Every flag the write would raise, on any lot (those new lots would inherit included)',
    }),
  });

/** A split: the consumed lot and its parts. */
export const splitResultSchemaOf = (lot: typeof lotSchema) =>
  z.object({ parent: lot, children: z.array(lot) });

/** A scan at a checkpoint: the verdict, why, and the lot as it stands after it. */
export const scanResultSchemaOf = (lot: typeof lotSchema, flag: typeof flagSummarySchema) =>
  z.object({
    id: z.uuid(),
    clientId: z.string(),
    lotId: z.uuid(),
    checkpointId: z.uuid(),
    entry: z.enum(checkEntries).meta({
      description: 'scanned: the QR was read; typed: the printed code was typed, the label not verified',
    }),
    observedGrossWeightG: z.string().nullable(),
    verdict: z.enum(verdicts),
    reasons: z.array(z.string()).meta({ description: 'Why the lot is held, in plain words; empty on pass.' }),
    occurredAt: z.date(),
    recordedAt: z.date(),
    duplicate: z
      .boolean()
      .meta({ description: 'The clientId had been recorded before; nothing new was written.' }),
    lot,
    flags: z.array(flag),
  });
const scanResultSchema = scanResultSchemaOf(lotSchema, flagSummarySchema);
export type ScanResult = z.output<typeof scanResultSchema>;

/** On which side of the lot asked about a lot of its provenance lies. */
const provenanceDirections = ['ancestor', 'descendant'] as const;

const edgeGrams = z.string().meta({ example: '289.999', description: 'grams, exact, three decimals' });

/**
 * DESIGN "Gold lots", Provenance: where a lot's gold came from and where it went, built from the
 * lot and flag shapes.
 */
export const provenanceSchemaOf = (lot: typeof lotSchema, flag: typeof flagSummarySchema) => {
  const related = z.array(
    lot.extend({
      direction: z.enum(provenanceDirections),
      depth: z.number().int().meta({ description: 'Edges away from the lot asked about' }),
    }),
  );
  return z.object({
    lot,
    ancestors: related.meta({ description: 'Lots whose gold is in this one, nearest first' }),
    descendants: related.meta({ description: 'Lots made from this one’s gold, nearest first' }),
    edges: z
      .array(
        z.object({
          parentId: z.uuid(),
          childId: z.uuid(),
          operation: z.enum(lotOperations),
          fineWeightG: edgeGrams.meta({ description: 'Fine gold the parent gave the child' }),
        }),
      )
      .meta({
        description:
          'Every edge of an operation a lot of the provenance took part in (so a split’s other parts and a merge’s other inputs appear by id)',
      }),
    events: z.array(
      z.object({
        id: z.uuid(),
        type: z.string().meta({ example: 'lot.split' }),
        subjectId: z.uuid(),
        occurredAt: z.date(),
        recordedAt: z.date(),
        payload: z.record(z.string(), z.unknown()),
        actorRole: z.string(),
        actorId: z.uuid().nullable(),
      }),
    ),
    flags: z.array(flag.extend({ subjectId: z.uuid(), createdAt: z.date() })),
  });
};
const provenanceSchema = provenanceSchemaOf(lotSchema, flagSummarySchema);
export type Provenance = z.output<typeof provenanceSchema>;
/** A lot of the provenance: on which side of the lot asked about it lies, and how many edges away. */
export type ProvenanceLot = Provenance['ancestors'][number];
export type ProvenanceEdge = Provenance['edges'][number];
export type ProvenanceEvent = Provenance['events'][number];
export type ProvenanceFlag = Provenance['flags'][number];
