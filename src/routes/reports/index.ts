import { createRoute, z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import { amlQuery, amlReport } from '../../domain/reports/aml-report.js';
import { access, errorResponses } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { amlCsv, amlCsvColumns, amlCsvFileName } from './csv.js';
import { amlReportSchema } from './schemas.js';

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
        'from/to: days (UTC, inclusive) on which flags were raised; default the 30 days to today; at most 366 days. lang: the CSV in Spanish (default: headers and values in words, LA/FT — lavado de activos y financiamiento del terrorismo — as the UIF-Perú says it) or English (the stable column ids).',
    }),
  },
  responses: {
    200: {
      description: 'The report (JSON), or one CSV row per subject (format=csv, as an attachment)',
      content: {
        'application/json': { schema: amlReportSchema },
        'text/csv': {
          schema: z.string().openapi({
            description: `RFC 4180, CRLF, UTF-8 with a byte order mark (so Excel reads accents); comma-separated with decimals as a point and no grouping (Peru's es-PE convention, as Excel set to es-PE reads numbers); lang=es writes times as YYYY-MM-DD HH:MM:SS (UTC) and words the evidence, lang=en keeps ISO 8601 and the rules' English sentences; cells starting with = + - @ prefixed with an apostrophe; columns (lang=en headers): ${amlCsvColumns.join(', ')}`,
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
    return c.body(amlCsv(report, q.lang), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-language': q.lang,
      'content-disposition': `attachment; filename="${amlCsvFileName(report, q.lang)}"`,
    }) as unknown as TypedResponse<string, 200, 'json'>;
  });
}
