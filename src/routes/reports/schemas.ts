import { z } from '@hono/zod-openapi';
import { ruleCodes } from '../../domain/screening/rules/types.js';
import { flagStatuses, severities } from '../../domain/shared/vocabulary.js';

const grams = z.string().openapi({ example: '870.000', description: 'grams, exact, three decimals' });
const actor = z.object({ id: z.uuid(), taxId: z.string(), name: z.string() });
const riskLevel = z.enum(['none', ...severities]);

const amlFlag = z.object({
  id: z.uuid(),
  rule: z.enum(ruleCodes),
  severity: z.enum(severities),
  status: z.enum(flagStatuses),
  inheritedFrom: z.uuid().nullable(),
  raisedAt: z.string().openapi({ description: 'ISO 8601 UTC' }),
  reviewedBy: z.string().nullable(),
  reviewReason: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  evidence: z.record(z.string(), z.unknown()),
  summary: z.string().openapi({ description: 'The evidence in one sentence, written by the rule' }),
});

const subject = {
  id: z.uuid(),
  code: z.string(),
  status: z.string(),
  riskLevel: riskLevel.openapi({
    description: 'Highest severity among ALL the subject’s open or escalated flags, when generated',
  }),
  reviewState: z
    .record(z.enum(flagStatuses), z.number().int())
    .openapi({ description: 'The listed flags (raised in the period) by status' }),
  flagsOutsidePeriod: z.number().int(),
  flags: z.array(amlFlag).openapi({ description: 'Flags raised in the period, oldest first' }),
};

const amlLot = z.object({
  subjectType: z.literal('lot'),
  ...subject,
  producer: actor.nullable(),
  custodian: actor,
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
});

const amlMovement = z.object({
  subjectType: z.literal('movement'),
  ...subject,
  consignor: actor,
  consignee: actor,
  input: z.string(),
  quantity: z.string().openapi({ description: 'exact, three decimals, in `unit`' }),
  unit: z.string(),
  route: z.string(),
  destination: z.union([
    z.object({ kind: z.literal('concession'), concessionId: z.uuid(), concessionCode: z.string() }),
    z.object({ kind: z.literal('point'), lon: z.number(), lat: z.number() }),
  ]),
});

export const amlReportSchema = z
  .object({
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
  })
  .openapi('AmlReport');
