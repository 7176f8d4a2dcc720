import { createRoute } from '@hono/zod-openapi';
import {
  inspectionRecordSchema,
  scanRecordSchema,
  syncConcurrency,
  syncRecords,
} from '../../domain/inputs/sync.js';
import { ApiError } from '../../domain/shared/errors.js';
import { qrLinks } from '../../http/gs1.js';
import { access, errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import { fromDatabaseError, problemOf } from '../../http/problem.js';
import type { Router } from '../../http/router.js';
import { batchSchema, syncResponseSchema } from './schemas.js';

const sync = createRoute({
  method: 'post',
  path: '/v1/sync',
  tags: ['Checkpoints'],
  summary: 'Send scans and inspections recorded offline; each applied once, each answered on its own',
  ...access('checkpoint'),
  request: { body: jsonBody(batchSchema) },
  responses: { 200: jsonResponse(syncResponseSchema, 'A result per record'), ...errorResponses },
});

/**
 * What an unexpected error of one record becomes: the database's word, or an internal error
 * (reported with the request's id).
 */
const explainWith =
  (report: (err: unknown) => void) =>
  (err: unknown): ApiError => {
    const fromDb = fromDatabaseError(err);
    if (fromDb) return fromDb;
    report(err);
    return new ApiError('internal', 'an unexpected error occurred; it has been logged');
  };

export function registerSyncRoutes(app: Router) {
  app.openAPIRegistry.register('SyncScanRecord', scanRecordSchema);
  app.openAPIRegistry.register('SyncInspectionRecord', inspectionRecordSchema);
  app.openapi(sync, async (c) => {
    const { db, ledgerKey } = c.var.services;
    const { results, counts } = await syncRecords(db, c.var.principal, c.req.valid('json').records, {
      ledgerKeys: [ledgerKey.publicJwk],
      links: qrLinks(c),
      explain: explainWith(c.var.reportError),
      concurrency: syncConcurrency,
    });
    return c.json(
      {
        results: results.map(({ error, ...r }) => {
          if (!error) return r;
          const { type, status, detail, errors } = problemOf(error);
          return { ...r, error: { type, status, detail, ...(errors ? { errors } : {}) } };
        }),
        counts,
      },
      200,
    );
  });
}
