import { sql } from 'drizzle-orm';
import { flattenedVerify, importJWK } from 'jose';
import { rowsOf } from '../src/db/client.js';
import { jsonColumn, pgArray } from '../src/db/sql.js';
import { eventLeafBytes } from '../src/domain/ledger/canonical.js';
import { appendEvents, type EventInput } from '../src/domain/ledger/events.js';
import {
  type Hash,
  inclusionProof,
  leafHash,
  MemoryTree,
  root,
  verifyInclusion,
} from '../src/domain/ledger/merkle.js';
import type { LedgerEvent } from '../src/domain/ledger/schemas.js';
import { latestHead, leafEventColumns, overStoredTree, sequence, toHex } from '../src/domain/ledger/store.js';
import { verifyLedger } from '../src/domain/ledger/verify.js';
import { signEvent, verifyLeafSignature } from '../src/domain/ledger/write-signature.js';
import { newId } from '../src/domain/shared/ids.js';
import { type Bench, printTable, type Row, timed } from './harness.js';

/**
 * The stored ledger, each figure beside a baseline measured in the same run:
 *  1. sequencing BENCH_LEDGER_EVENTS (100,000) events already written, against the time it took
 *     to write them; and the throughput of single-event write transactions with the sequencer
 *     running in a loop beside them, against the same writes without it (writers never wait).
 *  2. verifying the whole log (verifyLedger: every event re-read in leaf order, re-hashed, the
 *     tree rebuilt in memory, every signed head checked); against reading those rows alone.
 *  3. an inclusion proof out of a stored tree of BENCH_LEDGER_PROOF_LEAVES (1,000,000) leaves,
 *     against fetching one stored node by primary key.
 * Sizes: BENCH_LEDGER_EVENTS, BENCH_LEDGER_BATCH (10,000), BENCH_LEDGER_WRITES (2,000 on
 * PostgreSQL, 500 on PGlite), BENCH_LEDGER_PROOF_LEAVES. Needs a fresh database (verification
 * checks every head with this run's key); ~35 s on PostgreSQL, ~70 s on PGlite at the defaults.
 */

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const perSecond = (count: number, ms: number) => `${fmt((count / ms) * 1000)}/s`;

/** A `lot.registered`-shaped event (a payload of ~400 bytes of jsonb) of bench user `i`. */
function benchEvent(i: number): EventInput {
  const actor = newId();
  return {
    type: 'lot.registered',
    subjectType: 'lot',
    subjectId: newId(),
    payload: {
      code: `BENCH-${String(i).padStart(9, '0')}`,
      clientId: newId(),
      producerId: actor,
      concessionId: newId(),
      origin: {
        lat: Number((-12.96 + Math.random() * 0.03).toFixed(6)),
        lon: Number((-70.12 + Math.random() * 0.04).toFixed(6)),
      },
      extractedOn: '2026-10-01',
      grossWeightG: '1250.500',
      fineness: '870.000',
      fineWeightG: '1087.935',
      form: 'dore',
      custodianId: actor,
      notes: `Sealed bag ${i.toString(16).padStart(32, '0')}`,
    },
    occurredAt: new Date(Date.now() - Math.random() * 3_600_000),
  };
}

/**
 * `count` such events written as the API writes them (appendEvents: each signed with the write
 * key, then inserted), `chunk` a transaction.
 */
async function writeEvents(b: Bench, count: number, chunk = 2_000): Promise<void> {
  for (let from = 0; from < count; from += chunk) {
    const list = Array.from({ length: Math.min(chunk, count - from) }, (_, k) => benchEvent(from + k));
    await b.db.transaction((tx) =>
      appendEvents(tx, { sub: `bench-user-${from % 97}`, role: 'exporter', actorId: newId() }, list),
    );
  }
}

/** One event in its own transaction, as a request handler writes it (signed). */
async function writeOne(b: Bench): Promise<void> {
  await b.db.transaction((tx) =>
    appendEvents(tx, { sub: 'bench-writer', role: 'exporter' }, [benchEvent(0)]),
  );
}

