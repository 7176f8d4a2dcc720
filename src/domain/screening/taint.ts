import { type SQL, sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.js';
import { anyUuid, pgArray } from '../../db/sql.js';
import { appendEvents } from '../ledger/events.js';
import type { Principal } from '../shared/principal.js';
import { unresolvedSql } from './flags.js';
import { rules } from './rules/index.js';
import type { Rule } from './rules/types.js';

/**
 * Taint (DESIGN "Risk screening": open flags of a lot pass to every lot made from it).
 *
 * An inherited flag is a copy on the descendant with the same rule, severity and evidence (plus
 * `sourceLotId`), `inheritedFrom` naming the ROOT flag — never an intermediate copy — and the
 * fingerprint `inherited:<root id>`, so a lot inherits a finding once however many paths lead to
 * it. Reviewing the root flag reviews its copies with it (flag-review.ts), which is how the
 * descendants come to show the decision. Rules about the tag rather than the gold (QR_CLONED)
 * do not pass down.
 */

/** The codes whose flags pass down. */
export const inheritableCodes: string[] = rules
  .filter((r: Rule) => (r.kind === 'lot' || r.kind === 'scan') && r.inheritable)
  .map((r) => r.code);

const codes = () => pgArray(inheritableCodes, 'text');

/**
 * Inserts the copies that `pairs` (a query of `root_id, lot_id`) names, with their events, in
 * the order of the lots (made in order, so by id) and their roots: the ledger records them in an
 * order that does not depend on the plan PostgreSQL picks for the DISTINCT.
 */
async function insertCopies(tx: Queryable, by: Principal, pairs: SQL): Promise<number> {
  const copied = rowsOf<{
    id: string;
    rule: string;
    severity: string;
    subject_id: string;
    inherited_from: string;
  }>(
    await tx.execute(sql`
      WITH pairs AS (${pairs})
      INSERT INTO flags (id, rule, severity, subject_type, subject_id, evidence, status, inherited_from, fingerprint)
      SELECT orotrace_uuid_v7(), r.rule, r.severity, 'lot', p.lot_id,
             r.evidence || jsonb_build_object('sourceLotId', r.subject_id),
             r.status, r.id, 'inherited:' || r.id::text
        FROM pairs p JOIN flags r ON r.id = p.root_id
       ORDER BY p.lot_id, r.id
      ON CONFLICT (subject_type, subject_id, rule, fingerprint) DO NOTHING
      RETURNING id, rule, severity, subject_id, inherited_from`),
  );
  // Their events, signed as every event is (ledger/write-signature.ts), in the copies' order.
  copied.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await appendEvents(
    tx,
    by,
    copied.map((c) => ({
      type: 'flag.inherited',
      subjectType: 'flag',
      subjectId: c.id,
      payload: {
        rule: c.rule,
        severity: c.severity,
        subjectType: 'lot',
        subjectId: c.subject_id,
        inheritedFrom: c.inherited_from,
      },
    })),
  );
  return copied.length;
}

/**
 * New lots (children of a split, merge or refining) inherit the unresolved, inheritable flags of
 * their parents — the parents' own and those the parents inherited. Run in the operation's
 * transaction, after the edges are written.
 */
export function inheritFromParents(tx: Queryable, by: Principal, childIds: string[]): Promise<number> {
  if (childIds.length === 0) return Promise.resolve(0);
  return insertCopies(
    tx,
    by,
    sql`SELECT DISTINCT coalesce(f.inherited_from, f.id) AS root_id, e.child_id AS lot_id
          FROM lot_edges e
          JOIN flags f ON f.subject_type = 'lot' AND f.subject_id = e.parent_id
         WHERE e.child_id = ${anyUuid(childIds)} AND ${sql.raw(unresolvedSql)}
           AND f.rule = ANY(${codes()})`,
  );
}

/**
 * Flags raised on lots that already have descendants (a re-screening, a scan of a consumed lot,
 * an escalation) pass down the whole DAG in one recursive statement.
 */
export function passDown(tx: Queryable, by: Principal, flagIds: string[]): Promise<number> {
  if (flagIds.length === 0) return Promise.resolve(0);
  return insertCopies(
    tx,
    by,
    sql`SELECT DISTINCT root_id, lot_id FROM (
          WITH RECURSIVE down(root_id, lot_id) AS (
            SELECT coalesce(f.inherited_from, f.id), e.child_id
              FROM flags f JOIN lot_edges e ON e.parent_id = f.subject_id
             WHERE f.id = ${anyUuid(flagIds)} AND f.subject_type = 'lot' AND ${sql.raw(unresolvedSql)}
               AND f.rule = ANY(${codes()})
            UNION
            SELECT d.root_id, e.child_id FROM down d JOIN lot_edges e ON e.parent_id = d.lot_id
          )
          SELECT root_id, lot_id FROM down) d`,
  );
}
