import { createRoute, z } from '@hono/zod-openapi';
import {
  inspectionRecordSchema,
  maxSyncRecords,
  scanRecordSchema,
  syncConcurrency,
  syncRecords,
} from '../../domain/inputs/sync.js';
import { ApiError } from '../../domain/shared/errors.js';
import { access, errorResponses, jsonBody, jsonResponse } from '../../http/openapi.js';
import { fromDatabaseError, problemOf } from '../../http/problem.js';
import type { Router } from '../../http/router.js';

const recordRefs = [
  { $ref: '#/components/schemas/SyncScanRecord' },
  { $ref: '#/components/schemas/SyncInspectionRecord' },
];

// Records are validated one by one in the domain (a bad one is answered `rejected`, never a 400
// for the whole batch), so the body only checks the batch's size; the documented item schemas
// are the ones each record is validated with.
const batchSchema = z.object({
  records: z
    .array(z.unknown().openapi({ oneOf: recordRefs }))
    .min(1, 'a batch carries at least one record')
    .max(maxSyncRecords, `a batch carries at most ${maxSyncRecords} records`),
});

const resultSchema = z.object({
  index: z.number().int().openapi({ description: 'Position of the record in the batch' }),
  kind: z.enum(['scan', 'inspection']).nullable(),
  clientId: z.string().nullable(),
  status: z.enum(['applied', 'duplicate', 'rejected']),
  id: z.uuid().optional().openapi({ description: 'The scan or inspection (the first one, for a duplicate)' }),
  verdict: z.enum(['pass', 'hold']).optional(),
  error: z
    .object({
      type: z.string(),
      status: z.number().int(),
      detail: z.string(),
      errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    })
    .optional()
    .openapi({ description: 'Why the record was rejected, as the single-record route would answer' }),
});

const syncResponseSchema = z
  .object({
    results: z.array(resultSchema).openapi({ description: 'One per record, in request order' }),
    counts: z.object({ applied: z.number().int(), duplicate: z.number().int(), rejected: z.number().int() }),
  })
  .openapi('SyncResult');

const sync = createRoute({
  method: 'post',
  path: '/v1/sync',
  tags: ['Checkpoints'],
  summary: 'Send scans and inspections recorded offline; each applied once, each answered on its own',
  ...access('checkpoint'),
  request: { body: jsonBody(batchSchema) },
  responses: { 200: jsonResponse(syncResponseSchema, 'A result per record'), ...errorResponses },
});

/** What an unexpected error of one record becomes: the database's word, or an internal error (logged). */
function explain(err: unknown): ApiError {
  const fromDb = fromDatabaseError(err);
  if (fromDb) return fromDb;
  console.error(err);
  return new ApiError('internal', 'an unexpected error occurred; it has been logged');
}

export function registerSyncRoutes(app: Router) {
  app.openAPIRegistry.register('SyncScanRecord', scanRecordSchema);
  app.openAPIRegistry.register('SyncInspectionRecord', inspectionRecordSchema);
  app.openapi(sync, async (c) => {
    const { db, ledgerKey, baseUrl } = c.var.services;
    const { results, counts } = await syncRecords(db, c.var.principal, c.req.valid('json').records, {
      ledgerKeys: [ledgerKey.publicJwk],
      baseUrl,
      explain,
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
