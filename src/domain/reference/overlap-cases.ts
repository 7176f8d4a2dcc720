import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, type Queryable, rowsOf } from '../../db/client.js';
import { jsonColumn } from '../../db/sql.js';
import { appendEvent, appendEvents } from '../ledger/events.js';
import { rescreenConcession } from '../screening/rescreen.js';
import { daySchema, today } from '../shared/dates.js';
import { ApiError, notFound } from '../shared/errors.js';
import { type AreaGeometry, areaSchema } from '../shared/geojson.js';
import { afterId, type Page, type PageRequest, pageFrom } from '../shared/page.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import {
  type OverlapCaseStatus,
  type OverlapFoundAt,
  type OverlapOutcome,
  overlapCaseStatuses,
  overlapFoundAt,
  overlapOutcomes,
} from '../shared/vocabulary.js';
import { retireConcession, updateConcession } from './concessions.js';
import { areaSql } from './geometry.js';
import { beyondSliver, fileOverlapCases, inForce, lockRegistry } from './overlaps.js';

/**
 * Overlap cases: every overlap of two rights on the record — filed under an exception, found at
 * an import, or found by a scan of the registry — worked by regulators and admins from `open`
 * (optionally through `in_mediation`) to an authority's decision: `resolved` (the rights coexist,
 * one is reduced, or one is annulled) or `annulled` (dismissed). Each step is a ledger event in
 * the transaction that makes it; a resolution re-screens the lots of both rights.
 */

const rightSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  retiredOn: z.string().nullable(),
  holderId: z.uuid().nullable(),
  holderName: z.string().nullable(),
  areaHa: z.string(),
  /** The overlap as a fraction of this right (0–1). */
  share: z.string().nullable(),
});