/**
 * `total` single-event write transactions from `clients` concurrent writers; with `sequencer`
 * the sequencer runs in a loop beside them until they are done. Answers the elapsed ms and how
 * many events the sequencer appended meanwhile.
 */
async function writeThroughput(
  b: Bench,
  total: number,
  clients: number,
  withSequencer: boolean,
): Promise<{ ms: number; sequenced: number; p99: number }> {
  let done = false;
  let sequenced = 0;
  const loop = withSequencer
    ? (async () => {
        while (!done) sequenced += (await sequence(b.db, b.ledgerKey)).appended;
      })()
    : Promise.resolve();
  let next = 0;
  const latencies: number[] = [];
  const { ms } = await timed(() =>
    Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < total) {
          next++;
          const start = performance.now();
          await writeOne(b);
          latencies.push(performance.now() - start);
        }
      }),
    ),
  );
  done = true;
  await loop;
  latencies.sort((x, y) => x - y);
  return { ms, sequenced, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

/**
 * The baseline of verification: the events of the log and their stored leaf hashes read in leaf
 * order, `chunk` at a time, as verifyLedger reads them (and parsed), without hashing anything.
 */
async function readLog(b: Bench, size: number, chunk = 10_000): Promise<number> {
  let count = 0;
  for (let from = 0; from < size; from += chunk) {
    const rows = rowsOf<{ leaf: LedgerEvent | string; stored: string }>(
      await b.db.execute(sql`SELECT ${leafEventColumns('e')} AS leaf, encode(n.hash, 'hex') AS stored
        FROM ledger_leaves l
        LEFT JOIN events e ON e.id = l.event_id
        LEFT JOIN ledger_nodes n ON n.level = 0 AND n.idx = l.leaf_index
       WHERE l.leaf_index >= ${from} AND l.leaf_index < ${Math.min(size, from + chunk)}
       ORDER BY l.leaf_index`),
    );
    for (const r of rows) jsonColumn<LedgerEvent>(r.leaf);
    count += rows.length;
  }
  return count;
}

/**
 * A stored tree of `n` leaves for the proof figure, in its own schema so that the real log's
 * tables stay as figures 1–2 left them. Built in memory (MemoryTree over synthetic leaf hashes)
 * and written straight into a table like ledger_nodes by INSERT … SELECT unnest of arrays, 50,000
 * nodes a statement, the primary key added after the load: sequencing a million real events
 * would take minutes on PGlite, and the proof reads only the nodes, whoever wrote them.
 */
async function storedTree(b: Bench, n: number): Promise<{ tree: MemoryTree; leaf: (m: number) => Hash }> {
  const leaf = (m: number) => leafHash(new TextEncoder().encode(`bench leaf ${m}`));
  const tree = new MemoryTree();
  const batch = 10_000;
  for (let start = 0; start < n; start += batch) {
    tree.appendAll(Array.from({ length: Math.min(batch, n - start) }, (_, k) => leaf(start + k)));
  }
  await b.db.execute(sql`DROP SCHEMA IF EXISTS bench_ledger_proof CASCADE`);
  await b.db.execute(sql`CREATE SCHEMA bench_ledger_proof`);
  await b.db.execute(
    sql`CREATE TABLE bench_ledger_proof.ledger_nodes (LIKE public.ledger_nodes INCLUDING DEFAULTS)`,
  );
  const chunk = 50_000;
  for (let level = 0; n >> level > 0; level++) {
    const count = Math.floor(n / 2 ** level);
    for (let from = 0; from < count; from += chunk) {
      const to = Math.min(count, from + chunk);
      const hashes: string[] = [];
      for (let i = from; i < to; i++) hashes.push(toHex(tree.node(level, i)));
      await b.db.execute(sql`INSERT INTO bench_ledger_proof.ledger_nodes (level, idx, hash)
        SELECT ${level}::smallint, ${from}::bigint + ord - 1, decode(h, 'hex')
          FROM unnest(${pgArray(hashes, 'text')}) WITH ORDINALITY AS t(h, ord)`);
    }
  }
  await b.db.execute(sql`ALTER TABLE bench_ledger_proof.ledger_nodes ADD PRIMARY KEY (level, idx)`);
  await b.db.execute(sql`ANALYZE bench_ledger_proof.ledger_nodes`);
  return { tree, leaf };
}

export async function runLedgerBenchmarks(b: Bench): Promise<void> {
  const n = Number(process.env.BENCH_LEDGER_EVENTS ?? 100_000);
  const batch = Number(process.env.BENCH_LEDGER_BATCH ?? 10_000);
  const writes = Number(process.env.BENCH_LEDGER_WRITES ?? (b.database.kind === 'postgres' ? 2_000 : 500));
  const proofLeaves = Number(process.env.BENCH_LEDGER_PROOF_LEAVES ?? 1_000_000);
  const postgres = b.database.kind === 'postgres';
  const rows: Row[] = [];

  // Verification checks every head with this run's key: heads of an earlier run would fail it.
  const [earlier] = rowsOf<{ n: number }>(
    await b.db.execute(sql`SELECT count(*)::int AS n FROM ledger_heads WHERE key_id <> ${b.ledgerKey.kid}`),
  );
  if (earlier?.n)
    throw new Error('the ledger suite needs a fresh database: it holds heads signed by earlier runs');

  // Whatever other suites wrote is sequenced first: the figure is the bench's events alone.
  await sequence(b.db, b.ledgerKey, { batch });

  // 1. Sequencing, against writing the same events.
  const write = await timed(() => writeEvents(b, n));
  const [size] = rowsOf<{ bytes: number }>(
    await b.db.execute(
      sql`SELECT avg(octet_length(payload::text))::int AS bytes FROM events WHERE actor_sub LIKE 'bench-user-%'`,
    ),
  );
  const seq = await timed(() => sequence(b.db, b.ledgerKey, { batch }));
  if (seq.result.appended !== n) throw new Error(`sequenced ${seq.result.appended} events, wrote ${n}`);
  rows.push({
    figure: `sequence ${fmt(n)} events (batch ${fmt(batch)}, payload ~${size?.bytes} B)`,
    value: `${fmt(seq.ms / 1000, 2)} s (${perSecond(n, seq.ms)})`,
    baseline: `writing them: ${fmt(write.ms / 1000, 2)} s (${perSecond(n, write.ms)})`,
    ratio: `${fmt(seq.ms / write.ms, 2)}×`,
    target: 'stays behind the writes',
  });

  // Statistics for the grown tables, as autovacuum keeps them on PostgreSQL (PGlite runs none;
  // with stale ones each sequencer run there plans a scan of the whole log: ~3× slower at 50,000).
  await b.db.execute(sql`ANALYZE events`);
  await b.db.execute(sql`ANALYZE ledger_leaves`);
  await b.db.execute(sql`ANALYZE ledger_nodes`);
  await b.db.execute(sql`ANALYZE ledger_heads`);

  // Writers are not serialized behind the sequencer: the same writes without it, then beside it
  // in a loop (each run twice, alternating, the better kept). PGlite has one connection, so
  // there the writer is one and the sequencer takes turns with it on that connection.
  const clients = postgres ? 4 : 1;
  await writeThroughput(b, Math.min(200, writes), clients, false); // warm-up
  const runs = {
    without: Number.POSITIVE_INFINITY,
    with: Number.POSITIVE_INFINITY,
    p99: [0, 0],
    sequenced: 0,
  };
  for (let k = 0; k < 2; k++) {
    const alone = await writeThroughput(b, writes, clients, false);
    if (alone.ms < runs.without) [runs.without, runs.p99[0]] = [alone.ms, alone.p99];
    await sequence(b.db, b.ledgerKey, { batch }); // the sequencer beside sees only the writes beside it
    const beside = await writeThroughput(b, writes, clients, true);
    if (beside.ms < runs.with) [runs.with, runs.p99[1]] = [beside.ms, beside.p99];
    runs.sequenced += beside.sequenced;
  }
  rows.push({
    figure: `${fmt(writes)} single-event write transactions, ${clients} client${clients > 1 ? 's' : ''}, sequencer looping beside (appended ${fmt(runs.sequenced)} of ${fmt(2 * writes)} meanwhile)`,
    value: `${fmt(runs.with, 0)} ms (${perSecond(writes, runs.with)}, p99 ${fmt(runs.p99[1] ?? 0, 1)} ms)`,
    baseline: `no sequencer: ${fmt(runs.without, 0)} ms (${perSecond(writes, runs.without)}, p99 ${fmt(runs.p99[0] ?? 0, 1)} ms)`,
    ratio: `${fmt(runs.with / runs.without, 2)}×`,
    target: postgres ? '~1×' : '~1× on PostgreSQL (one connection here)',
  });
  await sequence(b.db, b.ledgerKey, { batch });

  // The cost of signed writes: one event's write signature, against one write transaction.
  const signs = 2_000;
  const samples = Array.from({ length: signs }, (_, i) => ({
    id: newId(),
    type: 'lot.registered',
    subjectType: 'lot',
    subjectId: newId(),
    actorSub: 'bench-writer',
    actorRole: 'exporter',
    actorId: null,
    checkpointId: null,
    payload: benchEvent(i).payload,
    occurredAt: '2026-12-04T10:00:00.000000Z',
    recordedAt: '2026-12-04T10:00:00.000000Z',
  }));
  const signing = await timed(async () => {
    for (const e of samples) await signEvent(e);
  });
  const perWrite = runs.without / writes;
  rows.push({
    figure: `write signature of one event (ES256 over its leaf data, ${fmt(signs)} signed one at a time)`,
    value: `${fmt((signing.ms / signs) * 1000)} µs`,
    baseline: `one write transaction: ${fmt(perWrite * 1000)} µs`,
    ratio: `${fmt(signing.ms / signs / perWrite, 2)}×`,
    target: 'a small part of a write',
  });

  // The sequencer's share of a write: checking its signature. The check it runs (node:crypto's
  // ECDSA, synchronous), against jose's WebCrypto path it used before, over the same signatures
  // in batches of 1,000 awaited together as the sequencer does.
  const signatures = await Promise.all(samples.map((e) => signEvent(e)));
  const leafBytes = samples.map((e) => eventLeafBytes(e));
  const keys = [b.ledgerKey.publicJwk];
  const joseKey = await importJWK(b.ledgerKey.publicJwk, 'ES256');
  const joseCheck = async (leaf: Uint8Array, signature: string) => {
    const [protectedHeader = '', , sig = ''] = signature.split('.');
    await flattenedVerify(
      { protected: protectedHeader, payload: Buffer.from(leaf).toString('base64url'), signature: sig },
      joseKey,
    );
    return true;
  };
  const inBatches = async (check: (leaf: Uint8Array, signature: string) => Promise<boolean>) => {
    let ok = 0;
    for (let from = 0; from < signs; from += 1000) {
      const batchOk = await Promise.all(
        leafBytes.slice(from, from + 1000).map((leaf, k) => check(leaf, signatures[from + k] as string)),
      );
      ok += batchOk.filter(Boolean).length;
    }
    return ok;
  };
  await inBatches((leaf, s) => verifyLeafSignature(leaf, s, keys)); // warm-up
  await inBatches(joseCheck);
  const nativeCheck = await timed(() => inBatches((leaf, s) => verifyLeafSignature(leaf, s, keys)));
  const joseChecked = await timed(() => inBatches(joseCheck));
  if (nativeCheck.result !== signs || joseChecked.result !== signs) {
    throw new Error(`signatures verified: ${nativeCheck.result} and ${joseChecked.result} of ${signs}`);
  }
  rows.push({
    figure: `check one write signature as the sequencer does (${fmt(signs)}, node:crypto ECDSA)`,
    value: `${fmt((nativeCheck.ms / signs) * 1000)} µs (${perSecond(signs, nativeCheck.ms)})`,
    baseline: `jose (WebCrypto, async): ${fmt((joseChecked.ms / signs) * 1000)} µs (${perSecond(signs, joseChecked.ms)})`,
    ratio: `${fmt(joseChecked.ms / nativeCheck.ms, 2)}× faster`,
    target: 'above the write rate',
  });

  // 2. Verifying the whole log, against reading its events.
  const head = await latestHead(b.db);
  const logSize = head?.treeSize ?? 0;
  const read = await timed(() => readLog(b, logSize));
  if (read.result !== logSize) throw new Error(`read ${read.result} leaves of ${logSize}`);
  const verify = await timed(() => verifyLedger(b.db, [b.ledgerKey.publicJwk]));
  if (!verify.result.ok || verify.result.treeSize !== logSize) {
    throw new Error(`the log did not verify: ${JSON.stringify(verify.result)}`);
  }
  rows.push({
    figure: `verify the whole log: ${fmt(logSize)} events, ${fmt(verify.result.headsChecked)} signed heads`,
    value: `${fmt(verify.ms / 1000, 2)} s (${perSecond(logSize, verify.ms)})`,
    baseline: `reading the events: ${fmt(read.ms / 1000, 2)} s`,
    ratio: `${fmt(verify.ms / read.ms, 2)}×`,
    target: 'a few × the read',
  });

  // 3. Inclusion proofs out of a stored tree of a million leaves, in its own schema.
  const build = await timed(() => storedTree(b, proofLeaves));
  const { tree, leaf } = build.result;
  const rootHash = root(tree, proofLeaves);
  const probes = 100;
  const indexes = Array.from({ length: probes }, () => Math.floor(Math.random() * proofLeaves));
  const proof = { ms: 0, maxLength: 0, verified: 0 };
  const fetch = { ms: 0 };
  await b.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL search_path TO bench_ledger_proof, public`);
    const [where] = rowsOf<{ at: string }>(
      await tx.execute(sql`SELECT c.relnamespace::regnamespace::text AS at FROM pg_class c
        WHERE c.oid = to_regclass('ledger_nodes')`),
    );
    if (where?.at !== 'bench_ledger_proof') throw new Error(`ledger_nodes resolves to schema ${where?.at}`);
    for (const m of indexes.slice(0, 10)) await overStoredTree(tx, (s) => inclusionProof(s, m, proofLeaves)); // warm-up
    for (const m of indexes) {
      const t = await timed(() => overStoredTree(tx, (s) => inclusionProof(s, m, proofLeaves)));
      proof.ms += t.ms;
      proof.maxLength = Math.max(proof.maxLength, t.result.length);
      if (verifyInclusion(leaf(m), m, proofLeaves, t.result, rootHash)) proof.verified++;
    }
    for (const m of indexes) {
      const t = await timed(() =>
        tx.execute(sql`SELECT hash FROM ledger_nodes WHERE level = 0 AND idx = ${m}`).then((r) => rowsOf(r)),
      );
      if (t.result.length !== 1) throw new Error(`node (0, ${m}) not found`);
      fetch.ms += t.ms;
    }
  });
  await b.db.execute(sql`DROP SCHEMA bench_ledger_proof CASCADE`);
  if (proof.verified !== probes)
    throw new Error(`${probes - proof.verified} inclusion proofs did not verify`);
  const proofMean = proof.ms / probes;
  const fetchMean = fetch.ms / probes;
  rows.push({
    figure: `inclusion proof, stored tree of ${fmt(proofLeaves)} leaves (${probes} random, all verified)`,
    value: `${fmt(proofMean, 2)} ms, ${proof.maxLength} hashes (⌈log2 n⌉ = ${Math.ceil(Math.log2(proofLeaves))})`,
    baseline: `one node by primary key: ${fmt(fetchMean, 2)} ms`,
    ratio: `${fmt(proofMean / fetchMean, 2)}×`,
    target: 'a few × one row',
  });

  printTable(
    `Ledger (${postgres ? 'PostgreSQL' : 'PGlite'}; stored tree for the proofs built and loaded in ${fmt(build.ms / 1000, 1)} s)`,
    rows,
  );
}
