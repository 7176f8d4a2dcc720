import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { sql } from 'drizzle-orm';
import type { JWK } from 'jose';
import { z } from 'zod';
import type { NodeConfig } from '../config.js';
import { loadNodeConfig } from '../config.node.js';
import { type Queryable, rowsOf } from '../db/client.js';
import type { StateCheck } from '../domain/audit/schemas.js';
import { eventLeafBytes, LEAF_FORMAT_VERSION } from '../domain/ledger/canonical.js';
import { isAlarm } from '../domain/ledger/head-tracking.js';
import { type Hash, leafHash, MemoryTree, root, verifyInclusion } from '../domain/ledger/merkle.js';
import type { LedgerEvent, LedgerVerification, SignedHead } from '../domain/ledger/schemas.js';
import { fromHex, toHex, verifyHeadSignature } from '../domain/ledger/store.js';
import { checkKeptHead } from './kept-head.js';

/**
 * npm run verify [-- --jwks FILE] [--json]
 * npm run verify -- --proof PROOF.json --jwks JWKS.json
 * Thin shell over domain/ledger/verify.ts (the whole log) and the Merkle functions (one proof).
 */
const usage = `usage: npm run verify [-- --jwks FILE] [--state FILE] [--json]
       npm run verify -- --proof PROOF.json --jwks JWKS.json

Whole log (no --proof): rebuilds the ledger's Merkle tree from the stored events, in leaf order,
and checks every leaf against its stored hash and every signed tree head (signature and root).
Names the first leaf that does not hold, and the first head. Then replays the events to the
state of every lot and movement and holds the tables against it, one line per difference (table,
id, field, the table's value, the log's). Reads the server's database:
DATABASE_URL, else the embedded PGlite in DATA_DIR (default ./data; stop the server first, PGlite
is single-process). The public keys come from --jwks (a JWKS, as /.well-known/jwks.json serves
it), else from LEDGER_PRIVATE_JWK, else from the ledger key in DATA_DIR/keys.

It keeps the latest head it verified in --state FILE (default DATA_DIR/verify-head.json; keep it
where whoever runs the database cannot write) and, on the next run, demands that the rebuilt tree
still contain it: no smaller, and the same root at the kept size. A wiped, restored or rewritten
log prints ALARM lines and exits 1, and the file keeps the old head until someone removes it.

One event, offline (--proof): checks an inclusion proof document, as
GET /v1/ledger/events/{id}/proof returns it, with the public keys alone (--jwks, required): the
event hashes to the leaf, the audit path leads from the leaf to the signed root, and the head's
signature verifies. No database is opened.

  --state FILE the kept head (whole-log mode)
  --json       print the report as JSON instead of text
  -h, --help

Exit status: 0 verified; 1 the log, the state tables or the proof do not verify; 2 bad options, unreadable input
or a database failure (nothing was verified).`;

class UsageError extends Error {}

const hex32 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 32 bytes of lowercase hex');
const ts = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/, 'must be UTC with microseconds');
const proofDocument = z.object({
  event: z.object({
    id: z.string(),
    type: z.string(),
    subjectType: z.string(),
    subjectId: z.string(),
    actorSub: z.string(),
    actorRole: z.string(),
    actorId: z.string().nullable(),
    checkpointId: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
    occurredAt: ts,
    recordedAt: ts,
  }),
  /** The leaf format the event was hashed in: only the one this verifier knows is accepted. */
  leafVersion: z.literal(LEAF_FORMAT_VERSION).optional(),
  leafIndex: z.number().int().min(0),
  leafHash: hex32,
  treeSize: z.number().int().min(1),
  proof: z.array(hex32),
  head: z.object({
    treeSize: z.number().int().min(1),
    rootHash: hex32,
    timestamp: z.string(),
    keyId: z.string(),
    signature: z.string(),
  }),
});
const jwksDocument = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) });

async function readJson(file: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new UsageError(`${what} is not well-formed: ${issues}`);
  }
  return r.data;
}

async function readKeys(file: string): Promise<JWK[]> {
  return parsed(jwksDocument, await readJson(file, 'JWKS'), file).keys as JWK[];
}

