import { sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.js';
import { ApiError } from '../shared/errors.js';
import { parseCheckpoint, parseNote, parseVerifierKey, type VerifierKey, verifyCosignature } from './note.js';

/**
 * Witnesses: parties outside the database who keep the last checkpoint they cosigned and cosign a
 * new one only if it extends it (src/cli/witness.ts). Their cosignatures are stored with the heads
 * and served with the checkpoint, so that a reader holding their keys can tell a head that was
 * seen from outside from one only the database vouches for, which whoever runs it may rewrite.
 */

/** The witnesses whose cosignatures are accepted, and how many of them make a head final. */
export interface WitnessPolicy {
  keys: VerifierKey[];
  quorum: number;
}

/** The policy of configured vkeys (config.ts has checked each). */
export function witnessPolicy(vkeys: string[], quorum: number): WitnessPolicy {
  const keys = vkeys.map((k) => parseVerifierKey(k, 'cosignature')).filter((k) => k !== undefined);
  return { keys, quorum };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

interface CosignatureRow {
  witness_name: string;
  witness_key_id: string;
  timestamp: string | number;
  signature_line: string;
}

/** A cosignature as GET /v1/ledger/head lists it. */
interface Cosignature {
  witness: string;
  keyId: string;
  timestamp: number;
}

/** The checkpoint of a head, its cosignatures, and whether enough configured witnesses made them. */
export interface CheckpointState {
  /** The note with the cosignatures' lines appended; null for a head signed before checkpoints. */
  checkpoint: string | null;
  cosignatures: Cosignature[];
  final: boolean;
  witnessQuorum: number;
}

/**
 * The checkpoint of the head of `treeSize` leaves as served: undefined when no head of that size
 * was signed. A cosignature counts toward `final` only under a key configured now: removing a
 * witness's key withdraws its word.
 */
export async function checkpointState(
  db: Queryable,
  policy: WitnessPolicy | undefined,
  treeSize: number,
): Promise<CheckpointState | undefined> {
  const [head] = rowsOf<{ checkpoint: string | null }>(
    await db.execute(sql`SELECT checkpoint FROM ledger_heads WHERE tree_size = ${treeSize}`),
  );
  if (!head) return undefined;
  const rows = rowsOf<CosignatureRow>(
    await db.execute(sql`SELECT witness_name, witness_key_id, timestamp, signature_line
      FROM witness_cosignatures WHERE tree_size = ${treeSize} ORDER BY received_at, witness_key_id`),
  );
  const configured = new Set((policy?.keys ?? []).map((k) => `${k.name}+${hex(k.keyId)}`));
  const counted = rows.filter((r) => configured.has(`${r.witness_name}+${r.witness_key_id}`));
  const quorum = policy?.quorum ?? 0;
  return {
    checkpoint: head.checkpoint && `${head.checkpoint}${rows.map((r) => `${r.signature_line}\n`).join('')}`,
    cosignatures: rows.map((r) => ({
      witness: r.witness_name,
      keyId: r.witness_key_id,
      timestamp: Number(r.timestamp),
    })),
    final: new Set(counted.map((r) => r.witness_key_id)).size >= quorum,
    witnessQuorum: quorum,
  };
}

const refuse = (message: string) => new ApiError('unprocessable', message);

/** A cosignature received: whose, when it was made, and whether it was new. */
interface Received {
  witness: string;
  keyId: string;
  timestamp: number;
  stored: boolean;
}

/**
 * Stores witnesses' cosignatures of a checkpoint this log signed. `note` is the checkpoint with
 * one or more cosignature lines; the log's own line and lines of keys not configured are ignored.
 * Refuses what does not parse, a note without a line of a configured key (403), a configured
 * witness's line that does not verify, and a checkpoint the log never signed. Idempotent: a
 * witness's second cosignature of the same size is acknowledged and the first kept.
 */
export async function acceptCosignature(
  db: Queryable,
  policy: WitnessPolicy | undefined,
  note: string,
): Promise<{ treeSize: number; cosignatures: Received[] }> {
  const parsed = parseNote(note);
  if (!parsed) {
    throw refuse('the body is not a signed note: a checkpoint, a blank line, then "— <name> <base64>" lines');
  }
  const checkpoint = parseCheckpoint(parsed.text);
  if (!checkpoint) throw refuse('the note is not a checkpoint: origin, tree size and base64 root hash lines');
  const keys = (policy?.keys ?? []).filter((k) =>
    parsed.signatures.some((s) => s.name === k.name && hex(s.keyId) === hex(k.keyId)),
  );
  if (keys.length === 0) {
    const names = parsed.signatures.map((s) => `${s.name} (${hex(s.keyId)})`).join(', ');
    throw new ApiError(
      'forbidden',
      `no signature line is by a configured witness key (WITNESS_KEYS): ${names}`,
    );
  }
  const verified: { key: VerifierKey; timestamp: number; line: string }[] = [];
  for (const key of keys) {
    const found = await verifyCosignature(parsed, key);
    if (!found)
      throw refuse(`the cosignature of ${key.name} does not verify (cosignature/v1 over this checkpoint)`);
    verified.push({ key, ...found });
  }
  const [head] = rowsOf<{ checkpoint: string | null }>(
    await db.execute(sql`SELECT checkpoint FROM ledger_heads WHERE tree_size = ${checkpoint.treeSize}`),
  );
  if (!head?.checkpoint) throw refuse(`this log signed no checkpoint of tree size ${checkpoint.treeSize}`);
  if (parseNote(head.checkpoint)?.text !== parsed.text) {
    throw refuse(
      `the checkpoint of tree size ${checkpoint.treeSize} is not the one this log signed (origin or root hash differ)`,
    );
  }
  const cosignatures: Received[] = [];
  for (const v of verified) {
    const keyId = hex(v.key.keyId);
    const inserted = rowsOf<{ tree_size: string }>(
      await db.execute(sql`INSERT INTO witness_cosignatures
          (tree_size, witness_key_id, witness_name, timestamp, signature_line)
        VALUES (${checkpoint.treeSize}, ${keyId}, ${v.key.name}, ${v.timestamp}, ${v.line})
        ON CONFLICT (tree_size, witness_key_id) DO NOTHING
        RETURNING tree_size`),
    );
    cosignatures.push({ witness: v.key.name, keyId, timestamp: v.timestamp, stored: inserted.length > 0 });
  }
  return { treeSize: checkpoint.treeSize, cosignatures };
}
