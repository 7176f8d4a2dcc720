import { type SQL, sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.js';
import { executePrepared, type PreparedStatement, prepareStatement } from '../../db/prepared.js';
import { jsonColumn, pgArray, uuidArray } from '../../db/sql.js';
import { appendEvents, type EventInput } from '../ledger/events.js';
import type { Principal } from '../shared/principal.js';
import { telemetry } from '../shared/telemetry.js';
import type { RuleCode, SubjectType } from '../shared/vocabulary.js';
import type { FlagSummary } from './flags.js';
import { rules as allRules } from './rules/index.js';
import {
  type Dependency,
  type InspectionFacts,
  type Rule,
  type ScanFacts,
  subjectOf,
} from './rules/types.js';
import { inheritableCodes, passDown } from './taint.js';
import { thresholds } from './thresholds.js';

/** A flag just raised, with its subject. */
export interface RaisedFlag extends FlagSummary {
  subjectType: SubjectType;
  subjectId: string;
}

/** A scan about to be recorded, as the scan rules are told of it (as ScanFacts, in SQL). */
interface ScanValues {
  scanId: string;
  lotId: string;
  checkpointId: string;
  occurredAt: Date;
  observedGrossWeightG: string | null;
}

/** An inspection about to be recorded. */
interface InspectionValues {
  inspectionId: string;
  movementId: string;
  checkpointId: string;
  occurredAt: Date;
  observedQuantity: string;
}

/** A write that runs the rules registered for it (DESIGN "Risk screening"). */
export type Screening =
  | { trigger: 'registration' | 'custody' | 'export' | 'receipt'; lotIds: string[] }
  | { trigger: 'declaration'; movementIds: string[] }
  | { trigger: 'scan'; scan: ScanValues }
  | { trigger: 'inspection'; inspection: InspectionValues };

/** Placeholders $1… for a record's facts; the principal's four values follow them. */
const p = (n: number) => sql.raw(`$${n}`);
const scanFacts: ScanFacts = {
  scanId: p(1),
  lotId: p(2),
  checkpointId: p(3),
  occurredAt: p(4),
  observedGrossWeightG: p(5),
};
const inspectionFacts: InspectionFacts = {
  inspectionId: p(1),
  movementId: p(2),
  checkpointId: p(3),
  occurredAt: p(4),
  observedQuantity: p(5),
};

/**
 * The candidate-flag queries of the rules a write runs, over placeholders: the record's facts
 * (scanFacts, inspectionFacts) or `ids`, the set of lots or movements.
 */
function queriesFor(
  trigger: Screening['trigger'],
  rules: readonly Rule[],
  ids: SQL,
  facts: { scan: ScanFacts; inspection: InspectionFacts } = { scan: scanFacts, inspection: inspectionFacts },
): { rule: Rule; query: SQL }[] {
  const out: { rule: Rule; query: SQL }[] = [];
  for (const rule of rules) {
    if (trigger === 'scan') {
      if (rule.kind === 'scan') out.push({ rule, query: rule.screen(facts.scan) });
    } else if (trigger === 'inspection') {
      if (rule.kind === 'inspection') out.push({ rule, query: rule.screen(facts.inspection) });
    } else if (trigger === 'declaration') {
      if (rule.kind === 'movement' && rule.on.includes('declaration'))
        out.push({ rule, query: rule.screen(ids) });
    } else if (rule.kind === 'lot' && rule.on.includes(trigger)) {
      out.push({ rule, query: rule.screen(ids) });
    }
  }
  return out;
}

interface FlagDbRow {
  id: string;
  rule: RuleCode;
  severity: FlagSummary['severity'];
  status: FlagSummary['status'];
  evidence: FlagSummary['evidence'] | string;
  inherited_from: string | null;
  subject_type: SubjectType;
  subject_id: string;
}

const toRaised = (r: FlagDbRow): RaisedFlag => ({
  id: r.id,
  rule: r.rule,
  severity: r.severity,
  status: r.status,
  evidence: jsonColumn<FlagSummary['evidence']>(r.evidence),
  inheritedFrom: r.inherited_from,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
});

/**
 * Raises the flags the queries yield in ONE statement (raiseSql) for a re-screening of many
 * subjects, answering counts rather than rows: how many
 * flags were raised, and the ids of those that must pass down to lots made from their subjects.
 */
export async function raiseInBulk(
  tx: Queryable,
  by: Principal,
  queries: { rule: Rule; query: SQL }[],
): Promise<{ raised: number; toPassDown: string[] }> {
  if (queries.length === 0) return { raised: 0, toPassDown: [] };
  const rows = rowsOf<FlagDbRow & { down: boolean }>(
    await tx.execute(
      raiseSql(
        queries,
        sql`SELECT raised.*, (subject_type = 'lot' AND rule = ANY(${pgArray(inheritableCodes, 'text')})
                     AND EXISTS (SELECT 1 FROM lot_edges e WHERE e.parent_id = raised.subject_id)) AS down
              FROM raised ORDER BY id`,
      ),
    ),
  );
  await logRaised(tx, by, rows.map(toRaised));
  return { raised: rows.length, toPassDown: rows.filter((r) => r.down).map((r) => r.id) };
}

/**
 * Events logRaised signs and writes at a time: a re-screening may raise a flag on each of a
 * hundred thousand lots, and their events are built, signed and sent ten thousand at a time so
 * that the memory they take stays bounded (appendEvents sends them as columns, events.ts).
 */
const eventsPerStatement = 10_000;

/** The `flag.raised` events of flags just raised, in their order. */
export const raisedEvents = (raised: RaisedFlag[]): EventInput[] =>
  raised.map((f) => ({
    type: 'flag.raised',
    subjectType: 'flag',
    subjectId: f.id,
    payload: {
      rule: f.rule,
      severity: f.severity,
      subjectType: f.subjectType,
      subjectId: f.subjectId,
      evidence: f.evidence,
    },
  }));

/** Appends the events of flags just raised, a bounded number at a time. */
async function logRaised(tx: Queryable, by: Principal, raised: RaisedFlag[]): Promise<void> {
  for (let i = 0; i < raised.length; i += eventsPerStatement)
    await appendEvents(tx, by, raisedEvents(raised.slice(i, i + eventsPerStatement)));
}

/**
 * The candidates of every rule unioned and inserted once per (subject, rule, fingerprint) — a
 * flag raised before is left as it is, even dismissed; `answer` says what the statement returns.
 * Each flag raised gets its `flag.raised` event from logRaised, in the same transaction (events
 * are signed by the API, so they are written from here, not by SQL).
 */
function raiseSql(queries: { rule: Rule; query: SQL }[], answer: SQL): SQL {
  const union = sql.join(
    queries.map(
      ({ rule, query }) =>
        sql`SELECT ${rule.code}::text AS rule, ${subjectOf(rule)}::text AS subject_type, c.subject_id, c.severity, c.fingerprint, c.evidence FROM (${query}) c`,
    ),
    sql` UNION ALL `,
  );
  return sql`
      WITH candidates AS (${union}),
      raised AS (
        INSERT INTO flags (id, rule, severity, subject_type, subject_id, evidence, fingerprint)
        SELECT orotrace_uuid_v7(), rule, severity, subject_type, subject_id,
               evidence || jsonb_build_object('thresholdsVersion', ${thresholds.version}::text), fingerprint
          FROM candidates
        ON CONFLICT (subject_type, subject_id, rule, fingerprint) DO NOTHING
        RETURNING id, rule, severity, status, evidence, inherited_from, subject_type, subject_id
      )
      ${answer}`;
}

/**
 * The statement a set-based write runs (lot registration or custody, movement declaration):
 * the same for every write of its kind but for the ids and who writes, so it is prepared once per
 * connection (db/prepared.ts) — planning it was most of its cost.
 */
const statements = new WeakMap<readonly Rule[], Map<string, PreparedStatement | null>>();
/** The statement of a trigger over a rule list, built once; null when no rule of the list runs on it. */
function statementFor(trigger: Screening['trigger'], rules: readonly Rule[]): PreparedStatement | null {
  let byTrigger = statements.get(rules);
  if (!byTrigger) {
    byTrigger = new Map();
    statements.set(rules, byTrigger);
  }
  let statement = byTrigger.get(trigger);
  if (statement === undefined) {
    const byRecord = trigger === 'scan' || trigger === 'inspection';
    // The record's facts are $1…$5 (scanFacts, inspectionFacts); a set of lots or movements is $1.
    const queries = queriesFor(trigger, rules, sql.raw('SELECT unnest($1::uuid[]) AS id'));
    statement =
      queries.length === 0
        ? null
        : prepareStatement(
            `orotrace_screen_${trigger}`,
            raiseSql(queries, sql`SELECT * FROM raised ORDER BY id`),
            byRecord ? ['uuid', 'uuid', 'uuid', 'timestamptz', 'numeric'] : ['uuid[]'],
          );
    byTrigger.set(trigger, statement);
  }
  return statement;
}

/** The values of a screening's placeholders, as literals. */
function argsOf(s: Screening): SQL[] {
  switch (s.trigger) {
    case 'scan':
      return [
        sql`${s.scan.scanId}::uuid`,
        sql`${s.scan.lotId}::uuid`,
        sql`${s.scan.checkpointId}::uuid`,
        sql`${s.scan.occurredAt.toISOString()}::timestamptz`,
        sql`${s.scan.observedGrossWeightG}::numeric`,
      ];
    case 'inspection':
      return [
        sql`${s.inspection.inspectionId}::uuid`,
        sql`${s.inspection.movementId}::uuid`,
        sql`${s.inspection.checkpointId}::uuid`,
        sql`${s.inspection.occurredAt.toISOString()}::timestamptz`,
        sql`${s.inspection.observedQuantity}::numeric`,
      ];
    case 'declaration':
      return [uuidArray(s.movementIds)];
    default:
      return [uuidArray(s.lotIds)];
  }
}

/**
 * Runs the rules a write triggers, inside that write's transaction, and answers the flags it
 * raised. The statement is the same for every write of its kind but for the record's values and
 * who writes, so it is prepared once per connection (db/prepared.ts): planning it was most of its
 * cost. Flags raised on a lot that already has descendants (a scan of a consumed lot, an older
 * lot a rule judged again) pass down to them; a lot just registered or transferred has none.
 */
export async function screen(
  tx: Queryable,
  by: Principal,
  s: Screening,
  rules: readonly Rule[] = allRules,
): Promise<RaisedFlag[]> {
  const statement = statementFor(s.trigger, rules);
  if (!statement) return [];
  const started = performance.now();
  const raised = (await executePrepared<FlagDbRow>(tx, statement, argsOf(s))).map(toRaised);
  observe(s.trigger, started, raised);
  await timeRulesAlone(tx, s.trigger, () => queriesWithValues(s, rules));
  await logRaised(tx, by, raised);
  // Flags on lots that may already have descendants pass down to them: a scan's lot, or — in a
  // registration or custody change — another lot than the ones written, which a rule judged
  // again (PRODUCTION_OVER_CAPACITY re-checks older lots a back-dated lot joins in a window).
  const written = s.trigger === 'registration' || s.trigger === 'custody' ? new Set(s.lotIds) : null;
  const down = raised.filter(
    (f) =>
      f.subjectType === 'lot' &&
      inheritableCodes.includes(f.rule) &&
      (s.trigger === 'scan' || (written !== null && !written.has(f.subjectId))),
  );
  if (down.length > 0)
    await passDown(
      tx,
      by,
      down.map((f) => f.id),
    );
  return raised;
}

/** The rules to run again when `dependency` changes. */
export const rulesDependingOn = (dependency: Dependency, rules: readonly Rule[] = allRules) => ({
  lot: rules.filter(
    (r): r is Extract<Rule, { kind: 'lot' }> => r.kind === 'lot' && r.dependsOn.includes(dependency),
  ),
  movement: rules.filter(
    (r): r is Extract<Rule, { kind: 'movement' }> =>
      r.kind === 'movement' && r.dependsOn.includes(dependency),
  ),
});

/** Many records of one kind, each screened as `screen` would screen it alone (an offline batch). */
export type RecordsScreening =
  | { trigger: 'scan'; scans: ScanValues[] }
  | { trigger: 'inspection'; inspections: InspectionValues[] };

/** A record's facts as columns of `f`, the set of records (recordsStatementFor). */
const f = (column: string) => sql.raw(`f.${column}`);
const scanColumns: ScanFacts = {
  scanId: f('record_id'),
  lotId: f('subject_id'),
  checkpointId: f('checkpoint_id'),
  occurredAt: f('occurred_at'),
  observedGrossWeightG: f('observed'),
};
const inspectionColumns: InspectionFacts = {
  inspectionId: f('record_id'),
  movementId: f('subject_id'),
  checkpointId: f('checkpoint_id'),
  occurredAt: f('occurred_at'),
  observedQuantity: f('observed'),
};

/**
 * The statement screening a set of records of one kind: each rule's query, written for one
 * record, run LATERAL over every row of `f` (the records' facts, $1…$5 as arrays), so that each
 * record is judged by exactly the SQL it would be alone; one INSERT raises all their flags.
 */
function recordsStatementFor(trigger: RecordsScreening['trigger'], rules: readonly Rule[]) {
  let byTrigger = statements.get(rules);
  if (!byTrigger) {
    byTrigger = new Map();
    statements.set(rules, byTrigger);
  }
  const key = `${trigger}:set`;
  let statement = byTrigger.get(key);
  if (statement === undefined) {
    const queries = recordQueries(
      trigger,
      rules,
      sql.raw('$1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::numeric[]'),
    );
    statement =
      queries.length === 0
        ? null
        : prepareStatement(
            `orotrace_screen_${trigger}s`,
            raiseSql(queries, sql`SELECT * FROM raised ORDER BY id`),
            ['uuid[]', 'uuid[]', 'uuid[]', 'timestamptz[]', 'numeric[]'],
          );
    byTrigger.set(key, statement);
  }
  return statement;
}

/** Each rule's query for a set of records, run LATERAL over `unnest(<arrays>)` (recordsStatementFor). */
function recordQueries(
  trigger: RecordsScreening['trigger'],
  rules: readonly Rule[],
  arrays: SQL,
): { rule: Rule; query: SQL }[] {
  const records = sql`unnest(${arrays}) AS f(record_id, subject_id, checkpoint_id, occurred_at, observed)`;
  const queries: { rule: Rule; query: SQL }[] = [];
  for (const rule of rules) {
    const query =
      trigger === 'scan' && rule.kind === 'scan'
        ? rule.screen(scanColumns)
        : trigger === 'inspection' && rule.kind === 'inspection'
          ? rule.screen(inspectionColumns)
          : undefined;
    if (query) queries.push({ rule, query: sql`SELECT c.* FROM ${records} CROSS JOIN LATERAL (${query}) c` });
  }
  return queries;
}

/**
 * Runs the rules of many scans or inspections in one statement, inside the batch's transaction,
 * and answers the flags raised, in order of id. Unlike `screen`, it writes no event and passes
 * nothing down: the caller (an offline batch, lots/scans.ts and inputs/inspections.ts) appends
 * their `flag.raised` events (raisedEvents) where each record's own events go, and passes down
 * what must. The records must touch distinct subjects: each is judged as if the others were not
 * there, as records applied side by side are.
 */
export async function screenRecords(
  tx: Queryable,
  s: RecordsScreening,
  rules: readonly Rule[] = allRules,
): Promise<RaisedFlag[]> {
  const statement = recordsStatementFor(s.trigger, rules);
  const facts: [string, string, string, Date, string | null][] =
    s.trigger === 'scan'
      ? s.scans.map((v) => [v.scanId, v.lotId, v.checkpointId, v.occurredAt, v.observedGrossWeightG])
      : s.inspections.map((v) => [
          v.inspectionId,
          v.movementId,
          v.checkpointId,
          v.occurredAt,
          v.observedQuantity,
        ]);
  if (!statement || facts.length === 0) return [];
  const started = performance.now();
  const args = [
    uuidArray(facts.map((r) => r[0])),
    uuidArray(facts.map((r) => r[1])),
    uuidArray(facts.map((r) => r[2])),
    pgArray(
      facts.map((r) => r[3].toISOString()),
      'timestamptz',
    ),
    pgArray(
      facts.map((r) => r[4]),
      'numeric',
    ),
  ];
  const raised = (await executePrepared<FlagDbRow>(tx, statement, args)).map(toRaised);
  observe(s.trigger, started, raised);
  await timeRulesAlone(tx, s.trigger, () => recordQueries(s.trigger, rules, sql.join(args, sql`, `)));
  return raised;
}

/**
 * Tells the listening metrics (shared/telemetry.ts) how long a screening statement took and what
 * it raised. The rules of a trigger run as ONE statement (raiseSql's union), so the time is the
 * trigger's, not a rule's: a rule's own time is measured apart, on a sample (timeRulesAlone).
 */
function observe(trigger: string, started: number, raised: readonly RaisedFlag[]): void {
  const listener = telemetry();
  if (!listener) return;
  listener.screened(trigger, (performance.now() - started) / 1000);
  if (raised.length > 0) listener.flagsRaised(raised);
}

/** The queries of `screen` with the write's values in place of the placeholders. */
function queriesWithValues(s: Screening, rules: readonly Rule[]): { rule: Rule; query: SQL }[] {
  if (s.trigger === 'scan' || s.trigger === 'inspection') {
    const [id, subject, checkpointId, occurredAt, observed] = argsOf(s) as [SQL, SQL, SQL, SQL, SQL];
    return queriesFor(s.trigger, rules, sql`SELECT NULL::uuid AS id`, {
      scan: { scanId: id, lotId: subject, checkpointId, occurredAt, observedGrossWeightG: observed },
      inspection: {
        inspectionId: id,
        movementId: subject,
        checkpointId,
        occurredAt,
        observedQuantity: observed,
      },
    });
  }
  const [ids] = argsOf(s) as [SQL];
  return queriesFor(s.trigger, rules, sql`SELECT unnest(${ids}) AS id`);
}

/**
 * On a sample of writes (the listener decides, at the operator's rate), each rule the write ran
 * is run again alone and timed, so that a slow rule can be told from the rest: in the write's own
 * statement the rules run together and only their sum is measured. Same transaction, same
 * values, read-only (candidates are counted, never inserted); costs the sampled write about its
 * screening time again, and nothing to the others.
 */
async function timeRulesAlone(
  tx: Queryable,
  trigger: string,
  queries: () => { rule: Rule; query: SQL }[],
): Promise<void> {
  const listener = telemetry();
  if (!listener?.sampleRules()) return;
  const timings: [RuleCode, number][] = [];
  try {
    // Under a savepoint: the timing is the operator's, the write the user's — a rule that fails
    // or runs past the statement timeout here rolls back to it, and the write goes on.
    await tx.transaction(async (sp) => {
      for (const { rule, query } of queries()) {
        const started = performance.now();
        await sp.execute(sql`SELECT count(*) FROM (${query}) c`);
        timings.push([rule.code, (performance.now() - started) / 1000]);
      }
    });
  } catch {
    // Counted as far as it got; the rule that failed is not timed.
  }
  for (const [rule, seconds] of timings) listener.ruleScreened(trigger, rule, seconds);
}
