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

const digest: (data: Uint8Array) => Uint8Array =
  typeof oneShot === 'function'
    ? (data) => oneShot('sha256', data, 'buffer')
    : (data) => nodeCrypto.createHash('sha256').update(data).digest();

/** SHA-256 of `data`, as a plain Uint8Array (a view, not a Buffer: callers compare and store bytes). */
export function sha256(data: Uint8Array): Uint8Array {
  const b = digest(data);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Which implementation this build hashes with: reported by the benchmarks and checked by tests. */
export const sha256Implementation: 'native' | 'pure-js' = 'native';
