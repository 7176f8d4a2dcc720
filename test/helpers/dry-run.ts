import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import type { CallResult, TestContext } from './app.js';
import { tableCounts } from './counts.js';

/**
 * What "a dry run writes nothing" is checked against: every table's row count (the ledger's
 * tables included, so its tree size too) and where the code sequences stand.
 */
export async function writeState(t: TestContext) {
  const [seqs] = rowsOf<{ lot: string | null; movement: string | null }>(
    await t.db.execute(sql`SELECT pg_sequence_last_value('lot_code_seq')::text AS lot,
                                  pg_sequence_last_value('movement_code_seq')::text AS movement`),
  );
  if (!seqs) throw new Error('no sequence state');
  return { counts: await tableCounts(t.db), seqs };
}

export interface RaisedFlag {
  rule: string;
  subjectType: string;
  subjectId: string;
}

/** Flags as `rule@subject`, a subject made by the write named by its place among the new ones. */
const keyed = (fs: RaisedFlag[], made: string[]) =>
  fs
    .map((f) => {
      const i = made.indexOf(f.subjectId);
      return `${f.rule}@${i >= 0 ? `new#${i}` : f.subjectId}`;
    })
    .sort();

const allFlags = async (t: TestContext) =>
  rowsOf<RaisedFlag & { id: string }>(
    await t.db.execute(sql`SELECT id::text AS id, rule, subject_type AS "subjectType",
                                  subject_id::text AS "subjectId" FROM flags`),
  );

export interface DryRunCase {
  path: string;
  token: string;
  body: unknown;
  /** The status of the real write. */
  status: number;
  /** The ids of the lots (or the movement) the real write made, in the order the dry run lists them. */
  made: (real: CallResult) => string[];
}

/**
 * The dry run of `c`, checked to answer 200 and write nothing, then the same request for real,
 * checked to raise the same rules on the same subjects; answers both bodies.
 */
export async function dryThenReal(t: TestContext, c: DryRunCase) {
  const before = await writeState(t);
  const dry = await t.call('POST', `${c.path}?dryRun=true`, { token: c.token, body: c.body });
  expect(dry.status, dry.text).toBe(200);
  expect(dry.body.dryRun).toBe(true);
  expect(await writeState(t), 'a dry run writes nothing').toEqual(before);

  const flagsBefore = new Set((await allFlags(t)).map((f) => f.id));
  const real = await t.call('POST', c.path, { token: c.token, body: c.body });
  expect(real.status, real.text).toBe(c.status);
  const raised = (await allFlags(t)).filter((f) => !flagsBefore.has(f.id));
  const dryMade: string[] = dry.body.movement
    ? [dry.body.movement.id]
    : dry.body.lots
        .filter((l: { provisionalCode: string | null }) => l.provisionalCode)
        .map((l: { id: string }) => l.id);
  expect(keyed(dry.body.flags, dryMade), 'the real write raises what the dry run said').toEqual(
    keyed(raised, c.made(real)),
  );
  return { dry: dry.body, real: real.body };
}

/** The problem without its `instance` (the path it was asked at). */
const problem = (r: CallResult) => {
  // Each answer names its own request (instance, requestId); the refusal itself is the same.
  const { instance: _instance, requestId: _requestId, ...rest } = r.body;
  return { status: r.status, ...rest };
};

/**
 * A write refused with `status`: its dry run is refused with the same problem and writes
 * nothing; the real one writes no row either (a refused registration may leave a gap in the codes).
 */
export async function sameRefusal(
  t: TestContext,
  path: string,
  token: string,
  body: unknown,
  status: number,
) {
  const before = await writeState(t);
  const dry = await t.call('POST', `${path}?dryRun=true`, { token, body });
  expect(await writeState(t), 'a refused dry run writes nothing').toEqual(before);
  const real = await t.call('POST', path, { token, body });
  expect(real.status, real.text).toBe(status);
  expect(problem(dry)).toEqual(problem(real));
  expect((await writeState(t)).counts).toEqual(before.counts);
}

export const rulesOf = (subject: { flags: { rule: string }[] }) => subject.flags.map((f) => f.rule).sort();
