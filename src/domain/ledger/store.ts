import { sql } from 'drizzle-orm';
import { compactVerify, type JWK } from 'jose';
import { type Db, type Queryable, rowsOf } from '../../db/client.js';
import { jsonColumn, pgArray, uuidArray } from '../../db/sql.js';
import { canonicalJson, eventLeafBytes } from './canonical.js';
import { type NewIncident, recordIncidents } from './incidents.js';
import {
  appendLeaves,
  EMPTY_ROOT,
  frontierNodes,
  type Hash,
  leafHash,
  type NodeId,
  NodeMap,
  nodesRead,
  root,
} from './merkle.js';
import { checkpointBody, signNote } from './note.js';
import { importedPublicKey } from './public-keys.js';
import type { LedgerEvent, SignedHead } from './schemas.js';
import { type LedgerSigner, signCompact } from './signer.js';
import { verifyLeafSignature } from './write-signature.js';

/**
 * The event log as stored: leaves, complete-subtree nodes and signed tree heads in
 * PostgreSQL (db/schema/ledger.ts), built by the sequencer in batches after the writes commit.
 *
 * Sequencing. Writers only insert events; they never wait for hashing. The sequencer, one at a
 * time (an advisory lock), appends every event that has become visible and is not in the log yet,
 * in `seq` order within a batch, then signs a new head. Transactions commit out of `seq` order: a
 * long transaction's event with a low `seq` may become visible after later ones were appended. It
 * is not lost: each event carries its transaction id (`events.xid`), and each head records the
 * oldest transaction still running when it was built (`xid_horizon`, from the snapshot). Every
 * event of an older transaction was visible then and is in the log; the next run looks at events
 * from the horizon on, so the late event is appended then — its leaf index is its place in the
 * order events became visible, which is what the log attests.
 */

export const toHex = (h: Uint8Array): string => Buffer.from(h).toString('hex');
export const fromHex = (s: string): Hash => new Uint8Array(Buffer.from(s, 'hex'));

/** A signed tree head as the API returns it. */
/** The statement a head's signature covers. */
export const headStatement = (h: Pick<SignedHead, 'treeSize' | 'rootHash' | 'timestamp'>): string =>
  canonicalJson({ rootHash: h.rootHash, timestamp: h.timestamp, treeSize: h.treeSize });

const encoder = new TextEncoder();

async function signHead(
  signer: LedgerSigner,
  treeSize: number,
  rootHash: Hash,
): Promise<SignedHead & { checkpoint: string | null }> {
  const head = { treeSize, rootHash: toHex(rootHash), timestamp: new Date().toISOString() };
  const signature = await signCompact(
    signer,
    { alg: 'ES256', kid: signer.kid, typ: 'orotrace-sth+jws' },
    encoder.encode(headStatement(head)),
  );
  // The same head as a C2SP checkpoint, for witnesses and transparency tooling.
  const checkpoint = signer.note
    ? await signNote(checkpointBody(signer.note.name, treeSize, rootHash), signer.note)
    : null;
  return { ...head, keyId: signer.kid, signature, checkpoint };
}

/**
 * Checks a head's signature with the ledger's public keys (the JWKS) and that it says what the
 * head says. Needs nothing but the keys: what someone outside the system holds.
 */
export async function verifyHeadSignature(head: SignedHead, keys: JWK[]): Promise<boolean> {
  const jwk = keys.find((k) => k.kid === head.keyId);
  if (!jwk) return false;
  try {
    const { payload } = await compactVerify(head.signature, await importedPublicKey(jwk));
    return new TextDecoder().decode(payload) === headStatement(head);
  } catch {
    return false;
  }
}

interface HeadRow {
  tree_size: string | number;
  root_hash: string;
  signed_at: string;
  key_id: string;
  signature: string;
  xid_horizon: string;
}

const headColumns = sql`tree_size, encode(root_hash, 'hex') AS root_hash,
  to_char(signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS signed_at,
  key_id, signature, xid_horizon::text AS xid_horizon`;

