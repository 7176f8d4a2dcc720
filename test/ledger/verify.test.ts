import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type SQL, sql } from 'drizzle-orm';
import { CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { jsonColumn } from '../../src/db/sql.js';
import { eventLeafBytes } from '../../src/domain/ledger/canonical.js';
import { inclusionProof, leafHash } from '../../src/domain/ledger/merkle.js';
import type { LedgerEvent } from '../../src/domain/ledger/schemas.js';
import {
  allHeads,
  headStatement,
  latestHead,
  leafEventColumns,
  overStoredTree,
  sequence,
  toHex,
} from '../../src/domain/ledger/store.js';
import { verifyLedger } from '../../src/domain/ledger/verify.js';
import { generateJwk } from '../../src/keys/local.js';
import { signingKeyFromJwk } from '../../src/keys/signing.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { adminDb, wipeLedger } from '../helpers/db.js';
import { goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
beforeAll(async () => {
  t = await testApp({ reset: true });
});

const keys = () => [t.ledgerKey.publicJwk];

/** A fresh log: the gold world and three lots written through the API, sequenced 5 events a head. */
const log = worldPerFile(async (t) => {
  const w = await goldWorld(t);
  for (let i = 0; i < 3; i++) await registerLot(t, w);
  const { head } = await sequence(t.db, t.ledgerKey, { batch: 5 });
  return { w, size: head.treeSize };
});
const freshLog = async () => (await log()).w;

/** Runs statements as an operator who disabled the append-only triggers would, then re-enables them. */
async function asTamperingOperator(...statements: SQL[]) {
  const triggers = [
    ['events', 'events_append_only'],
    ['ledger_leaves', 'ledger_leaves_append_only'],
    ['ledger_nodes', 'ledger_nodes_append_only'],
    ['ledger_heads', 'ledger_heads_append_only'],
  ];
  const admin = await adminDb();
  for (const [table, trigger] of triggers) {
    await admin.execute(sql.raw(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`));
  }
  try {
    for (const s of statements) await admin.execute(s);
  } finally {
    for (const [table, trigger] of triggers) {
      await admin.execute(sql.raw(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`));
    }
  }
}

async function leafAt(index: number): Promise<{ eventId: string; type: string; event: LedgerEvent }> {
  const [row] = rowsOf<{ event_id: string; type: string; leaf: LedgerEvent | string }>(
    await t.db.execute(sql`SELECT l.event_id, e.type, ${leafEventColumns('e')} AS leaf
      FROM ledger_leaves l JOIN events e ON e.id = l.event_id WHERE l.leaf_index = ${index}`),
  );
  if (!row) throw new Error(`no leaf ${index}`);
  const event = jsonColumn<LedgerEvent>(row.leaf);
  return { eventId: row.event_id, type: row.type, event };
}

/** The leaf index of the last lot registration (a payload with a weight to change). */
async function lastLotLeaf(): Promise<number> {
  const [row] = rowsOf<{ leaf_index: string | number }>(
    await t.db.execute(sql`SELECT l.leaf_index FROM ledger_leaves l JOIN events e ON e.id = l.event_id
      WHERE e.type = 'lot.registered' ORDER BY l.leaf_index DESC LIMIT 1`),
  );
  return Number(row?.leaf_index);
}

/** Changes one byte of an event's stored payload: 1000.000 g becomes 1000.001 g. */
const changeWeight = (eventId: string) =>
  sql`UPDATE events SET payload = jsonb_set(payload, '{grossWeightG}', '"1000.001"') WHERE id = ${eventId}`;

describe('verifying the whole log', () => {
  it('an untouched log verifies: every leaf and every signed head; unsequenced events are counted, not an error', async () => {
    const { w, size } = await freshLog();
    const heads = await allHeads(t.db);
    expect(heads.length).toBeGreaterThan(2);
    const report = await verifyLedger(t.db, keys());
    expect(report).toEqual({
      ok: true,
      treeSize: size,
      leavesChecked: size,
      headsChecked: heads.length,
      unsequencedEvents: 0,
      eventsWithoutWriteSignature: 0,
      incidents: { total: 0, latest: [] },
      latestHead: heads.at(-1),
    });

    await registerLot(t, w);
    const later = await verifyLedger(t.db, keys());
    expect(later.ok).toBe(true);
    expect(later.unsequencedEvents).toBe(1);
    expect(later.treeSize).toBe(size);
  });

  it('reports progress page by page, up to the whole tree', async () => {
    const { size } = await freshLog();
    const calls: [number, number][] = [];
    const report = await verifyLedger(t.db, keys(), {
      pageSize: 4,
      onProgress: (d, n) => calls.push([d, n]),
    });
    expect(report.ok).toBe(true);
    expect(calls.length).toBe(Math.ceil(size / 4));
    expect(calls.at(-1)).toEqual([size, size]);
    expect(calls.map(([d]) => d)).toEqual([...calls.map(([d]) => d)].sort((a, b) => a - b));
    // A page that ends exactly at the last leaf is the last one.
    const once: number[] = [];
    await verifyLedger(t.db, keys(), { pageSize: size, onProgress: (d) => once.push(d) });
    expect(once).toEqual([size]);
  });

  it('one byte changed in an event payload names that leaf, and the first head covering it fails', async () => {
    await freshLog();
    const k = await lastLotLeaf();
    const { eventId, event } = await leafAt(k);
    expect(event.payload.grossWeightG).toBe('1000.000');
    await asTamperingOperator(changeWeight(eventId));

    const report = await verifyLedger(t.db, keys());
    expect(report.ok).toBe(false);
    expect(report.firstBadLeaf).toMatchObject({ leafIndex: k, eventId, reason: 'hash_mismatch' });
    expect(report.badHead).toMatchObject({ reason: 'root_mismatch' });
    expect(report.badHead?.badLeavesWithin?.from).toBeLessThanOrEqual(k);
    expect(report.badHead?.badLeavesWithin?.before).toBeGreaterThan(k);
  });

  it('a deleted event (with its leaf) is detected, naming the first missing index', async () => {
    const { size } = await freshLog();
    const k = 7;
    const { eventId } = await leafAt(k);
    await asTamperingOperator(
      sql`DELETE FROM ledger_leaves WHERE leaf_index = ${k}`,
      sql`DELETE FROM events WHERE id = ${eventId}`,
    );

    const report = await verifyLedger(t.db, keys());
    expect(report.ok).toBe(false);
    expect(report.firstBadLeaf).toMatchObject({ leafIndex: k, reason: 'leaf_missing' });
    expect(report.treeSize).toBe(size);
    expect(report.leavesChecked).toBe(size - 1);
    expect(report.unsequencedEvents).toBe(0);
    expect(report.badHead?.reason).toBe('root_mismatch');
  });

  it('the last leaf deleted is detected too: the latest head covers more leaves than are stored', async () => {
    const { size } = await freshLog();
    const { eventId } = await leafAt(size - 1);
    await asTamperingOperator(
      sql`DELETE FROM ledger_leaves WHERE leaf_index = ${size - 1}`,
      sql`DELETE FROM events WHERE id = ${eventId}`,
    );
    const report = await verifyLedger(t.db, keys());
    expect(report.ok).toBe(false);
    expect(report.firstBadLeaf).toMatchObject({ leafIndex: size - 1, reason: 'leaf_missing' });
    expect(report.badHead).toMatchObject({ treeSize: size, reason: 'beyond_leaves' });
  });

  it('two events swapped in the log name the lower index', async () => {
    await freshLog();
    const [i, j] = [4, 11];
    const a = await leafAt(i);
    const b = await leafAt(j);
    // event_id is UNIQUE: the two rows are deleted and written back crosswise.
    await asTamperingOperator(
      sql`DELETE FROM ledger_leaves WHERE leaf_index IN (${i}, ${j})`,
      sql`INSERT INTO ledger_leaves (leaf_index, event_id) VALUES (${i}, ${b.eventId}), (${j}, ${a.eventId})`,
    );

    const report = await verifyLedger(t.db, keys());
    expect(report.ok).toBe(false);
    expect(report.firstBadLeaf).toMatchObject({ leafIndex: i, eventId: b.eventId, reason: 'hash_mismatch' });
  });

  it('an event and its stored leaf hash rewritten together are caught by the signed heads, bracketed between two heads', async () => {
    await freshLog();
    const k = await lastLotLeaf();
    const { eventId } = await leafAt(k);
    await asTamperingOperator(changeWeight(eventId));
    const rewritten = toHex(leafHash(eventLeafBytes((await leafAt(k)).event)));
    await asTamperingOperator(
      sql`UPDATE ledger_nodes SET hash = decode(${rewritten}, 'hex') WHERE level = 0 AND idx = ${k}`,
    );

    const sizes = (await allHeads(t.db)).map((h) => h.treeSize);
    const from = Math.max(0, ...sizes.filter((s) => s <= k));
    const before = Math.min(...sizes.filter((s) => s > k));
    const report = await verifyLedger(t.db, keys());
    expect(report.ok).toBe(false);
    // The leaf hash no longer gives it away, but the write signature, made over the event as
    // written, still does: the leaf itself is named, not only the heads' bracket.
    expect(report.firstBadLeaf).toMatchObject({ leafIndex: k, eventId, reason: 'write_signature_invalid' });
    expect(report.badHead).toMatchObject({
      treeSize: before,
      reason: 'root_mismatch',
      badLeavesWithin: { from, before },
    });
  });

  it('a head signed by another key is detected', async () => {
    const { size } = await freshLog();
    const head = await latestHead(t.db);
    if (!head) throw new Error('no head');
    // Same key id, another private key: what someone without the ledger's key can produce.
    const forger = await signingKeyFromJwk({ ...(await generateJwk('forger')), kid: t.ledgerKey.kid });
    const forged = await new CompactSign(new TextEncoder().encode(headStatement(head)))
      .setProtectedHeader({ alg: 'ES256', kid: forger.kid, typ: 'orotrace-sth+jws' })
      .sign(forger.privateKey);
    await asTamperingOperator(sql`UPDATE ledger_heads SET signature = ${forged} WHERE tree_size = ${size}`);

    const report = await verifyLedger(t.db, keys());
    expect(report.ok).toBe(false);
    expect(report.firstBadLeaf).toBeUndefined();
    expect(report.badHead).toMatchObject({ treeSize: size, reason: 'signature' });
  });
});

describe('GET /v1/ledger/verify', () => {
  it('answers the report to a regulator, ok or not, and 403 to anyone else', async () => {
    const { w, size } = await freshLog();
    const regulator = await t.token('regulator');
    const good = await t.call('GET', '/v1/ledger/verify', { token: regulator });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ ok: true, treeSize: size, leavesChecked: size });

    const k = await lastLotLeaf();
    await asTamperingOperator(changeWeight((await leafAt(k)).eventId));
    const bad = await t.call('GET', '/v1/ledger/verify', { token: regulator });
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ ok: false, firstBadLeaf: { leafIndex: k, reason: 'hash_mismatch' } });

    for (const token of [await t.token('admin'), w.exporterToken, w.mazukoToken]) {
      const res = await t.call('GET', '/v1/ledger/verify', { token });
      expect(res.status).toBe(403);
    }
    expect((await t.call('GET', '/v1/ledger/verify')).status).toBe(401);
  });
});

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
// vitest puts Vite's BASE_URL ('/') into process.env; the CLI must not inherit it.
const { BASE_URL: _viteBase, DATABASE_URL: _db, MIGRATION_DATABASE_URL: _mdb, ...env } = process.env;

