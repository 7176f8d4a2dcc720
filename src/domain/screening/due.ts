import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { uuidArray } from '../../db/sql.js';
import { appendEvent } from '../ledger/events.js';
import { type Principal, systemPrincipal } from '../shared/principal.js';
import { raiseInBulk } from './engine.js';
import { dueDiversionSql, inputDiversion } from './rules/input-output-mismatch.js';
import { thresholds } from './thresholds.js';

/**
 * Screening that falls due with time rather than with a write. Diversion (the movement variant
 * of INPUT_OUTPUT_MISMATCH) judges mercury once `lagDays` have passed, to leave its gold time to
 * be declared; at its own declaration a movement is always inside that lag, and if no other
 * movement follows, nothing would ever judge it. `screenDue` judges each mercury movement once,
 * when its lag has passed: run periodically (the Node server's timer, the Worker's cron trigger,
 * `npm run screen:due`).
 *
 * Each run records on the ledger up to which instant it judged (a `screening.due_judged` event on
 * one fixed subject, read back through events_subject_idx), and the next judges the movements
 * whose lag ended after it — found per consignee through movements_consignee_idx. Runs are
 * serialized by an advisory lock; flags are deduplicated by fingerprint, so a run repeated over
 * the same movements (a lost event, two runtimes) raises nothing twice.
 */

/** The subject of the due runs' events: one fixed id, so that the last run is one index probe. */
const dueScreeningSubject = '00000000-0000-7000-8000-0000000d0e01';
/** Serializes due runs (pg_advisory_xact_lock key; any other lock uses another). */
const LOCK_KEY = sql`hashtext('orotrace:screening:due')`;

export interface DueScreening {
  /** The previous run's `judgedUntil`; null on the first run (every past movement is judged). */
  judgedFrom: Date | null;
  /** The movements whose lag ended in (judgedFrom, judgedUntil] were judged. */
  judgedUntil: Date;
  movementsJudged: number;
  flagsRaised: number;
  thresholdsVersion: string;
}

const byDefault = systemPrincipal('system:screen-due');

/** Judges the movements whose diversion lag passed since the last run, in one transaction. */
export async function screenDue(db: Db, by: Principal = byDefault): Promise<DueScreening> {
  const lag = sql`make_interval(days => ${thresholds.inputs.lagDays}::int)`;
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
    // As ISO text, which every driver answers alike (a timestamptz may come as a Date or not).
    const [window] = rowsOf<{ from: string | null; until: string }>(
      await tx.execute(sql`
        SELECT (SELECT e.payload ->> 'judgedUntil' FROM events e
                 WHERE e.subject_type = 'screening' AND e.subject_id = ${dueScreeningSubject}::uuid
                 ORDER BY e.seq DESC LIMIT 1) AS "from",
               to_json(now()) #>> '{}' AS until`),
    );
    if (!window) throw new Error('no answer from the database');
    const from = window.from === null ? null : new Date(window.from);
    const until = new Date(window.until);
    // Per consignee, a range of its index: the mercury delivered (not seized) whose lag ended in
    // (from, until].
    const ids = rowsOf<{ id: string }>(
      await tx.execute(sql`
        SELECT m.id FROM actors a
          CROSS JOIN LATERAL (
            SELECT m.id FROM movements m
             WHERE m.consignee_id = a.id
               AND m.declared_at <= ${until.toISOString()}::timestamptz - ${lag}
               ${from ? sql`AND m.declared_at > ${from.toISOString()}::timestamptz - ${lag}` : sql``}
               AND m.input = 'mercury' AND m.status <> 'seized'
          ) m`),
    ).map((r) => r.id);
    const result: DueScreening = {
      judgedFrom: from,
      judgedUntil: until,
      movementsJudged: ids.length,
      flagsRaised: 0,
      thresholdsVersion: thresholds.version,
    };
    // Nothing fell due: nothing to record, and the next run starts from the same instant.
    if (ids.length === 0) return result;
    const { raised } = await raiseInBulk(tx, by, [
      { rule: inputDiversion, query: dueDiversionSql(sql`SELECT unnest(${uuidArray(ids)}) AS id`) },
    ]);
    result.flagsRaised = raised;
    await appendEvent(tx, by, {
      type: 'screening.due_judged',
      subjectType: 'screening',
      subjectId: dueScreeningSubject,
      payload: {
        judgedFrom: from?.toISOString() ?? null,
        judgedUntil: until.toISOString(),
        movementsJudged: ids.length,
        flagsRaised: raised,
        thresholdsVersion: thresholds.version,
      },
    });
    return result;
  });
}
