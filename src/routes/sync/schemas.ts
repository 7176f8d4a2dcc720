import { z } from '@hono/zod-openapi';
import { maxSyncRecords } from '../../domain/inputs/sync.js';
import { boundedArray } from '../../domain/shared/bounded.js';

const recordRefs = [
  { $ref: '#/components/schemas/SyncScanRecord' },
  { $ref: '#/components/schemas/SyncInspectionRecord' },
];

// Records are validated one by one in the domain (a bad one is answered `rejected`, never a 400
// for the whole batch), so the body only checks the batch's size; the documented item schemas
// are the ones each record is validated with.
export const batchSchema = z.object({
  records: boundedArray(z.unknown().openapi({ oneOf: recordRefs }), maxSyncRecords, 'records in a batch').min(
    1,
    'a batch carries at least one record',
  ),
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

export const syncResponseSchema = z
  .object({
    results: z.array(resultSchema).openapi({ description: 'One per record, in request order' }),
    counts: z.object({ applied: z.number().int(), duplicate: z.number().int(), rejected: z.number().int() }),
  })
  .openapi('SyncResult');
