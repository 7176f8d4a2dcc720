import type { JWK } from 'jose';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { ApiError } from './errors.js';
import { applyInspection, inspectionRecordSchema, newBatchMemo } from './inspections.js';
import type { Principal } from './principal.js';
import { newScanSchema, recordScan } from './scans.js';

/** The most records one batch may carry: a day offline at a busy post, in one request of ~1 MB. */
export const maxSyncRecords = 1000;

export const scanRecordSchema = newScanSchema.extend({ kind: z.literal('scan') });
export { inspectionRecordSchema };

const syncRecordSchema = z.discriminatedUnion('kind', [scanRecordSchema, inspectionRecordSchema]);
export type SyncRecord = z.infer<typeof syncRecordSchema>;

export interface SyncResult {
  index: number;
  kind: SyncRecord['kind'] | null;
  clientId: string | null;
  status: 'applied' | 'duplicate' | 'rejected';
  id?: string;
  verdict?: 'pass' | 'hold';
  error?: ApiError;
}

export interface SyncContext {
  ledgerKeys: JWK[];
  baseUrl: string;
  /** Turns an error that is not an ApiError (a database refusal, a bug) into one. */
  explain: (err: unknown) => ApiError;
}

function invalidRecord(issues: readonly z.core.$ZodIssue[]): ApiError {
  const errors = issues.map((i) => ({
    field: i.path.map(String).join('.') || '(record)',
    message: i.message,
  }));
  return new ApiError(
    'validation',
    `invalid record: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
    {
      errors,
    },
  );
}

async function applyRecord(
  db: Db,
  by: Principal,
  record: SyncRecord,
  ctx: SyncContext & { memo: ReturnType<typeof newBatchMemo> },
) {
  if (record.kind === 'scan') {
    const { id, verdict, duplicate } = await recordScan(db, by, record, ctx);
    return { id, verdict, duplicate };
  }
  const { row, duplicate } = await applyInspection(db, by, record, ctx);
  return { id: row.id, verdict: row.verdict, duplicate };
}

/**
 * Applies a batch of scans and inspections recorded offline. Each record is validated and
 * applied on its own, in its own transaction, through the same functions as the single-record
 * routes: a bad record is answered `rejected` and never blocks the others. Records are applied in
 * the order sent, whatever their device times; a clientId already recorded (by an earlier batch,
 * a resent one, or earlier in this one) is answered `duplicate` with the first record's id, so a
 * retried batch changes nothing. What the records share is only memoized: each distinct QR of an
 * inspection is verified once, each checkpoint checked once.
 */
export async function syncRecords(
  db: Db,
  by: Principal,
  records: unknown[],
  ctx: SyncContext,
): Promise<{ results: SyncResult[]; counts: Record<SyncResult['status'], number> }> {
  const memo = newBatchMemo();
  const results: SyncResult[] = [];
  const counts = { applied: 0, duplicate: 0, rejected: 0 };
  for (const [index, raw] of records.entries()) {
    const loose = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const kind = loose.kind === 'scan' || loose.kind === 'inspection' ? loose.kind : null;
    const clientId = typeof loose.clientId === 'string' ? loose.clientId : null;
    let result: SyncResult;
    const parsed = syncRecordSchema.safeParse(raw);
    if (!parsed.success) {
      result = { index, kind, clientId, status: 'rejected', error: invalidRecord(parsed.error.issues) };
    } else {
      try {
        const { id, verdict, duplicate } = await applyRecord(db, by, parsed.data, { ...ctx, memo });
        result = { index, kind, clientId, status: duplicate ? 'duplicate' : 'applied', id, verdict };
      } catch (err) {
        const error = err instanceof ApiError ? err : ctx.explain(err);
        result = { index, kind, clientId, status: 'rejected', error };
      }
    }
    counts[result.status]++;
    results.push(result);
  }
  return { results, counts };
}
