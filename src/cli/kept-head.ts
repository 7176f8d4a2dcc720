import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { decideRebuilt, type HeadDecision, isAlarm, type KeptHead } from '../domain/ledger/head-tracking.js';
import type { Hash } from '../domain/ledger/merkle.js';
import type { SignedHead } from '../domain/ledger/schemas.js';

/**
 * The head `npm run verify` keeps between runs (--state FILE): whoever can rewrite the database
 * cannot reach this file on the verifier's machine, so a wiped, restored or rewritten log shows
 * up as a tree that no longer contains the head verified last time.
 */

const keptHeadFile = z.object({
  treeSize: z.number().int().min(0),
  rootHash: z.string().regex(/^[0-9a-f]{64}$/),
  timestamp: z.string(),
  checkedAt: z.string(),
});

/** The kept head, or undefined when the file does not exist yet; throws on a damaged file. */
export async function readKeptHead(file: string): Promise<KeptHead | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const parsed = keptHeadFile.safeParse(JSON.parse(text));
  // A damaged file is not "nothing kept": starting afresh would forgive any rollback.
  if (!parsed.success) throw new Error(`the kept head in ${file} is not well-formed`);
  return parsed.data;
}

/** Written to a temporary file and renamed over the old one: a crash leaves one or the other, whole. */
export async function writeKeptHead(file: string, head: KeptHead): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, `${JSON.stringify(head, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/**
 * After a whole-log verification that held: judges the rebuilt tree against the kept head, and
 * keeps the latest head unless there is an alarm (the alarm stays until someone looks into it
 * and removes the file). `rootAt(n)` is the rebuilt tree's root of its first n leaves, or
 * undefined when it has fewer.
 */
export async function checkKeptHead(
  file: string,
  latest: SignedHead | null,
  rootAt: (n: number) => Promise<Hash | undefined>,
): Promise<{ decision: HeadDecision | null; lines: string[] }> {
  const kept = await readKeptHead(file);
  const rootAtKept =
    kept && latest && latest.treeSize >= kept.treeSize ? await rootAt(kept.treeSize) : undefined;
  const decision = decideRebuilt({ kept, latest, rootAtKept });
  if (!decision) return { decision, lines: [] };
  if (isAlarm(decision)) {
    return {
      decision,
      lines: [
        `ALARM: the log's history changed since the head kept in ${file} was verified (${decision.outcome})`,
        `ALARM: kept ${decision.kept?.treeSize} leaves, root ${decision.kept?.rootHash}, verified ${decision.kept?.checkedAt}`,
        `ALARM: now ${decision.seen.treeSize} leaves: ${decision.detail}`,
      ],
    };
  }
  if (decision.outcome !== 'unchanged') await writeKeptHead(file, decision.keep);
  const was = kept ? ` (kept ${kept.treeSize})` : '';
  return { decision, lines: [`  kept head: ${decision.keep.treeSize} leaves, ${decision.outcome}${was}`] };
}
