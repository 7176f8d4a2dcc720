/**
 * Sends the device's queue through POST /v1/sync. A record leaves the queue only when the server
 * answered it `applied` or `duplicate` (both mean: it is in the ledger, once); a rejected one stays,
 * with the server's words, to be sent again or discarded by the officer. One sync at a time: an
 * in-memory flag within the page, and a Web Lock across the app's tabs where the browser has them.
 * A record sent twice (a response lost on the way back) is applied once: the server keys every
 * record by its client id.
 */

import { type Api, answer as dataOf, NetworkError } from '../shared/api.js';
import type { SyncResult } from '../shared/api-types.js';
import { isOnline } from '../shared/reachability.js';
import {
  dequeue,
  markRejected,
  putFact,
  type QueuedRecord,
  queued,
  type RecordProblem,
  type SyncReport,
} from './store.js';

/** Records per request: the server takes up to 1000; smaller batches make progress on a weak signal. */
const batchSize = 200;

let running = false;

export type SyncOutcome =
  | { status: 'done'; report: SyncReport }
  | { status: 'nothing' }
  | { status: 'busy' }
  | { status: 'offline' }
  | { status: 'failed'; error: unknown };

async function sendAll(api: Api, scope: string, by: string): Promise<SyncOutcome> {
  // Only the signed-in officer's records: the server records the sender as the one who checked.
  const records = await queued(by);
  if (records.length === 0) return { status: 'nothing' };
  const report: SyncReport = {
    at: new Date().toISOString(),
    counts: { applied: 0, duplicate: 0, rejected: 0 },
    results: [],
  };
  for (let i = 0; i < records.length; i += batchSize) {
    const batch: QueuedRecord[] = records.slice(i, i + batchSize);
    let answer: SyncResult;
    try {
      answer = await dataOf(api.POST('/v1/sync', { body: { records: batch.map((r) => r.record) } }));
    } catch (err) {
      if (report.results.length) await putFact('lastSync', scope, report);
      if (err instanceof NetworkError) return { status: 'offline' };
      return { status: 'failed', error: err };
    }
    const done: string[] = [];
    const refused = new Map<string, { detail: string; problem?: RecordProblem }>();
    answer.results.forEach((r, index) => {
      const sent = batch[index];
      if (!sent) return;
      report.counts[r.status]++;
      // The server's detail already names each failing field.
      const detail = r.error?.detail;
      report.results.push({
        clientId: sent.clientId,
        kind: sent.record.kind,
        code: sent.subject.code,
        status: r.status,
        ...(detail ? { detail } : {}),
        ...(r.error ? { problem: r.error } : {}),
      });
      if (r.status === 'rejected')
        refused.set(sent.clientId, { detail: detail ?? r.status, ...(r.error ? { problem: r.error } : {}) });
      else done.push(sent.clientId);
    });
    await dequeue(done);
    await markRejected(refused);
  }
  await putFact('lastSync', scope, report);
  return { status: 'done', report };
}

/** Syncs the queue unless a sync is already running (here or in another tab of the app). */
export async function syncQueue(api: Api, scope: string, by: string): Promise<SyncOutcome> {
  if (!isOnline()) return { status: 'offline' };
  if (running) return { status: 'busy' };
  running = true;
  try {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (!locks) return await sendAll(api, scope, by);
    return await locks.request('orotrace-checkpoint-sync', { ifAvailable: true }, async (lock) =>
      lock ? sendAll(api, scope, by) : ({ status: 'busy' } as const),
    );
  } finally {
    running = false;
  }
}
