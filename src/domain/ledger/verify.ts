import { sql } from 'drizzle-orm';
import type { JWK } from 'jose';
import { type Db, type Queryable, rowsOf } from '../../db/client.js';
import { jsonColumn } from '../../db/sql.js';
import { eventLeafBytes } from './canonical.js';
import { incidentSummary } from './incidents.js';
import { HASH_SIZE, type Hash, leafHash, MemoryTree, root } from './merkle.js';
import type { BadHead, BadLeaf, LedgerEvent, LedgerVerification, SignedHead } from './schemas.js';
import { allHeads, leafEventColumns, toHex, verifyHeadSignature } from './store.js';
import { verifyEventSignature } from './write-signature.js';

/**
 * Whole-log verification: the tree is rebuilt from the events as stored, in leaf
 * order, and held against what the log claims — the stored leaf hashes (level-0 nodes) and every
 * signed head. Each check catches a different tampering:
 * - a leaf or event deleted: a gap in the leaf indexes, or a leaf whose event is gone;
 * - an event changed, or two events swapped: its recomputed leaf hash differs from the stored one;
 * - an event and its stored leaf hash rewritten together: the recomputed root differs from a
 *   signed head's, so the first such head brackets the change between the previous head and it
 *   (rewriting the heads needs the ledger's private key, which the database does not hold);
 * - a head forged or altered: its signature fails with the ledger's public keys;
 * - an event's write signature altered: it no longer verifies (write-signature.ts).
 * Incidents the sequencer recorded (events it refused, a tree it found rewritten) are reported
 * too, and fail the verification: they are permanent evidence of tampering, even when the log
 * itself holds because the sequencer kept the forgery out.
 * A missing leaf or event is rebuilt as a zero hash, which no leaf hashes to: every head that
 * covers it fails too, and later leaves keep their indexes.
 */

export interface VerifyOptions {
  /** Called after each page of leaves: leaf positions done, of the total. */
  onProgress?: (done: number, total: number) => void;
  /** Leaves read per query (default 10,000). */
  pageSize?: number;
}

const MISSING: Hash = new Uint8Array(HASH_SIZE);

interface LeafRow {
  leaf_index: string | number;
  event_id: string;
  leaf: LedgerEvent | string | null;
  write_signature: string | null;
  stored: string | null;
}

/** Verifies the whole stored log against the ledger's public keys, in one consistent snapshot. */
export async function verifyLedger(
  db: Db,
  keys: JWK[],
  opts: VerifyOptions | VerifyOptions['onProgress'] = {},
): Promise<LedgerVerification> {
  const { onProgress, pageSize = 10_000 } = typeof opts === 'function' ? { onProgress: opts } : opts;
  // Repeatable read: leaves, nodes and heads as of one instant, so that a batch the sequencer
  // appends meanwhile is neither half seen nor taken for tampering. Writers are not blocked.
  return db.transaction((tx) => verifySnapshot(tx, keys, onProgress, pageSize), {
    isolationLevel: 'repeatable read',
    accessMode: 'read only',
  });
}

