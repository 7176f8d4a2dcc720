import {
  bigint,
  index,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { ledgerIncidentKinds } from '../../domain/shared/vocabulary.js';
import { bytea, xid8 } from '../columns.js';
import { events } from './events.js';

/**
 * The event log as an RFC 9162 Merkle tree. Events get a leaf index when the
 * sequencer appends them, in the order their transactions became visible, not when they are
 * written (domain/ledger/store.ts). All three tables are append-only (triggers in the
 * migration), like `events`.
 */
export const ledgerLeaves = pgTable('ledger_leaves', {
  leafIndex: bigint('leaf_index', { mode: 'number' }).primaryKey(),
  eventId: uuid('event_id')
    .notNull()
    .unique()
    .references(() => events.id),
  sequencedAt: timestamp('sequenced_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The hashes of the tree's complete subtrees: node (level L, index i) covers leaves
 * [i·2^L, (i+1)·2^L); level 0 are the leaf hashes. A stored node never changes.
 */
export const ledgerNodes = pgTable(
  'ledger_nodes',
  {
    level: smallint('level').notNull(),
    index: bigint('idx', { mode: 'number' }).notNull(),
    hash: bytea('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.index] })],
);

/** Signed tree heads, every one kept, so that any earlier head can be checked. */
export const ledgerHeads = pgTable(
  'ledger_heads',
  {
    treeSize: bigint('tree_size', { mode: 'number' }).primaryKey(),
    rootHash: bytea('root_hash').notNull(),
    /** When the head was signed (UTC, milliseconds, as in the signed statement). */
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
    keyId: text('key_id').notNull(),
    /** Compact JWS (ES256, the ledger key) over the head's canonical JSON. */
    signature: text('signature').notNull(),
    /**
     * The oldest transaction still running when the head was built: every event of an older
     * transaction is in the tree (domain/ledger/store.ts). Not part of the signed statement.
     */
    xidHorizon: xid8('xid_horizon').notNull(),
    /**
     * The same head as a C2SP checkpoint signed note (domain/ledger/note.ts), Ed25519 under the
     * checkpoint origin. Null for heads signed before checkpoints existed.
     */
    checkpoint: text('checkpoint'),
  },
  (t) => [index('ledger_heads_signed_idx').on(t.signedAt)],
);

/**
 * Witnesses' cosignatures (cosignature/v1) of checkpoints: each one a statement, outside the
 * database's reach, that the witness saw this head and that it extends every earlier one it saw.
 * One per witness key and tree size; append-only.
 */
export const witnessCosignatures = pgTable(
  'witness_cosignatures',
  {
    treeSize: bigint('tree_size', { mode: 'number' })
      .notNull()
      .references(() => ledgerHeads.treeSize),
    /** The witness key's 4-byte id, hex, as its vkey shows it. */
    witnessKeyId: text('witness_key_id').notNull(),
    witnessName: text('witness_name').notNull(),
    /** The cosignature's own time, Unix seconds. */
    timestamp: bigint('timestamp', { mode: 'number' }).notNull(),
    /** The signature line, as appended to the checkpoint note. */
    signatureLine: text('signature_line').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.treeSize, t.witnessKeyId] })],
);

/**
 * What the sequencer refused or found wrong (domain/ledger/incidents.ts): an event without a valid
 * write signature, a stored tree that no longer gives the last signed head. Append-only; one row
 * per finding (`fingerprint`), however often a run meets it again. Regulators read them at
 * GET /v1/ledger/incidents.
 */
export const ledgerIncidents = pgTable(
  'ledger_incidents',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: ledgerIncidentKinds }).notNull(),
    fingerprint: text('fingerprint').notNull().unique(),
    eventId: uuid('event_id'),
    treeSize: bigint('tree_size', { mode: 'number' }),
    detail: text('detail').notNull(),
    evidence: jsonb('evidence').$type<Record<string, unknown>>().notNull().default({}),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ledger_incidents_detected_idx').on(t.detectedAt)],
);
