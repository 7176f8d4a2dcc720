import { createRoute, z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import { flagReviewSchema, getFlag, reviewFlag, reviewScope } from '../../domain/screening/flag-review.js';
import { csvLangs, flagsCsvHeaders } from '../../domain/screening/flags-csv.js';
import { flagListQuery, listFlags } from '../../domain/screening/flags-list.js';
import { dryRunOf, dryRunQuery } from '../../http/dry-run.js';
import {
  access,
  errorResponses,
  jsonBody,
  jsonResponse,
  pageOf,
  pageQuery,
  uuidParam,
} from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { exportFlags } from './export.js';
import { flagListItemSchema, flagSchema, reviewPreviewSchema } from './schemas.js';

const tags = ['Flags'];

const listQuery = flagListQuery.extend(pageQuery).extend({
  sort: flagListQuery.shape.sort.openapi({
    description:
      'raised (default): in the order flags were raised (by id); severity: most severe first, then oldest first; age: oldest first (the longest waiting); recent: newest first. Ties are broken by id, so paging never repeats or skips a flag.',
  }),
  format: z.enum(['json', 'csv', 'geojson']).optional().openapi({
    description:
      'json (default): one page. csv (or Accept: text/csv) or geojson (or Accept: application/geo+json): every flag that passes the filters, in the order asked, streamed as a file (cursor and limit are ignored)',
  }),
  lang: z
    .enum(csvLangs)
    .default('es')
    .openapi({ description: 'Language of the file’s headers and values: es (default) or en' }),
});

const routes = {
  list: createRoute({
    method: 'get',
    path: '/v1/flags',
    tags,
    summary:
      'The flag queue: by status, rule, subject and severity, sorted, a page at a time, or whole as CSV or GeoJSON',
    ...access('regulator', 'admin'),
    request: { query: listQuery },
    responses: {
      200: {
        description:
          'A page of flags, each with its subject’s printed code; or the whole filtered queue as CSV or GeoJSON, streamed',
        content: {
          'application/json': { schema: pageOf(flagListItemSchema) },
          'text/csv': {
            schema: z.string().openapi({
              description: `RFC 4180, CRLF, UTF-8 with a byte-order mark; values in words; cells starting with = + - @ are prefixed with an apostrophe. Columns (es): ${flagsCsvHeaders('es').join(', ')}. (en): ${flagsCsvHeaders('en').join(', ')}`,
            }),
          },
          'application/geo+json': {
            schema: z.looseObject({ type: z.literal('FeatureCollection') }).openapi({
              description:
                'RFC 7946: each flag a Feature at the checkpoint its evidence names, else at its lot’s origin or its movement’s destination (no geometry when there is none); properties are the CSV’s columns under their English headers, values worded in `lang`',
            }),
          },
        },
      },
      ...errorResponses,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/v1/flags/{id}',
    tags,
    summary: 'A risk flag with its evidence and review',
    ...access('regulator', 'admin'),
    request: { params: uuidParam },
    responses: { 200: jsonResponse(flagSchema, 'The flag'), ...errorResponses },
  }),
  review: createRoute({
    method: 'post',
    path: '/v1/flags/{id}/review',
    tags,
    summary:
      'Acknowledge, escalate or dismiss a flag, with a reason (recorded in the ledger); its inherited copies take the same decision',
    // Regulators review flags (DESIGN "Users and roles"); admins maintain reference data only.
    ...access('regulator'),
    description:
      'Roles: regulator. With `?dryRun=true` nothing is written: the answer lists every flag the review would change — the flag, its inherited copies on lots made from the flagged one, and the copies an escalation would raise — each with its subject’s code, so a client can show them before the reviewer confirms. A review that would be refused is refused the same way.',
    request: { params: uuidParam, query: dryRunQuery, body: jsonBody(flagReviewSchema) },
    responses: {
      200: jsonResponse(
        z.union([flagSchema, reviewPreviewSchema]),
        'The flag as reviewed; with `?dryRun=true`, what the review would change (ReviewPreview)',
      ),
      ...errorResponses,
    },
  }),
};

/** The format an Accept header asks for when `format` is absent (the regulator app asks for CSV so). */
const formatAccepted = (accept = ''): 'json' | 'csv' | 'geojson' =>
  /\btext\/csv\b/.test(accept) ? 'csv' : /\bapplication\/geo\+json\b/.test(accept) ? 'geojson' : 'json';

export function registerFlagRoutes(app: Router) {
  app.openapi(routes.list, async (c) => {
    const q = c.req.valid('query');
    const format = q.format ?? formatAccepted(c.req.header('accept'));
    if (format === 'json') return c.json(await listFlags(c.var.services.db, q), 200);
    // @hono/zod-openapi types every schema'd response as 'json', the files included.
    return (await exportFlags(c, { ...q, format })) as unknown as TypedResponse<never, 200, 'json'>;
  });
  app.openapi(routes.get, async (c) =>
    c.json(await getFlag(c.var.services.db, c.req.valid('param').id), 200),
  );
  app.openapi(routes.review, async (c) => {
    const id = c.req.valid('param').id;
    const body = c.req.valid('json');
    if (c.req.valid('query').dryRun) {
      const { result } = await dryRunOf(c, (db) => reviewScope(db, c.var.principal, id, body));
      return c.json(result, 200);
    }
    return c.json(await reviewFlag(c.var.services.db, c.var.principal, id, body), 200);
  });
}
