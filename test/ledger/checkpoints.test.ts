import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consistencyProof, EMPTY_ROOT, leafHash, MemoryTree, root } from '../../src/domain/ledger/merkle.js';
import {
  checkpointBody,
  cosign,
  cosignatureVerifierKey,
  ed25519FromSeed,
  type NoteSigner,
  noteVerifierKey,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  signNote,
  verifyCosignature,
  verifyNote,
} from '../../src/domain/ledger/note.js';
import { fromHex, sequence } from '../../src/domain/ledger/store.js';
import { judgeCheckpoint } from '../../src/domain/ledger/witness-check.js';
import { witnessPolicy } from '../../src/domain/ledger/witnesses.js';
import { type TestContext, testApp, testCheckpointOrigin } from '../helpers/app.js';
import { adminDb } from '../helpers/db.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';

async function witnessKey(name: string): Promise<NoteSigner> {
  const { privateKey, publicKey } = await ed25519FromSeed(new Uint8Array(randomBytes(32)));
  return { name, privateKey, publicKey, vkey: cosignatureVerifierKey(name, publicKey).text };
}

describe('signed notes (C2SP signed-note), against golang.org/x/mod/sumdb/note', () => {
  // sumdb/note/note_test.go: TestNewVerifier, TestNewSigner, TestSign.
  const skey = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
  const vkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const text =
    'If you think cryptography is the answer to your problem,\n' +
    "then you don't know what your problem is.\n";
  const signed = `${text}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

  it('derives the key id and vkey, and signs byte for byte as the Go package does', async () => {
    // PRIVATE+KEY+<name>+<key id>+<base64(0x01 ‖ seed)>; the base64 may hold '+' itself.
    const encoded = /^PRIVATE\+KEY\+[^+]+\+[0-9a-f]{8}\+(.+)$/.exec(skey)?.[1] ?? '';
    const seed = new Uint8Array(Buffer.from(encoded, 'base64')).slice(1);
    const { privateKey, publicKey } = await ed25519FromSeed(seed);
    expect(noteVerifierKey('PeterNeumann', publicKey).text).toBe(vkey);
    expect(await signNote(text, { name: 'PeterNeumann', privateKey, publicKey, vkey })).toBe(signed);
  });

  it('verifies the published note and refuses a changed text or a mangled key', async () => {
    const key = parseVerifierKey(vkey, 'note');
    if (!key) throw new Error('vkey not read');
    const note = parseNote(signed);
    if (!note) throw new Error('note not read');
    expect(await verifyNote(note, key)).toBe(true);
    expect(await verifyNote({ ...note, text: note.text.replace('answer', 'Answer') }, key)).toBe(false);
    expect(parseVerifierKey(vkey.replace('c74f20a3', 'c74f20a4'), 'note')).toBeUndefined();
    expect(parseVerifierKey(vkey, 'cosignature')).toBeUndefined();
    expect(
      parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'note'),
    ).toBeUndefined();
  });

  it('cosignature/v1: key id of type 0x04, a 4+8+64-byte line that verifies over the checkpoint only', async () => {
    const witness = await witnessKey('witness.example/w1');
    const key = parseVerifierKey(witness.vkey, 'cosignature');
    if (!key) throw new Error('vkey not read');
    expect(witness.vkey).toMatch(/^witness\.example\/w1\+[0-9a-f]{8}\+B[A-P]/);
    const body = checkpointBody('example.com/log', 5, new Uint8Array(32).fill(7));
    const line = await cosign(body, witness, 1_700_000_000);
    const bytes = Buffer.from(line.split(' ').at(-1) ?? '', 'base64');
    expect(bytes.length).toBe(76);
    expect(bytes.readBigUInt64BE(4)).toBe(1_700_000_000n);
    const note = parseNote(`${body}\n${line}\n`);
    if (!note) throw new Error('note not read');
    expect(await verifyCosignature(note, key)).toEqual({ timestamp: 1_700_000_000, line });
    const other = parseNote(`${body.replace('\n5\n', '\n6\n')}\n${line}\n`);
    expect(other && (await verifyCosignature(other, key))).toBeUndefined();
  });
});

describe('what a witness makes of a checkpoint (RFC 9162 consistency against its own root)', () => {
  const tree = new MemoryTree();
  const roots: Uint8Array[] = [EMPTY_ROOT];
  for (let i = 0; i < 9; i++) {
    tree.append([leafHash(new Uint8Array([i]))]);
    roots.push(root(tree, i + 1));
  }
  const at = (n: number) => ({ treeSize: n, rootHash: roots[n] as Uint8Array });

  it('first, same, extends, rollback, fork, inconsistent', () => {
    expect(judgeCheckpoint(undefined, at(3))).toBe('first');
    expect(judgeCheckpoint(at(3), at(3))).toBe('same');
    expect(judgeCheckpoint(at(3), at(8), consistencyProof(tree, 3, 8))).toBe('extends');
    expect(judgeCheckpoint(at(8), at(3))).toBe('rollback');
    expect(judgeCheckpoint(at(3), { treeSize: 3, rootHash: roots[4] as Uint8Array })).toBe('fork');
    expect(
      judgeCheckpoint({ treeSize: 3, rootHash: roots[2] as Uint8Array }, at(8), consistencyProof(tree, 3, 8)),
    ).toBe('inconsistent');
    expect(judgeCheckpoint(at(3), at(8), [])).toBe('inconsistent');
  });
});

describe('checkpoints and cosignatures over HTTP', () => {
  let t: TestContext;
  let w: GoldWorld;
  let w1: NoteSigner;
  let w2: NoteSigner;
  beforeAll(async () => {
    [w1, w2] = await Promise.all([witnessKey('w1.example/witness'), witnessKey('w2.example/witness')]);
    t = await testApp({ reset: true, witnesses: witnessPolicy([w1.vkey, w2.vkey], 2) });
    w = await goldWorld(t);
    await registerLot(t, w);
  });

  /** The latest checkpoint (or `note`) with the log's signature and `witness`'s cosignature only. */
  async function cosigned(witness: NoteSigner, note?: string) {
    const text = note ?? (await t.call('GET', '/v1/ledger/checkpoint')).text;
    const parsed = parseNote(text);
    if (!parsed) throw new Error(`not a note: ${text}`);
    const line = await cosign(parsed.text, witness, Math.floor(Date.now() / 1000));
    return `${parsed.text}\n${parsed.signatures[0]?.line}\n${line}\n`;
  }

  it("signs each head as a checkpoint that verifies with the published vkey and says the head's size and root", async () => {
    const head = await t.call('GET', '/v1/ledger/head', { token: w.regulatorToken });
    expect(head.status, head.text).toBe(200);
    const key = await t.call('GET', '/v1/ledger/checkpoint/key');
    expect(key.status).toBe(200);
    expect(key.headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8/i);
    const vkey = parseVerifierKey(key.text, 'note');
    if (!vkey) throw new Error(`not a vkey: ${key.text}`);
    expect(vkey.name).toBe(testCheckpointOrigin);
    expect(key.text.trim()).toBe(t.ledgerKey.note?.vkey);

    const res = await t.call('GET', '/v1/ledger/checkpoint');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toBe(head.body.checkpoint);
    const note = parseNote(res.text);
    if (!note) throw new Error('not a note');
    expect(await verifyNote(note, vkey)).toBe(true);
    expect(parseCheckpoint(note.text)).toEqual({
      origin: testCheckpointOrigin,
      treeSize: head.body.treeSize,
      rootHash: fromHex(head.body.rootHash),
    });
    expect(note.text).toBe(
      `${testCheckpointOrigin}\n${head.body.treeSize}\n${Buffer.from(fromHex(head.body.rootHash)).toString('base64')}\n`,
    );
    // An earlier head's checkpoint, by size; none for a size never signed.
    const earlier = await t.call('GET', `/v1/ledger/checkpoint?treeSize=${head.body.treeSize}`);
    expect(earlier.text).toBe(res.text);
    expect((await t.call('GET', '/v1/ledger/checkpoint?treeSize=999999')).status).toBe(404);
    expect(head.body).toMatchObject({ cosignatures: [], final: false, witnessQuorum: 2 });
  });

  it('stores a configured witness cosignature (idempotent); final flips when the quorum is reached', async () => {
    const first = await t.call('POST', '/v1/ledger/cosignatures', {
      body: await cosigned(w1),
      headers: { 'content-type': 'text/plain' },
    });
    expect(first.status, first.text).toBe(200);
    expect(first.body.cosignatures).toEqual([expect.objectContaining({ witness: w1.name, stored: true })]);
    const again = await t.call('POST', '/v1/ledger/cosignatures', {
      body: await cosigned(w1),
      headers: { 'content-type': 'text/plain' },
    });
    expect(again.status).toBe(200);
    expect(again.body.cosignatures[0].stored).toBe(false);
    let head = (await t.call('GET', '/v1/ledger/head', { token: w.regulatorToken })).body;
    expect(head.cosignatures).toEqual([
      expect.objectContaining({ witness: w1.name, keyId: expect.stringMatching(/^[0-9a-f]{8}$/) }),
    ]);
    expect(head.final).toBe(false);

    const second = await t.call('POST', '/v1/ledger/cosignatures', {
      body: await cosigned(w2),
      headers: { 'content-type': 'text/plain' },
    });
    expect(second.status, second.text).toBe(200);
    head = (await t.call('GET', '/v1/ledger/head', { token: w.regulatorToken })).body;
    expect(head.cosignatures).toHaveLength(2);
    expect(head.final).toBe(true);
    // The served note carries both cosignatures, each verifying.
    const note = parseNote((await t.call('GET', '/v1/ledger/checkpoint')).text);
    if (!note) throw new Error('not a note');
    expect(note.signatures).toHaveLength(3);
    for (const witness of [w1, w2]) {
      const key = parseVerifierKey(witness.vkey, 'cosignature');
      expect(key && (await verifyCosignature(note, key))).toBeTruthy();
    }
  });

  it('refuses an unknown witness (403), a checkpoint it never signed and a bad signature (422)', async () => {
    const stranger = await witnessKey('stranger.example');
    const unknown = await t.call('POST', '/v1/ledger/cosignatures', { body: await cosigned(stranger) });
    expect(unknown.status).toBe(403);
    expect(unknown.body.detail).toMatch(/configured witness/);

    const head = (await t.call('GET', '/v1/ledger/head', { token: w.regulatorToken })).body;
    const note = t.ledgerKey.note;
    if (!note) throw new Error('no note key');
    const forged = await signNote(
      checkpointBody(testCheckpointOrigin, head.treeSize, new Uint8Array(32)),
      note,
    );
    const neverSigned = await t.call('POST', '/v1/ledger/cosignatures', { body: await cosigned(w1, forged) });
    expect(neverSigned.status).toBe(422);
    expect(neverSigned.body.detail).toMatch(/not the one this log signed/);
    const beyond = await signNote(
      checkpointBody(testCheckpointOrigin, head.treeSize + 100, new Uint8Array(32)),
      note,
    );
    const noHead = await t.call('POST', '/v1/ledger/cosignatures', { body: await cosigned(w1, beyond) });
    expect(noHead.status).toBe(422);
    expect(noHead.body.detail).toMatch(/signed no checkpoint of tree size/);

    const good = await cosigned(w1);
    const tampered = good.replace(
      /(— w1\.example\/witness \S{10})(\S)/,
      (_m, a: string, b: string) => `${a}${b === 'A' ? 'B' : 'A'}`,
    );
    const bad = await t.call('POST', '/v1/ledger/cosignatures', { body: tampered });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toMatch(/does not verify/);
    const garbage = await t.call('POST', '/v1/ledger/cosignatures', { body: 'hello' });
    expect(garbage.status).toBe(422);
    expect(garbage.body.detail).toMatch(/not a signed note/);
  });

  it('with quorum 0 every head is final', async () => {
    const open = await testApp({ reset: false });
    const head = (await open.call('GET', '/v1/ledger/head', { token: w.regulatorToken })).body;
    expect(head).toMatchObject({ final: true, witnessQuorum: 0 });
  });
});

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const { BASE_URL: _viteBase, DATABASE_URL: _db, ...env } = process.env;
const witnessCli = (args: string[]) =>
  run(tsx, ['src/cli/witness.ts', ...args], { env }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe('npm run witness, against a running server', () => {
  let t: TestContext;
  let w: GoldWorld;
  let url: string;
  let close: () => Promise<void>;
  const state = mkdtempSync(join(tmpdir(), 'orotrace-witness-'));

  beforeAll(async () => {
    const printed = await witnessCli(['--state', state, '--name', 'cli.example/witness', '--print-key']);
    expect(printed.code, printed.stderr).toBe(0);
    t = await testApp({ reset: true, witnesses: witnessPolicy([printed.stdout.trim()], 1) });
    w = await goldWorld(t);
    await registerLot(t, w);
    await sequence(t.db, t.ledgerKey);
    const server = await new Promise<ReturnType<typeof serve>>((done) => {
      const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => done(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((done) => server.close(() => done()));
  }, 60_000);
  afterAll(async () => close?.());

  const stateNow = () => readFileSync(join(state, 'state.json'), 'utf8');

  /** The insider: empties the log as a superuser past the triggers, as the brief of the threat says. */
  async function wipeLog() {
    const admin = await adminDb();
    await admin.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('session_replication_role', 'replica', true)`);
      await tx.execute(sql`TRUNCATE events, ledger_leaves, ledger_nodes, ledger_heads CASCADE`);
    });
  }

  it('cosigns, follows a growing log, and refuses a fork and a rollback after the log is wiped', async () => {
    const vkey = (await t.call('GET', '/v1/ledger/checkpoint/key')).text.trim();
    const first = await witnessCli(['--state', state, '--log', url, '--log-key', vkey]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/cosigned .* \(first\)/);
    expect(statSync(join(state, 'key.json')).mode & 0o777).toBe(0o600);
    let head = (await t.call('GET', '/v1/ledger/head', { token: w.regulatorToken })).body;
    expect(head.final).toBe(true);
    expect(head.cosignatures).toEqual([expect.objectContaining({ witness: 'cli.example/witness' })]);

    for (let i = 0; i < 3; i++) await registerLot(t, w);
    await sequence(t.db, t.ledgerKey);
    // Pinned now: the key is read from the state.
    const second = await witnessCli(['--state', state, '--log', url]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/\(extends\)/);
    head = (await t.call('GET', '/v1/ledger/head', { token: w.regulatorToken })).body;
    expect(head.final).toBe(true);
    const kept = stateNow();
    const cosignedSize = JSON.parse(kept).treeSize as number;
    expect(cosignedSize).toBe(head.treeSize);

    // Fork: the insider (who has the key) wipes the log and signs another tree of the same size.
    await wipeLog();
    const note = t.ledgerKey.note;
    if (!note) throw new Error('no note key');
    const forged = await signNote(
      checkpointBody(testCheckpointOrigin, cosignedSize, new Uint8Array(32).fill(1)),
      note,
    );
    const admin = await adminDb();
    await admin.execute(sql`INSERT INTO ledger_heads (tree_size, root_hash, signed_at, key_id, signature, xid_horizon, checkpoint)
      VALUES (${cosignedSize}, decode(${'01'.repeat(32)}, 'hex'), now(), ${t.ledgerKey.kid}, 'forged', '0'::xid8, ${forged})`);
    const fork = await witnessCli(['--state', state, '--log', url]);
    expect(fork.code, fork.stdout).toBe(1);
    expect(fork.stderr).toMatch(/FORK/);
    expect(stateNow()).toBe(kept);

    // Rollback: wiped again, new writes sequenced into a fresh, smaller tree.
    await wipeLog();
    await registerLot(t, w);
    await sequence(t.db, t.ledgerKey);
    const rollback = await witnessCli(['--state', state, '--log', url]);
    expect(rollback.code, rollback.stdout).toBe(1);
    expect(rollback.stderr).toMatch(/ROLLBACK|INCONSISTENT/);
    expect(stateNow()).toBe(kept);
  }, 120_000);
});