export const overlapCaseSchema = z.object({
  id: z.uuid(),
  status: z.enum(overlapCaseStatuses),
  foundAt: z.enum(overlapFoundAt),
  areaHa: z.string(),
  /** The overlap (MultiPolygon, as found). */
  geometry: areaSchema,
  /** The right filed (or found) second, over `other`. */
  concession: rightSchema,
  other: rightSchema,
  exception: z.object({ legalBasis: z.string(), note: z.string().nullable() }).nullable(),
  mediationNote: z.string().nullable(),
  decision: z
    .object({
      outcome: z.enum(overlapOutcomes),
      authority: z.string(),
      resolution: z.string(),
      decidedOn: z.string(),
      note: z.string().nullable(),
      concessionId: z.uuid().nullable(),
    })
    .nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OverlapCase = z.infer<typeof overlapCaseSchema>;

export const overlapCaseDetailSchema = overlapCaseSchema.extend({
  concession: rightSchema.extend({ geometry: areaSchema }),
  other: rightSchema.extend({ geometry: areaSchema }),
});
export type OverlapCaseDetail = z.infer<typeof overlapCaseDetailSchema>;

export const mediationSchema = z.object({ note: text({ min: 3, max: 2000, multiline: true }) }).strict();
export type Mediation = z.infer<typeof mediationSchema>;

/**
 * An authority's decision. `right_reduced` names the right reduced and its new geometry (which
 * must clear the other right: the registry checks it as any redrawing); `right_annulled` names
 * the right annulled; `coexistence` and `dismissed` name none.
 */
export const decisionSchema = z
  .object({
    outcome: z.enum(overlapOutcomes),
    authority: text({ max: 300 }),
    resolution: text({ max: 200 }),
    decidedOn: daySchema,
    note: text({ max: 2000, multiline: true }).optional(),
    concessionId: z.uuid().optional(),
    geometry: areaSchema.optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const names = d.outcome === 'right_reduced' || d.outcome === 'right_annulled';
    if (names && !d.concessionId) {
      ctx.addIssue({
        code: 'custom',
        path: ['concessionId'],
        message: `${d.outcome} names the right it affects`,
      });
    }
    if (!names && d.concessionId) {
      ctx.addIssue({
        code: 'custom',
        path: ['concessionId'],
        message: `${d.outcome} affects no single right`,
      });
    }
    if (d.outcome === 'right_reduced' && !d.geometry) {
      ctx.addIssue({
        code: 'custom',
        path: ['geometry'],
        message: 'right_reduced gives the reduced geometry',
      });
    }
    if (d.outcome !== 'right_reduced' && d.geometry) {
      ctx.addIssue({ code: 'custom', path: ['geometry'], message: 'only right_reduced changes a geometry' });
    }
  });
export type Decision = z.infer<typeof decisionSchema>;

// --- filing ----------------------------------------------------------------------------------

/**
 * Rights whose overlaps one transaction of the scan looks for and files (see scanOverlaps). Measured
 * on the embedded database, 3,000 rights in a grid, 2,940 overlapping pairs, a busy machine: in one
 * transaction the scan took 16.6 s and another query waited 15.2 s for it; in batches of 200,
 * 19.6 s and at most 2.2 s; of 50, 21.1 s and 0.8 s.
 */
const scanRightsPerBatch = 100;

/** What one batch of the scan did: the last right it looked at, the pairs found, the cases opened. */
interface ScanStep {
  last: string;
  pairs: number;
  opened: string[];
  full: boolean;
}

/**
 * The backfill an admin runs: every pair of rights in force that overlap beyond the sliver
 * tolerance and have no case yet is filed as an open case (found at `scan`). Pairs come from a
 * self-join through the GiST index; the later right of a pair is its `concession`.
 *
 * In batches of `batch` rights (in id order; each pair is found once, from its later right), one
 * transaction each: on a registry of thousands of rights a single transaction held the registry
 * lock — every filing and redrawing of a right waiting — and, on the embedded database, the one
 * connection, for the whole scan. A scan cut short leaves the batches it committed filed; run again,
 * it files the rest (a pair with a case is never filed twice).
 */
export async function scanOverlaps(
  db: Db,
  by: Principal,
  opts: { batch?: number } = {},
): Promise<{ filed: string[]; pairs: number }> {
  const batch = opts.batch ?? scanRightsPerBatch;
  const filed: string[] = [];
  let pairs = 0;
  let after: string | null = null;
  for (;;) {
    const from: string | null = after;
    const step: ScanStep | null = await db.transaction(async (tx): Promise<ScanStep | null> => {
      await lockRegistry(tx);
      const rights = rowsOf<{ id: string }>(
        await tx.execute(sql`
          SELECT c.id FROM concessions c
           WHERE ${inForce('c')} AND ${from === null ? sql`true` : sql`c.id > ${from}`}
           ORDER BY c.id LIMIT ${batch}`),
      );
      const last = rights.at(-1)?.id;
      if (last === undefined) return null;
      const found = rowsOf<{ a: string; b: string }>(
        await tx.execute(sql`
          SELECT c.id AS a, o.id AS b
            FROM concessions c
            JOIN concessions o ON o.geom && c.geom AND ST_Intersects(o.geom, c.geom)
             AND (o.created_at, o.id) < (c.created_at, c.id)
           CROSS JOIN LATERAL (
             SELECT ST_Area(ST_CollectionExtract(ST_Intersection(o.geom, c.geom), 3)::geography) AS m2) x
           WHERE ${from === null ? sql`true` : sql`c.id > ${from}`} AND c.id <= ${last}
             AND ${inForce('c')} AND ${inForce('o')}
             AND NOT EXISTS (
               SELECT 1 FROM overlap_cases k
                WHERE (k.concession_id, k.other_concession_id) IN ((c.id, o.id), (o.id, c.id)))
             AND ${beyondSliver(sql`x.m2`, sql`ST_Area(c.geom::geography)`, sql`ST_Area(o.geom::geography)`)}
           ORDER BY c.id, o.id`),
      );
      const opened: string[] = [];
      for (const p of found)
        opened.push(...(await fileOverlapCases(tx, by, p.a, [p.b], { foundAt: 'scan' })));
      return { last, pairs: found.length, opened, full: rights.length === batch };
    });
    if (step === null) break;
    pairs += step.pairs;
    filed.push(...step.opened);
    if (!step.full) break;
    after = step.last;
  }
  return { filed, pairs };
}

// --- reading ---------------------------------------------------------------------------------

interface CaseRow {
  id: string;
  status: OverlapCaseStatus;
  found_at: OverlapFoundAt;
  area_ha: string;
  geometry: unknown;
  concession: unknown;
  other: unknown;
  exception_legal_basis: string | null;
  exception_note: string | null;
  mediation_note: string | null;
  outcome: OverlapOutcome | null;
  authority: string | null;
  resolution: string | null;
  decided_on: string | null;
  decision_note: string | null;
  affected_concession_id: string | null;
  created_at: string;
  updated_at: string;
}

const rightJson = (alias: string, withGeometry: boolean): SQL =>
  sql.raw(`jsonb_build_object(
    'id', ${alias}.id, 'code', ${alias}.code, 'name', ${alias}.name, 'kind', ${alias}.kind,
    'status', ${alias}.status, 'retiredOn', ${alias}.retired_on, 'holderId', ${alias}.holder_id,
    'holderName', (SELECT a.name FROM actors a WHERE a.id = ${alias}.holder_id),
    'areaHa', ${alias}.area_ha::text,
    'share', round((k.area_ha / nullif(${alias}.area_ha, 0))::numeric, 4)::text
    ${withGeometry ? `, 'geometry', ST_AsGeoJSON(${alias}.geom, 7)::jsonb` : ''})`);

const selectCases = (where: SQL, withGeometry: boolean, limit?: number): SQL => sql`
  SELECT k.id, k.status, k.found_at, k.area_ha::text AS area_ha,
         ST_AsGeoJSON(k.geom, 7) AS geometry,
         ${rightJson('c', withGeometry)} AS concession, ${rightJson('o', withGeometry)} AS other,
         k.exception_legal_basis, k.exception_note, k.mediation_note, k.outcome, k.authority,
         k.resolution, k.decided_on::text AS decided_on, k.decision_note, k.affected_concession_id,
         to_char(k.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
         to_char(k.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
    FROM overlap_cases k
    JOIN concessions c ON c.id = k.concession_id
    JOIN concessions o ON o.id = k.other_concession_id
   WHERE ${where}
   ORDER BY k.id
   ${limit === undefined ? sql`` : sql`LIMIT ${limit}`}`;

function caseOf(r: CaseRow): OverlapCase {
  return {
    id: r.id,
    status: r.status,
    foundAt: r.found_at,
    areaHa: r.area_ha,
    geometry: jsonColumn<AreaGeometry>(r.geometry),
    concession: jsonColumn<OverlapCase['concession']>(r.concession),
    other: jsonColumn<OverlapCase['other']>(r.other),
    exception: r.exception_legal_basis
      ? { legalBasis: r.exception_legal_basis, note: r.exception_note }
      : null,
    mediationNote: r.mediation_note,
    decision:
      r.outcome && r.decided_on
        ? {
            outcome: r.outcome,
            authority: r.authority ?? '',
            resolution: r.resolution ?? '',
            decidedOn: r.decided_on,
            note: r.decision_note,
            concessionId: r.affected_concession_id,
          }
        : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function getOverlapCase(db: Queryable, id: string): Promise<OverlapCaseDetail> {
  const [row] = rowsOf<CaseRow>(await db.execute(selectCases(sql`k.id = ${id}`, true)));
  if (!row) throw notFound('overlap case', id);
  return caseOf(row) as OverlapCaseDetail;
}

export interface OverlapCaseQuery extends PageRequest {
  status?: OverlapCaseStatus | undefined;
  /** Either right of the pair. */
  concessionId?: string | undefined;
  /** The holder of either right. */
  holderId?: string | undefined;
}

export async function listOverlapCases(db: Queryable, q: OverlapCaseQuery): Promise<Page<OverlapCase>> {
  const after = afterId(q.cursor);
  const where = sql.join(
    [
      sql`true`,
      ...(after ? [sql`k.id > ${after}`] : []),
      ...(q.status ? [sql`k.status = ${q.status}`] : []),
      ...(q.concessionId ? [sql`${q.concessionId} IN (k.concession_id, k.other_concession_id)`] : []),
      ...(q.holderId ? [sql`${q.holderId} IN (c.holder_id, o.holder_id)`] : []),
    ],
    sql` AND `,
  );
  const rows = rowsOf<CaseRow>(await db.execute(selectCases(where, false, q.limit + 1)));
  return pageFrom(rows.map(caseOf), q.limit);
}

// --- working a case --------------------------------------------------------------------------

async function lockCase(
  tx: Queryable,
  id: string,
): Promise<{ status: OverlapCaseStatus; a: string; b: string }> {
  const [row] = rowsOf<{ status: OverlapCaseStatus; a: string; b: string }>(
    await tx.execute(
      sql`SELECT status, concession_id AS a, other_concession_id AS b FROM overlap_cases WHERE id = ${id} FOR UPDATE`,
    ),
  );
  if (!row) throw notFound('overlap case', id);
  return row;
}

/** A case goes to mediation from `open` only. */
export async function startMediation(
  db: Db,
  by: Principal,
  id: string,
  m: Mediation,
): Promise<OverlapCaseDetail> {
  return db.transaction(async (tx) => {
    const current = await lockCase(tx, id);
    if (current.status !== 'open') {
      throw new ApiError(
        'conflict',
        `overlap case ${id} is ${current.status}; only an open case goes to mediation`,
      );
    }
    await tx.execute(
      sql`UPDATE overlap_cases SET status = 'in_mediation', mediation_note = ${m.note}, updated_at = now() WHERE id = ${id}`,
    );
    await appendEvent(tx, by, {
      type: 'overlap_case.mediation_started',
      subjectType: 'overlap_case',
      subjectId: id,
      payload: { note: m.note, previousStatus: current.status },
    });
    return getOverlapCase(tx, id);
  });
}

const overlapRule = 'CONCESSION_OVERLAPS_OTHER_RIGHTS';

/**
 * Closes the overlap flags of the pair (open or escalated, copies included) with the decision as
 * their reason: the authority settled what they warned about. Each closed flag is a
 * `flag.reviewed` event, as a regulator's review would be.
 */
async function closeOverlapFlags(
  tx: Queryable,
  by: Principal,
  pair: { a: string; b: string },
  reason: string,
  /** Only the flags of lots extracted on or after this day (null: all of them). */
  extractedFrom: string | null,
): Promise<string[]> {
  const closed = rowsOf<{ id: string; previous: string; inherited_from: string | null }>(
    await tx.execute(sql`
      WITH target AS (
        SELECT id, status FROM flags
         WHERE rule = ${overlapRule} AND status IN ('open', 'escalated')
           AND ((evidence ->> 'concessionId', evidence ->> 'otherConcessionId')
                IN ((${pair.a}::text, ${pair.b}::text), (${pair.b}::text, ${pair.a}::text)))
           AND (${extractedFrom}::date IS NULL OR EXISTS (
                 SELECT 1 FROM lots l
                  WHERE flags.subject_type = 'lot' AND l.id = flags.subject_id
                    AND l.extracted_on >= ${extractedFrom}::date))
         FOR UPDATE)
      UPDATE flags f SET status = 'acknowledged', reviewed_by = ${by.sub}, review_reason = ${reason},
                         reviewed_at = now()
        FROM target WHERE f.id = target.id
      RETURNING f.id, target.status AS previous, f.inherited_from`),
  );
  await appendEvents(
    tx,
    by,
    closed.map((f) => ({
      type: 'flag.reviewed',
      subjectType: 'flag',
      subjectId: f.id,
      payload: {
        decision: 'acknowledge',
        reason,
        previousStatus: f.previous,
        inheritedFrom: f.inherited_from,
      },
    })),
  );
  return closed.map((f) => f.id);
}

/**
 * What a decision may do: be dated today or earlier, and — for a reduction — give the right a
 * boundary inside its current one and smaller, so that a case never serves to move a right
 * elsewhere (onto gold that was mined outside it) or to enlarge it.
 */
async function assertDecidable(tx: Queryable, d: Decision): Promise<void> {
  if (d.decidedOn > today()) {
    throw new ApiError('unprocessable', `decidedOn ${d.decidedOn} is in the future (today is ${today()})`, {
      errors: [{ field: 'decidedOn', message: 'a decision is recorded once taken' }],
    });
  }
  if (d.outcome !== 'right_reduced' || !d.concessionId || !d.geometry) return;
  const [shape] = rowsOf<{ inside: boolean; smaller: boolean }>(
    await tx.execute(sql`
      SELECT ST_CoveredBy(n.g, c.geom) AS inside, ST_Area(n.g::geography) < ST_Area(c.geom::geography) AS smaller
        FROM concessions c, (SELECT ${areaSql(d.geometry)} AS g) n
       WHERE c.id = ${d.concessionId}`),
  );
  if (shape && !(shape.inside && shape.smaller)) {
    throw new ApiError(
      'unprocessable',
      'a reduction gives the right a boundary inside its current one, and smaller; this one is not',
      {
        errors: [
          { field: 'geometry', message: 'must lie inside the right’s current boundary and be smaller' },
        ],
      },
    );
  }
}

/**
 * Records an authority's decision on a case (from `open` or `in_mediation`) and carries out its
 * effect in the same transaction: `right_reduced` redraws the named right through the registry's
 * own geometry change (checked against every right in force, recorded and re-screened there),
 * `right_annulled` cancels the named right and retires it from the decision's date, so it is no
 * longer in force. Every resolution closes the pair's overlap flags with the decision as reason
 * and re-screens the lots of both rights; a coexistence also keeps the rule from flagging the
 * pair again. `dismissed` annuls the case and touches nothing else.
 */
export async function decideOverlapCase(
  db: Db,
  by: Principal,
  id: string,
  d: Decision,
): Promise<OverlapCaseDetail> {
  return db.transaction(async (tx) => {
    // The registry's lock first, as every registration takes it before anything else: a decision
    // that redraws a right while a registration files a case on the same pair then waits instead
    // of deadlocking.
    await lockRegistry(tx);
    const current = await lockCase(tx, id);
    if (current.status !== 'open' && current.status !== 'in_mediation') {
      throw new ApiError('conflict', `overlap case ${id} is already ${current.status}`);
    }
    await assertDecidable(tx, d);
    if (d.concessionId && d.concessionId !== current.a && d.concessionId !== current.b) {
      throw new ApiError(
        'unprocessable',
        `concession ${d.concessionId} is not one of the rights of overlap case ${id}`,
        { errors: [{ field: 'concessionId', message: 'not a right of this case' }] },
      );
    }
    const status: OverlapCaseStatus = d.outcome === 'dismissed' ? 'annulled' : 'resolved';
    await tx.execute(sql`
      UPDATE overlap_cases
         SET status = ${status}, outcome = ${d.outcome}, authority = ${d.authority},
             resolution = ${d.resolution}, decided_on = ${d.decidedOn}, decision_note = ${d.note ?? null},
             affected_concession_id = ${d.concessionId ?? null}, updated_at = now()
       WHERE id = ${id}`);
    if (d.outcome === 'right_reduced' && d.concessionId && d.geometry) {
      // The reduced boundary is the right's from the day the authority decided it: lots extracted
      // since are judged by it, earlier ones by the boundary they were extracted under.
      await updateConcession(tx, by, d.concessionId, {
        geometry: d.geometry,
        geometryValidFrom: d.decidedOn,
      });
    }
    if (d.outcome === 'right_annulled' && d.concessionId) {
      await updateConcession(tx, by, d.concessionId, { status: 'cancelled' });
      await retireConcession(tx, by, d.concessionId, d.decidedOn);
    }
    const closedFlags =
      status === 'resolved'
        ? await closeOverlapFlags(
            tx,
            by,
            current,
            `overlap case ${d.outcome}: ${d.authority}, ${d.resolution} of ${d.decidedOn}`,
            // A coexistence makes the overlap lawful; a reduction or an annulment changes the
            // rights from its date only, so gold extracted before it keeps its warning.
            d.outcome === 'coexistence' ? null : d.decidedOn,
          )
        : [];
    await appendEvent(tx, by, {
      type: 'overlap_case.decided',
      subjectType: 'overlap_case',
      subjectId: id,
      payload: {
        outcome: d.outcome,
        authority: d.authority,
        resolution: d.resolution,
        decidedOn: d.decidedOn,
        note: d.note ?? null,
        concessionId: d.concessionId ?? null,
        previousStatus: current.status,
        status,
        closedFlags,
      },
    });
    if (status === 'resolved') {
      await rescreenConcession(tx, by, current.a);
      await rescreenConcession(tx, by, current.b);
    }
    return getOverlapCase(tx, id);
  });
}
