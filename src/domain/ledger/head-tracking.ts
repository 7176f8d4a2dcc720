import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { compactVerify, importJWK, type JWK } from 'jose';
import { canonicalJson } from './canonical.js';
import { EMPTY_ROOT, verifyConsistency } from './merkle.js';
import type { ConsistencyAnswer, SignedHead } from './schemas.js';

/**
 * Every client is a witness. Whoever runs the database can wipe it, restore an older backup or
 * rewrite history, and the server would sign the new tree as readily as the old one; only
 * someone outside who kept a head they once verified can notice. A client (the checkpoint app,
 * the regulator console, `npm run verify`) keeps the last head it verified and, for each new
 * head, demands an RFC 9162 §2.1.4 consistency proof *from the head it kept* — never from a
 * head the server offers in its place.
 *
 * Pure: no database, no Node built-ins, so the browser bundles run it as the CLI does.
 */

/** What a client keeps of the last head it verified. */
export interface KeptHead {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  /** When this client verified it. */
  checkedAt: string;
}

/** The outcomes that mean the log's history changed under this client: raise an alarm. */
const alarmOutcomes = ['rollback', 'fork', 'inconsistent', 'unsigned'] as const;
export type AlarmOutcome = (typeof alarmOutcomes)[number];

export type HeadDecision =
  /** Nothing was kept: the new head is trusted on first use (its signature holds). */
  | { outcome: 'first'; keep: KeptHead }
  /** The same tree as the kept head. */
  | { outcome: 'unchanged'; keep: KeptHead }
  /** A larger tree, proven to contain the kept one. */
  | { outcome: 'extended'; keep: KeptHead }
  | {
      outcome: AlarmOutcome;
      kept: KeptHead | undefined;
      seen: { treeSize: number; rootHash: string };
      detail: string;
    };

export const isAlarm = (d: HeadDecision): d is Extract<HeadDecision, { outcome: AlarmOutcome }> =>
  (alarmOutcomes as readonly string[]).includes(d.outcome);

/**
 * The consistency proof from the kept size to the new one, or `missing` when the server answered
 * 4xx for it: a head the client verified no longer exists there, i.e. the log was wiped or
 * rolled back below it.
 */
export type ConsistencyFetch = ConsistencyAnswer | 'missing';

const headTyp = 'orotrace-sth+jws';

/** RFC 8785 JSON of what a head's signature covers (as store.ts's headStatement). */
const statement = (h: Pick<SignedHead, 'treeSize' | 'rootHash' | 'timestamp'>): string =>
  canonicalJson({ rootHash: h.rootHash, timestamp: h.timestamp, treeSize: h.treeSize });

/** Does the head's signature verify with a key of the JWKS, with the right type, over exactly what the head says? */
export async function headSignatureHolds(head: SignedHead, keys: readonly JWK[]): Promise<boolean> {
  const jwk = keys.find((k) => k.kid === head.keyId);
  if (!jwk) return false;
  try {
    const { payload, protectedHeader } = await compactVerify(head.signature, await importJWK(jwk, 'ES256'));
    if (protectedHeader.alg !== 'ES256' || protectedHeader.typ !== headTyp) return false;
    return new TextDecoder().decode(payload) === statement(head);
  } catch {
    return false;
  }
}

const keepOf = (h: SignedHead, now: string): KeptHead => ({
  treeSize: h.treeSize,
  rootHash: h.rootHash,
  timestamp: h.timestamp,
  checkedAt: now,
});

const emptyRoot = bytesToHex(EMPTY_ROOT);

const isHex32 = (s: string) => /^[0-9a-f]{64}$/.test(s);

/**
 * Decides what a new head means for the head this client kept. `signatureHolds` is the result
 * of `headSignatureHolds`; `consistency` is needed only when the new head is larger than the
 * kept one (ask GET /v1/ledger/consistency?from=kept.treeSize&to=head.treeSize).
 */
