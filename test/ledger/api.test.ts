import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { sql } from 'drizzle-orm';
import { compactVerify, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { verifyConsistency, verifyInclusion } from '../../src/domain/ledger/merkle.js';
import type { SignedHead } from '../../src/domain/ledger/schemas.js';
import { fromHex, headStatement, sequence } from '../../src/domain/ledger/store.js';
import { createSequenceRunner } from '../../src/http/sequencer.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { adminDb } from '../helpers/db.js';
import { fillerEvents } from '../helpers/events.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';

/*
 * An independent verifier, written from RFC 9162 §2.1 with node:crypto only (not merkle.ts):
 * what a regulator or court would run holding the JWKS, a signed head and the answer.
 */
const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const hashChildren = (l: Buffer, r: Buffer) => sha256(Buffer.from([1]), l, r);

/** §2.1.3.2 */
function rfcVerifyInclusion(
  leaf: string,
  index: number,
  size: number,
  proof: string[],
  root: string,
): boolean {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = Buffer.from(leaf, 'hex');
  for (const p of proof.map((h) => Buffer.from(h, 'hex'))) {
    if (sn === 0) return false;
    if (fn & 1 || fn === sn) {
      r = hashChildren(p, r);
      while (!(fn & 1) && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r.toString('hex') === root;
}

/** §2.1.4.2 (0 < first < second) */
function rfcVerifyConsistency(
  first: number,
  second: number,
  firstRoot: string,
  secondRoot: string,
  proof: string[],
) {
  if (proof.length === 0) return false;
  const path = proof.map((h) => Buffer.from(h, 'hex'));
  if ((first & (first - 1)) === 0) path.unshift(Buffer.from(firstRoot, 'hex'));
  let fn = first - 1;
  let sn = second - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  let fr = path[0] as Buffer;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn & 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!(fn & 1) && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && fr.toString('hex') === firstRoot && sr.toString('hex') === secondRoot;
}

/** The leaf hash of an event as the proof route serves it: SHA-256(0x00 ‖ JCS({v, ...event})). */
const rfcLeafHash = (event: Record<string, unknown>, v: number) =>
  sha256(Buffer.from([0]), Buffer.from(canonicalize({ ...event, v }) ?? '', 'utf8')).toString('hex');

let t: TestContext;
let w: GoldWorld;
let admin: string;
let jwks: JWK[];

/** Checks a head the way an outsider does: the JWKS key named by keyId, and the statement signed. */
async function headVerifies(head: SignedHead): Promise<boolean> {
  const jwk = jwks.find((k) => k.kid === head.keyId);
  if (!jwk) return false;
  try {
    const { payload, protectedHeader } = await compactVerify(head.signature, await importJWK(jwk, 'ES256'));
    const text = new TextDecoder().decode(payload);
    // RFC 8785 of three members with plain values is JSON.stringify with the keys sorted.
    const expected = JSON.stringify({
      rootHash: head.rootHash,
      timestamp: head.timestamp,
      treeSize: head.treeSize,
    });
    return protectedHeader.alg === 'ES256' && text === expected && text === headStatement(head);
  } catch {
    return false;
  }
}

/** The id of the first event about a subject. */
async function eventOf(subjectId: string): Promise<string> {
  const [row] = rowsOf<{ id: string }>(
    await t.db.execute(sql`SELECT id FROM events WHERE subject_id = ${subjectId} ORDER BY seq LIMIT 1`),
  );
  if (!row) throw new Error(`no event about ${subjectId}`);
  return row.id;
}

const eventCount = async () =>
  rowsOf<{ n: number }>(await t.db.execute(sql`SELECT count(*)::int AS n FROM events`))[0]?.n ?? 0;

const head = async (token = admin) => {
  const res = await t.call('GET', '/v1/ledger/head', { token });
  expect(res.status, res.text).toBe(200);
  return res.body as SignedHead & { jwksUrl: string };
};

beforeAll(async () => {
  t = await testApp({ reset: true });
  w = await goldWorld(t);
  admin = await t.token('admin');
  const res = await t.call('GET', '/.well-known/jwks.json');
  jwks = res.body.keys;
});

describe('GET /v1/ledger/head', () => {
  it('sequences what was written and answers a head signed with the key published in the JWKS', async () => {
    const h = await head(await t.token('checkpoint', { checkpoint: w.mazuko.id }));
    expect(h.treeSize).toBe(await eventCount());
    expect(h.rootHash).toMatch(/^[0-9a-f]{64}$/);
    expect(h.jwksUrl).toBe('/.well-known/jwks.json');
    expect(await headVerifies(h)).toBe(true);
    // A head altered in any member no longer verifies.
    expect(await headVerifies({ ...h, treeSize: h.treeSize + 1 })).toBe(false);
    expect(
      await headVerifies({
        ...h,
        rootHash: h.rootHash === 'f'.repeat(64) ? 'e'.repeat(64) : 'f'.repeat(64),
      }),
    ).toBe(false);
    expect(await headVerifies({ ...h, timestamp: '2020-01-01T00:00:00.000Z' })).toBe(false);
  });

  it('every role may read it; without a token it is 401', async () => {
    for (const token of [w.regulatorToken, w.minerToken, admin]) await head(token);
    const res = await t.call('GET', '/v1/ledger/head');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('a write is in the next head: the head grows by the events it wrote', async () => {
    const before = await head();
    await registerLot(t, w);
    const after = await head();
    expect(after.treeSize).toBe(await eventCount());
    expect(after.treeSize).toBeGreaterThan(before.treeSize);
  });
});

describe('GET /v1/ledger/events/{id}/proof', () => {
  it("proves a lot's event included in the latest head, by our verifier and by an RFC 9162 one", async () => {
    const lot = await registerLot(t, w);
    const id = await eventOf(lot.id);
    const res = await t.call('GET', `/v1/ledger/events/${id}/proof`, { token: w.regulatorToken });
    expect(res.status, res.text).toBe(200);
    const p = res.body;
    expect(p.event).toMatchObject({ id, subjectType: 'lot', subjectId: lot.id });
    expect(p.event.occurredAt).toMatch(/\.\d{6}Z$/);
    expect(p.treeSize).toBe(p.head.treeSize);
    expect(p.head.treeSize).toBe(await eventCount());
    expect(p.proof.length).toBeGreaterThan(0);
    expect(await headVerifies(p.head)).toBe(true);

    // The leaf is rebuilt from the event alone.
    expect(rfcLeafHash(p.event, p.leafVersion)).toBe(p.leafHash);
    expect(rfcVerifyInclusion(p.leafHash, p.leafIndex, p.treeSize, p.proof, p.head.rootHash)).toBe(true);
    expect(
      verifyInclusion(
        fromHex(p.leafHash),
        p.leafIndex,
        p.treeSize,
        p.proof.map(fromHex),
        fromHex(p.head.rootHash),
      ),
    ).toBe(true);

    // Another place, another event or another root: the proof fails.
    const other = p.leafIndex === 0 ? 1 : p.leafIndex - 1;
    expect(rfcVerifyInclusion(p.leafHash, other, p.treeSize, p.proof, p.head.rootHash)).toBe(false);
    const changed = { ...p.event, payload: { ...p.event.payload, grossWeightG: '1.000' } };
    expect(
      rfcVerifyInclusion(
        rfcLeafHash(changed, p.leafVersion),
        p.leafIndex,
        p.treeSize,
        p.proof,
        p.head.rootHash,
      ),
    ).toBe(false);
    expect(rfcVerifyInclusion(p.leafHash, p.leafIndex, p.treeSize, p.proof, 'ab'.repeat(32))).toBe(false);
  });

  it('proves an event against an earlier head given by treeSize, and refuses a head that predates it', async () => {
    const early = await registerLot(t, w);
    const earlier = await head();
    for (let i = 0; i < 3; i++) await registerLot(t, w);
    const late = await registerLot(t, w);
    const latest = await head();
    expect(latest.treeSize).toBeGreaterThan(earlier.treeSize);

    const id = await eventOf(early.id);
    const res = await t.call('GET', `/v1/ledger/events/${id}/proof?treeSize=${earlier.treeSize}`, {
      token: admin,
    });
    expect(res.status, res.text).toBe(200);
    const p = res.body;
    expect(p.treeSize).toBe(earlier.treeSize);
    const { treeSize, rootHash, timestamp, keyId, signature } = earlier;
    expect(p.head).toEqual({ treeSize, rootHash, timestamp, keyId, signature });
    expect(rfcVerifyInclusion(p.leafHash, p.leafIndex, p.treeSize, p.proof, earlier.rootHash)).toBe(true);
    expect(rfcVerifyInclusion(p.leafHash, p.leafIndex, latest.treeSize, p.proof, latest.rootHash)).toBe(
      false,
    );
    // By default, against the latest head: a different proof that verifies there.
    const now = (await t.call('GET', `/v1/ledger/events/${id}/proof`, { token: admin })).body;
    expect(now.treeSize).toBe(latest.treeSize);
    expect(rfcVerifyInclusion(now.leafHash, now.leafIndex, now.treeSize, now.proof, latest.rootHash)).toBe(
      true,
    );

    // The late lot's event is not in the earlier tree.
    const lateId = await eventOf(late.id);
    const refused = await t.call('GET', `/v1/ledger/events/${lateId}/proof?treeSize=${earlier.treeSize}`, {
      token: admin,
    });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body.errors?.[0]?.field).toBe('treeSize');
  });

  it('400 names a bad treeSize or id; 404 for an unknown event or a size no head was signed for', async () => {
    const id = await eventOf(w.miner.id);
    for (const bad of ['0', '-1', 'abc', '1.5']) {
      const res = await t.call('GET', `/v1/ledger/events/${id}/proof?treeSize=${bad}`, { token: admin });
      expect(res.status, bad).toBe(400);
      expect(JSON.stringify(res.body.errors)).toContain('treeSize');
    }
    const badId = await t.call('GET', '/v1/ledger/events/not-a-uuid/proof', { token: admin });
    expect(badId.status).toBe(400);
    expect(JSON.stringify(badId.body.errors)).toContain('id');

    const unknown = await t.call('GET', '/v1/ledger/events/01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f/proof', {
      token: admin,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const { treeSize } = await head();
    const noHead = await t.call('GET', `/v1/ledger/events/${id}/proof?treeSize=${treeSize + 1000}`, {
      token: admin,
    });
    expect(noHead.status).toBe(404);
    expect(noHead.body.detail).toContain(String(treeSize + 1000));
  });

  it("exporters get proofs for the events of lots they may read, 404 for others'; checkpoints 403", async () => {
    const lot = await registerLot(t, w);
    const id = await eventOf(lot.id);
    const mine = await t.call('GET', `/v1/ledger/events/${id}/proof`, { token: w.minerToken });
    expect(mine.status, mine.text).toBe(200);
    expect(
      rfcVerifyInclusion(
        mine.body.leafHash,
        mine.body.leafIndex,
        mine.body.treeSize,
        mine.body.proof,
        mine.body.head.rootHash,
      ),
    ).toBe(true);

    // Not the producer or custodian: as if it did not exist.
    const notMine = await t.call('GET', `/v1/ledger/events/${id}/proof`, { token: w.traderToken });
    expect(notMine.status).toBe(404);
    expect(notMine.body.detail).not.toContain(lot.id);
    // Events about anything but a lot (here the miner's own actor record) stay with regulators.
    const actorEvent = await eventOf(w.miner.id);
    expect(
      (await t.call('GET', `/v1/ledger/events/${actorEvent}/proof`, { token: w.minerToken })).status,
    ).toBe(404);
    expect(
      (await t.call('GET', `/v1/ledger/events/${actorEvent}/proof`, { token: w.regulatorToken })).status,
    ).toBe(200);

    const checkpoint = await t.call('GET', `/v1/ledger/events/${id}/proof`, { token: w.mazukoToken });
    expect(checkpoint.status).toBe(403);
  });
});

describe('GET /v1/ledger/consistency', () => {
  it('proves a later head extends an earlier one, by our verifier and by an RFC 9162 one', async () => {
    const first = await head();
    for (let i = 0; i < 2; i++) await registerLot(t, w);
    const second = await head();
    const res = await t.call('GET', `/v1/ledger/consistency?from=${first.treeSize}&to=${second.treeSize}`, {
      token: w.mazukoToken,
    });
    expect(res.status, res.text).toBe(200);
    const { from, to, proof } = res.body;
    expect(from.treeSize).toBe(first.treeSize);
    expect(to.treeSize).toBe(second.treeSize);
    expect(from.rootHash).toBe(first.rootHash);
    expect(to.rootHash).toBe(second.rootHash);
    expect(await headVerifies(from)).toBe(true);
    expect(await headVerifies(to)).toBe(true);
    expect(proof.length).toBeGreaterThan(0);
    expect(
      verifyConsistency(
        from.treeSize,
        to.treeSize,
        fromHex(from.rootHash),
        fromHex(to.rootHash),
        proof.map(fromHex),
      ),
    ).toBe(true);
    expect(rfcVerifyConsistency(from.treeSize, to.treeSize, from.rootHash, to.rootHash, proof)).toBe(true);
    // Against a rewritten history (another first root) it fails.
    expect(rfcVerifyConsistency(from.treeSize, to.treeSize, 'cd'.repeat(32), to.rootHash, proof)).toBe(false);
    expect(
      verifyConsistency(
        from.treeSize,
        to.treeSize,
        fromHex('cd'.repeat(32)),
        fromHex(to.rootHash),
        proof.map(fromHex),
      ),
    ).toBe(false);
  });

  it('every pair of stored heads is consistent, including a power-of-two first size', async () => {
    // A head at a power of two (§2.1.4.2 then starts from the first root itself), and one after it.
    const { treeSize } = await head();
    const pow2 = 2 ** Math.ceil(Math.log2(treeSize + 1));
    await fillerEvents(t.db, pow2 - treeSize);
    expect((await head()).treeSize).toBe(pow2);
    await registerLot(t, w);
    await head();
    const sizes = rowsOf<{ n: string | number }>(
      await t.db.execute(sql`SELECT tree_size AS n FROM ledger_heads ORDER BY tree_size`),
    ).map((r) => Number(r.n));
    expect(sizes).toContain(pow2);
    const last = sizes[sizes.length - 1] as number;
    for (const m of sizes) {
      const res = await t.call('GET', `/v1/ledger/consistency?from=${m}&to=${last}`, { token: admin });
      expect(res.status, res.text).toBe(200);
      const { from, to, proof } = res.body;
      if (m === last) expect(proof).toEqual([]);
      else
        expect(rfcVerifyConsistency(m, last, from.rootHash, to.rootHash, proof), `${m}→${last}`).toBe(true);
    }
  });

  it('400 names the bad field; 404 when either size has no signed head; no token needed', async () => {
    const { treeSize } = await head();
    const cases: Array<[string, string]> = [
      [`from=0&to=${treeSize}`, 'from'],
      [`from=${treeSize}&to=${treeSize - 1}`, 'from'],
      [`from=x&to=${treeSize}`, 'from'],
      [`from=1`, 'to'],
      [`to=${treeSize}`, 'from'],
    ];
    for (const [query, field] of cases) {
      const res = await t.call('GET', `/v1/ledger/consistency?${query}`, { token: admin });
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field).join(' '), query).toContain(field);
    }
    const missing = await t.call('GET', `/v1/ledger/consistency?from=${treeSize}&to=${treeSize + 5}`, {
      token: admin,
    });
    expect(missing.status).toBe(404);
    // Public: witnesses hold no token, and the answer is hashes only.
    expect((await t.call('GET', `/v1/ledger/consistency?from=${treeSize}&to=${treeSize}`)).status).toBe(200);
  });
});

describe('sequencing after writes', () => {
  it('a write answers at once while its sequencing run waits; the run then appends its events', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let runs = 0;
    const runner = createSequenceRunner(async () => {
      runs++;
      await gate;
      await sequence(t.db, t.ledgerKey);
    });
    const bg = await testApp({ reset: false, sequencing: runner });
    await head(); // everything so far is in the log
    const before = await eventCount();

    // The run is held at the gate: if the write waited for it, this would time out.
    const lot = await Promise.race([
      registerLot(bg, w),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the write waited for sequencing')), 5_000),
      ),
    ]);
    const id = await eventOf(lot.id);
    const inLog = async () =>
      rowsOf<{ n: number }>(
        await t.db.execute(sql`SELECT count(*)::int AS n FROM ledger_leaves WHERE event_id = ${id}`),
      )[0]?.n;
    expect(runs).toBe(1);
    expect(await inLog()).toBe(0);
    // More writes meanwhile queue one more run, not one each.
    await registerLot(bg, w);
    await registerLot(bg, w);
    expect(runs).toBe(1);
    // Reads and refused writes schedule nothing.
    await bg.call('GET', `/v1/lots/${lot.id}`, { token: admin });
    expect((await bg.call('POST', '/v1/lots', { token: w.minerToken, body: {} })).status).toBe(400);

    release();
    await bg.sequencingIdle();
    expect(runs).toBe(2);
    expect(await inLog()).toBe(1);
    const [leaves] = rowsOf<{ n: number }>(
      await t.db.execute(sql`SELECT count(*)::int AS n FROM ledger_leaves`),
    );
    expect(leaves?.n).toBe(await eventCount());
    expect(await eventCount()).toBeGreaterThan(before);
  });

  it("with the Node runner on, a write's events reach the log within a short wait, nobody asking", async () => {
    const bg = await testApp({ reset: false, sequencing: 'background' });
    try {
      const lot = await registerLot(bg, w);
      const id = await eventOf(lot.id);
      const deadline = Date.now() + 5_000;
      let index: number | undefined;
      while (index === undefined && Date.now() < deadline) {
        const [row] = rowsOf<{ i: string | number }>(
          await t.db.execute(sql`SELECT leaf_index AS i FROM ledger_leaves WHERE event_id = ${id}`),
        );
        if (row) index = Number(row.i);
        else await new Promise((r) => setTimeout(r, 20));
      }
      expect(index).toBeTypeOf('number');
      // And a signed head already covers it.
      const [latest] = rowsOf<{ n: string | number }>(
        await t.db.execute(sql`SELECT max(tree_size) AS n FROM ledger_heads`),
      );
      await bg.sequencingIdle();
      expect(Number(latest?.n)).toBeGreaterThan(index as number);
    } finally {
      await bg.sequencingIdle();
    }
  });

  it('a failing run is logged, never thrown, and the next write runs again', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const runner = createSequenceRunner(
      async () => {
        calls++;
        if (calls === 1) throw new Error('database went away');
      },
      (err) => errors.push(err),
    );
    runner.schedule();
    await runner.idle();
    expect(errors).toHaveLength(1);
    runner.schedule();
    await runner.idle();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });
});

describe('a tampered event', () => {
  afterAll(async () => {
    await (await adminDb()).execute(sql`ALTER TABLE events ENABLE TRIGGER events_append_only`);
  });

  it('is served as stored, so its proof no longer verifies against the signed head', async () => {
    const lot = await registerLot(t, w);
    const id = await eventOf(lot.id);
    const honest = (await t.call('GET', `/v1/ledger/events/${id}/proof`, { token: admin })).body;
    expect(
      rfcVerifyInclusion(
        honest.leafHash,
        honest.leafIndex,
        honest.treeSize,
        honest.proof,
        honest.head.rootHash,
      ),
    ).toBe(true);

    const superuser = await adminDb();
    await superuser.execute(sql`ALTER TABLE events DISABLE TRIGGER events_append_only`);
    await superuser.execute(
      sql`UPDATE events SET payload = payload || '{"grossWeightG": "1.000"}'::jsonb WHERE id = ${id}`,
    );
    await superuser.execute(sql`ALTER TABLE events ENABLE TRIGGER events_append_only`);

    const res = await t.call('GET', `/v1/ledger/events/${id}/proof?treeSize=${honest.treeSize}`, {
      token: admin,
    });
    expect(res.status).toBe(200);
    const p = res.body;
    expect(p.event.payload.grossWeightG).toBe('1.000');
    expect(p.leafHash).not.toBe(honest.leafHash);
    expect(rfcVerifyInclusion(p.leafHash, p.leafIndex, p.treeSize, p.proof, p.head.rootHash)).toBe(false);
  });
});
