import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  cosign,
  cosignatureVerifierKey,
  ed25519FromSeed,
  type NoteSigner,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  type VerifierKey,
  verifyNote,
} from '../domain/ledger/note.js';
import { fromHex } from '../domain/ledger/store.js';
import { judgeCheckpoint } from '../domain/ledger/witness-check.js';

/**
 * npm run witness -- --log URL [--log-key VKEY] [--state DIR] [--name NAME] [--watch SECONDS]
 * npm run witness -- --print-key [--state DIR] [--name NAME]
 * A witness of the ledger (C2SP tlog-witness, simplified to one log and polling): it keeps the
 * last checkpoint it cosigned and cosigns a new one only if the log's key signed it and it extends
 * that one. Its key and state live in its own directory, never in the log's database.
 */
const usage = `usage: npm run witness -- --log URL [--log-key VKEY] [--state DIR] [--name NAME] [--watch SECONDS]
       npm run witness -- --print-key [--state DIR] [--name NAME]

Fetches the log's latest checkpoint (GET <log>/v1/ledger/checkpoint), checks the log's signature
with --log-key (the vkey of GET <log>/v1/ledger/checkpoint/key; without it, the key pinned in the
state, else the one the log serves now, pinned with a warning), and compares it with the last
checkpoint this witness cosigned: a smaller tree is a ROLLBACK, the same size with another root a
FORK, a larger tree must come with an RFC 9162 consistency proof from the stored root
(GET <log>/v1/ledger/consistency), else it is INCONSISTENT. Then cosigns it (cosignature/v1),
posts the cosignature to <log>/v1/ledger/cosignatures and saves the state. A refusal leaves the
state as it was.

  --state DIR       key and state (default ./witness-state; key.json is created on first run, 0600)
  --name NAME       the witness key's name, set when the key is created (default orotrace-witness)
  --print-key       print this witness's vkey (for the log's WITNESS_KEYS) and exit
  --watch SECONDS   run again every SECONDS until a refusal
  -h, --help

Exit status: 0 cosigned (or nothing new); 1 refused (ROLLBACK, FORK, INCONSISTENT, BAD SIGNATURE)
or the cosignature was not accepted; 2 bad options, unreadable state or the log unreachable.`;

class UsageError extends Error {}
class Refusal extends Error {}

const keyFile = z.object({ name: z.string().min(1), seed: z.string() });
const stateFile = z.object({
  log: z.string(),
  logKey: z.string(),
  treeSize: z.number().int().min(0).optional(),
  rootHash: z.string().optional(),
  checkpoint: z.string().optional(),
});
type State = z.infer<typeof stateFile>;

function readJson<T>(file: string, schema: z.ZodType<T>): T | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new UsageError(`${file} is not a witness file: ${parsed.error.message}`);
  return parsed.data;
}

/** Written to a temporary file, then renamed over: a crash never leaves half a state. */
function writeAtomically(file: string, value: unknown) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

async function loadOrCreateKey(dir: string, name: string | undefined): Promise<NoteSigner> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'key.json');
  let key = readJson(file, keyFile);
  if (!key) {
    key = { name: name ?? 'orotrace-witness', seed: randomBytes(32).toString('base64') };
    writeFileSync(file, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    console.error(`witness: created the key ${key.name} in ${file}`);
  } else if (name !== undefined && name !== key.name) {
    throw new UsageError(`the key in ${file} is named ${key.name}, not ${name}`);
  }
  const { privateKey, publicKey } = await ed25519FromSeed(new Uint8Array(Buffer.from(key.seed, 'base64')));
  return { name: key.name, privateKey, publicKey, vkey: cosignatureVerifierKey(key.name, publicKey).text };
}

