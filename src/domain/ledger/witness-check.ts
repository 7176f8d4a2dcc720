import { type Hash, verifyConsistency } from './merkle.js';

/** A checkpoint's tree as a witness keeps it: size and root. */
export interface TreeState {
  treeSize: number;
  rootHash: Hash;
}

/**
 * What a witness makes of a new checkpoint against the last one it cosigned: RFC 9162 §2.1.4.2
 * against its own stored root, never the log's word for it. `proof` is needed when the tree grew.
 * - first: nothing cosigned yet (trust on first use of the tree);
 * - same: the same tree again;
 * - extends: a larger tree the proof shows to contain the last one;
 * - rollback: a smaller tree: the log forgot what it showed;
 * - fork: the same size, another root: two histories;
 * - inconsistent: a larger tree that does not contain the last one (or no valid proof).
 */
export type CheckpointVerdict = 'first' | 'same' | 'extends' | 'rollback' | 'fork' | 'inconsistent';

export function judgeCheckpoint(
  last: TreeState | undefined,
  next: TreeState,
  proof: readonly Hash[] = [],
): CheckpointVerdict {
  if (!last) return 'first';
  const sameRoot =
    last.rootHash.length === next.rootHash.length && last.rootHash.every((b, i) => b === next.rootHash[i]);
  if (next.treeSize < last.treeSize) return 'rollback';
  if (next.treeSize === last.treeSize) return sameRoot ? 'same' : 'fork';
  return verifyConsistency(last.treeSize, next.treeSize, last.rootHash, next.rootHash, proof)
    ? 'extends'
    : 'inconsistent';
}
