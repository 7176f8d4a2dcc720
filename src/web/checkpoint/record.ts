/**
 * Recording a scan or an inspection: online the registry's verdict, within a deadline; with no
 * signal (or too weak a one) a provisional verdict from what the device kept, and the record
 * queued for /v1/sync under its client id.
 */

import type { paths } from '../../client/openapi.js';
import type { HoldReason } from '../../domain/screening/verdict.js';
import { type Api, ApiProblem, answer, NetworkError } from '../shared/api.js';
import type { InspectionResult, ScanResult } from '../shared/api-types.js';
import type { LotFacts, MovementFacts } from './facts.js';
import type { QueuedRecord } from './store.js';
import type { VerdictView } from './views.js';

/** The registry's answer to POST /v1/scans and POST /v1/inspections (the fields this app reads). */
export type ScanAnswer = Pick<ScanResult, 'verdict' | 'reasons'> & {
  lot: Pick<ScanResult['lot'], 'code' | 'status' | 'form' | 'grossWeightG' | 'flags'>;
};
export type InspectionAnswer = Pick<InspectionResult, 'verdict' | 'reasons' | 'flags'>;

/** How long a verdict may take on a weak signal before the record is kept for later instead. */
const answerWithinMs = 12_000;

type Body<P extends '/v1/scans' | '/v1/inspections'> = NonNullable<
  paths[P]['post']['requestBody']
>['content']['application/json'];

/**
 * A record posted with a deadline: on a signal too weak to answer in time it is kept on the device
 * instead (NetworkError), as when the answer is cut off while it is read. Should the server have
 * recorded it all the same, the sync is answered `duplicate` for its client id: it still reaches
 * the ledger once.
 */
async function within<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  try {
    return await call(AbortSignal.timeout(answerWithinMs));
  } catch (err) {
    if (err instanceof ApiProblem || err instanceof NetworkError) throw err;
    throw new NetworkError(err instanceof Error ? err.message : String(err));
  }
}

/** POST /v1/scans within the deadline. */
export const scanWithin = (api: Api, body: Body<'/v1/scans'>): Promise<ScanAnswer> =>
  within((signal) => answer(api.POST('/v1/scans', { body, signal })));

/** POST /v1/inspections within the deadline. */
export const inspectWithin = (api: Api, body: Body<'/v1/inspections'>): Promise<InspectionAnswer> =>
  within((signal) => answer(api.POST('/v1/inspections', { body, signal })));

/** A verdict as the verdict screen shows it, with what it was about. */
export interface Decided {
  view: VerdictView;
  lot?: LotFacts;
  movement?: MovementFacts;
}

/**
 * The provisional verdict of a record queued offline (hold when the device found a reason), with
 * what the device knew: the watchlist's age and whether it lists the subject.
 */
export function queuedVerdict(
  reasons: HoldReason[],
  offline: { listed: boolean; notes: string[]; watchlistAt: string | undefined },
  shown: { lot: LotFacts } | { movement: MovementFacts },
): Pick<QueuedRecord, 'verdict' | 'reasons'> & { decided: Decided } {
  const verdict = reasons.length ? ('hold' as const) : ('pass' as const);
  const { listed, notes, watchlistAt } = offline;
  const view: VerdictView = {
    verdict,
    reasons,
    offline: { queued: true, listed, notes, ...(watchlistAt ? { watchlistAt } : {}) },
  };
  return { verdict, reasons, decided: { view, ...shown } };
}