const toHead = (r: HeadRow): SignedHead => ({
  treeSize: Number(r.tree_size),
  rootHash: r.root_hash,
  timestamp: r.signed_at,
  keyId: r.key_id,
  signature: r.signature,
});

/** The latest signed head, if any. */
export async function latestHead(db: Queryable): Promise<(SignedHead & { xidHorizon: string }) | undefined> {
  const [row] = rowsOf<HeadRow>(
    await db.execute(sql`SELECT ${headColumns} FROM ledger_heads ORDER BY tree_size DESC LIMIT 1`),
  );
  return row ? { ...toHead(row), xidHorizon: row.xid_horizon } : undefined;
}

/** The head signed for exactly `treeSize` leaves, if one was. */
export async function headAt(db: Queryable, treeSize: number): Promise<SignedHead | undefined> {
  const [row] = rowsOf<HeadRow>(
    await db.execute(sql`SELECT ${headColumns} FROM ledger_heads WHERE tree_size = ${treeSize}`),
  );
  return row ? toHead(row) : undefined;
}

/** Every signed head, oldest first (verification checks each against the recomputed tree). */
export async function allHeads(db: Queryable): Promise<SignedHead[]> {
  return rowsOf<HeadRow>(
    await db.execute(sql`SELECT ${headColumns} FROM ledger_heads ORDER BY tree_size`),
  ).map(toHead);
}

/** The columns of an event as its leaf serializes them (times with microseconds, UTC). */
export const leafEventColumns = (e: string) =>
  sql.raw(`json_build_object(
    'id', ${e}.id, 'type', ${e}.type, 'subjectType', ${e}.subject_type, 'subjectId', ${e}.subject_id,
    'actorSub', ${e}.actor_sub, 'actorRole', ${e}.actor_role, 'actorId', ${e}.actor_id,
    'checkpointId', ${e}.checkpoint_id, 'payload', ${e}.payload,
    'occurredAt', to_char(${e}.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'recordedAt', to_char(${e}.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))`);

/** Stored nodes by id, in one query. */
async function loadNodes(db: Queryable, ids: NodeId[]): Promise<NodeMap> {
  const map = new NodeMap();
  if (ids.length === 0) return map;
  const levels = pgArray(
    ids.map((i) => i.level),
    'smallint',
  );
  const indexes = pgArray(
    ids.map((i) => i.index),
    'bigint',
  );
  const rows = rowsOf<{ level: number; idx: string | number; hash: string }>(
    await db.execute(sql`SELECT n.level, n.idx, encode(n.hash, 'hex') AS hash
      FROM ledger_nodes n
      JOIN unnest(${levels}, ${indexes})
        AS want(level, idx) ON n.level = want.level AND n.idx = want.idx`),
  );
  for (const r of rows) map.set(Number(r.level), Number(r.idx), fromHex(r.hash));
  return map;
}

/** The nodes an operation over the stored tree reads, fetched first; then the operation. */
export async function overStoredTree<T>(db: Queryable, operation: (store: NodeMap) => T): Promise<T> {
  const store = await loadNodes(
    db,
    nodesRead((s) => operation(s as NodeMap)),
  );
  return operation(store);
}

const LOCK_KEY = sql`hashtext('orotrace:ledger:sequencer')`;

/** Write signatures checked between two turns of the event loop (~20 ms of native ECDSA). */
const VERIFY_SLICE = 128;

/**
 * Appends to the log every visible event not in it yet, `batch` at a time, each batch in its own
 * transaction with a newly signed head. Answers the latest head. Safe to call from many places at
 * once: sequencers queue on an advisory lock, writers never wait for it.
 */
