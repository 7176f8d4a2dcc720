import type { Queryable } from '../../db/client.js';
import { events } from '../../db/schema/index.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import { signEvent } from './write-signature.js';

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
  // Recorded now by the server's clock, set here rather than by the database so that the
  // signature below covers it; PostgreSQL keeps the milliseconds of a Date exactly.
  const now = new Date();
  const rows = await Promise.all(
    list.map(async (e) => {
      const occurredAt = e.occurredAt ?? now;
      const event = {
        id: newId(),
        type: e.type,
        subjectType: e.subjectType,
        subjectId: e.subjectId,
        actorSub: by.sub,
        actorRole: by.role,
        actorId: by.actorId ?? null,
        checkpointId: by.checkpointId ?? null,
        // As jsonb will give it back (what the leaf is rebuilt from): JSON's own round trip.
        payload: JSON.parse(JSON.stringify(e.payload)) as Record<string, unknown>,
        occurredAt: microseconds(occurredAt),
        recordedAt: microseconds(now),
      };
      return { ...event, occurredAt, recordedAt: now, writeSignature: await signEvent(event) };
    }),
  );
  await tx.insert(events).values(rows);
  return rows.map((r) => r.id);
}

/** A Date as the leaf serializes timestamps: UTC, six fractional digits (canonical.ts). */
const microseconds = (d: Date): string => d.toISOString().replace(/Z$/, '000Z');
