import type { Queryable } from '../../db/client.js';
import { events } from '../../db/schema/index.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';

export interface EventInput {
  type: string;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
  /** Device time where a device reported it; otherwise the server's now. */
  occurredAt?: Date;
}

/**
 * Appends one event to the ledger. Call it with the transaction that makes the change, so the
 * change and its record commit or fail together.
 */
export async function appendEvent(tx: Queryable, by: Principal, e: EventInput): Promise<string> {
  const [id] = await appendEvents(tx, by, [e]);
  return id as string;
}

/**
 * Appends events in one statement, in the order given (their `seq` follows it), as one
 * operation's record: a split into n parts writes n + 1 events.
 */
export async function appendEvents(tx: Queryable, by: Principal, list: EventInput[]): Promise<string[]> {
  if (list.length === 0) return [];
  const now = new Date();
  const rows = list.map((e) => ({
    id: newId(),
    type: e.type,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    actorSub: by.sub,
    actorRole: by.role,
    actorId: by.actorId ?? null,
    checkpointId: by.checkpointId ?? null,
    payload: e.payload,
    occurredAt: e.occurredAt ?? now,
  }));
  await tx.insert(events).values(rows);
  return rows.map((r) => r.id);
}
