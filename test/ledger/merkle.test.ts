import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  appendLeaves,
  consistencyProof,
  EMPTY_ROOT,
  frontierNodes,
  type Hash,
  inclusionProof,
  leafHash,
  MemoryTree,
  NodeMap,
  nodeHash,
  nodesRead,
  root,
  verifyConsistency,
  verifyInclusion,
} from '../../src/domain/ledger/merkle.js';

// Certificate Transparency's reference vectors, copied from transparency-dev/merkle,
// proof/verify_test.go (commit 02194e9afb6c1d95b5381350007963aa70fff472), the successor of
// google/certificate-transparency-go's merkletree tests. There, leaf numbers in the proof
// vectors count from 1; here indexes count from 0 as in RFC 9162.
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hexToBytes);
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_EMPTY_ROOT = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const CT_INCLUSION = [
  { leaf: 0, size: 1, proof: [] },
  {
    leaf: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    leaf: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { leaf: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    leaf: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const CT_CONSISTENCY = [
  { size1: 1, size2: 1, proof: [] },
  {
    size1: 1,
    size2: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    size1: 6,
    size2: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    size1: 2,
    size2: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    size1: 6,
    size2: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

// A naive implementation straight from the text of RFC 9162 §2.1, over arrays of leaf hashes.
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
function naiveMth(d: Hash[]): Hash {
  if (d.length === 0) return EMPTY_ROOT;
  if (d.length === 1) return d[0] as Hash;
  return nodeHash(naiveMth(d.slice(0, k(d.length))), naiveMth(d.slice(k(d.length))));
}
function naivePath(m: number, d: Hash[]): Hash[] {
  if (d.length === 1) return [];
  const s = k(d.length);
  return m < s
    ? [...naivePath(m, d.slice(0, s)), naiveMth(d.slice(s))]
    : [...naivePath(m - s, d.slice(s)), naiveMth(d.slice(0, s))];
}
function naiveSubproof(m: number, d: Hash[], b: boolean): Hash[] {
  if (m === d.length) return b ? [] : [naiveMth(d)];
  const s = k(d.length);
  return m <= s
    ? [...naiveSubproof(m, d.slice(0, s), b), naiveMth(d.slice(s))]
    : [...naiveSubproof(m - s, d.slice(s), false), naiveMth(d.slice(0, s))];
}
const naiveProof = (m: number, d: Hash[]) => naiveSubproof(m, d, true);

const hex = (hs: Hash[]) => hs.map(bytesToHex);
const flip = (h: Hash, bit = 0): Hash => {
  const c = h.slice();
  c[bit >> 3] = (c[bit >> 3] as number) ^ (1 << (bit & 7));
  return c;
};
const withFlip = (proof: Hash[], i: number) => proof.map((p, j) => (j === i ? flip(p, 11) : p));

function treeOf(leaves: Hash[]): MemoryTree {
  const t = new MemoryTree();
  t.append(leaves);
  return t;
}

const ctTree = treeOf(CT_LEAVES.map(leafHash));

describe('RFC 6962 reference vectors (transparency-dev/merkle)', () => {
  it('the empty tree hashes to SHA-256 of the empty string', () => {
    expect(bytesToHex(EMPTY_ROOT)).toBe(CT_EMPTY_ROOT);
    expect(bytesToHex(root(ctTree, 0))).toBe(CT_EMPTY_ROOT);
  });

  it('the roots of the first 1..8 reference leaves are the published ones', () => {
    for (let n = 1; n <= 8; n++) expect(bytesToHex(root(ctTree, n)), `size ${n}`).toBe(CT_ROOTS[n - 1]);
  });

  it('inclusion proofs equal the published ones and verify against the published roots', () => {
    for (const v of CT_INCLUSION) {
      expect(hex(inclusionProof(ctTree, v.leaf, v.size))).toEqual(v.proof);
      const rootHash = hexToBytes(CT_ROOTS[v.size - 1] as string);
      const leaf = leafHash(CT_LEAVES[v.leaf] as Hash);
      expect(verifyInclusion(leaf, v.leaf, v.size, v.proof.map(hexToBytes), rootHash)).toBe(true);
    }
  });

  it('consistency proofs equal the published ones and verify against the published roots', () => {
    for (const v of CT_CONSISTENCY) {
      expect(hex(consistencyProof(ctTree, v.size1, v.size2))).toEqual(v.proof);
      const r1 = hexToBytes(CT_ROOTS[v.size1 - 1] as string);
      const r2 = hexToBytes(CT_ROOTS[v.size2 - 1] as string);
      expect(verifyConsistency(v.size1, v.size2, r1, r2, v.proof.map(hexToBytes))).toBe(true);
      if (v.proof.length > 0) {
        expect(verifyConsistency(v.size1, v.size2, r2, r1, v.proof.map(hexToBytes)), 'swapped roots').toBe(
          false,
        );
      }
    }
  });
});

describe('against a naive RFC 9162 implementation, every size 1..64', () => {
  const leaves = Array.from({ length: 64 }, (_, i) => leafHash(new Uint8Array([i, i * 7, 0xab])));
  const tree = treeOf(leaves);

  it('roots agree', () => {
    for (let n = 1; n <= 64; n++)
      expect(bytesToHex(root(tree, n))).toBe(bytesToHex(naiveMth(leaves.slice(0, n))));
  });

  it('every inclusion proof equals PATH, is at most ⌈log2 n⌉ long, verifies, and fails when any input is altered', () => {
    for (let n = 1; n <= 64; n++) {
      const r = root(tree, n);
      for (let m = 0; m < n; m++) {
        const leaf = leaves[m] as Hash;
        const proof = inclusionProof(tree, m, n);
        expect(hex(proof)).toEqual(hex(naivePath(m, leaves.slice(0, n))));
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
        expect(verifyInclusion(leaf, m, n, proof, r), `${m} in ${n}`).toBe(true);
        expect(verifyInclusion(flip(leaf), m, n, proof, r), 'leaf').toBe(false);
        expect(verifyInclusion(leaf, m, n, proof, flip(r, 200)), 'root').toBe(false);
        for (let i = 0; i < proof.length; i++) {
          expect(verifyInclusion(leaf, m, n, withFlip(proof, i), r), `proof[${i}]`).toBe(false);
        }
        for (const other of [m ^ 1, m + 1, m - 1, m ^ 2]) {
          if (other !== m && other >= 0 && other < n) {
            // A wrong index may only verify if it names the same leaf hash — never here.
            expect(verifyInclusion(leaf, other, n, proof, r), `index ${other}`).toBe(false);
          }
        }
        expect(verifyInclusion(leaf, m, n, [...proof, r], r), 'trailing').toBe(false);
        if (proof.length > 0) expect(verifyInclusion(leaf, m, n, proof.slice(1), r), 'truncated').toBe(false);
      }
    }
  });

  it('every consistency proof equals PROOF, verifies, and fails when any input is altered', () => {
    for (let n = 1; n <= 64; n++) {
      const rn = root(tree, n);
      for (let m = 1; m <= n; m++) {
        const rm = root(tree, m);
        const proof = consistencyProof(tree, m, n);
        expect(hex(proof)).toEqual(m === n ? [] : hex(naiveProof(m, leaves.slice(0, n))));
        expect(verifyConsistency(m, n, rm, rn, proof), `${m} → ${n}`).toBe(true);
        expect(verifyConsistency(m, n, flip(rm), rn, proof), 'first root').toBe(false);
        expect(verifyConsistency(m, n, rm, flip(rn, 100), proof), 'second root').toBe(false);
        for (let i = 0; i < proof.length; i++) {
          expect(verifyConsistency(m, n, rm, rn, withFlip(proof, i)), `proof[${i}]`).toBe(false);
        }
        if (m < n) {
          expect(verifyConsistency(m, n, rm, rn, []), 'empty proof').toBe(false);
          expect(verifyConsistency(m, n, rm, rn, proof.slice(0, -1)), 'truncated').toBe(false);
          expect(verifyConsistency(m, n, rm, rn, [...proof, rn]), 'trailing').toBe(false);
          expect(verifyConsistency(m - 1, n, rm, rn, proof), 'first size − 1').toBe(false);
          if (m + 1 < n) expect(verifyConsistency(m + 1, n, rm, rn, proof), 'first size + 1').toBe(false);
          // Not n + 1: sizes whose ragged edges have the same shape accept the same proof, in any
          // RFC verifier; a signed head binds the size to its root. transparency-dev probes 2n and n/2.
          expect(verifyConsistency(m, 2 * n, rm, rn, proof), 'second size × 2').toBe(false);
          if (Math.floor(n / 2) > m)
            expect(verifyConsistency(m, Math.floor(n / 2), rm, rn, proof), 'second size / 2').toBe(false);
          if ((m ^ 2) <= n && (m ^ 2) > 0)
            expect(verifyConsistency(m ^ 2, n, rm, rn, proof), 'first size ^ 2').toBe(false);
        }
      }
    }
  });

  it('rejects impossible sizes', () => {
    expect(verifyInclusion(leaves[0] as Hash, 1, 1, [], leaves[0] as Hash)).toBe(false);
    expect(verifyInclusion(leaves[0] as Hash, 0, 0, [], EMPTY_ROOT)).toBe(false);
    expect(verifyConsistency(2, 1, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(false);
    expect(() => inclusionProof(tree, 5, 5)).toThrow(RangeError);
    expect(() => consistencyProof(tree, 6, 5)).toThrow(RangeError);
  });
});

describe('incremental building', () => {
  // A small deterministic generator, so a failing batch sequence can be replayed.
  function rng(seed: number) {
    let s = seed;
    return () => {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      return s / 2 ** 31;
    };
  }
  const leaves = Array.from({ length: 700 }, (_, i) => leafHash(new TextEncoder().encode(`event ${i}`)));
  const whole = treeOf(leaves);

  it('batches of random sizes, stored as appendLeaves returns them, give the roots of building at once', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = rng(seed);
      const stored = new NodeMap();
      let size = 0;
      while (size < leaves.length) {
        const k = Math.min(leaves.length - size, 1 + Math.floor(random() * 90));
        // What a database-backed caller does: read only the frontier, store what comes back.
        const frontier = new NodeMap(
          frontierNodes(size).map(({ level, index }) => ({ level, index, hash: stored.node(level, index) })),
        );
        for (const r of appendLeaves(frontier, size, leaves.slice(size, size + k)))
          stored.set(r.level, r.index, r.hash);
        size += k;
        expect(bytesToHex(root(stored, size)), `seed ${seed}, size ${size}`).toBe(
          bytesToHex(root(whole, size)),
        );
      }
      expect(bytesToHex(root(stored, size))).toBe(bytesToHex(naiveMth(leaves)));
    }
  });

  it('a tree of n leaves stores fewer than 2n nodes, each written once', () => {
    const t = new MemoryTree();
    const created = [...t.append(leaves.slice(0, 300)), ...t.append(leaves.slice(300))];
    expect(created.length).toBeLessThan(2 * leaves.length);
    expect(new Set(created.map((r) => `${r.level}/${r.index}`)).size).toBe(created.length);
  });

  it('root, proofs and appends read O(log n) stored nodes, listed ahead by nodesRead', () => {
    const n = 700;
    const bound = Math.ceil(Math.log2(n)) + 1;
    expect(nodesRead((s) => root(s, n)).length).toBeLessThanOrEqual(bound);
    expect(frontierNodes(n).length).toBeLessThanOrEqual(bound);
    for (const m of [0, 1, 345, 511, 512, 699]) {
      const ids = nodesRead((s) => inclusionProof(s, m, n));
      expect(ids.length).toBeLessThanOrEqual(2 * bound);
      const prefetched = new NodeMap(
        ids.map(({ level, index }) => ({ level, index, hash: whole.node(level, index) })),
      );
      expect(hex(inclusionProof(prefetched, m, n))).toEqual(hex(inclusionProof(whole, m, n)));
    }
    const ids = nodesRead((s) => consistencyProof(s, 300, n));
    const prefetched = new NodeMap(
      ids.map(({ level, index }) => ({ level, index, hash: whole.node(level, index) })),
    );
    expect(hex(consistencyProof(prefetched, 300, n))).toEqual(hex(consistencyProof(whole, 300, n)));
  });
});
