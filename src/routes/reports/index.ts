import { createRoute, z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import { amlQuery, amlReport } from '../../domain/reports/aml-report.js';
import { ruleCodes } from '../../domain/screening/rules/types.js';
import { flagStatuses, severities } from '../../domain/shared/vocabulary.js';
import { access, errorResponses } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { amlCsv, amlCsvColumns } from './csv.js';

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

const route = createRoute({
  method: 'get',
  path: '/v1/reports/aml',
  tags: ['Reports'],
  summary:
    'Lots and movements flagged in a period, with actors, weights, origins, evidence and review, by risk',
  // Regulators export reports (DESIGN "Users and roles"); admins maintain reference data only.
  ...access('regulator'),
  request: {
    query: amlQuery.openapi({
      description:
        'from/to: days (UTC, inclusive) on which flags were raised; default the 30 days to today; at most 366 days',
    }),
  },
  responses: {
    200: {
      description: 'The report (JSON), or one CSV row per subject (format=csv, as an attachment)',
      content: {
        'application/json': { schema: amlReportSchema },
        'text/csv': {
          schema: z.string().openapi({
            description: `RFC 4180, CRLF, UTF-8 without BOM; columns: ${amlCsvColumns.join(', ')}`,
          }),
        },
      },
    },
    ...errorResponses,
  },
});

export function registerReportRoutes(app: Router) {
  app.openapi(route, async (c) => {
    const q = c.req.valid('query');
    const report = await amlReport(c.var.services.db, q);
    if (q.format === 'json') return c.json(report, 200);
    // @hono/zod-openapi types every schema'd response as 'json', text/csv included.
    return c.body(amlCsv(report), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="aml-${report.from}-${report.to}.csv"`,
    }) as unknown as TypedResponse<string, 200, 'json'>;
  });
}
