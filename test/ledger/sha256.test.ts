import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { leafHash } from '../../src/domain/ledger/merkle.js';
import * as browser from '../../src/domain/ledger/sha256.browser.js';
import * as native from '../../src/domain/ledger/sha256.js';

// The ledger hashes with the platform's SHA-256 on Node and Workers (sha256.ts) and with a pure-JS
// twin in the browser apps (sha256.browser.ts): both must give the same bytes, and the reference
// trees' hashes and roots. merkle.test.ts runs the whole Merkle suite over the one Node loads; the
// browser tests (test/web) run the apps' proof checks over the twin in the built bundle.
const implementations = [
  ['native (node:crypto)', native],
  ['native through a Hash object (runtimes without crypto.hash)', { sha256: native.sha256ByHashObject }],
  ['pure JS (@noble/hashes, the browser build)', browser],
] as const;

const ascii = (s: string) => new TextEncoder().encode(s);

// FIPS 180-4 examples for SHA-256 (NIST CSRC "Examples with Intermediate Values", SHA256.pdf and
// SHA2_Additional.pdf): one block, the empty message, two blocks (448-bit message), and a million 'a'.
const FIPS = [
  {
    name: '"abc"',
    input: ascii('abc'),
    digest: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  },
  {
    name: 'the empty string',
    input: new Uint8Array(0),
    digest: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  },
  {
    name: 'the 448-bit message',
    input: ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
    digest: '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  },
  {
    name: "a million 'a'",
    input: new Uint8Array(1_000_000).fill(0x61),
    digest: 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
  },
];

// RFC 6962 leaf and interior hashes of the reference leaves, level by level (level 0: the leaf
// hashes; node (L, i) covers leaves [i·2^L, (i+1)·2^L)), copied from transparency-dev/merkle,
// testonly/constants.go (LeafInputs, NodeHashes; commit 77f1b57d7aa25fcd2e51273166b6b2b0e74923b1),
// the vectors of google/certificate-transparency's merkle tree tests.
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const CT_NODES = [
  [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
    '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
  ],
  [
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  ],
  [
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ],
  ['5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'],
];
// RootHashes of the same file: the roots of the trees of the first 0..8 leaves.
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe.each(implementations)('SHA-256, %s', (_, impl) => {
  it.each(FIPS)('FIPS 180-4: $name', ({ input, digest }) => {
    const out = impl.sha256(input);
    expect(out).toBeInstanceOf(Uint8Array);
    expect(out.length).toBe(32);
    expect(bytesToHex(out)).toBe(digest);
  });

  const tagged = (tag: number, ...parts: Uint8Array[]) => {
    const out = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
    out[0] = tag;
    let at = 1;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return impl.sha256(out);
  };

  it('RFC 6962: leaf hashes SHA-256(0x00 ‖ d) and node hashes SHA-256(0x01 ‖ l ‖ r) of the reference tree', () => {
    let level = CT_LEAVES.map((d) => tagged(0, hexToBytes(d)));
    for (const expected of CT_NODES) {
      expect(level.map(bytesToHex)).toEqual(expected);
      level = Array.from({ length: level.length / 2 }, (_, i) =>
        tagged(1, level[2 * i] as Uint8Array, level[2 * i + 1] as Uint8Array),
      );
    }
  });

  it('RFC 6962 §2.1: the roots of the trees of the first 0..8 reference leaves', () => {
    // MTH straight from the RFC's recursion, split at the largest power of two below n.
    const mth = (d: Uint8Array[]): Uint8Array => {
      if (d.length === 0) return impl.sha256(new Uint8Array(0));
      if (d.length === 1) return tagged(0, d[0] as Uint8Array);
      const k = 2 ** Math.ceil(Math.log2(d.length) - 1);
      return tagged(1, mth(d.slice(0, k)), mth(d.slice(k)));
    };
    const leaves = CT_LEAVES.map(hexToBytes);
    expect(CT_ROOTS.map((_, n) => bytesToHex(mth(leaves.slice(0, n))))).toEqual(CT_ROOTS);
  });

  it('a result is its own copy: hashing again does not change an earlier one', () => {
    const a = impl.sha256(ascii('abc'));
    impl.sha256(ascii('something else'));
    expect(bytesToHex(a)).toBe(FIPS[0]?.digest);
  });
});

describe('the two implementations', () => {
  it('agree on every length 0..300 and on block boundaries (55, 56, 63, 64, 65 bytes) of varied bytes', () => {
    for (let n = 0; n <= 300; n++) {
      const input = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 0xff);
      expect(bytesToHex(native.sha256(input))).toBe(bytesToHex(browser.sha256(input)));
      expect(bytesToHex(native.sha256ByHashObject(input))).toBe(bytesToHex(browser.sha256(input)));
    }
  });

  it('hash a view into a larger buffer by its own bytes only', () => {
    const backing = Uint8Array.from({ length: 100 }, (_, i) => i);
    const view = backing.subarray(10, 45);
    expect(bytesToHex(native.sha256(view))).toBe(bytesToHex(browser.sha256(backing.slice(10, 45))));
  });

  it('merkle.ts leaf hashes (made in a reused buffer) are SHA-256(0x00 ‖ d), each kept apart, small leaves and large', () => {
    const sizes = [0, 1, 473, 16_382, 16_383, 16_384, 70_000, 2];
    const data = sizes.map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff));
    const hashes = data.map((d) => leafHash(d));
    for (const [i, d] of data.entries()) {
      const prefixed = new Uint8Array(d.length + 1);
      prefixed.set(d, 1);
      expect(bytesToHex(hashes[i] as Uint8Array)).toBe(bytesToHex(browser.sha256(prefixed)));
    }
  });

  it('Node takes the native one, the browser twin is pure JS', () => {
    expect(native.sha256Implementation).toBe('native');
    expect(browser.sha256Implementation).toBe('pure-js');
  });
});