async function get(url: string, onNotFound?: (text: string) => Error): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new UsageError(`cannot reach ${url}: ${(e as Error).message}`);
  }
  const text = await res.text();
  if (res.status === 404 && onNotFound) throw onNotFound(text);
  if (!res.ok) throw new UsageError(`${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

const consistencyAnswer = z.object({ proof: z.array(z.string().regex(/^[0-9a-f]{64}$/)) });

/** One round: fetch, check, cosign, post, save. Answers what it did, or throws a Refusal. */
async function witnessOnce(opts: {
  log: string;
  logKey: VerifierKey;
  signer: NoteSigner;
  stateFile: string;
  state: State | undefined;
}): Promise<{ message: string; state: State }> {
  const { log, logKey, signer } = opts;
  const noteText = await get(`${log}/v1/ledger/checkpoint`);
  const note = parseNote(noteText);
  if (!note || !(await verifyNote(note, logKey))) {
    throw new Refusal(`BAD SIGNATURE: the checkpoint is not signed by ${logKey.text}`);
  }
  const checkpoint = parseCheckpoint(note.text);
  if (!checkpoint) throw new Refusal('BAD SIGNATURE: the signed note is not a checkpoint');
  if (checkpoint.origin !== logKey.name) {
    throw new Refusal(`BAD SIGNATURE: the checkpoint's origin ${checkpoint.origin} is not ${logKey.name}`);
  }
  const last =
    opts.state?.treeSize !== undefined && opts.state.rootHash !== undefined
      ? {
          treeSize: opts.state.treeSize,
          rootHash: new Uint8Array(Buffer.from(opts.state.rootHash, 'base64')),
        }
      : undefined;
  let proof: Uint8Array[] = [];
  if (last && last.treeSize > 0 && checkpoint.treeSize > last.treeSize) {
    const answer = consistencyAnswer.safeParse(
      JSON.parse(
        await get(
          `${log}/v1/ledger/consistency?from=${last.treeSize}&to=${checkpoint.treeSize}`,
          // A log that no longer has the head this witness cosigned cannot show it extends it.
          () => new Refusal(`INCONSISTENT: the log has no head of ${last.treeSize} leaves any more`),
        ),
      ),
    );
    if (!answer.success) throw new Refusal('INCONSISTENT: the log answered no consistency proof');
    proof = answer.data.proof.map(fromHex);
  }
  const verdict = judgeCheckpoint(last, checkpoint, proof);
  const was = last ? `the cosigned tree of ${last.treeSize} leaves` : '';
  if (verdict === 'rollback') {
    throw new Refusal(`ROLLBACK: the log shows ${checkpoint.treeSize} leaves, fewer than ${was}`);
  }
  if (verdict === 'fork') {
    throw new Refusal(`FORK: the log shows another root for ${was}`);
  }
  if (verdict === 'inconsistent') {
    throw new Refusal(`INCONSISTENT: the tree of ${checkpoint.treeSize} leaves does not extend ${was}`);
  }
  const line = await cosign(note.text, signer, Math.floor(Date.now() / 1000));
  const state: State = {
    log,
    logKey: logKey.text,
    treeSize: checkpoint.treeSize,
    rootHash: Buffer.from(checkpoint.rootHash).toString('base64'),
    checkpoint: note.text,
  };
  // The witness has vouched for this tree now, whether or not the log takes the cosignature.
  writeAtomically(opts.stateFile, state);
  const res = await fetch(`${log}/v1/ledger/cosignatures`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: `${noteText}${line}\n`,
  }).catch((e: unknown) => {
    throw new UsageError(`cannot reach ${log}: ${(e as Error).message}`);
  });
  if (!res.ok) {
    throw new Refusal(`the log refused the cosignature (${res.status}): ${(await res.text()).slice(0, 300)}`);
  }
  return { message: `cosigned ${checkpoint.origin} at ${checkpoint.treeSize} leaves (${verdict})`, state };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      log: { type: 'string' },
      'log-key': { type: 'string' },
      state: { type: 'string', default: './witness-state' },
      name: { type: 'string' },
      'print-key': { type: 'boolean', default: false },
      watch: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const dir = values.state;
  const signer = await loadOrCreateKey(dir, values.name);
  if (values['print-key']) {
    console.log(signer.vkey);
    return 0;
  }
  if (!values.log) throw new UsageError('--log is required');
  const log = values.log.replace(/\/+$/, '');
  const watch = values.watch === undefined ? undefined : Number(values.watch);
  if (watch !== undefined && !(Number.isFinite(watch) && watch > 0)) {
    throw new UsageError('--watch must be a number of seconds');
  }
  const file = join(dir, 'state.json');
  let state = readJson(file, stateFile);
  if (state && state.log !== log) throw new UsageError(`${file} witnesses ${state.log}, not ${log}`);
  let logKeyText = values['log-key'] ?? state?.logKey;
  if (state && values['log-key'] && values['log-key'] !== state.logKey) {
    throw new UsageError(`--log-key differs from the key pinned in ${file}: ${state.logKey}`);
  }
  if (!logKeyText) {
    logKeyText = (await get(`${log}/v1/ledger/checkpoint/key`)).trim();
    console.error(
      `witness: WARNING: no --log-key given; pinning the key the log serves now, ${logKeyText}. ` +
        'Check it with the log operator out of band: a witness that trusts the log for its key proves nothing.',
    );
  }
  const logKey = parseVerifierKey(logKeyText, 'note');
  if (!logKey) throw new UsageError(`not an Ed25519 note verifier key: ${logKeyText}`);
  for (;;) {
    try {
      const done = await witnessOnce({ log, logKey, signer, stateFile: file, state });
      state = done.state;
      console.log(`witness: ${done.message}`);
    } catch (e) {
      if (e instanceof UsageError && watch !== undefined) console.error(`witness: ${e.message}`);
      else throw e;
    }
    if (watch === undefined) return 0;
    await new Promise((resolve) => setTimeout(resolve, watch * 1000));
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof Refusal) {
      console.error(`witness: refused: ${e.message}`);
      process.exit(1);
    }
    console.error(`witness: ${e instanceof UsageError ? e.message : (e as Error).stack}`);
    if (e instanceof UsageError) console.error(usage);
    process.exit(2);
  },
);
