/**
 * What the device keeps (IndexedDB, through `idb`): the queue of records made offline, each
 * under its client id until the server has answered it applied or duplicate, and the facts an
 * offline verdict needs — the ledger's public keys, the checkpoint's watchlist, its name — with
 * the results of the last sync.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { JWK } from 'jose';
import type { KeptHead } from '../../domain/ledger/head-tracking.js';
import type { HoldReason } from '../../domain/screening/verdict.js';
import type {
  Checkpoint,
  SubjectType,
  SyncRecord,
  SyncResult,
  Verdict,
  Watchlist,
} from '../shared/api-types.js';
import type { LedgerAlarm } from '../shared/witness.js';

/** A record waiting on the device for /v1/sync. */
export interface QueuedRecord {
  clientId: string;
  /** Exactly what /v1/sync receives, device time included. */
  record: SyncRecord;
  subject: { kind: SubjectType; id: string; code: string };
  verdict: Verdict;
  reasons: HoldReason[];
  savedAt: string;
  /**
   * Who recorded it (the token's subject): only they send it, so that a phone shared between
   * shifts never records one officer's checks under another's name. Absent on records kept
   * before this was noted: whoever signs in sends them.
   */
  by?: string;
  /** The server's words the last time it refused this record; it stays until sent or discarded. */
  rejected?: string;
  /** The problem itself, so that the app words it by its stable type in the officer's language. */
  problem?: RecordProblem;
}

/** A rejected record's problem, as /v1/sync answers it. */
export type RecordProblem = NonNullable<SyncResult['results'][number]['error']>;

export interface SyncReport {
  at: string;
  counts: { applied: number; duplicate: number; rejected: number };
  results: {
    clientId: string;
    kind: SyncResult['results'][number]['kind'];
    code: string;
    status: SyncResult['results'][number]['status'];
    detail?: string;
    problem?: RecordProblem;
  }[];
}

export type CachedCheckpoint = Pick<Checkpoint, 'id' | 'code' | 'name' | 'routes'>;

/**
 * A lot or movement this device scanned or looked up by its printed code, kept so that the same
 * code typed again with no signal still finds it: the signed token (verified again on the device,
 * and what the record carries) and the facts the officer compares with the label.
 */
export interface KeptCode {
  kind: SubjectType;
  id: string;
  code: string;
  token: string;
  seenAt: string;
  lot?: { form?: string; grossWeightG?: string; status?: Watchlist['lots'][number]['status'] };
  movement?: Pick<Watchlist['movements'][number], 'status' | 'input' | 'quantity' | 'unit' | 'route'>;
}

interface Kv {
  /** The ledger's keys, and the GS1 company prefixes its Digital Links may carry (absent: kept before lists carried them). */
  jwks: { keys: JWK[]; prefixes?: string[]; fetchedAt: string };
  watchlist: Watchlist & { fetchedAt: string };
  checkpoint: CachedCheckpoint;
  /** Most recent first, at most keptCodesMax (kept.ts). */
  keptCodes: KeptCode[];
  lastSync: SyncReport;
  /** The last ledger head this device verified, and the alarm once the log's history changed. */
  ledgerHead: KeptHead;
  ledgerAlarm: LedgerAlarm;
}

interface Schema extends DBSchema {
  queue: { key: string; value: QueuedRecord; indexes: { savedAt: string } };
  kv: { key: string; value: unknown };
}

let opened: Promise<IDBPDatabase<Schema>> | undefined;
const db = () => {
  opened ??= openDB<Schema>('orotrace-checkpoint', 1, {
    upgrade(d) {
      const queue = d.createObjectStore('queue', { keyPath: 'clientId' });
      queue.createIndex('savedAt', 'savedAt');
      d.createObjectStore('kv');
    },
  });
  return opened;
};

/** Facts are kept per checkpoint (a shared phone may serve two posts on two shifts). */
const kvKey = (name: keyof Kv, scope: string) => `${scope}:${name}`;

export async function getFact<K extends keyof Kv>(name: K, scope: string): Promise<Kv[K] | undefined> {
  return (await (await db()).get('kv', kvKey(name, scope))) as Kv[K] | undefined;
}

export async function putFact<K extends keyof Kv>(name: K, scope: string, value: Kv[K]): Promise<void> {
  await (await db()).put('kv', value, kvKey(name, scope));
}

export async function enqueue(r: QueuedRecord): Promise<void> {
  await (await db()).put('queue', r);
}

/** The queue, oldest first: the order the officer recorded them in; given `by`, only theirs. */
export async function queued(by?: string): Promise<QueuedRecord[]> {
  const all = await (await db()).getAllFromIndex('queue', 'savedAt');
  return by === undefined ? all : all.filter((r) => r.by === undefined || r.by === by);
}

export async function dequeue(clientIds: string[]): Promise<void> {
  const tx = (await db()).transaction('queue', 'readwrite');
  await Promise.all([...clientIds.map((id) => tx.store.delete(id)), tx.done]);
}

export async function markRejected(
  rejected: Map<string, { detail: string; problem?: RecordProblem }>,
): Promise<void> {
  const tx = (await db()).transaction('queue', 'readwrite');
  for (const [clientId, why] of rejected) {
    const r = await tx.store.get(clientId);
    if (r)
      await tx.store.put({ ...r, rejected: why.detail, ...(why.problem ? { problem: why.problem } : {}) });
  }
  await tx.done;
}

export async function dropFact(name: keyof Kv, scope: string): Promise<void> {
  await (await db()).delete('kv', kvKey(name, scope));
}
