import type { Queryable } from '../../db/client.js';
import type { EventAccess } from '../ledger/proofs.js';
import { notFound } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import { knowerOf, mayReadLotEvent } from './access.js';

/**
 * Who may see an event of the log: exporters see the events of lots they may read, as far as
 * they may read them (access.ts: not what later custodians did with a lot they handed on), and
 * nothing else — for any other event the answer is 404, as for the lot itself; the other roles
 * that reach the log see every event.
 */
export const lotEventAccess =
  (db: Queryable, by: Principal): EventAccess =>
  async (eventId, subject) => {
    if (knowerOf(by) === undefined) return;
    if (subject.type !== 'lot' || !(await mayReadLotEvent(db, by, subject.id, eventId))) {
      throw notFound('event', eventId);
    }
  };
