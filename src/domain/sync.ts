import type { JWK } from 'jose';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { ApiError } from './errors.js';
import { applyInspection, type BatchMemo, inspectionRecordSchema, newBatchMemo } from './inspections.js';
import type { Principal } from './principal.js';
import { jwsFromScan } from './qr.js';
import { newScanSchema, recordScan } from './scans.js';

/** The most records one batch may carry: a day offline at a busy post, in one request of ~1 MB. */
export const maxSyncRecords = 1000;

/**
 * How many lanes of a batch are applied at once. On PostgreSQL each takes a pooled connection
 * (node.ts opens 10), and concurrent commits share WAL flushes; PGlite runs one transaction at a
 * time whatever this says.
 */
export const syncConcurrency = 4;

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
  concurrency?: number;
}

function invalidRecord(issues: readonly z.core.$ZodIssue[]): ApiError {
  const errors = issues.map((i) => ({
    field: i.path.map(String).join('.') || '(record)',
    message: i.message,
  }));
  const detail = `invalid record: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`;
  return new ApiError('validation', detail, { errors });
}

async function applyRecord(
  db: Db,
  by: Principal,
  record: SyncRecord,
  ctx: SyncContext & { memo: BatchMemo },
) {
  if (record.kind === 'scan') {
    const { id, verdict, duplicate } = await recordScan(db, by, record, ctx);
    return { id, verdict, duplicate };
  }
  const { row, duplicate } = await applyInspection(db, by, record, ctx);
  return { id: row.id, verdict: row.verdict, duplicate };
}

/**
 * What a record touches: its clientId and the lot or movement its QR claims to name. The claim is
 * read without verifying the signature: it only decides which records share a lane, and
 * recordScan and applyInspection verify every QR before anything is written.
 */
function keysOf(record: SyncRecord): string[] {
  const keys = [`${record.kind}:${record.clientId}`];
  if (record.kind === 'inspection' && record.movementId) return [...keys, record.movementId];
  try {
    const payload = jwsFromScan(record.token as string).split('.')[1] ?? '';
    const claimed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { i?: unknown };
    return typeof claimed.i === 'string' ? [...keys, claimed.i] : keys;
  } catch {
    return keys; // not even a JWS: the record will be rejected, it touches nothing
  }
}

/** What a result names its record by, read from whatever the device sent. */
function labelOf(raw: unknown): Pick<SyncResult, 'kind' | 'clientId'> {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as { kind?: unknown; clientId?: unknown };
  return {
    kind: r.kind === 'scan' || r.kind === 'inspection' ? r.kind : null,
    clientId: typeof r.clientId === 'string' ? r.clientId : null,
  };
}

/**
 * Splits a batch into lanes: records that share a clientId or a subject go in one lane, in the
 * order sent, so that the first of a clientId wins and a movement's inspections see each other
 * as the device recorded them; records in different lanes touch nothing in common.
 */
function lanesOf(keys: (string[] | undefined)[]): number[][] {
  const parent = new Map<string, string>();
  const root = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r) ?? r;
    parent.set(k, r);
    return r;
  };
  for (const ks of keys) {
    for (const k of ks ?? []) if (!parent.has(k)) parent.set(k, k);
    for (const k of ks?.slice(1) ?? []) parent.set(root(k), root(ks?.[0] as string));
  }
  const lanes = new Map<string, number[]>();
  keys.forEach((ks, index) => {
    const lane = ks?.[0] ? root(ks[0]) : `#${index}`;
    const indexes = lanes.get(lane);
    if (indexes) indexes.push(index);
    else lanes.set(lane, [index]);
  });
  return [...lanes.values()];
}

/**
 * Applies a batch of scans and inspections recorded offline. Each record is validated and
 * applied on its own, in its own transaction, through the same functions as the single-record
 * routes: a bad record is answered `rejected` and never blocks the others. Within a lane records
 * are applied in the order sent, whatever their device times; lanes run side by side. A clientId
 * already recorded (by an earlier batch, a resent one, or earlier in this one) is answered
 * `duplicate` with the first record's id, so a retried batch changes nothing. What the records
 * share is only memoized: each distinct inspection QR is verified once, each checkpoint checked once.
 */
export async function syncRecords(
  db: Db,
  by: Principal,
  records: unknown[],
  ctx: SyncContext,
): Promise<{ results: SyncResult[]; counts: Record<SyncResult['status'], number> }> {
  const memo = newBatchMemo();
  const withMemo = { ...ctx, memo };
  const parsed = records.map((raw) => syncRecordSchema.safeParse(raw));
  const keys = parsed.map((p) => (p.success ? keysOf(p.data) : undefined));
  const results = new Array<SyncResult>(records.length);

  const applyAt = async (index: number): Promise<SyncResult> => {
    const { kind, clientId } = labelOf(records[index]);
    const p = parsed[index];
    if (!p?.success) {
      return { index, kind, clientId, status: 'rejected', error: invalidRecord(p?.error.issues ?? []) };
    }
    try {
      const { id, verdict, duplicate } = await applyRecord(db, by, p.data, withMemo);
      return { index, kind, clientId, status: duplicate ? 'duplicate' : 'applied', id, verdict };
    } catch (err) {
      const error = err instanceof ApiError ? err : ctx.explain(err);
      return { index, kind, clientId, status: 'rejected', error };
    }
  };

  const lanes = lanesOf(keys);
  let next = 0;
  const worker = async () => {
    for (let lane = lanes[next++]; lane; lane = lanes[next++]) {
      for (const index of lane) results[index] = await applyAt(index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, ctx.concurrency ?? 1) }, worker));

  const counts = { applied: 0, duplicate: 0, rejected: 0 };
  for (const r of results) counts[r.status]++;
  return { results, counts };
}
