import type { JWK } from 'jose';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.js';
import { appendEvents, type EventInput } from '../ledger/events.js';
import { jwsFromScan, type QrLinks } from '../lots/qr.js';
import {
  applyScan,
  applyScans,
  assertCheckpoint,
  type BatchMemo,
  type NewScan,
  newBatchMemo,
  newScanSchema,
  type PendingRecord,
  type ScanRow,
  type SetOutcome,
  scannedLot,
} from '../lots/scans.js';
import { ApiError } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import { telemetry } from '../shared/telemetry.js';
import type { Verdict } from '../shared/vocabulary.js';
import {
  applyInspection,
  applyInspections,
  type InspectionRow,
  inspectedMovement,
  inspectionRecordSchema,
  type NewInspection,
} from './inspections.js';
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
type SyncRecord = z.infer<typeof syncRecordSchema>;

/**
 * What became of one record, as POST /v1/sync answers it but for the error, which the route
 * words as the single-record route would.
 */
type RecordOutcome = Omit<SyncRecordResult, 'error'> & { error?: ApiError };

export interface SyncContext {
  ledgerKeys: JWK[];
  links: QrLinks;
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
  ctx: SyncContext & { memo: BatchMemo },
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

/** Thrown out of a chunk applied as sets when something in it failed: see applyChunk. */
class NotAppliedAsSets extends Error {
  constructor(readonly failure: unknown) {
    super('a chunk could not be applied as sets of records');
  }
}

/**
 * Deals a chunk's records into waves: a record goes in the wave after that of the previous record
 * of its lane. A wave thus holds at most one record of each lane (records that touch nothing in
 * common), and a lane's records come in successive waves, in the order sent.
 */
function wavesOf(chunk: number[], laneOf: Map<number, number>): number[][] {
  const depth = new Map<number, number>();
  const waves: number[][] = [];
  for (const index of chunk) {
    const lane = laneOf.get(index) ?? -1 - index;
    const w = depth.get(lane) ?? 0;
    depth.set(lane, w + 1);
    const wave = waves[w];
    if (wave) wave.push(index);
    else waves[w] = [index];
  }
  return waves;
}

/**
 * Applies a batch of scans and inspections recorded offline. Each record is validated and judged
 * on its own, by the same rules and verdict as on the single-record routes: a bad record is
 * answered `rejected`, nothing of it written, and never blocks the others. A lane's records are
 * applied in the order sent, whatever their device times; groups of lanes run side by side. A
 * clientId already recorded (by an earlier batch, a resent one, or earlier in this one) is
 * answered `duplicate` with the first record's id, so a retried batch changes nothing. What the
 * records share is only memoized: each distinct QR is verified once, each checkpoint checked once.
 *
 * Records are committed by chunks of `syncChunkRecords`, one transaction each, instead of one
 * transaction per record: a COMMIT per record was most of a record's cost. Within a chunk, records
 * are applied by waves (wavesOf), each wave's scans and inspections as two sets of records that
 * touch nothing in common, a few statements for the whole set (lots/scans.ts applyScans,
 * inputs/inspections.ts applyInspections), and the chunk's events appended in one statement, in
 * request order: statements, not records, were the cost. If anything of a chunk fails that way
 * (the database refuses a record, a flag would pass down to other lots), the chunk is undone and
 * applied again record by record, each in its own savepoint, through the single-record functions:
 * a record the database refuses is then undone alone.
 *
 * A chunk's results are answered only once its COMMIT has succeeded, because a device drops a
 * record it is told was applied: if the COMMIT fails, every record of the chunk is answered
 * `rejected` and the device sends them again, which is safe since a record is applied once by its
 * clientId.
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
  const asError = (err: unknown) => (err instanceof ApiError ? err : ctx.explain(err));
  const rejected = (index: number, err: unknown): RecordOutcome => ({
    index,
    ...labelOf(records[index]),
    status: 'rejected',
    error: asError(err),
  });

  /** One record after another, each in its own savepoint (the single-record path). */
  const applyOneByOne = async (tx: Tx, chunk: number[]) => {
    const answered: RecordOutcome[] = [];
    for (const index of chunk) {
      const p = parsed[index];
      if (!p?.success) continue;
      try {
        const { id, verdict, duplicate } = await applyRecord(tx, by, p.data, withMemo);
        const { kind, clientId } = labelOf(records[index]);
        answered.push({ index, kind, clientId, status: duplicate ? 'duplicate' : 'applied', id, verdict });
      } catch (err) {
        answered.push(rejected(index, err));
      }
    }
    return answered;
  };