export function decideHead(input: {
  kept: KeptHead | undefined;
  head: SignedHead;
  signatureHolds: boolean;
  consistency?: ConsistencyFetch | undefined;
  now?: string;
}): HeadDecision {
  const { kept, head } = input;
  const now = input.now ?? new Date().toISOString();
  const seen = { treeSize: head.treeSize, rootHash: head.rootHash };
  const alarm = (outcome: AlarmOutcome, detail: string): HeadDecision => ({ outcome, kept, seen, detail });
  if (!input.signatureHolds || !isHex32(head.rootHash) || !Number.isSafeInteger(head.treeSize)) {
    return alarm('unsigned', `the head of ${head.treeSize} leaves is not signed by a key of the ledger`);
  }
  if (!kept) return { outcome: 'first', keep: keepOf(head, now) };
  if (head.treeSize < kept.treeSize) {
    return alarm('rollback', `the log has ${head.treeSize} leaves, fewer than the ${kept.treeSize} kept`);
  }
  if (head.treeSize === kept.treeSize) {
    return head.rootHash === kept.rootHash
      ? { outcome: 'unchanged', keep: kept }
      : alarm('fork', `the tree of ${kept.treeSize} leaves now has another root (${head.rootHash})`);
  }
  // The empty tree (a fresh ledger signs one at start) is a prefix of every tree: no proof
  // exists for it (the server asks 0 < from), and none is needed.
  if (kept.treeSize === 0) {
    return kept.rootHash === emptyRoot
      ? { outcome: 'extended', keep: keepOf(head, now) }
      : alarm('fork', `the empty tree kept has a root other than the empty root`);
  }
  const c = input.consistency;
  if (c === undefined) throw new Error('a larger head needs a consistency proof from the kept size');
  if (c === 'missing') {
    return alarm('rollback', `the server no longer has the head of ${kept.treeSize} leaves kept here`);
  }
  // The server's own `from` head is only a claim: what counts is the root kept here.
  if (c.from.treeSize !== kept.treeSize || c.to.treeSize !== head.treeSize) {
    return alarm('inconsistent', `the proof is between other sizes (${c.from.treeSize} → ${c.to.treeSize})`);
  }
  if (c.from.rootHash !== kept.rootHash) {
    return alarm(
      'fork',
      `the server's tree of ${kept.treeSize} leaves has another root (${c.from.rootHash})`,
    );
  }
  if (c.to.rootHash !== head.rootHash) {
    return alarm('inconsistent', `the proof ends at another root than the head's (${c.to.rootHash})`);
  }
  const proof = c.proof.every(isHex32) ? c.proof.map(hexToBytes) : undefined;
  const holds =
    proof !== undefined &&
    verifyConsistency(
      kept.treeSize,
      head.treeSize,
      hexToBytes(kept.rootHash),
      hexToBytes(head.rootHash),
      proof,
    );
  if (!holds) {
    return alarm(
      'inconsistent',
      `the tree of ${head.treeSize} leaves is not proven to extend the ${kept.treeSize} kept`,
    );
  }
  return { outcome: 'extended', keep: keepOf(head, now) };
}

/** How a client reaches the ledger: the three requests a check needs. */
export interface HeadSource {
  head(): Promise<SignedHead>;
  /** The ledger's public keys; `kid` is the head's, for a client that refreshes on an unknown key. */
  keys(kid: string): Promise<readonly JWK[]>;
  /** `missing` on a 4xx answer; throws on network trouble (which decides nothing). */
  consistency(from: number, to: number): Promise<ConsistencyFetch>;
}

/** One check, start to end: fetch the head, verify its signature, fetch the proof if needed, decide. */
export async function checkHead(kept: KeptHead | undefined, source: HeadSource): Promise<HeadDecision> {
  const head = await source.head();
  const signatureHolds = await headSignatureHolds(head, await source.keys(head.keyId));
  const consistency =
    signatureHolds && kept && kept.treeSize > 0 && head.treeSize > kept.treeSize
      ? await source.consistency(kept.treeSize, head.treeSize)
      : undefined;
  return decideHead({ kept, head, signatureHolds, consistency });
}

/**
 * The same judgment from a tree rebuilt from the events (npm run verify): the kept head holds
 * when the rebuilt tree is no smaller and its root at the kept size is the kept root.
 * `rootAtKept` is that root (undefined when the tree is smaller). Null: an empty log, nothing kept.
 */
export function decideRebuilt(input: {
  kept: KeptHead | undefined;
  latest: SignedHead | null;
  rootAtKept: Uint8Array | undefined;
  now?: string;
}): HeadDecision | null {
  const { kept, latest } = input;
  const now = input.now ?? new Date().toISOString();
  const seen = { treeSize: latest?.treeSize ?? 0, rootHash: latest?.rootHash ?? '' };
  if (!kept) {
    // An empty log and nothing kept: nothing to keep yet.
    return latest ? { outcome: 'first', keep: keepOf(latest, now) } : null;
  }
  if (!latest || latest.treeSize < kept.treeSize || !input.rootAtKept) {
    return {
      outcome: 'rollback',
      kept,
      seen,
      detail: `the log has ${seen.treeSize} leaves, fewer than the ${kept.treeSize} kept`,
    };
  }
  const rebuilt = bytesToHex(input.rootAtKept);
  if (rebuilt !== kept.rootHash) {
    return {
      outcome: 'fork',
      kept,
      seen,
      detail: `the rebuilt tree of ${kept.treeSize} leaves has root ${rebuilt}, not the ${kept.rootHash} kept`,
    };
  }
  return latest.treeSize === kept.treeSize
    ? { outcome: 'unchanged', keep: kept }
    : { outcome: 'extended', keep: keepOf(latest, now) };
}
