import { sha256 } from './sha256.js';

/**
 * The ledger's Merkle tree: RFC 9162 §2.1 (the tree of RFC 6962, Certificate Transparency), so
 * that any conformant verifier accepts our roots and proofs.
 *
 * Storage layout. The tree is kept as its complete subtrees: node (level L, index i) is the
 * Merkle Tree Hash of leaves [i·2^L, (i+1)·2^L); level 0 holds the leaf hashes, and node (L, i)
 * = nodeHash((L-1, 2i), (L-1, 2i+1)). Only complete nodes are ever stored, so a node never
 * changes once written, and a tree of n leaves has fewer than 2n of them. Every root, proof
 * element and append reads at most ⌈log2 n⌉ + 1 stored nodes: the ragged right edge of a tree
 * is rebuilt from the complete subtrees that tile it (the binary digits of its size).
 *
 * Operations read nodes through a synchronous `HashStore`. Which nodes an operation reads
 * depends only on the sizes involved, never on hash values, so a database-backed caller first
 * asks `nodesRead` for the list, fetches them in one query, and runs the operation over a
 * `NodeMap` of the result.
 *
 * Hashing is synchronous SHA-256 (sha256.ts): the platform's native one on Node and Workers
 * (`node:crypto`), @noble/hashes' pure JavaScript in the browser apps, which the web build
 * substitutes. WebCrypto's async digest, the only native SHA-256 a browser has, costs ~50 µs
 * awaited one at a time (~10 µs batched), and would make every operation here async.
 */

export type Hash = Uint8Array;
export const HASH_SIZE = 32;

/** A complete subtree: level L, index i covers leaves [i·2^L, (i+1)·2^L). */
export interface NodeId {
  level: number;
  index: number;
}
export interface NodeRecord extends NodeId {
  hash: Hash;
}

/** Read access to stored complete-subtree hashes. */
export interface HashStore {
  /** The hash of the complete node (level, index); throws if it is not stored. */
  node(level: number, index: number): Hash;
}

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Hash = sha256(new Uint8Array(0));

// Leaves are copied behind their 0x00 prefix into one reused buffer: hashing is synchronous, so
// it is never shared, and an event-sized array allocated per leaf (outside the JavaScript heap,
// being over 64 bytes) cost about as much as hashing it natively. Larger leaves get their own.
const LEAF_SCRATCH = 16 * 1024;
const leafScratch = new Uint8Array(LEAF_SCRATCH);

/** MTH({d}) = SHA-256(0x00 || d). */
export function leafHash(data: Uint8Array): Hash {
  const buf =
    data.length < LEAF_SCRATCH ? leafScratch.subarray(0, data.length + 1) : new Uint8Array(data.length + 1);
  buf.set(data, 1);
  return sha256(buf);
}

// One scratch buffer for interior nodes: hashing is synchronous, so it is never shared.
const scratch = new Uint8Array(1 + 2 * HASH_SIZE);
scratch[0] = 1;

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH_SIZE);
  return sha256(scratch);
}

// Sizes and indexes stay below 2^53, beyond the 32 bits of JavaScript's bit operators.
const pow2 = (level: number) => 2 ** level;
const shr = (x: number, level: number) => Math.floor(x / 2 ** level);
const isOdd = (x: number) => x % 2 === 1;

function checkSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer`);
}

/** The largest power of two strictly below n (n ≥ 2): the split point k of RFC 9162 §2.1.1. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * MTH of leaves [start, end), where start is a multiple of a power of two ≥ end − start (every
 * subtree the RFC's recursion meets is): the complete subtrees of the binary digits of the
 * size, largest first, folded from the right.
 */
function rangeHash(store: HashStore, start: number, end: number): Hash {
  const nodes: Hash[] = [];
  let pos = start;
  for (let level = Math.floor(Math.log2(end - start)) + 1; level >= 0; level--) {
    if (pos + pow2(level) <= end) {
      nodes.push(store.node(level, shr(pos, level)));
      pos += pow2(level);
    }
  }
  let h = nodes.pop() as Hash;
  while (nodes.length > 0) h = nodeHash(nodes.pop() as Hash, h);
  return h;
}

/** Merkle Tree Hash of the first n leaves (RFC 9162 §2.1.1); at most ⌈log2 n⌉ + 1 reads. */
export function root(store: HashStore, n: number): Hash {
  checkSize(n, 'tree size');
  return n === 0 ? EMPTY_ROOT : rangeHash(store, 0, n);
}

/** Audit path of leaf m in the tree of the first n leaves (RFC 9162 §2.1.3.1 PATH), leaf-side first. */
export function inclusionProof(store: HashStore, m: number, n: number): Hash[] {
  checkSize(m, 'leaf index');
  checkSize(n, 'tree size');
  if (m >= n) throw new RangeError(`leaf index ${m} is not in a tree of ${n} leaves`);
  const proof: Hash[] = [];
  const path = (start: number, end: number): void => {
    if (end - start === 1) return;
    const k = splitPoint(end - start);
    if (m < start + k) {
      path(start, start + k);
      proof.push(rangeHash(store, start + k, end));
    } else {
      path(start + k, end);
      proof.push(rangeHash(store, start, start + k));
    }
  };
  path(0, n);
  return proof;
}

/**
 * Consistency proof between the trees of the first m and the first n leaves (RFC 9162 §2.1.4.1
 * PROOF/SUBPROOF). Empty when m = 0 or m = n, which need no proof.
 */
export function consistencyProof(store: HashStore, m: number, n: number): Hash[] {
  checkSize(m, 'first size');
  checkSize(n, 'second size');
  if (m > n) throw new RangeError(`first size ${m} exceeds second size ${n}`);
  const proof: Hash[] = [];
  if (m === 0 || m === n) return proof;
  const subproof = (mm: number, start: number, end: number, b: boolean): void => {
    if (start + mm === end) {
      if (!b) proof.push(rangeHash(store, start, end));
      return;
    }
    const k = splitPoint(end - start);
    if (mm <= k) {
      subproof(mm, start, start + k, b);
      proof.push(rangeHash(store, start + k, end));
    } else {
      subproof(mm - k, start + k, end, false);
      proof.push(rangeHash(store, start, start + k));
    }
  };
  subproof(m, 0, n, true);
  return proof;
}

function equalHash(a: Hash, b: Hash): boolean {
  if (a.length !== HASH_SIZE || b.length !== HASH_SIZE) return false;
  let diff = 0;
  for (let i = 0; i < HASH_SIZE; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

const wellFormed = (proof: readonly Hash[]) => proof.every((p) => p.length === HASH_SIZE);

/** RFC 9162 §2.1.3.2: does `proof` place `leaf` at `index` of the tree of `treeSize` leaves whose root is `rootHash`? */
export function verifyInclusion(
  leaf: Hash,
  index: number,
  treeSize: number,
  proof: readonly Hash[],
  rootHash: Hash,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) {
    return false;
  }
  if (leaf.length !== HASH_SIZE || !wellFormed(proof)) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = shr(fn, 1);
        sn = shr(sn, 1);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = shr(fn, 1);
    sn = shr(sn, 1);
  }
  return sn === 0 && equalHash(r, rootHash);
}

/** RFC 9162 §2.1.4.2: is the tree of `second` leaves with root `secondRoot` an append-only extension of the one of `first` leaves with root `firstRoot`? */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Hash,
  secondRoot: Hash,
  proof: readonly Hash[],
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) {
    return false;
  }
  if (!wellFormed(proof)) return false;
  if (first === second) return proof.length === 0 && equalHash(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = Number.isInteger(Math.log2(first)) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = shr(fn, 1);
    sn = shr(sn, 1);
  }
  let fr = path[0] as Hash;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = shr(fn, 1);
        sn = shr(sn, 1);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = shr(fn, 1);
    sn = shr(sn, 1);
  }
  return sn === 0 && equalHash(fr, firstRoot) && equalHash(sr, secondRoot);
}

/**
 * The frontier of a tree of `size` leaves: its right-edge complete subtrees, one per set bit
 * of the size, lowest level first. They are all an append needs to read.
 */
export function frontierNodes(size: number): NodeId[] {
  checkSize(size, 'tree size');
  const ids: NodeId[] = [];
  for (let level = 0; pow2(level) <= size; level++) {
    if (isOdd(shr(size, level))) ids.push({ level, index: shr(size, level) - 1 });
  }
  return ids;
}

/**
 * Appends leaf hashes to a tree of `size` leaves (the "compact range" of transparency-dev):
 * reads only the frontier from `store` and returns every complete node the batch creates —
 * the leaves at level 0 and each parent as its right child completes — for the caller to
 * store. Old leaves are never rehashed; a batch of k leaves costs fewer than 2k hashes.
 */
export function appendLeaves(store: HashStore, size: number, leafHashes: readonly Hash[]): NodeRecord[] {
  const created: NodeRecord[] = [];
  extend(store, size, leafHashes, (level, index, hash) => created.push({ level, index, hash }));
  return created;
}

function extend(
  store: HashStore,
  size: number,
  leafHashes: readonly Hash[],
  emit: (level: number, index: number, hash: Hash) => void,
): void {
  // waiting[L]: the left sibling at level L whose right sibling is not complete yet.
  const waiting: (Hash | undefined)[] = [];
  for (const { level, index } of frontierNodes(size)) waiting[level] = store.node(level, index);
  let next = size;
  for (const leaf of leafHashes) {
    if (leaf.length !== HASH_SIZE) throw new RangeError('a leaf hash must be 32 bytes');
    let index = next++;
    let level = 0;
    let h = leaf;
    emit(level, index, h);
    while (isOdd(index)) {
      h = nodeHash(waiting[level] as Hash, h);
      waiting[level] = undefined;
      index = shr(index, 1);
      level++;
      emit(level, index, h);
    }
    waiting[level] = h;
  }
}

/** Stored nodes an operation reads, e.g. `nodesRead((s) => inclusionProof(s, m, n))`: fetch these, then run it over a `NodeMap`. */
export function nodesRead(operation: (store: HashStore) => unknown): NodeId[] {
  const seen = new Map<string, NodeId>();
  const placeholder = new Uint8Array(HASH_SIZE);
  operation({
    node(level, index) {
      seen.set(`${level}/${index}`, { level, index });
      return placeholder;
    },
  });
  return [...seen.values()];
}

/** A store over nodes fetched ahead (from a database query, say). */
export class NodeMap implements HashStore {
  readonly #nodes = new Map<string, Hash>();

  constructor(records: Iterable<NodeRecord> = []) {
    for (const r of records) this.set(r.level, r.index, r.hash);
  }

  set(level: number, index: number, hash: Hash): void {
    this.#nodes.set(`${level}/${index}`, hash);
  }

  node(level: number, index: number): Hash {
    const h = this.#nodes.get(`${level}/${index}`);
    if (!h) throw new RangeError(`node (${level}, ${index}) is not stored`);
    return h;
  }

  has(level: number, index: number): boolean {
    return this.#nodes.has(`${level}/${index}`);
  }
}

/** The whole tree in memory, one packed buffer a level: what tests, benchmarks and offline verification build. */
export class MemoryTree implements HashStore {
  #size = 0;
  readonly #levels: { bytes: Uint8Array; count: number }[] = [];

  get size(): number {
    return this.#size;
  }

  /** Appends leaf hashes and returns the complete nodes the batch created. */
  append(leafHashes: readonly Hash[]): NodeRecord[] {
    const created: NodeRecord[] = [];
    this.#extend(leafHashes, (level, index, hash) => created.push({ level, index, hash }));
    return created;
  }

  /** Appends without collecting the created nodes (bulk building). */
  appendAll(leafHashes: readonly Hash[]): void {
    this.#extend(leafHashes, () => {});
  }

  #extend(leafHashes: readonly Hash[], onNode: (level: number, index: number, hash: Hash) => void): void {
    extend(this, this.#size, leafHashes, (level, index, hash) => {
      this.#put(level, index, hash);
      onNode(level, index, hash);
    });
    this.#size += leafHashes.length;
  }

  #put(level: number, index: number, hash: Hash): void {
    let l = this.#levels[level];
    if (!l) {
      l = { bytes: new Uint8Array(HASH_SIZE * 1024), count: 0 };
      this.#levels[level] = l;
    }
    if (index !== l.count) throw new Error(`node (${level}, ${index}) appended out of order`);
    if ((index + 1) * HASH_SIZE > l.bytes.length) {
      const grown = new Uint8Array(l.bytes.length * 2);
      grown.set(l.bytes);
      l.bytes = grown;
    }
    l.bytes.set(hash, index * HASH_SIZE);
    l.count++;
  }

  node(level: number, index: number): Hash {
    const l = this.#levels[level];
    if (!l || index < 0 || index >= l.count) throw new RangeError(`node (${level}, ${index}) is not stored`);
    return l.bytes.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }
}
