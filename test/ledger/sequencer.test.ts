import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { jsonColumn } from '../../src/db/sql.js';
import { eventLeafBytes } from '../../src/domain/ledger/canonical.js';
import { inclusionProof, leafHash, MemoryTree, verifyInclusion } from '../../src/domain/ledger/merkle.js';
import type { LedgerEvent } from '../../src/domain/ledger/schemas.js';
import {
  fromHex,
  leafEventColumns,
  overStoredTree,
  sequence,
  toHex,
  verifyHeadSignature,
} from '../../src/domain/ledger/store.js';
import { verifyLedger } from '../../src/domain/ledger/verify.js';
import { withNativeSigning } from '../../src/keys/native-signing.node.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { fillerEvents } from '../helpers/events.js';
import { goldWorld, registerLot } from '../helpers/fixtures.js';

let t: TestContext;
beforeAll(async () => {
  t = await testApp({ reset: true });
});

/** The events in leaf order, as the sequencer serialized them. */
async function leavesInOrder(): Promise<LedgerEvent[]> {
  const rows = rowsOf<{ leaf: LedgerEvent | string }>(
    await t.db.execute(sql`SELECT ${leafEventColumns('e')} AS leaf
      FROM ledger_leaves l JOIN events e ON e.id = l.event_id ORDER BY l.leaf_index`),
  );
  return rows.map((r) => jsonColumn<LedgerEvent>(r.leaf));
}

describe('the sequencer', () => {
  it('an empty log, signed as such at start, verifies: the head of 0 leaves has the empty root', async () => {
    const { appended, head } = await sequence(t.db, t.ledgerKey);
    expect(appended).toBe(0);
    expect(head.treeSize).toBe(0);
    const report = await verifyLedger(t.db, [t.ledgerKey.publicJwk]);
    expect(report.ok, JSON.stringify(report)).toBe(true);
    expect(report.badHead).toBeUndefined();
  });

  it('appends every event, in batches, and signs a head whose root is the RFC 9162 root of the leaves', async () => {
    const w = await goldWorld(t);
    for (let i = 0; i < 3; i++) await registerLot(t, w);
    const { appended, head } = await sequence(t.db, t.ledgerKey, { batch: 7 });
    const [count] = rowsOf<{ n: number }>(await t.db.execute(sql`SELECT count(*)::int AS n FROM events`));
    expect(appended).toBe(count?.n);
    expect(head.treeSize).toBe(count?.n);
    const tree = new MemoryTree();
    tree.appendAll((await leavesInOrder()).map((e) => leafHash(eventLeafBytes(e))));
    const { root } = await import('../../src/domain/ledger/merkle.js');
    expect(head.rootHash).toBe(toHex(root(tree, tree.size)));
    expect(await verifyHeadSignature(head, [t.ledgerKey.publicJwk])).toBe(true);
    expect(await verifyHeadSignature({ ...head, treeSize: head.treeSize - 1 }, [t.ledgerKey.publicJwk])).toBe(
      false,
    );
  });

  it('is idempotent: nothing new, no new head', async () => {
    const before = await sequence(t.db, t.ledgerKey);
    const again = await sequence(t.db, t.ledgerKey);
    expect(again.appended).toBe(0);
    expect(again.head).toEqual(before.head);
  });

  it('proves any event included against the signed head, from the stored nodes alone', async () => {
    const { head } = await sequence(t.db, t.ledgerKey);
    const leaves = await leavesInOrder();
    for (const index of [0, 1, Math.floor(leaves.length / 2), leaves.length - 1]) {
      const proof = await overStoredTree(t.db, (s) => inclusionProof(s, index, head.treeSize));
      const leaf = leafHash(eventLeafBytes(leaves[index] as LedgerEvent));
      expect(verifyInclusion(leaf, index, head.treeSize, proof, fromHex(head.rootHash))).toBe(true);
      expect(verifyInclusion(leaf, index + 1, head.treeSize, proof, fromHex(head.rootHash))).toBe(false);
    }
  });

  it('an event committed after later ones were sequenced (a long transaction) is appended next time', async () => {
    const w = await goldWorld(t).catch(() => undefined);
    void w;
    const before = (await sequence(t.db, t.ledgerKey)).head.treeSize;
    // A transaction writes an event and stays open while another commits one and is sequenced.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const late = t.db.transaction(async (tx) => {
      await fillerEvents(tx, 1, 'test.late');
      await held;
    });
    if (process.env.DATABASE_URL) {
      // PostgreSQL: the other connection commits and sequences while the first is still open.
      await fillerEvents(t.db, 1, 'test.early');
      const mid = await sequence(t.db, t.ledgerKey);
      expect(mid.head.treeSize).toBe(before + 1);
    }
    release();
    await late;
    const after = await sequence(t.db, t.ledgerKey);
    const types = (await leavesInOrder()).map((e) => e.type);
    expect(after.head.treeSize).toBe(types.length);
    expect(types).toContain('test.late');
  });
});

describe('the sequencer with the server’s native signer', () => {
  it('a head signed natively (as the server signs it) verifies as a jose-signed one does', async () => {
    const native = withNativeSigning(t.ledgerKey);
    await fillerEvents(t.db, 3, 'test.native');
    const { appended, head } = await sequence(t.db, native);
    expect(appended).toBe(3);
    expect(await verifyHeadSignature(head, [t.ledgerKey.publicJwk])).toBe(true);
    const report = await verifyLedger(t.db, [t.ledgerKey.publicJwk]);
    expect(report.ok, JSON.stringify(report)).toBe(true);
  });
});