export async function sequence(
  db: Db,
  signer: LedgerSigner,
  opts: { batch?: number } = {},
): Promise<{ appended: number; head: SignedHead }> {
  const batch = opts.batch ?? 5_000;
  let appended = 0;
  for (;;) {
    const step = await db
      .transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
        const last = await latestHead(tx);
        const size = last?.treeSize ?? 0;
        const [found] = rowsOf<{ horizon: string; events: unknown }>(
          await tx.execute(sql`
          SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon,
                 coalesce(json_agg(json_build_object('leaf', e.leaf, 'signature', e.write_signature)
                   ORDER BY e.seq), '[]'::json) AS events
            FROM (SELECT e.seq, ${leafEventColumns('e')} AS leaf, e.write_signature
                    FROM events e
                   WHERE e.xid >= ${last?.xidHorizon ?? '0'}::xid8
                     AND NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.event_id = e.id)
                     AND NOT EXISTS (SELECT 1 FROM ledger_incidents i WHERE i.event_id = e.id)
                   ORDER BY e.seq
                   LIMIT ${batch}) e`),
        );
        const candidates =
          jsonColumn<{ leaf: LedgerEvent; signature: string | null }[] | null>(found?.events) ?? [];
        const fetched = candidates.length;
        if (last && fetched === 0) return { appended: 0, head: last as SignedHead, full: false };

        // Nothing enters the log that the API did not sign when it wrote it (write-signature.ts).
        // Each event is serialized once: its signature and its leaf hash cover the same bytes.
        const keys = [signer.publicJwk];
        const leafData = candidates.map((c) => {
          try {
            return eventLeafBytes(c.leaf);
          } catch {
            return undefined; // not serializable as a leaf: refused below like a bad signature
          }
        });
        // Checked in slices with a turn of the event loop between them: the native check is
        // synchronous, and a whole batch (~150 µs an event) would hold the process's requests
        // for a second or more.
        const valid: boolean[] = [];
        for (let from = 0; from < candidates.length; from += VERIFY_SLICE) {
          if (from > 0) await new Promise((resolve) => setTimeout(resolve, 0));
          const slice = candidates.slice(from, from + VERIFY_SLICE).map((c, k) => {
            const data = leafData[from + k];
            return data ? verifyLeafSignature(data, c.signature, keys) : false;
          });
          valid.push(...(await Promise.all(slice)));
        }
        const events = candidates.filter((_, i) => valid[i]).map((c) => c.leaf);
        const leaves = leafData.flatMap((data, i) => (valid[i] && data ? [leafHash(data)] : []));
        await recordIncidents(
          tx,
          candidates
            .filter((_, i) => !valid[i])
            .map(({ leaf, signature }) => ({
              kind: signature ? 'event_signature_invalid' : 'event_unsigned',
              fingerprint: `event:${leaf.id}`,
              eventId: leaf.id,
              detail: signature
                ? `event ${leaf.id} (${leaf.type} of ${leaf.subjectType} ${leaf.subjectId}) carries a write signature that does not verify with the ledger key: refused, not sequenced`
                : `event ${leaf.id} (${leaf.type} of ${leaf.subjectType} ${leaf.subjectId}) was written without the API's signature: refused, not sequenced`,
              evidence: { event: leaf, writeSignature: signature },
            })),
        );
        const full = fetched === batch;
        if (last && events.length === 0) {
          // All refused: no new head, and the old horizon, so that nothing visible is passed over.
          return { appended: 0, head: last as SignedHead, full };
        }

        const store = await loadNodes(tx, frontierNodes(size));
        if (last) await assertExtendsLastHead(tx, signer, last, store);
        const created = appendLeaves(store, size, leaves);
        for (const n of created) store.set(n.level, n.index, n.hash);
        const newSize = size + leaves.length;
        const missing = nodesRead((s) => root(s, newSize)).filter((id) => {
          try {
            store.node(id.level, id.index);
            return false;
          } catch {
            return true;
          }
        });
        if (missing.length > 0) {
          const more = await loadNodes(tx, missing);
          for (const id of missing) store.set(id.level, id.index, more.node(id.level, id.index));
        }
        const rootHash = newSize === 0 ? EMPTY_ROOT : root(store, newSize);

        if (created.length > 0) {
          const levels = pgArray(
            created.map((n) => n.level),
            'smallint',
          );
          const indexes = pgArray(
            created.map((n) => n.index),
            'bigint',
          );
          const hashes = pgArray(
            created.map((n) => toHex(n.hash)),
            'text',
          );
          await tx.execute(sql`INSERT INTO ledger_nodes (level, idx, hash)
          SELECT level, idx, decode(hash, 'hex')
            FROM unnest(${levels}, ${indexes}, ${hashes}) AS t(level, idx, hash)`);
          await tx.execute(sql`INSERT INTO ledger_leaves (leaf_index, event_id)
          SELECT ${size}::bigint + ord - 1, id
            FROM unnest(${uuidArray(events.map((e) => e.id))}) WITH ORDINALITY AS t(id, ord)`);
        }
        const { checkpoint, ...head } = await signHead(signer, newSize, rootHash);
        // A full batch may have left visible events behind: keep the old horizon until a run ends
        // with everything visible appended.
        const horizon = full ? (last?.xidHorizon ?? '0') : (found?.horizon ?? '0');
        await tx.execute(sql`INSERT INTO ledger_heads (tree_size, root_hash, signed_at, key_id, signature, xid_horizon, checkpoint)
        VALUES (${newSize}, decode(${head.rootHash}, 'hex'), ${head.timestamp}::timestamptz, ${head.keyId},
                ${head.signature}, ${horizon}::xid8, ${checkpoint})`);
        return { appended: events.length, head, full };
      })
      .catch(async (err: unknown) => {
        // Recorded after the rollback, on a transaction of its own, so the refusal leaves a trace.
        if (err instanceof TreeTampered) await recordIncidents(db, [err.incident]);
        throw err;
      });
    appended += step.appended;
    if (!step.full) return { appended, head: step.head };
  }
}

