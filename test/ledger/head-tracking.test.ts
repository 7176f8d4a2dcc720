import { bytesToHex } from '@noble/hashes/utils.js';
import { CompactSign, exportJWK, generateKeyPair, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/ledger/canonical.js';
import {
  checkHead,
  decideHead,
  decideRebuilt,
  headSignatureHolds,
  isAlarm,
  type KeptHead,
} from '../../src/domain/ledger/head-tracking.js';
import { consistencyProof, leafHash, MemoryTree, root } from '../../src/domain/ledger/merkle.js';
import type { ConsistencyAnswer, SignedHead } from '../../src/domain/ledger/schemas.js';

const enc = new TextEncoder();
let privateKey: CryptoKey;
let keys: JWK[];
let otherKeys: JWK[];

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey as CryptoKey;
  keys = [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }];
  const other = await generateKeyPair('ES256');
  otherKeys = [{ ...(await exportJWK(other.publicKey)), kid: 'k1', alg: 'ES256' }];
});

/** A tree of `n` leaves whose data starts with `prefix` (two prefixes: two histories). */
function tree(n: number, prefix = 'event'): MemoryTree {
  const t = new MemoryTree();
  t.appendAll(Array.from({ length: n }, (_, i) => leafHash(enc.encode(`${prefix} ${i}`))));
  return t;
}

async function signed(t: MemoryTree, size = t.size, typ = 'orotrace-sth+jws'): Promise<SignedHead> {
  const head = { treeSize: size, rootHash: bytesToHex(root(t, size)), timestamp: new Date().toISOString() };
  const signature = await new CompactSign(enc.encode(canonicalJson(head)))
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ })
    .sign(privateKey);
  return { ...head, keyId: 'k1', signature };
}

const keep = (h: SignedHead): KeptHead => ({
  treeSize: h.treeSize,
  rootHash: h.rootHash,
  timestamp: h.timestamp,
  checkedAt: h.timestamp,
});

async function answer(t: MemoryTree, from: number, to: number): Promise<ConsistencyAnswer> {
  return {
    from: await signed(t, from),
    to: await signed(t, to),
    proof: consistencyProof(t, from, to).map(bytesToHex),
  };
}

describe('head signatures', () => {
  it('hold with the ledger key, and fail with another key, another type or an altered head', async () => {
    const h = await signed(tree(5));
    expect(await headSignatureHolds(h, keys)).toBe(true);
    expect(await headSignatureHolds(h, otherKeys)).toBe(false);
    expect(await headSignatureHolds({ ...h, keyId: 'k2' }, keys)).toBe(false);
    expect(await headSignatureHolds({ ...h, treeSize: 6 }, keys)).toBe(false);
    expect(await headSignatureHolds(await signed(tree(5), 5, 'JWT'), keys)).toBe(false);
  });
});

