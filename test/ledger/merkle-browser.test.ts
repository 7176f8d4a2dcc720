import { expect, it, vi } from 'vitest';
import { sha256Implementation } from '../../src/domain/ledger/sha256.js';
// The whole Merkle suite again, over the pure-JS SHA-256 that the web build bundles in place of
// the native one (src/web/build.ts): the apps verify consistency proofs with it, so it must give
// the reference roots and proofs too. Its tests register here as they are imported, and run first.
import './merkle.test.js';

const hashed = vi.hoisted(() => ({ count: 0 }));

vi.mock('../../src/domain/ledger/sha256.js', async () => {
  const twin = await import('../../src/domain/ledger/sha256.browser.js');
  return {
    ...twin,
    sha256: (data: Uint8Array) => {
      hashed.count++;
      return twin.sha256(data);
    },
  };
});

it('merkle.ts hashed with the pure-JS twin throughout the suite above', () => {
  expect(sha256Implementation).toBe('pure-js');
  expect(hashed.count).toBeGreaterThan(10_000);
});
