import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { xid8 } from '../columns.js';

/**
 * The ledger: one row per state change, written in the same transaction as the change.
 * Rows are never updated or deleted (a trigger refuses it, see the migration).
 */
export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey(),
    /** Commit-independent insertion order; the Merkle log assigns leaf indexes separately. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    type: text('type').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    /** Who did it: the token subject, the role, and the actor or checkpoint it is bound to. */
    actorSub: text('actor_sub').notNull(),
    actorRole: text('actor_role').notNull(),
    actorId: uuid('actor_id'),
    checkpointId: uuid('checkpoint_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The writing transaction: the sequencer appends to the log only events whose transactions
     * it knows are over (older than the oldest one still running), so an event committed late
     * is never skipped (domain/ledger/store.ts).
     */
    xid: xid8('xid').notNull().default(sql`pg_current_xact_id()`),
    /**
     * The API's signature over the event's leaf data, made in the writing transaction with the
     * write key, which the database never holds: a compact JWS with detached payload
     * (domain/ledger/write-signature.ts). The sequencer appends no event without a valid one.
     * Null only on events written before signing began, all of them already in the log.
     */
    writeSignature: text('write_signature'),
  },
  (t) => [
    index('events_subject_idx').on(t.subjectType, t.subjectId, t.seq),
    index('events_xid_idx').on(t.xid),
    // Past custody: the lots an actor handed on, found by the actor (domain/lots/access.ts).
    index('events_transferred_from_idx')
      .on(sql`(${t.payload} ->> 'from')`, t.subjectId)
      .where(sql`${t.type} = 'lot.transferred'`),
    // EPCIS capture: an eventID names one event for good, so a partner's event is captured once
    // (a concurrent duplicate fails here), and the query finds captured events by it.
    uniqueIndex('events_epcis_event_id_idx')
      .on(sql`(${t.payload} ->> 'eventID')`)
      .where(sql`${t.type} = 'epcis.captured'`),
  ],
);
