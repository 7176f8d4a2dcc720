import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { checkKeptHead, readKeptHead } from '../../src/cli/kept-head.js';
import { leafHash, MemoryTree, root } from '../../src/domain/ledger/merkle.js';
import type { SignedHead } from '../../src/domain/ledger/schemas.js';

// What npm run verify does with its --state file once the whole log verified: the rebuilt tree
// (here a MemoryTree) against the head it kept last time.
const enc = new TextEncoder();
function tree(n: number, prefix = 'event'): MemoryTree {
  const t = new MemoryTree();
  t.appendAll(Array.from({ length: n }, (_, i) => leafHash(enc.encode(`${prefix} ${i}`))));
  return t;
}
const head = (t: MemoryTree): SignedHead => ({
  treeSize: t.size,
  rootHash: bytesToHex(root(t, t.size)),
  timestamp: new Date().toISOString(),
  keyId: 'k1',
  signature: 'not checked here',
});
const rootsOf = (t: MemoryTree) => async (n: number) => (n <= t.size ? root(t, n) : undefined);

describe('the head npm run verify keeps', () => {
  it('is written on the first run and on growth, and raises an ALARM on a rollback or a fork without forgetting the kept head', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'orotrace-kept-')), 'state', 'verify-head.json');
    const small = tree(5);
    const first = await checkKeptHead(file, head(small), rootsOf(small));
    expect(first.decision?.outcome).toBe('first');
    expect((await readKeptHead(file))?.treeSize).toBe(5);

    const grown = tree(9);
    const again = await checkKeptHead(file, head(grown), rootsOf(grown));
    expect(again.decision?.outcome).toBe('extended');
    expect((await readKeptHead(file))?.treeSize).toBe(9);
    expect((await checkKeptHead(file, head(grown), rootsOf(grown))).decision?.outcome).toBe('unchanged');

    // An older backup restored: the tree is smaller than the one kept.
    const rollback = await checkKeptHead(file, head(small), rootsOf(small));
    expect(rollback.decision?.outcome).toBe('rollback');
    expect(rollback.lines[0]).toMatch(/^ALARM: the log's history changed/);
    expect(rollback.lines.join('\n')).toMatch(/kept 9 leaves/);
    // Wiped and written again: larger, but another history.
    const other = tree(12, 'rewritten');
    expect((await checkKeptHead(file, head(other), rootsOf(other))).decision?.outcome).toBe('fork');
    // Wiped and nothing written yet.
    expect((await checkKeptHead(file, null, rootsOf(tree(0)))).decision?.outcome).toBe('rollback');
    // The alarm does not overwrite what was kept.
    expect((await readKeptHead(file))?.treeSize).toBe(9);
  });

  it('refuses a damaged file rather than starting afresh', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'orotrace-kept-')), 'verify-head.json');
    expect(await readKeptHead(file)).toBeUndefined();
    writeFileSync(file, '{"treeSize": "many"}');
    await expect(readKeptHead(file)).rejects.toThrow(/not well-formed/);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('many');
  });
});
