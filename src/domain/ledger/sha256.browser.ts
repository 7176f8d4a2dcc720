import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/**
 * The browser twin of sha256.ts, bundled in its place by the web build (src/web/build.ts): pure
 * JavaScript (@noble/hashes), synchronous like the native one, because browsers offer SHA-256
 * only as WebCrypto's async digest. The apps hash a few dozen nodes to check a consistency
 * proof (head-tracking.ts), where ~2 µs a hash does not matter.
 */

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/** Which implementation this build hashes with: reported by the benchmarks and checked by tests. */
export const sha256Implementation: 'native' | 'pure-js' = 'pure-js';
