import { createRoute, z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import { flagReviewSchema, getFlag, reviewFlag, reviewScope } from '../../domain/screening/flag-review.js';
import { csvLangs, flagsCsv, flagsCsvHeaders } from '../../domain/screening/flags-csv.js';
import { flagListQuery, listFlags, queryFlags } from '../../domain/screening/flags-list.js';
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
import { flagListItemSchema, flagSchema, reviewPreviewSchema } from './schemas.js';

const tags = ['Flags'];

/** The most rows one CSV export holds: a narrower filter gets the rest. */
const csvMaxRows = 20_000;

const listQuery = flagListQuery.extend(pageQuery).extend({
  sort: flagListQuery.shape.sort.openapi({
    description:
      'raised (default): in the order flags were raised (by id); severity: most severe first, then oldest first; age: oldest first (the longest waiting); recent: newest first. Ties are broken by id, so paging never repeats or skips a flag.',
  }),
  format: z
    .enum(['json', 'csv'])
    .optional()
    .openapi({
      description: `csv (or Accept: text/csv): every flag that passes the filters, in the order asked (cursor and limit are ignored; at most ${csvMaxRows} rows), as a spreadsheet`,
    }),
  lang: z
    .enum(csvLangs)
    .default('es')
    .openapi({ description: 'Language of the CSV headers and values: es (default) or en' }),
});

const routes = {
  list: createRoute({
    method: 'get',
    path: '/v1/flags',
    tags,
    summary: 'The flag queue: by status, rule, subject and severity, sorted, a page at a time, or as CSV',
    ...access('regulator', 'admin'),
    request: { query: listQuery },
    responses: {
      200: {
        description:
          'A page of flags, each with its subject’s printed code; or the whole filtered queue as CSV',
        content: {
          'application/json': { schema: pageOf(flagListItemSchema) },
          'text/csv': {
            schema: z.string().openapi({
              description: `RFC 4180, CRLF, UTF-8 with a byte-order mark; values in words; cells starting with = + - @ are prefixed with an apostrophe. Columns (es): ${flagsCsvHeaders('es').join(', ')}. (en): ${flagsCsvHeaders('en').join(', ')}`,
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

export function registerFlagRoutes(app: Router) {
  app.openapi(routes.list, async (c) => {
    const q = c.req.valid('query');
    const csv = q.format === 'csv' || (!q.format && /\btext\/csv\b/.test(c.req.header('accept') ?? ''));
    if (!csv) return c.json(await listFlags(c.var.services.db, q), 200);
    const items = await queryFlags(c.var.services.db, q, csvMaxRows);
    const day = new Date().toISOString().slice(0, 10);
    // @hono/zod-openapi types every schema'd response as 'json', text/csv included.
    return c.body(flagsCsv(items, q.lang), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${q.lang === 'es' ? 'alertas' : 'flags'}-${day}.csv"`,
    }) as unknown as TypedResponse<never, 200, 'json'>;
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