async function verifySnapshot(
  tx: Queryable,
  keys: JWK[],
  onProgress: VerifyOptions['onProgress'],
  pageSize: number,
): Promise<LedgerVerification> {
  const heads = await allHeads(tx);
  const latest = heads.at(-1) ?? null;
  const [counts] = rowsOf<{ leaves: number; top: string | number | null; unsequenced: number }>(
    await tx.execute(sql`SELECT
      (SELECT count(*)::int FROM ledger_leaves) AS leaves,
      (SELECT max(leaf_index) FROM ledger_leaves) AS top,
      (SELECT count(*)::int FROM events e
        WHERE NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.event_id = e.id)
          AND NOT EXISTS (SELECT 1 FROM ledger_incidents i WHERE i.event_id = e.id)) AS unsequenced`),
  );
  const leafRows = counts?.leaves ?? 0;
  const positions = counts?.top == null ? 0 : Number(counts.top) + 1;
  // A leaf index far beyond both the rows and the heads (a forged row) is a gap, not a reason
  // to rebuild billions of positions: the rebuild stops at the larger of the two.
  const limit = Math.max(leafRows, latest?.treeSize ?? 0);
  const total = Math.min(positions, limit);

  const tree = new MemoryTree();
  let firstBadLeaf: BadLeaf | undefined;
  let badHead: BadHead | undefined;
  let leavesChecked = 0;
  let unsignedLeaves = 0;
  let headsChecked = 0;
  let nextHead = 0;
  let lastGoodSize = 0;
  const badLeaf = (b: BadLeaf) => {
    firstBadLeaf ??= b;
  };

  /** Checks every head the rebuilt tree now reaches. */
  const checkHeads = async () => {
    for (; nextHead < heads.length && (heads[nextHead] as SignedHead).treeSize <= tree.size; nextHead++) {
      const head = heads[nextHead] as SignedHead;
      headsChecked++;
      if (badHead) continue;
      if (!(await verifyHeadSignature(head, keys))) {
        badHead = {
          treeSize: head.treeSize,
          timestamp: head.timestamp,
          reason: 'signature',
          detail: `the head of ${head.treeSize} leaves is not signed by a key of the ledger (key id ${head.keyId})`,
        };
        continue;
      }
      const rebuilt = toHex(root(tree, head.treeSize));
      if (rebuilt !== head.rootHash) {
        badHead = {
          treeSize: head.treeSize,
          timestamp: head.timestamp,
          reason: 'root_mismatch',
          detail: `the events as stored give root ${rebuilt} for ${head.treeSize} leaves; the head signed ${head.rootHash}: a leaf in [${lastGoodSize}, ${head.treeSize}) was changed`,
          badLeavesWithin: { from: lastGoodSize, before: head.treeSize },
        };
        continue;
      }
      lastGoodSize = head.treeSize;
    }
  };

  const page = async (from: number) =>
    rowsOf<LeafRow>(
      await tx.execute(sql`
        SELECT l.leaf_index, l.event_id,
               CASE WHEN e.id IS NULL THEN NULL ELSE ${leafEventColumns('e')} END AS leaf,
               e.write_signature,
               encode(n.hash, 'hex') AS stored
          FROM ledger_leaves l
          LEFT JOIN events e ON e.id = l.event_id
          LEFT JOIN ledger_nodes n ON n.level = 0 AND n.idx = l.leaf_index
         WHERE l.leaf_index >= ${from} AND l.leaf_index < ${total}
         ORDER BY l.leaf_index
         LIMIT ${pageSize}`),
    );

  let expected = 0;
  let next = total > 0 ? page(0) : undefined;
  while (next) {
    const rows = await next;
    // The next page is on its way while this one is hashed.
    const last = rows.at(-1);
    const more = rows.length === pageSize && last && Number(last.leaf_index) + 1 < total;
    next = more ? page(Number(last.leaf_index) + 1) : undefined;
    next?.catch(() => {}); // awaited on the next turn; never an unhandled rejection meanwhile
    const hashes: Hash[] = [];
    // Write signatures of the page, checked together (WebCrypto runs them on the thread pool).
    const signed = await Promise.all(
      rows.map((row) =>
        row.leaf === null || row.write_signature === null
          ? null
          : verifyEventSignature(jsonColumn<LedgerEvent>(row.leaf), row.write_signature, keys),
      ),
    );
    for (const [i, row] of rows.entries()) {
      const index = Number(row.leaf_index);
      for (; expected < index; expected++) {
        badLeaf({
          leafIndex: expected,
          reason: 'leaf_missing',
          detail: `no leaf is stored at index ${expected}`,
        });
        hashes.push(MISSING);
      }
      leavesChecked++;
      expected = index + 1;
      if (row.leaf === null) {
        badLeaf({
          leafIndex: index,
          eventId: row.event_id,
          reason: 'event_missing',
          detail: `leaf ${index} names event ${row.event_id}, which is no longer stored`,
        });
        hashes.push(MISSING);
        continue;
      }
      const event = jsonColumn<LedgerEvent>(row.leaf);
      const hash = leafHash(eventLeafBytes(event));
      hashes.push(hash);
      if (row.stored === null) {
        badLeaf({
          leafIndex: index,
          eventId: row.event_id,
          reason: 'node_missing',
          detail: `the hash of leaf ${index} is not stored`,
        });
      } else if (row.stored !== toHex(hash)) {
        badLeaf({
          leafIndex: index,
          eventId: row.event_id,
          reason: 'hash_mismatch',
          detail: `event ${row.event_id} as stored does not hash to leaf ${index}: changed, or moved from another index`,
        });
      }
      // After the hash: an event changed fails both, and the hash says more.
      if (signed[i] === null) unsignedLeaves++;
      else if (signed[i] === false) {
        badLeaf({
          leafIndex: index,
          eventId: row.event_id,
          reason: 'write_signature_invalid',
          detail: `event ${row.event_id} at leaf ${index} carries a write signature that does not verify with the ledger's keys`,
        });
      }
    }
    // No row left below `total`: the rest are missing.
    if (!next) {
      for (; expected < total; expected++) {
        badLeaf({
          leafIndex: expected,
          reason: 'leaf_missing',
          detail: `no leaf is stored at index ${expected}`,
        });
        hashes.push(MISSING);
      }
    }
    tree.appendAll(hashes);
    await checkHeads();
    onProgress?.(expected, total);
  }

  // Heads no page reached (the head of an empty log, signed at start, covers 0 leaves) are held
  // against the tree as built, before anything is called beyond the leaves.
  await checkHeads();
  // Heads beyond the leaves stored, and leaves beyond the latest head.
  if (tree.size < (latest?.treeSize ?? 0)) {
    badLeaf({
      leafIndex: tree.size,
      reason: 'leaf_missing',
      detail: `the latest head covers ${latest?.treeSize} leaves; ${tree.size} are stored`,
    });
  }
  for (; nextHead < heads.length; nextHead++) {
    const head = heads[nextHead] as SignedHead;
    headsChecked++;
    if (!(await verifyHeadSignature(head, keys))) {
      badHead ??= {
        treeSize: head.treeSize,
        timestamp: head.timestamp,
        reason: 'signature',
        detail: `the head of ${head.treeSize} leaves is not signed by a key of the ledger (key id ${head.keyId})`,
      };
    }
    badHead ??= {
      treeSize: head.treeSize,
      timestamp: head.timestamp,
      reason: 'beyond_leaves',
      detail: `the head covers ${head.treeSize} leaves; ${tree.size} are stored`,
    };
  }
  if (positions > (latest?.treeSize ?? 0)) {
    const from = latest?.treeSize ?? 0;
    badLeaf({
      leafIndex: from,
      reason: 'unsigned',
      detail: `leaves from index ${from} on are covered by no signed head (the latest covers ${from})`,
    });
  }

  const incidents = await incidentSummary(tx);
  return {
    ok: !firstBadLeaf && !badHead && incidents.total === 0,
    treeSize: tree.size,
    leavesChecked,
    headsChecked,
    unsequencedEvents: counts?.unsequenced ?? 0,
    eventsWithoutWriteSignature: unsignedLeaves,
    incidents,
    ...(firstBadLeaf ? { firstBadLeaf } : {}),
    ...(badHead ? { badHead } : {}),
    latestHead: latest,
  };
}
