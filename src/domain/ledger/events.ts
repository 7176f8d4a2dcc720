import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { events } from '../../db/schema/index.js';
import { pgArray } from '../../db/sql.js';
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
  if (rows.length <= bulkFrom) await tx.insert(events).values(rows);
  else for (let i = 0; i < rows.length; i += bulkChunk) await insertBulk(tx, rows.slice(i, i + bulkChunk));
  return rows.map((r) => r.id);
}

/**
 * From how many events a write sends them as columns (insertBulk) rather than as rows of values:
 * a re-screening records a `flag.raised` for each of up to a hundred thousand lots, and the query
 * builder spends ~0.3 ms a row on a statement of thousands of rows (its parameters, 12 a row,
 * would also pass the protocol's 65,535 past ~5,000 rows).
 */
const bulkFrom = 100;
/** Events per bulk statement: a few megabytes of text at most. */
const bulkChunk = 10_000;

type EventRow = typeof events.$inferInsert & { occurredAt: Date; recordedAt: Date };

/**
 * The same rows as `tx.insert(events).values(rows)`, each column one array parameter, zipped by
 * unnest in their order (seq follows it, as with VALUES): the payload as JSON text cast to jsonb,
 * the dates as ISO text (the milliseconds a Date holds, as the driver would send them).
 */
async function insertBulk(tx: Queryable, rows: EventRow[]): Promise<void> {
  const uuids = (f: (r: EventRow) => string | null | undefined) =>
    pgArray(
      rows.map((r) => f(r) ?? null),
      'uuid',
    );
  const texts = (f: (r: EventRow) => string | null | undefined) =>
    pgArray(
      rows.map((r) => f(r) ?? null),
      'text',
    );
  const columns = [
    uuids((r) => r.id),
    texts((r) => r.type),
    texts((r) => r.subjectType),
    uuids((r) => r.subjectId),
    texts((r) => r.actorSub),
    texts((r) => r.actorRole),
    uuids((r) => r.actorId),
    uuids((r) => r.checkpointId),
    texts((r) => JSON.stringify(r.payload)),
    texts((r) => r.occurredAt.toISOString()),
    texts((r) => r.recordedAt.toISOString()),
    texts((r) => r.writeSignature),
  ];
  await tx.execute(sql`
    INSERT INTO events (id, type, subject_type, subject_id, actor_sub, actor_role, actor_id, checkpoint_id,
                        payload, occurred_at, recorded_at, write_signature)
    SELECT id, type, subject_type, subject_id, actor_sub, actor_role, actor_id, checkpoint_id,
           payload::jsonb, occurred_at::timestamptz, recorded_at::timestamptz, write_signature
      FROM unnest(${sql.join(columns, sql`, `)})
           WITH ORDINALITY AS t(id, type, subject_type, subject_id, actor_sub, actor_role, actor_id, checkpoint_id,
                                payload, occurred_at, recorded_at, write_signature, n)
     ORDER BY n`);
}

/** A Date as the leaf serializes timestamps: UTC, six fractional digits (canonical.ts). */
/** An instant as the ledger's canonical form writes it: UTC, microseconds (canonical.ts). */
export const microseconds = (d: Date): string => d.toISOString().replace(/Z$/, '000Z');
