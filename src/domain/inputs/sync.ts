import type { JWK } from 'jose';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.js';
import { jwsFromScan } from '../lots/qr.js';
import {
  applyScan,
  type BatchMemo,
  newBatchMemo,
  newScanSchema,
  ownTransaction,
  type WriteScope,
} from '../lots/scans.js';
import { ApiError } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import type { Verdict } from '../shared/vocabulary.js';
import { applyInspection, inspectionRecordSchema } from './inspections.js';
import type { SyncRecordResult, SyncResult } from './schemas.js';

/** The most records one batch may carry: a day offline at a busy post, in one request of ~1 MB. */
export const maxSyncRecords = 1000;

/**
 * How many groups of a batch are applied at once. On PostgreSQL each takes a pooled connection
 * (src/db/node.ts opens 10); PGlite runs one transaction at a time whatever this says.
 */
export const syncConcurrency = 4;

/**
 * How many records one transaction applies. A COMMIT is the dearest statement of a record applied
 * alone (an fsync on PostgreSQL), so records are committed by the hundred; more would hold the
 * locks on a chunk's movements longer and lose more work when a COMMIT fails.
 */
const syncChunkRecords = 100;

export const scanRecordSchema = newScanSchema.extend({ kind: z.literal('scan') });
export { inspectionRecordSchema };

const syncRecordSchema = z.discriminatedUnion('kind', [scanRecordSchema, inspectionRecordSchema]);
export type SyncRecord = z.infer<typeof syncRecordSchema>;

/**
 * What became of one record, as POST /v1/sync answers it but for the error, which the route
 * words as the single-record route would.
 */
type RecordOutcome = Omit<SyncRecordResult, 'error'> & { error?: ApiError };

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
  tx: Tx,
  by: Principal,
  record: SyncRecord,
  ctx: SyncContext & { memo: BatchMemo; writeScope: WriteScope },
): Promise<{ id: string; verdict: Verdict; duplicate: boolean }> {
  const { row, duplicate } =
    record.kind === 'scan'
      ? await applyScan(tx, by, record, ctx)
      : await applyInspection(tx, by, record, ctx);
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
function labelOf(raw: unknown): Pick<RecordOutcome, 'kind' | 'clientId'> {
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
    if (!ks?.[0]) return; // an invalid record: rejected before anything is applied
    const lane = root(ks[0]);
    const indexes = lanes.get(lane);
    if (indexes) indexes.push(index);
    else lanes.set(lane, [index]);
  });
  return [...lanes.values()];
}

/**
 * Deals whole lanes into `n` groups of about the same size, each group in request order: a lane's
 * records stay together and in the order sent, and groups touch nothing in common, so they may be
 * applied side by side without waiting on each other's locks.
 */
function groupsOf(lanes: number[][], n: number): number[][] {
  const groups = Array.from({ length: Math.max(1, n) }, () => [] as number[]);
  for (const lane of [...lanes].sort((a, b) => b.length - a.length)) {
    const smallest = groups.reduce((min, g) => (g.length < min.length ? g : min));
    smallest.push(...lane);
  }
  return groups.filter((g) => g.length > 0).map((g) => g.sort((a, b) => a - b));
}

/** Thrown out of a chunk applied without savepoints when a record failed inside its writes. */
class RecordFailedInChunk extends Error {
  constructor(readonly failure: unknown) {
    super('a record failed inside a chunk applied without savepoints');
  }
}

/**
 * A record's writes straight in its chunk's transaction. A failure there may have left the
 * transaction aborted or the record half written, so it undoes the whole chunk (see applyChunk).
 */
const inChunk: WriteScope = async (tx, write) => {
  try {
    return await write(tx as Tx);
  } catch (err) {
    throw new RecordFailedInChunk(err);
  }
};