/** The stored tree or head no longer holds: the sequencer refuses to extend it. */
class TreeTampered extends Error {
  constructor(readonly incident: NewIncident) {
    super(incident.detail);
  }
}

/**
 * Before a head is signed over new leaves, the tree they extend must still be the one the last
 * head signed: its signature holds, and the stored nodes it is rebuilt from give its root. Else an
 * insider who rewrote nodes (or forged a head row) would have the ledger key sign their version.
 */
async function assertExtendsLastHead(
  tx: Queryable,
  signer: LedgerSigner,
  last: SignedHead,
  store: NodeMap,
): Promise<void> {
  if (!(await verifyHeadSignature(last, [signer.publicJwk]))) {
    throw new TreeTampered({
      kind: 'head_signature_invalid',
      fingerprint: `head:${last.treeSize}:${last.signature}`,
      treeSize: last.treeSize,
      detail: `the latest stored head (${last.treeSize} leaves) is not signed by the ledger key: sequencing stopped`,
      evidence: { head: last },
    });
  }
  if (last.treeSize === 0) return;
  const missing = nodesRead((s) => root(s, last.treeSize)).filter((id) => !store.has(id.level, id.index));
  const more = await loadNodes(tx, missing);
  for (const id of missing) {
    if (more.has(id.level, id.index)) store.set(id.level, id.index, more.node(id.level, id.index));
  }
  let stored: string;
  try {
    stored = toHex(root(store, last.treeSize));
  } catch {
    stored = 'incomplete';
  }
  if (stored !== last.rootHash) {
    throw new TreeTampered({
      kind: 'tree_mismatch',
      fingerprint: `tree:${last.treeSize}:${stored}`,
      treeSize: last.treeSize,
      detail: `the stored tree of ${last.treeSize} leaves gives root ${stored}, the signed head ${last.rootHash}: its nodes were changed; sequencing stopped`,
      evidence: { head: last, storedRoot: stored },
    });
  }
}
