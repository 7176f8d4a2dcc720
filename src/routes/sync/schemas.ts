import { z } from '@hono/zod-openapi';
import { syncResultSchema as syncResult } from '../../domain/inputs/schemas.js';
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

export const syncResponseSchema = syncResult.openapi('SyncResult');
