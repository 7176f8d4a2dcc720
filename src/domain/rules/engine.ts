import { type SQL, sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.js';
import { executePrepared, type PreparedStatement, prepareStatement } from '../../db/prepared.js';
import { idSet } from '../../db/sql.js';
import type { FlagSummary } from '../flags.js';
import type { Principal } from '../principal.js';
import { thresholds } from '../thresholds.js';
import { rules as allRules } from './index.js';
import { eventActor } from './sql.js';
import { inheritableCodes, passDown } from './taint.js';
import {
  type Dependency,
  type InspectionFacts,
  type Rule,
  type RuleCode,
  type ScanFacts,
  subjectOf,
} from './types.js';

/** A flag just raised, with its subject. */
export interface RaisedFlag extends FlagSummary {
  subjectType: 'lot' | 'movement';
  subjectId: string;
}

/** A write that runs the rules registered for it (DESIGN "Risk screening"). */
export type Screening =
  | { trigger: 'registration' | 'custody'; lotIds: string[] }
  | { trigger: 'declaration'; movementIds: string[] }
  | { trigger: 'scan'; scan: ScanFacts }
  | { trigger: 'inspection'; inspection: InspectionFacts };

/** The candidate-flag queries of the rules a write runs. */
function queriesFor(s: Screening, rules: readonly Rule[], ids?: SQL): { rule: Rule; query: SQL }[] {
  const out: { rule: Rule; query: SQL }[] = [];
  for (const rule of rules) {
    if (s.trigger === 'scan') {
      if (rule.kind === 'scan') out.push({ rule, query: rule.screen(s.scan) });
    } else if (s.trigger === 'inspection') {
      if (rule.kind === 'inspection') out.push({ rule, query: rule.screen(s.inspection) });
    } else if (s.trigger === 'declaration') {
      if (rule.kind === 'movement' && rule.on.includes('declaration'))
        out.push({ rule, query: rule.screen(ids ?? idSet(s.movementIds)) });
    } else if (rule.kind === 'lot' && rule.on.includes(s.trigger)) {
      out.push({ rule, query: rule.screen(ids ?? idSet(s.lotIds)) });
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
  subject_type: 'lot' | 'movement';
  subject_id: string;
}

export const toRaised = (r: FlagDbRow): RaisedFlag => ({
  id: r.id,
  rule: r.rule,
  severity: r.severity,
  status: r.status,
  evidence: typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence,
  inheritedFrom: r.inherited_from,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
});

/**
 * Raises the flags the queries yield, in ONE statement: the candidates of every rule are unioned,
 * inserted once per (subject, rule, fingerprint) — a flag raised before is left as it is, even
 * dismissed — and every flag raised gets its `flag.raised` event in the same statement, so the
 * flags and their record commit together with the write that caused them.
 */
export async function raise(
  tx: Queryable,
  by: Principal,
  queries: { rule: Rule; query: SQL }[],
): Promise<RaisedFlag[]> {
  if (queries.length === 0) return [];
  return rowsOf<FlagDbRow>(
    await tx.execute(raiseSql(eventActor(by), queries, sql`SELECT * FROM raised ORDER BY id`)),
  ).map(toRaised);
}

/**
 * The same for a re-screening of many subjects, answering counts rather than rows: how many
 * flags were raised, and the ids of those that must pass down to lots made from their subjects.
 */
export async function raiseInBulk(
  tx: Queryable,
  by: Principal,
  queries: { rule: Rule; query: SQL }[],
): Promise<{ raised: number; toPassDown: string[] }> {
  if (queries.length === 0) return { raised: 0, toPassDown: [] };
  const [row] = rowsOf<{ n: number; down: string[] | string | null }>(
    await tx.execute(
      raiseSql(
        eventActor(by),
        queries,
        sql`SELECT count(*)::int AS n,
                   array_agg(id) FILTER (
                     WHERE subject_type = 'lot' AND rule = ANY(${`{${inheritableCodes.join(',')}}`}::text[])
                       AND EXISTS (SELECT 1 FROM lot_edges e WHERE e.parent_id = raised.subject_id)) AS down
              FROM raised`,
      ),
    ),
  );
  const down = row?.down ?? [];
  return {
    raised: row?.n ?? 0,
    toPassDown: typeof down === 'string' ? down.replace(/[{}]/g, '').split(',').filter(Boolean) : down,
  };
}

function raiseSql(actor: SQL, queries: { rule: Rule; query: SQL }[], answer: SQL): SQL {
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
      ),
      logged AS (
        INSERT INTO events (id, type, subject_type, subject_id, actor_sub, actor_role, actor_id, checkpoint_id, payload, occurred_at)
        SELECT orotrace_uuid_v7(), 'flag.raised', 'flag', id, ${actor},
               jsonb_build_object('rule', rule, 'severity', severity, 'subjectType', subject_type,
                                  'subjectId', subject_id, 'evidence', evidence),
               now()
          FROM raised
      )
      ${answer}`;
}

/**
 * The statement a set-based write runs (lot registration or custody, movement declaration):
 * the same for every write of its kind but for the ids and who writes, so it is prepared once per
 * connection (db/prepared.ts) — planning it was most of its cost.
 */
const byIds = new Map<string, PreparedStatement>();
function statementFor(trigger: 'registration' | 'custody' | 'declaration', rules: readonly Rule[]) {
  const key = `${trigger}:${rules.map((r) => `${r.kind}.${r.code}`).join(',')}`;
  let statement = byIds.get(key);
  if (!statement) {
    const ids = sql.raw('SELECT unnest($1::uuid[]) AS id');
    const queries = queriesFor(
      trigger === 'declaration' ? { trigger, movementIds: [] } : { trigger, lotIds: [] },
      rules,
      ids,
    );
    statement = prepareStatement(
      `orotrace_screen_${trigger}`,
      raiseSql(
        sql.raw('$2::text, $3::text, $4::uuid, $5::uuid'),
        queries,
        sql`SELECT * FROM raised ORDER BY id`,
      ),
      ['uuid[]', 'text', 'text', 'uuid', 'uuid'],
    );
    byIds.set(key, statement);
  }
  return statement;
}

/**
 * Runs the rules a write triggers, inside that write's transaction, and answers the flags it
 * raised. Flags raised on a lot that already has descendants (a scan of a consumed lot) pass down
 * to them; a lot just registered or transferred has none.
 */
export async function screen(
  tx: Queryable,
  by: Principal,
  s: Screening,
  rules: readonly Rule[] = allRules,
): Promise<RaisedFlag[]> {
  if (s.trigger === 'registration' || s.trigger === 'custody' || s.trigger === 'declaration') {
    const ids = s.trigger === 'declaration' ? s.movementIds : s.lotIds;
    if (queriesFor(s, rules).length === 0) return [];
    const rows = await executePrepared<FlagDbRow>(tx, statementFor(s.trigger, rules), [
      sql`${`{${ids.join(',')}}`}::uuid[]`,
      sql`${by.sub}::text`,
      sql`${by.role}::text`,
      sql`${by.actorId ?? null}::uuid`,
      sql`${by.checkpointId ?? null}::uuid`,
    ]);
    return rows.map(toRaised);
  }
  const queries = queriesFor(s, rules);
  const raised = await raise(tx, by, queries);
  if (s.trigger === 'scan') {
    const inheritable = new Set(
      queries.filter((q) => q.rule.kind === 'scan' && q.rule.inheritable).map((q) => q.rule.code),
    );
    const down = raised.filter((f) => inheritable.has(f.rule));
    if (down.length > 0)
      await passDown(
        tx,
        by,
        down.map((f) => f.id),
      );
  }
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