/**
 * The public half of the server's ledger key: LEDGER_PRIVATE_JWK, else the key file in DATA_DIR;
 * never creates one (a new key verifies nothing).
 */
async function localLedgerKeys(config: NodeConfig): Promise<JWK[]> {
  if (config.LEDGER_PRIVATE_JWK) {
    const { d: _d, ...publicJwk } = config.LEDGER_PRIVATE_JWK;
    return [publicJwk];
  }
  const dataDir = config.DATA_DIR;
  const file = join(dataDir, 'keys', 'ledger.private.jwk.json');
  if (!existsSync(file)) {
    throw new UsageError(`no ledger key at ${file}: give --jwks FILE (the server's /.well-known/jwks.json)`);
  }
  const { d: _d, ...publicJwk } = (await readJson(file, 'ledger key')) as JWK;
  return [publicJwk];
}

interface Check {
  what: string;
  ok: boolean;
}

/** The checks of an inclusion proof document, with the public keys alone. */
async function verifyProofDocument(doc: z.infer<typeof proofDocument>, keys: JWK[]): Promise<Check[]> {
  const leaf = leafHash(eventLeafBytes(doc.event as LedgerEvent));
  return [
    {
      what: `event ${doc.event.id} hashes to the leaf hash ${doc.leafHash}`,
      ok: toHex(leaf) === doc.leafHash,
    },
    {
      what: `the proof is for the head's tree size (${doc.head.treeSize})`,
      ok: doc.treeSize === doc.head.treeSize,
    },
    {
      what: `the audit path (${doc.proof.length} hashes) places leaf ${doc.leafIndex} under root ${doc.head.rootHash}`,
      ok: verifyInclusion(
        leaf,
        doc.leafIndex,
        doc.treeSize,
        doc.proof.map(fromHex),
        fromHex(doc.head.rootHash),
      ),
    },
    {
      what: `the head is signed by ledger key ${doc.head.keyId}`,
      ok: await verifyHeadSignature(doc.head as SignedHead, keys),
    },
  ];
}

