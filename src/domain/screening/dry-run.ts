import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type Db, type Queryable, rowsOf } from '../../db/client.js';
import { events, flags } from '../../db/schema/index.js';
import { ApiError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import type { Severity } from '../shared/vocabulary.js';
import type { RaisedFlag } from './engine.js';
import { raisedSeenBy } from './evidence-seen.js';

/**
 * A dry run of a screened write (`?dryRun=true`): the very same write, run in a transaction that
 * is rolled back once it has told what it produced — the lots or movement as the write would
 * answer them and every flag it raised, those copied onto new lots by taint included. Running the
 * write itself, rather than a model of it, is what keeps the two from disagreeing: the same
 * checks refuse the same input with the same problem, the same rules see the same rows.
 *
 * Nothing survives the rollback but what PostgreSQL never rolls back: sequence values. The
 * printed codes (lot_code_seq, movement_code_seq) are therefore not drawn at all — a client
 * repeating dry runs could otherwise burn or skew the codes of real lots. The write is handed
 * placeholders instead, unique to the run (so two concurrent dry runs never wait on each other's
 * unique index), and the answer shows provisional codes: the ones the next real writes would get
 * were nothing else written first, read from the sequence without advancing it, never reserved.
 * Identity columns (events.seq and the like) do advance, leaving a gap as any failed write does;
 * they order rows and are printed nowhere.
 */

/** The sequences printed codes come from. */
export type CodeSequence = 'lot_code_seq' | 'movement_code_seq';

interface Drawn {
  sequence: CodeSequence;
  placeholder: string;
  format: (n: string) => string;
}

/** What a dry run hands the write in place of the codes it would draw. */
export class DryRun {
  readonly #tag = newId();
  readonly #drawn: Drawn[] = [];

  /** Stands in for `count` values of `sequence`, which the real write would format with `format`. */
  codes(sequence: CodeSequence, count: number, format: (n: string) => string): string[] {
    return Array.from({ length: count }, () => {
      const placeholder = `dry-run:${this.#tag}:${this.#drawn.length + 1}`;
      this.#drawn.push({ sequence, placeholder, format });
      return placeholder;
    });
  }

  /**
   * The provisional code of each placeholder, in the order drawn: the values after the
   * sequence's last one (`pg_sequence_last_value` reads it without advancing it; the sequences
   * are created with the defaults, start 1 and increment 1).
   */
  async provisionalCodes(db: Queryable): Promise<Map<string, string>> {
    const codes = new Map<string, string>();
    const sequences = [...new Set(this.#drawn.map((d) => d.sequence))];
    for (const sequence of sequences) {
      const [row] = rowsOf<{ last: string | null }>(
        await db.execute(sql`SELECT pg_sequence_last_value(${sequence}::regclass)::text AS last`),
      );
      let next = BigInt(row?.last ?? '0');
      for (const d of this.#drawn.filter((x) => x.sequence === sequence)) {
        next += 1n;
        codes.set(d.placeholder, d.format(next.toString()));
      }
    }
    return codes;
  }
}

/** What a dry run answers: the write's own answer, the flags it raised, the provisional codes. */
export interface DryRunOutcome<T> {
  result: T;
  flags: RaisedFlag[];
  /** Placeholder → provisional code, for `provisional` and `revealCodes`. */
  codes: Map<string, string>;
}

/** Thrown to end the dry run's transaction with a rollback once its outcome is read. */
class DryRunRollback extends Error {}

/**
 * Runs `write` (which must do all its work, presentation included, on the handle it is given)
 * for `by` and rolls it back. The write's own transactions become savepoints of this one; an error it
 * throws — a refused input, a conflict — propagates unchanged, so a dry run is refused exactly
 * as the write would be. Row locks the write takes are held for this transaction only.
 */
export async function dryRun<T>(
  db: Db,
  write: (db: Db, run: DryRun) => Promise<T>,
  by: Principal,
): Promise<DryRunOutcome<T>> {
  const run = new DryRun();
  let outcome: DryRunOutcome<T> | undefined;
  try {
    await db.transaction(async (tx) => {
      const result = await write(tx, run);
      // What `by` may be told (evidence-seen.ts), read before the rollback: the lots the write
      // would create are its own, and known only inside this transaction.
      const raised = await raisedSeenBy(tx, by, await flagsRaisedHere(tx));
      outcome = { result, flags: raised, codes: await run.provisionalCodes(tx) };
      throw new DryRunRollback();
    });
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err;
  }
  if (!outcome) throw new Error('a dry run ended without an outcome');
  return outcome;
}

/**
 * Every flag raised in the current transaction, on any subject: each raised or inherited flag is
 * logged by an event written in the raising transaction (engine.ts, taint.ts), and events carry
 * their top-level transaction id — the same inside the savepoints a write opens.
 */
async function flagsRaisedHere(tx: Queryable): Promise<RaisedFlag[]> {
  return tx
    .select({
      id: flags.id,
      rule: flags.rule,
      severity: flags.severity,
      status: flags.status,
      evidence: flags.evidence,
      inheritedFrom: flags.inheritedFrom,
      subjectType: flags.subjectType,
      subjectId: flags.subjectId,
    })
    .from(events)
    .innerJoin(flags, eq(flags.id, events.subjectId))
    .where(
      and(
        sql`${events.xid} = pg_current_xact_id()`,
        eq(events.subjectType, 'flag'),
        inArray(events.type, ['flag.raised', 'flag.inherited']),
      ),
    )
    .orderBy(asc(flags.id));
}

/**
 * A lot or movement of a dry run's answer as it would be: one the write would create has no code
 * yet (`code: null`, its `provisionalCode` beside it) and no QR URL — nothing may be printed from
 * a dry run; one that exists keeps its own.
 */
export function provisional<T extends { code: string; qrUrl: string; gs1: object }>(
  subject: T,
  codes: Map<string, string>,
): Omit<T, 'code' | 'qrUrl' | 'gs1'> & {
  code: string | null;
  provisionalCode: string | null;
  qrUrl: string | null;
  gs1: T['gs1'] | null;
} {
  const code = codes.get(subject.code);
  if (code === undefined) return { ...subject, provisionalCode: null };
  return { ...subject, code: null, provisionalCode: code, qrUrl: null, gs1: null };
}

/** `value` with every placeholder in its strings (evidence that names a new lot) replaced by its provisional code. */
export function revealCodes<T>(value: T, codes: Map<string, string>): T {
  if (codes.size === 0) return value;
  const pattern = /dry-run:[0-9a-f-]{36}:\d+/g;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(pattern, (p) => codes.get(p) ?? p);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** A flag as a person is told of it before confirming: its rule and severity ("RULE:severity"). */
const flagKey = (f: { rule: string; severity: string }): string => `${f.rule}:${f.severity}`;

/** What a write is answered with, as far as its flags go: the lots or movement it returns. */
interface Flagged {
  flags: { rule: string; severity: Severity; status: string }[];
}

/**
 * The flags a person confirming a write has been told of, by key: every flag the write raises
 * (inherited copies included) and every flag still open or escalated on what it answers — the
 * gold it hands on carries them. The desk computes the same from the dry run's answer.
 */
function toldOf(raised: { rule: string; severity: string }[], answered: Flagged[]): Set<string> {
  const unresolved = answered.flatMap((s) =>
    s.flags.filter((f) => f.status === 'open' || f.status === 'escalated'),
  );
  return new Set([...raised, ...unresolved].map(flagKey));
}

/**
 * A write confirmed after its dry run (`?expectFlags=`): made, and committed only if it flags
 * nothing the person was not shown. Between the preview and the confirmation the world may have
 * changed — a registration lapsed, a zone was added, a flag was escalated, another desk merged
 * into the lot — and "… de todos modos" was said of the flags then shown, not of new ones: a
 * flag (rule and severity) absent from `expected` rolls the whole write back with a 409
 * `preview_outdated` naming the flags, so the person can review again. Fewer flags than shown
 * commit: nothing worse was hidden. `expected` undefined: no check (integrators without a preview).
 * A refused confirmation, like any refused write, may leave a gap in the printed codes: it is
 * the real write, rolled back, and rare (the world must change within seconds).
 */
export async function writeAsPreviewed<T>(
  db: Db,
  by: Principal,
  expected: readonly string[] | undefined,
  write: (db: Db) => Promise<T>,
  answered: (result: T) => Flagged[],
): Promise<T> {
  if (expected === undefined) return write(db);
  const shown = new Set(expected);
  return db.transaction(async (tx) => {
    const result = await write(tx);
    // The flags it may be told of, as its dry run told them: none on lots of others.
    const now = toldOf(await raisedSeenBy(tx, by, await flagsRaisedHere(tx)), answered(result));
    const unexpected = [...now].filter((k) => !shown.has(k)).sort();
    if (unexpected.length > 0) {
      throw new ApiError(
        'preview_outdated',
        `the write would raise or carry flags its preview did not show: ${unexpected.join(', ')}; nothing was written, preview it again`,
        {
          extra: {
            unexpectedFlags: unexpected.map((k) => {
              const [rule, severity] = k.split(':');
              return { rule, severity };
            }),
          },
        },
      );
    }
    return result;
  });
}
