/**
 * Reports as the API answers them: the balances of a concession and of a producer, and the AML
 * report. Plain zod: the routes publish these shapes in the OpenAPI document, the domain returns
 * their inferred types, and the apps read the same types.
 */
import { z } from 'zod';
import {
  currencies,
  flagStatuses,
  paymentMethods,
  riskLevels,
  ruleCodes,
  severities,
  transferOperations,
} from '../shared/vocabulary.js';

/** A decimal given as a string (never a float), with what it measures. */
const decimalField = (description: string) => z.string().meta({ description, example: '1250.000' });
/** Declared ÷ supported, as in the balances. */
const ratioField = z.string().nullable().meta({
  description: 'Declared ÷ supported, 3 decimals; null when nothing supports it.',
  example: '1.350',
});
/** Unresolved flags by rule, as in the balances. */
const flagCountsField = z
  .record(z.string(), z.number().int())
  .meta({ description: 'Unresolved (open or escalated) flags of these rules, by rule.' });

/** One capacity window of a concession: the gold declared in it against its capacity. */
const capacityWindowSchema = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  days: z.number().int(),
  peakFactor: z
    .number()
    .meta({ description: 'The annual capacity × days ÷ 365 is scaled by this (seasonal peak).' }),
  declaredFineG: decimalField('Fine gold of the root lots declared on it, extracted in the window, grams.'),
  lotCount: z.number().int(),
  capacityFineG: decimalField('The smaller of the two bases below, grams.'),
  basis: z
    .enum(['concession_area', 'mined_area', 'category'])
    .meta({ description: 'The basis that sets the capacity.' }),
  areaCapacityFineG: decimalField('area × fineKgPerHaYear × days ÷ 365 × peakFactor, grams.'),
  footprintSource: z
    .string()
    .nullable()
    .meta({ description: 'Remote-sensing source whose footprints were counted.' }),
  minedAreaHa: z
    .string()
    .nullable()
    .meta({ description: 'Mined area detected on the concession up to the window end, ha.' }),
  minedCapacityFineG: z.string().nullable().meta({
    description:
      'mined area × minedFineKgPerHaYear × days ÷ 365 × peakFactor, grams; null without coverage or mining.',
  }),
  ratio: ratioField,
});

/** A concession's declared gold against what its area can plausibly yield. */
export const concessionBalanceSchema = z.object({
  concessionId: z.uuid(),
  code: z.string(),
  name: z.string(),
  window: z.object({ from: z.iso.date(), to: z.iso.date(), days: z.number().int() }),
  areaHa: decimalField('Area of the concession (geodesic), hectares.'),
  declaredFineG: decimalField('Fine gold of the root lots declared on it, extracted in the window, grams.'),
  lotCount: z.number().int(),
  capacityFineG: decimalField('Capacity for the window (see windows[].capacityFineG), grams.'),
  ratio: ratioField,
  windows: z.array(capacityWindowSchema).meta({
    description: 'Every time scale the rule PRODUCTION_OVER_CAPACITY judges, ending on the same day.',
  }),
  thresholds: z.object({
    version: z.string(),
    fineKgPerHaYear: z.number(),
    minedFineKgPerHaYear: z.number(),
  }),
  openFlags: flagCountsField,
  flagsOnLots: z.record(z.string(), z.number().int()).meta({
    description:
      'Unresolved (open or escalated) flags of every rule on the lots declared from this concession, inherited copies included, by rule.',
  }),
  flagsOnMovements: z.record(z.string(), z.number().int()).meta({
    description: 'Unresolved flags of every rule on the input movements sent to this concession, by rule.',
  }),
});
export type ConcessionBalance = z.output<typeof concessionBalanceSchema>;

/** A producer's declared gold against the inputs it received, and mercury that found no gold. */
export const actorBalanceSchema = z.object({
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
    fuelL: decimalField('Diesel and gasoline received as consignee (not seized), window plus lead, litres.'),
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
});
export type ActorBalance = z.output<typeof actorBalanceSchema>;