/** A bar on an interactive terminal only: in CI the log would fill with redraws. */
function progressBar(): { update(done: number, total: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: ' {bar} {value}/{total} leaves | {eta_formatted} left',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function describeReport(r: LedgerVerification, seconds: number): string {
  const lines = [
    `${r.ok ? 'OK' : 'TAMPERED'}: ${r.leavesChecked} leaves and ${r.headsChecked} signed heads checked, tree of ${r.treeSize} (${seconds.toFixed(1)} s)`,
  ];
  if (r.latestHead) {
    lines.push(
      `  latest head: ${r.latestHead.treeSize} leaves, root ${r.latestHead.rootHash}, signed ${r.latestHead.timestamp} by ${r.latestHead.keyId}`,
    );
  } else {
    lines.push('  no signed head yet');
  }
  if (r.unsequencedEvents > 0) lines.push(`  ${r.unsequencedEvents} events not sequenced yet (not an error)`);
  if (r.firstBadLeaf) {
    const b = r.firstBadLeaf;
    lines.push(
      `  first bad leaf: ${b.leafIndex}${b.eventId ? ` (event ${b.eventId})` : ''}, ${b.reason}: ${b.detail}`,
    );
  }
  if (r.badHead)
    lines.push(`  first bad head: ${r.badHead.treeSize} leaves, ${r.badHead.reason}: ${r.badHead.detail}`);
  return lines.join('\n');
}

function describeState(s: StateCheck, seconds: number): string {
  const lines = [
    `${s.ok ? 'OK' : 'STATE DIFFERS FROM THE LOG'}: ${s.lotsChecked} lots and ${s.movementsChecked} movements against ${s.eventsReplayed} events replayed (${seconds.toFixed(1)} s)`,
  ];
  const shown = (v: string | null) => (v === null ? '(none)' : v);
  for (const d of s.differences) {
    lines.push(`  ${d.table} ${d.id} ${d.field}: table ${shown(d.tableValue)}, log ${shown(d.logValue)}`);
  }
  if (s.differencesTotal > s.differences.length) {
    lines.push(`  … ${s.differencesTotal - s.differences.length} more differences not listed`);
  }
  return lines.join('\n');
}

/** Root of the first n leaves, rebuilt from the stored leaf hashes (which a verification that held matched to the events). */
async function rebuiltRootAt(db: Queryable, n: number): Promise<Hash | undefined> {
  const tree = new MemoryTree();
  const page = 10_000;
  while (tree.size < n) {
    const rows = rowsOf<{ idx: string | number; hash: string }>(
      await db.execute(sql`SELECT idx, encode(hash, 'hex') AS hash FROM ledger_nodes
        WHERE level = 0 AND idx >= ${tree.size} AND idx < ${Math.min(n, tree.size + page)} ORDER BY idx`),
    );
    // A gap is a tree smaller than the kept one, as far as the kept head goes.
    if (rows.length === 0 || rows.some((r, i) => Number(r.idx) !== tree.size + i)) return undefined;
    tree.appendAll(rows.map((r) => fromHex(r.hash)));
  }
  return root(tree, n);
}

async function verifyWholeLog(
  jwksFile: string | undefined,
  stateFile: string | undefined,
  json: boolean,
): Promise<number> {
  const config = loadNodeConfig();
  const state = stateFile ?? join(config.DATA_DIR, 'verify-head.json');
  const keys = jwksFile ? await readKeys(jwksFile) : await localLedgerKeys(config);
  // Loaded here only: the offline mode never loads a database driver.
  const { openDatabase, pgliteDir } = await import('../db/node.js');
  const { verifyLedger } = await import('../domain/ledger/verify.js');
  const { checkState } = await import('../domain/audit/state-check.js');
  const database = await openDatabase({
    url: config.DATABASE_URL,
    migrationUrl: config.MIGRATION_DATABASE_URL,
    dataDir: pgliteDir(config.DATA_DIR),
  });
  const bar = progressBar();
  const started = performance.now();
  try {
    const report = await verifyLedger(database.db, keys, bar.update);
    bar.stop();
    const verified = performance.now();
    const stateCheck = await checkState(database.db);
    const ok = report.ok && stateCheck.ok;
    // A log that does not verify keeps nothing: the kept head stays the last one that held.
    const kept = report.ok
      ? await checkKeptHead(state, report.latestHead, (n) => rebuiltRootAt(database.db, n))
      : undefined;
    const alarm = kept?.decision ? isAlarm(kept.decision) : false;
    if (json) {
      const full = { ...report, ok, state: stateCheck };
      console.log(JSON.stringify(kept?.decision ? { ...full, keptHead: kept.decision } : full, null, 2));
    } else {
      console.log(describeReport(report, (verified - started) / 1000));
      console.log(describeState(stateCheck, (performance.now() - verified) / 1000));
      for (const line of kept?.lines ?? []) console.log(line);
    }
    if (alarm) for (const line of kept?.lines ?? []) console.error(line);
    return ok && !alarm ? 0 : 1;
  } finally {
    bar.stop();
    await database.close();
  }
}

async function verifyProofFile(proofFile: string, jwksFile: string, json: boolean): Promise<number> {
  const doc = parsed(proofDocument, await readJson(proofFile, 'proof'), proofFile);
  const checks = await verifyProofDocument(doc, await readKeys(jwksFile));
  const ok = checks.every((c) => c.ok);
  if (json) {
    console.log(
      JSON.stringify(
        { ok, eventId: doc.event.id, leafIndex: doc.leafIndex, head: doc.head, checks },
        null,
        2,
      ),
    );
  } else {
    console.log(
      `${ok ? 'OK' : 'DOES NOT VERIFY'}: event ${doc.event.id} at leaf ${doc.leafIndex} of ${doc.treeSize}`,
    );
    for (const c of checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.what}`);
  }
  return ok ? 0 : 1;
}

async function main(): Promise<number> {
  let values: { proof?: string; jwks?: string; state?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        proof: { type: 'string' },
        jwks: { type: 'string' },
        state: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  try {
    if (values.proof !== undefined) {
      if (!values.jwks)
        throw new UsageError('--proof needs --jwks: the ledger public keys the head is checked with');
      return await verifyProofFile(values.proof, values.jwks, values.json ?? false);
    }
    return await verifyWholeLog(values.jwks, values.state, values.json ?? false);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`verify failed: ${(e as Error).message}`);
  process.exitCode = 2;
}