/**
 * Applies a batch of scans and inspections recorded offline. Each record is validated and
 * applied on its own, through the same functions as the single-record routes, inside its own
 * savepoint: a bad record is answered `rejected`, its writes undone, and never blocks the others.
 * (A chunk is first tried without savepoints, and only applied again with them when a record of
 * it failed inside its writes: a clean chunk, the common case, saves two statements per record.)
 * A lane's records are applied in the order sent, whatever their device times; groups of lanes run
 * side by side. A clientId already recorded (by an earlier batch, a resent one, or earlier in this
 * one) is answered `duplicate` with the first record's id, so a retried batch changes nothing.
 * What the records share is only memoized: each distinct QR is verified once, each checkpoint
 * checked once.
 *
 * Records are committed by chunks of `syncChunkRecords`, one transaction each, instead of one
 * transaction per record: a COMMIT per record was most of a record's cost. A chunk's results are
 * answered only once its COMMIT has succeeded, because a device drops a record it is told was
 * applied: if the COMMIT fails, every record of the chunk is answered `rejected` and the device
 * sends them again, which is safe since a record is applied once by its clientId.
 */
export async function syncRecords(
  db: Db,
  by: Principal,
  records: unknown[],
  ctx: SyncContext,
): Promise<{ results: RecordOutcome[]; counts: SyncResult['counts'] }> {
  const memo = newBatchMemo();
  const withMemo = { ...ctx, memo };
  const parsed = records.map((raw) => syncRecordSchema.safeParse(raw));
  const keys = parsed.map((p) => (p.success ? keysOf(p.data) : undefined));
  const results = new Array<RecordOutcome>(records.length);
  parsed.forEach((p, index) => {
    if (!p.success) {
      results[index] = {
        index,
        ...labelOf(records[index]),
        status: 'rejected',
        error: invalidRecord(p.error.issues),
      };
    }
  });

  const applyAt = async (tx: Tx, index: number, record: SyncRecord, writeScope: WriteScope) => {
    const { kind, clientId } = labelOf(records[index]);
    try {
      const { id, verdict, duplicate } = await applyRecord(tx, by, record, { ...withMemo, writeScope });
      return { index, kind, clientId, status: duplicate ? 'duplicate' : 'applied', id, verdict } as const;
    } catch (err) {
      if (err instanceof RecordFailedInChunk) throw err;
      const error = err instanceof ApiError ? err : ctx.explain(err);
      return { index, kind, clientId, status: 'rejected', error } as const;
    }
  };

  const applyChunk = async (chunk: number[]) => {
    const answered: RecordOutcome[] = [];
    const inOneTransaction = (writeScope: WriteScope) =>
      db.transaction(async (tx) => {
        answered.length = 0;
        for (const index of chunk) {
          const p = parsed[index];
          if (p?.success) answered.push(await applyAt(tx, index, p.data, writeScope));
        }
      });
    try {
      // Optimistically without savepoints (two statements of ~five per record); if a record
      // fails inside its writes, the chunk is undone and applied again, each record in a savepoint.
      await inOneTransaction(inChunk).catch((err) => {
        if (err instanceof RecordFailedInChunk) return inOneTransaction(ownTransaction);
        throw err;
      });
    } catch (err) {
      const why = err instanceof ApiError ? err : ctx.explain(err);
      const error = new ApiError(
        'conflict',
        `not committed (${why.message}): nothing of this record was applied; send it again`,
      );
      for (const index of chunk) {
        results[index] = { index, ...labelOf(records[index]), status: 'rejected', error };
      }
      return;
    }
    for (const r of answered) results[r.index] = r;
  };

  const groups = groupsOf(lanesOf(keys), ctx.concurrency ?? 1);
  await Promise.all(
    groups.map(async (group) => {
      for (let i = 0; i < group.length; i += syncChunkRecords) {
        await applyChunk(group.slice(i, i + syncChunkRecords));
      }
    }),
  );

  const counts = { applied: 0, duplicate: 0, rejected: 0 };
  for (const r of results) counts[r.status]++;
  return { results, counts };
}
