import type { Queryable } from '../../db/client.js';
import type { EventAccess } from '../ledger/proofs.js';
import { ApiError, notFound } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import { assertMayRead, getLotRow } from './lots.js';

/**
 * Who may see an event of the log: exporters see the events of the lots they may read and
 * nothing else (for any other event the answer is 404, as for the lot itself); the other roles
 * that reach the log see every event.
 */
export const lotEventAccess =
  (db: Queryable, by: Principal): EventAccess =>
  async (eventId, subject) => {
    if (by.role !== 'exporter') return;
    if (subject.type !== 'lot') throw notFound('event', eventId);
    try {
      assertMayRead(by, await getLotRow(db, subject.id));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not_found') throw notFound('event', eventId);
      throw err;
    }
  };
