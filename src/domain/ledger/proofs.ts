import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, type Queryable, rowsOf } from '../../db/client.js';
import { jsonColumn } from '../../db/sql.js';
import { ApiError, notFound } from '../shared/errors.js';
import { eventLeafBytes, LEAF_FORMAT_VERSION } from './canonical.js';
import { consistencyProof, inclusionProof, leafHash } from './merkle.js';
import type { ConsistencyAnswer, InclusionAnswer, LedgerEvent, SignedHead } from './schemas.js';
import type { LedgerSigner } from './signer.js';
import { headAt, leafEventColumns, overStoredTree, sequence, toHex } from './store.js';

/**
 * What the ledger proves to its readers: the current signed head, an event's inclusion
 * under a signed head, and that a later head extends an earlier one. Every proof is RFC 9162
 * §2.1 over hex SHA-256 hashes, so any conformant verifier holding the JWKS can check it.
 */

/** The latest signed head, after appending whatever events are visible now. */
export async function currentHead(db: Db, signer: LedgerSigner): Promise<SignedHead> {
  return (await sequence(db, signer)).head;
}

const treeSize = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const proofQuery = z.object({
  treeSize: treeSize.optional(),
});

export const consistencyQuery = z
  .object({ from: treeSize, to: treeSize })
  .refine((q) => q.from <= q.to, { path: ['from'], message: 'from must not exceed to' });

interface EventRow {
  leaf: LedgerEvent | string;
  subject_type: string;
  subject_id: string;
  leaf_index: string | number | null;
}

async function findEvent(db: Queryable, id: string): Promise<EventRow | undefined> {
  const [row] = rowsOf<EventRow>(
    await db.execute(sql`SELECT ${leafEventColumns('e')} AS leaf, e.subject_type, e.subject_id, l.leaf_index
      FROM events e LEFT JOIN ledger_leaves l ON l.event_id = e.id WHERE e.id = ${id}`),
  );
  return row;
}

/** What an event is about, for the caller to decide whether its reader may see it. */
interface EventSubject {
  type: string;
  id: string;
}

/**
 * Refuses (by throwing) a reader who may not see the event: who may read what is the business of
 * the event's subject (a lot's custodians and producer, say), not of the log.
 */
export type EventAccess = (eventId: string, subject: EventSubject) => Promise<void>;

/**
 * An event with its leaf and an inclusion proof (RFC 9162 §2.1.3 PATH, leaf side first) against
 * the signed head of `treeSize` leaves, by default the latest.
 */
export async function eventInclusion(
  db: Db,
  signer: LedgerSigner,
  mayRead: EventAccess,
  id: string,
  opts: { treeSize?: number | undefined } = {},
): Promise<InclusionAnswer> {
  let latest = await currentHead(db, signer);
  let row = await findEvent(db, id);
  if (!row) throw notFound('event', id);
  await mayRead(id, { type: row.subject_type, id: row.subject_id });
  if (row.leaf_index === null) {
    // Committed after the run above took its snapshot: the next run appends it.
    latest = await currentHead(db, signer);
    row = await findEvent(db, id);
    if (row?.leaf_index === null || row?.leaf_index === undefined) {
      throw new ApiError('not_found', `event ${id} is not in the log yet; retry shortly`);
    }
  }
  const leafIndex = Number(row.leaf_index);
  const head = opts.treeSize === undefined ? latest : await headAt(db, opts.treeSize);
  if (!head) throw new ApiError('not_found', `no signed head of tree size ${opts.treeSize}`);
  if (leafIndex >= head.treeSize) {
    throw new ApiError(
      'unprocessable',
      `event ${id} is leaf ${leafIndex}, not in the tree of ${head.treeSize} leaves; ask a later head`,
      { errors: [{ field: 'treeSize', message: `must exceed the leaf index ${leafIndex}` }] },
    );
  }
  const event = jsonColumn<LedgerEvent>(row.leaf);
  const proof = await overStoredTree(db, (s) => inclusionProof(s, leafIndex, head.treeSize));
  return {
    event,
    leafVersion: LEAF_FORMAT_VERSION,
    leafIndex,
    leafHash: toHex(leafHash(eventLeafBytes(event))),
    treeSize: head.treeSize,
    proof: proof.map(toHex),
    head,
  };
}

/** RFC 9162 §2.1.4 consistency proof between the signed heads of `from` and `to` leaves. */
export async function headConsistency(
  db: Queryable,
  q: { from: number; to: number },
): Promise<ConsistencyAnswer> {
  const [from, to] = await Promise.all([headAt(db, q.from), headAt(db, q.to)]);
  if (!from) throw new ApiError('not_found', `no signed head of tree size ${q.from}`);
  if (!to) throw new ApiError('not_found', `no signed head of tree size ${q.to}`);
  const proof = await overStoredTree(db, (s) => consistencyProof(s, from.treeSize, to.treeSize));
  return { from, to, proof: proof.map(toHex) };
}
