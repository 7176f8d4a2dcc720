import * as nodeCrypto from 'node:crypto';

/**
 * SHA-256 for the ledger (leaf and node hashes of merkle.ts, signed-note key ids of note.ts),
 * synchronous, from the platform's native implementation: OpenSSL through `node:crypto` on Node,
 * BoringSSL through the same module on Workers (`nodejs_compat`). A Merkle tree hashes every
 * leaf and about as many interior nodes, so this is the sequencer's and the verifier's inner
 * loop: native hashing is several times faster than a pure-JS one on event-sized inputs.
 *
 * Browsers have no synchronous native SHA-256 (WebCrypto's digest is async, ~10–50 µs an
 * awaited call): the web build (src/web/build.ts) bundles the twin module sha256.browser.ts,
 * same exports over @noble/hashes, in place of this one. Both are checked against the FIPS 180-4
 * vectors and the RFC 6962 tree vectors.
 */

// One-shot `crypto.hash` (Node ≥ 20.12) skips a Hash object per call; a runtime without it (an
// older workerd) gets createHash. Looked up through the namespace: a named import of a missing
// export would fail the whole module at link time.
const oneShot = (nodeCrypto as { hash?: typeof nodeCrypto.hash }).hash;

/**
 * The digest as a 'binary' (latin1: one char a byte) string copied into a 32-byte array: V8 keeps
 * arrays that small on its heap, where a Buffer result has its own backing store outside it,
 * slower to make and to collect: per event-sized leaf kept, the Buffer way measured ~1.4× slower.
 */
function fromBinary(text: string): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** SHA-256 through a Hash object: where the one-shot function is missing (tested on Node too). */
export function sha256ByHashObject(data: Uint8Array): Uint8Array {
  const b = nodeCrypto.createHash('sha256').update(data).digest();
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

const viaOneShot =
  typeof oneShot === 'function'
    ? (data: Uint8Array) => fromBinary(oneShot('sha256', data, 'binary'))
    : undefined;

// FIPS 180-4's "abc" example, checked once at load: a runtime whose one-shot hash or 'binary'
// encoding differs from Node's (node:crypto on Workers is a reimplementation) gets the Hash
// object instead of a ledger whose roots no other verifier would reproduce.
const ABC = new Uint8Array([0x61, 0x62, 0x63]);
const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const passes = (f: (data: Uint8Array) => Uint8Array) => {
  try {
    return hex(f(ABC)) === ABC_SHA256;
  } catch {
    return false;
  }
};

/** SHA-256 of `data`, as a plain Uint8Array of its own (not a Buffer, whose slice() is a view). */
export const sha256: (data: Uint8Array) => Uint8Array =
  viaOneShot && passes(viaOneShot) ? viaOneShot : sha256ByHashObject;

/** Which implementation this build hashes with: reported by the benchmarks and checked by tests. */
export const sha256Implementation: 'native' | 'pure-js' = 'native';