describe('deciding a new head against the kept one', () => {
  it('first: nothing kept, a signed head is kept', async () => {
    const h = await signed(tree(3));
    const d = decideHead({ kept: undefined, head: h, signatureHolds: true });
    expect(d).toMatchObject({ outcome: 'first', keep: { treeSize: 3, rootHash: h.rootHash } });
  });

  it('extended from the empty tree a fresh ledger signs, with no proof to ask for', async () => {
    const empty = keep(await signed(tree(0)));
    const d = decideHead({ kept: empty, head: await signed(tree(4)), signatureHolds: true });
    expect(d).toMatchObject({ outcome: 'extended', keep: { treeSize: 4 } });
    const source = {
      head: async () => signed(tree(4)),
      keys: async (_kid: string) => keys,
      consistency: async (): Promise<'missing'> => {
        throw new Error('no proof exists from the empty tree');
      },
    };
    expect((await checkHead(empty, source)).outcome).toBe('extended');
  });

  it('unchanged: same size, same root', async () => {
    const h = await signed(tree(3));
    expect(decideHead({ kept: keep(h), head: h, signatureHolds: true }).outcome).toBe('unchanged');
  });

  it('extended: every size pair of real trees, proven from the kept root', async () => {
    const t = tree(17);
    for (let m = 1; m <= 17; m++) {
      for (let n = m + 1; n <= 17; n++) {
        const d = decideHead({
          kept: keep(await signed(t, m)),
          head: await signed(t, n),
          signatureHolds: true,
          consistency: await answer(t, m, n),
        });
        expect(d.outcome, `${m} → ${n}`).toBe('extended');
      }
    }
  });

  it('rollback: a smaller tree, or the kept head gone from the server', async () => {
    const t = tree(10);
    const kept = keep(await signed(t, 8));
    const smaller = decideHead({ kept, head: await signed(t, 5), signatureHolds: true });
    expect(smaller).toMatchObject({ outcome: 'rollback', seen: { treeSize: 5 }, kept: { treeSize: 8 } });
    const gone = decideHead({
      kept,
      head: await signed(tree(12, 'rewritten')),
      signatureHolds: true,
      consistency: 'missing',
    });
    expect(gone.outcome).toBe('rollback');
    expect(isAlarm(gone)).toBe(true);
  });

  it('fork: same size with another root, or the server holds another tree at the kept size', async () => {
    const kept = keep(await signed(tree(6)));
    const other = tree(9, 'rewritten');
    expect(decideHead({ kept, head: await signed(other, 6), signatureHolds: true }).outcome).toBe('fork');
    const d = decideHead({
      kept,
      head: await signed(other),
      signatureHolds: true,
      consistency: await answer(other, 6, 9),
    });
    expect(d.outcome).toBe('fork');
  });

  it("inconsistent: a proof that does not lead from the kept root, even behind the kept root as the server's `from`", async () => {
    const kept = keep(await signed(tree(6)));
    const other = tree(9, 'rewritten');
    // The server lies about `from`: it echoes the kept root, but its proof is of its own tree.
    const lie = await answer(other, 6, 9);
    const d = decideHead({
      kept,
      head: await signed(other),
      signatureHolds: true,
      consistency: { ...lie, from: { ...lie.from, rootHash: kept.rootHash } },
    });
    expect(d.outcome).toBe('inconsistent');
    // A proof for other sizes, or none at all.
    const honest = tree(9);
    const head = await signed(honest);
    expect(
      decideHead({ kept, head, signatureHolds: true, consistency: await answer(honest, 5, 9) }).outcome,
    ).toBe('inconsistent');
    const empty = { ...(await answer(honest, 6, 9)), proof: [] };
    expect(decideHead({ kept, head, signatureHolds: true, consistency: empty }).outcome).toBe('inconsistent');
    const garbled = { ...(await answer(honest, 6, 9)), proof: ['zz'] };
    expect(decideHead({ kept, head, signatureHolds: true, consistency: garbled }).outcome).toBe(
      'inconsistent',
    );
  });

  it('unsigned: a head whose signature fails is never kept', async () => {
    const h = await signed(tree(4));
    const d = decideHead({ kept: undefined, head: h, signatureHolds: false });
    expect(d.outcome).toBe('unsigned');
    expect('keep' in d).toBe(false);
  });
});

describe('checkHead', () => {
  it('asks for the proof from the kept size only when the tree grew, and decides', async () => {
    const t = tree(11);
    const asked: [number, number][] = [];
    const source = (head: SignedHead, k: JWK[] = keys) => ({
      head: async () => head,
      keys: async (_kid: string) => k,
      consistency: async (from: number, to: number) => {
        asked.push([from, to]);
        return answer(t, from, to);
      },
    });
    const kept = keep(await signed(t, 4));
    expect((await checkHead(kept, source(await signed(t, 11)))).outcome).toBe('extended');
    expect((await checkHead(kept, source(await signed(t, 4)))).outcome).toBe('unchanged');
    expect((await checkHead(kept, source(await signed(t, 11), otherKeys))).outcome).toBe('unsigned');
    expect(asked).toEqual([[4, 11]]);
  });
});

describe('deciding from a tree rebuilt from the events (npm run verify)', () => {
  it('first, unchanged, extended, rollback and fork', async () => {
    const t = tree(9);
    const kept = keep(await signed(t, 6));
    expect(decideRebuilt({ kept: undefined, latest: null, rootAtKept: undefined })).toBeNull();
    expect(decideRebuilt({ kept: undefined, latest: await signed(t), rootAtKept: undefined })?.outcome).toBe(
      'first',
    );
    expect(decideRebuilt({ kept, latest: await signed(t, 6), rootAtKept: root(t, 6) })?.outcome).toBe(
      'unchanged',
    );
    expect(decideRebuilt({ kept, latest: await signed(t), rootAtKept: root(t, 6) })?.outcome).toBe(
      'extended',
    );
    expect(decideRebuilt({ kept, latest: null, rootAtKept: undefined })?.outcome).toBe('rollback');
    expect(decideRebuilt({ kept, latest: await signed(t, 5), rootAtKept: undefined })?.outcome).toBe(
      'rollback',
    );
    const other = tree(9, 'rewritten');
    expect(decideRebuilt({ kept, latest: await signed(other), rootAtKept: root(other, 6) })?.outcome).toBe(
      'fork',
    );
  });
});
