import type { Queryable } from '../../src/db/client.js';
import { appendEvents } from '../../src/domain/ledger/events.js';
import { newId } from '../../src/domain/shared/ids.js';

/**
 * `n` events of no business meaning, written as the API writes events (signed with the installed
 * write key): what ledger tests fill the log with to reach a given size.
 */
export async function fillerEvents(db: Queryable, n: number, type = 'test.filler'): Promise<string[]> {
  return appendEvents(
    db,
    { sub: 'test', role: 'admin' },
    Array.from({ length: n }, () => ({ type, subjectType: 'test', subjectId: newId(), payload: {} })),
  );
}