const verifyCli = (args: string[], extraEnv: Record<string, string>) =>
  run(tsx, ['src/cli/verify.ts', ...args], { env: { ...env, ...extraEnv } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe('npm run verify', () => {
  it('checks an inclusion proof offline with the public keys alone, and refuses a flipped proof byte', async () => {
    const { size } = await freshLog();
    const k = 5;
    const { event } = await leafAt(k);
    const head = await latestHead(t.db);
    if (!head) throw new Error('no head');
    const { xidHorizon: _x, ...signedHead } = head;
    const proof = (await overStoredTree(t.db, (s) => inclusionProof(s, k, size))).map(toHex);
    const doc = {
      event,
      leafVersion: 1,
      leafIndex: k,
      leafHash: toHex(leafHash(eventLeafBytes(event))),
      treeSize: size,
      proof,
      head: signedHead,
    };
    const dir = mkdtempSync(join(tmpdir(), 'orotrace-verify-'));
    const file = (name: string, value: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(value));
      return join(dir, name);
    };
    const jwks = file('jwks.json', { keys: keys() });
    const flipped = [...proof];
    flipped[1] = `${(Number.parseInt(proof[1]?.slice(0, 2) ?? '', 16) ^ 1).toString(16).padStart(2, '0')}${proof[1]?.slice(2)}`;
    const other = await generateJwk('test-ledger');
    const { d: _d, ...otherPublic } = other;
    // No database may be touched: an unreachable DATABASE_URL and a DATA_DIR that does not exist.
    const noDb = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', DATA_DIR: join(dir, 'data') };

    const [good, bad, wrongKey] = await Promise.all([
      verifyCli(['--proof', file('proof.json', doc), '--jwks', jwks], noDb),
      verifyCli(['--proof', file('flipped.json', { ...doc, proof: flipped }), '--jwks', jwks], noDb),
      verifyCli(
        [
          '--proof',
          file('proof2.json', doc),
          '--jwks',
          file('other.json', { keys: [{ ...otherPublic, kid: t.ledgerKey.kid }] }),
        ],
        noDb,
      ),
    ]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/^OK: event /);
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/FAIL the audit path/);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toMatch(/FAIL the head is signed/);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  }, 30_000);

  // The whole-log mode reads the server's database. On PGlite the test database lives in this
  // process's memory, out of the CLI's reach, and a fresh DATA_DIR costs a ~20 s PostGIS boot:
  // this runs on the PostgreSQL leg of CI (DATABASE_URL), against the very log the tests build.
  it.skipIf(!process.env.DATABASE_URL)(
    'verifies the whole log of the database (DATABASE_URL): exit 0, then 1 naming the tampered leaf',
    async () => {
      const { size } = await freshLog();
      const dir = mkdtempSync(join(tmpdir(), 'orotrace-verify-'));
      const jwks = join(dir, 'jwks.json');
      writeFileSync(jwks, JSON.stringify({ keys: keys() }));
      const dbEnv = { DATABASE_URL: process.env.DATABASE_URL ?? '', DATA_DIR: join(dir, 'data') };

      const good = await verifyCli(['--jwks', jwks, '--json'], dbEnv);
      expect(good.code, good.stderr).toBe(0);
      expect(JSON.parse(good.stdout)).toMatchObject({ ok: true, treeSize: size, leavesChecked: size });

      const k = await lastLotLeaf();
      await asTamperingOperator(changeWeight((await leafAt(k)).eventId));
      const bad = await verifyCli(['--jwks', jwks], dbEnv);
      expect(bad.code, bad.stderr).toBe(1);
      expect(bad.stdout).toMatch(new RegExp(`^TAMPERED: ${size} leaves`));
      expect(bad.stdout).toMatch(new RegExp(`first bad leaf: ${k} \\(event [0-9a-f-]+\\), hash_mismatch`));
    },
    30_000,
  );

  // Whoever runs the database restores an older backup, or wipes the log and lets it fill again:
  // every head still verifies, only the head kept from the last run can tell. PostgreSQL only, as above.
  it.skipIf(!process.env.DATABASE_URL)(
    'keeps the latest head in --state and raises an ALARM (exit 1) on a restored backup or a wiped log',
    async () => {
      const { w } = await freshLog();
      const dir = mkdtempSync(join(tmpdir(), 'orotrace-verify-'));
      const jwks = join(dir, 'jwks.json');
      writeFileSync(jwks, JSON.stringify({ keys: keys() }));
      const state = join(dir, 'kept.json');
      const dbEnv = { DATABASE_URL: process.env.DATABASE_URL ?? '', DATA_DIR: join(dir, 'data') };
      const cli = () => verifyCli(['--jwks', jwks, '--state', state], dbEnv);
      const kept = () => JSON.parse(readFileSync(state, 'utf8')).treeSize as number;

      const first = await cli();
      expect(first.code, first.stderr).toBe(0);
      const backupSize = kept();
      await registerLot(t, w);
      const grown = (await sequence(t.db, t.ledgerKey)).head.treeSize;
      const extended = await cli();
      expect(extended.code, extended.stderr).toBe(0);
      expect(extended.stdout).toMatch(/kept head: \d+ leaves, extended/);
      expect(kept()).toBe(grown);

      await freshLog(); // the backup of `backupSize` leaves, restored
      const rolledBack = await cli();
      expect(rolledBack.code).toBe(1);
      expect(rolledBack.stdout).toMatch(new RegExp(`^OK: ${backupSize} leaves`));
      expect(rolledBack.stdout).toMatch(/ALARM: .*\(rollback\)/);
      expect(kept()).toBe(grown);

      await wipeLedger();
      for (let i = 0; i < 4; i++) await registerLot(t, w);
      await sequence(t.db, t.ledgerKey);
      const wiped = await cli();
      expect(wiped.code).toBe(1);
      expect(wiped.stdout).toMatch(/ALARM: .*\((rollback|fork)\)/);
      expect(kept()).toBe(grown);
    },
    60_000,
  );
});