const grams = z.string().meta({ example: '870.000', description: 'grams, exact, three decimals' });
const amlActor = z.object({ id: z.uuid(), taxId: z.string(), name: z.string() });

const amlFlag = z.object({
  id: z.uuid(),
  rule: z.enum(ruleCodes),
  severity: z.enum(severities),
  status: z.enum(flagStatuses),
  inheritedFrom: z.uuid().nullable(),
  raisedAt: z.string().meta({ description: 'ISO 8601 UTC' }),
  reviewedBy: z.string().nullable(),
  reviewReason: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  evidence: z.record(z.string(), z.unknown()),
  summary: z.string().meta({ description: 'The evidence in one sentence, written by the rule' }),
});

const amlSubject = {
  id: z.uuid(),
  code: z.string(),
  status: z.string(),
  riskLevel: z.enum(riskLevels).meta({
    description: 'Highest severity among ALL the subject’s open or escalated flags, when generated',
  }),
  reviewState: z
    .record(z.enum(flagStatuses), z.number().int())
    .meta({ description: 'The listed flags (raised in the period) by status' }),
  flagsOutsidePeriod: z.number().int(),
  flags: z.array(amlFlag).meta({ description: 'Flags raised in the period, oldest first' }),
};

/** A hand-over of a lot (lot_transfers) as the AML report shows it: the money trail as declared. */
const amlHandOver = z.object({
  id: z.uuid(),
  operation: z.enum(transferOperations),
  occurredAt: z.string().meta({ description: 'ISO 8601 UTC, server time' }),
  from: amlActor,
  to: amlActor.nullable().meta({ description: 'null for an export' }),
  grossWeightG: grams,
  fineWeightG: grams,
  price: z
    .object({ amount: z.string().meta({ example: '112000.00' }), currency: z.enum(currencies) })
    .nullable(),
  payment: z.object({ method: z.enum(paymentMethods), reference: z.string().nullable() }).nullable(),
  invoice: z.object({ number: z.string(), issuedOn: z.string() }).nullable(),
});

const amlLot = z.object({
  subjectType: z.literal('lot'),
  ...amlSubject,
  producer: amlActor.nullable(),
  custodian: amlActor,
  concession: z.object({ id: z.uuid(), code: z.string(), name: z.string() }).nullable(),
  origin: z.object({ lon: z.number(), lat: z.number() }).nullable(),
  extractedOn: z.string().nullable(),
  grossWeightG: grams,
  fineWeightG: grams,
  export: z
    .object({
      exportedOn: z.string().nullable(),
      destinationCountry: z.string().nullable(),
      customsDeclaration: z.string().nullable(),
    })
    .nullable(),
  handOvers: z.array(amlHandOver).meta({
    description: 'Every transfer and export of the lot, oldest first, with its price, payment and invoice',
  }),
});

const amlMovement = z.object({
  subjectType: z.literal('movement'),
  ...amlSubject,
  consignor: amlActor,
  consignee: amlActor,
  input: z.string(),
  quantity: z.string().meta({ description: 'exact, three decimals, in `unit`' }),
  unit: z.string(),
  route: z.string(),
  destination: z.union([
    z.object({ kind: z.literal('concession'), concessionId: z.uuid(), concessionCode: z.string() }),
    z.object({ kind: z.literal('point'), lon: z.number(), lat: z.number() }),
  ]),
});

/**
 * The AML report (DESIGN "Risk screening"): every lot and movement with a flag raised in the
 * period, with its actors, weights, origin and the flags of the period, riskiest first.
 */
export const amlReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  thresholdsVersion: z.string(),
  totals: z.object({
    lots: z.number().int(),
    movements: z.number().int(),
    flags: z.number().int(),
    bySeverity: z.record(z.enum(severities), z.number().int()),
  }),
  items: z.array(z.discriminatedUnion('subjectType', [amlLot, amlMovement])),
});
export type AmlReport = z.output<typeof amlReportSchema>;
export type AmlItem = AmlReport['items'][number];
export type AmlFlag = AmlItem['flags'][number];