  /** The records of a chunk by waves, each wave's scans and inspections as two sets. */
  const applyAsSets = async (tx: Tx, chunk: number[]) => {
    const answered: RecordOutcome[] = [];
    const scans = new Map<number, PendingRecord<NewScan>>();
    const inspections = new Map<number, PendingRecord<NewInspection>>();
    // What the single-record functions check before reading anything: who, and which QR.
    for (const index of chunk) {
      const p = parsed[index];
      if (!p?.success) continue;
      const { kind: _, ...input } = p.data;
      try {
        if (p.data.kind === 'scan') {
          const scan = input as NewScan;
          scans.set(index, { input: scan, subjectId: await scannedLot(by, scan, withMemo) });
        } else {
          const inspection = input as NewInspection;
          inspections.set(index, {
            input: inspection,
            subjectId: await inspectedMovement(by, inspection, withMemo),
          });
        }
      } catch (err) {
        answered.push(rejected(index, err));
      }
    }
    // Then the checkpoint, the first thing each of them reads.
    const checkpointOf = (index: number) => (scans.get(index) ?? inspections.get(index))?.input.checkpointId;
    const absent = new Map<string, unknown>();
    for (const id of new Set([...scans.keys(), ...inspections.keys()].map(checkpointOf))) {
      if (!id) continue;
      try {
        await assertCheckpoint(tx, id, memo);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        absent.set(id, err);
      }
    }
    const ready = chunk.filter((index) => {
      const cp = checkpointOf(index);
      if (cp === undefined) return false;
      if (absent.has(cp)) answered.push(rejected(index, absent.get(cp)));
      return !absent.has(cp);
    });

    const events = new Map<number, EventInput[]>();
    const answer = <Row extends { id: string; verdict: Verdict }>(index: number, o: SetOutcome<Row>) => {
      if ('error' in o) {
        answered.push(rejected(index, o.error));
        return;
      }
      const { kind, clientId } = labelOf(records[index]);
      const status = o.duplicate ? 'duplicate' : 'applied';
      answered.push({ index, kind, clientId, status, id: o.row.id, verdict: o.row.verdict });
      events.set(index, o.events);
    };
    for (const wave of wavesOf(ready, laneOf)) {
      const ofScans = wave.filter((i) => scans.has(i));
      const ofInspections = wave.filter((i) => inspections.has(i));
      const scanned = await applyScans(
        tx,
        by,
        ofScans.map((i) => scans.get(i) as PendingRecord<NewScan>),
      );
      ofScans.forEach((index, at) => {
        answer(index, scanned[at] as SetOutcome<ScanRow>);
      });
      const inspected = await applyInspections(
        tx,
        by,
        ofInspections.map((i) => inspections.get(i) as PendingRecord<NewInspection>),
      );
      ofInspections.forEach((index, at) => {
        answer(index, inspected[at] as SetOutcome<InspectionRow>);
      });
    }
    // The ledger records the chunk's events in request order, each record's flags before it.
    await appendEvents(
      tx,
      by,
      [...events.keys()].sort((a, b) => a - b).flatMap((index) => events.get(index) ?? []),
    );
    return answered;
  };

  const applyChunk = async (chunk: number[]) => {
    let answered: RecordOutcome[] = [];
    try {
      await db
        .transaction(async (tx) => {
          try {
            answered = await applyAsSets(tx, chunk);
          } catch (err) {
            throw new NotAppliedAsSets(err);
          }
        })
        .catch((err) => {
          if (!(err instanceof NotAppliedAsSets)) throw err;
          return db.transaction(async (tx) => {
            answered = await applyOneByOne(tx, chunk);
          });
        });
    } catch (err) {
      const why = asError(err);
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

  const lanes = lanesOf(keys);
  const laneOf = new Map<number, number>();
  lanes.forEach((lane, n) => {
    for (const index of lane) laneOf.set(index, n);
  });
  const groups = groupsOf(lanes, ctx.concurrency ?? 1);
  await Promise.all(
    groups.map(async (group) => {
      for (let i = 0; i < group.length; i += syncChunkRecords) {
        await applyChunk(group.slice(i, i + syncChunkRecords));
      }
    }),
  );

  const counts = { applied: 0, duplicate: 0, rejected: 0 };
  for (const r of results) counts[r.status]++;
  telemetry()?.syncRecords(counts);
  return { results, counts };
}
