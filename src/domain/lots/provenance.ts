import { and, asc, eq, or, type SQL, sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.js';
import { type concessions, events, flags, lotEdges, lots } from '../../db/schema/index.js';
import { anyUuid, jsonColumn, uuidArray } from '../../db/sql.js';
import { versionInForce } from '../reference/concession-geometries.js';
import { evidenceSeenBy } from '../screening/evidence-seen.js';
import { riskLevelOf } from '../screening/flags.js';
import { notFound } from '../shared/errors.js';
import type { AreaGeometry, Feature, FeatureCollection, PointGeometry } from '../shared/geojson.js';
import { type Gs1Ids, gs1IdsOf } from '../shared/gs1.js';
import type { Principal } from '../shared/principal.js';
import { provenanceMembers, seenColumns, seenLotColumns } from './access.js';
import { type Lot, lotColumns } from './lots.js';
import { type QrLinks, qrUrl } from './qr.js';
import type { Provenance, ProvenanceEdge, ProvenanceFlag, ProvenanceLot } from './schemas.js';

type Direction = ProvenanceLot['direction'];

/**
 * Ancestors and descendants of a lot in one recursive query, each at its shortest distance.
 * `up` walks lot_edges by child_id (lot_edges_child_idx), `down` by parent_id (the leading
 * column of the primary key), one index lookup per lot reached.
 * - Each step is a LATERAL subquery with OFFSET 0, which PostgreSQL may not flatten into a
 *   join: it must probe the index for each lot of the frontier. As a plain join the planner,
 *   which guesses a frontier of 10 rows, picks a hash join over a full scan of lot_edges at
 *   every step on a small table: quadratic (a chain of 1,000 lots took 107 ms instead of 3 ms).
 * - UNION, not UNION ALL: a (lot, depth) already reached is not walked again, so a DAG full of
 *   diamonds (a split whose parts are merged back) is walked once per lot and depth, not once
 *   per path, whose number grows exponentially.
 */
export const dagOf = (id: string): SQL => sql`(
  WITH RECURSIVE
    up (lot_id, depth) AS (
      SELECT parent_id, 1 FROM lot_edges WHERE child_id = ${id}
      UNION
      SELECT e.parent_id, up.depth + 1 FROM up
        CROSS JOIN LATERAL (SELECT parent_id FROM lot_edges WHERE child_id = up.lot_id OFFSET 0) e
    ),
    down (lot_id, depth) AS (
      SELECT child_id, 1 FROM lot_edges WHERE parent_id = ${id}
      UNION
      SELECT e.child_id, down.depth + 1 FROM down
        CROSS JOIN LATERAL (SELECT child_id FROM lot_edges WHERE parent_id = down.lot_id OFFSET 0) e
    )
  SELECT lot_id, 'ancestor' AS direction, min(depth) AS depth FROM up GROUP BY lot_id
  UNION ALL
  SELECT lot_id, 'descendant' AS direction, min(depth) AS depth FROM down GROUP BY lot_id
) AS dag`;

const anyOf = anyUuid;

const { qrToken: _token, ...lotFields } = lotColumns;

/**
 * A lot's columns as the API presents them, its QR URL made while the row is read (qrUrl of
 * qr.ts as the column's decoder): the rows then need no copy to drop the token, and ten thousand
 * drizzle rows copied with a rest pattern cost ~50 ms here.
 */
const presentedColumns = (links: QrLinks) => ({
  ...seenColumns(lotFields),
  qrUrl: sql<string>`${lots.qrToken}`.mapWith((jws: string) => qrUrl(links, jws)),
  gs1: sql<Gs1Ids>`${lots.code}`.mapWith((code: string) => gs1IdsOf('lot', links.companyPrefix, code)),
});

/**
 * Presents rows as presentLots does (parents, flags, risk level), from the edges and flags
 * already read for the whole set: no second read of either, grouped in maps so that presenting
 * ten thousand lots stays linear, and set on the rows themselves rather than spread into copies.
 */
function presenter(edges: ProvenanceEdge[], flagRows: ProvenanceFlag[]) {
  // Edges come ordered by parent within a child, the order presentLots gives parentIds.
  const parentsOf = new Map<string, string[]>();
  for (const e of edges) {
    const ps = parentsOf.get(e.childId);
    if (ps) ps.push(e.parentId);
    else parentsOf.set(e.childId, [e.parentId]);
  }
  const flagsOf = new Map<string, Lot['flags']>();
  for (const f of flagRows) {
    const { id, rule, severity, status, evidence, inheritedFrom } = f;
    const own = { id, rule, severity, status, evidence, inheritedFrom };
    const fs = flagsOf.get(f.subjectId);
    if (fs) fs.push(own);
    else flagsOf.set(f.subjectId, [own]);
  }
  return <R extends { id: string }>(row: R) => {
    const own = flagsOf.get(row.id) ?? [];
    return Object.assign(row, {
      parentIds: parentsOf.get(row.id) ?? [],
      riskLevel: riskLevelOf(own),
      flags: own,
    });
  };
}

/**
 * The provenance of a lot for a reader. Exporters may ask about lots they know (access.ts: they
 * hold or held them, or produced them; any other lot is 404, as for GET /v1/lots/:id); they see
 * where its gold came from, and where it went only as far as it passed through their hands —
 * lots they handed on are shown as they left them (seenLotColumns), with their events and flags up to
 * then. Four queries whatever the size of the DAG: the visible lots with their rows, then the
 * edges, events and flags of the whole set, side by side.
 * This object is what the GeoJSON and EPCIS formats map; the JSON format itself is the same
 * document written by PostgreSQL (provenance-json.ts), which a test compares with this one.
 */
export async function getProvenance(
  db: Queryable,
  by: Principal,
  id: string,
  links: QrLinks,
): Promise<Provenance> {
  const members = provenanceMembers(by, id, dagOf(id));
  const rows = await db
    .select({
      ...presentedColumns(links),
      direction: sql<Direction | null>`lots.direction`,
      depth: sql<number>`lots.depth`.mapWith(Number),
      untilSeq: sql<string | null>`lots.until_seq::text`,
      untilAt: sql<string | null>`lots.until_at::text`,
    })
    .from(
      sql`(WITH m AS MATERIALIZED (SELECT * FROM ${members})
        SELECT m.direction, m.depth, m.until_seq, m.until_at, ${seenLotColumns('m', 'l')}
        FROM m JOIN lots l ON l.id = m.lot_id) AS lots`,
    )
    .orderBy(sql`lots.depth`, asc(lots.code));
  const [first] = rows;
  if (!first || first.direction !== null) throw notFound('lot', id);
  const ids = rows.map((r) => r.id);
  const openIds = rows.filter((r) => r.untilSeq === null).map((r) => r.id);
  const bounded = rows.filter((r) => r.untilSeq !== null);
  /** Within what the reader knows of each lot: everything of an open one, up to its bound otherwise. */
  const known = (subject: SQL, bound: SQL, until: 'untilSeq' | 'untilAt', type: string) =>
    bounded.length === 0
      ? sql`${subject} = ${anyOf(ids)}`
      : sql`(${subject} = ${anyOf(openIds)} OR EXISTS (
          SELECT FROM unnest(${uuidArray(bounded.map((r) => r.id))},
                             ${`{${bounded.map((r) => `"${r[until]}"`).join(',')}}`}::${sql.raw(type)}[]) AS c(id, bound)
           WHERE c.id = ${subject} AND ${bound} <= c.bound))`;
  const [edges, eventRows, flagRows] = await Promise.all([
    db
      .select({
        parentId: lotEdges.parentId,
        childId: lotEdges.childId,
        operation: lotEdges.operation,
        fineWeightG: lotEdges.fineWeightG,
      })
      .from(lotEdges)
      // What became of a lot the reader handed on is not theirs to see: only the edges into lots
      // they see leave it.
      .where(or(sql`${lotEdges.parentId} = ${anyOf(openIds)}`, sql`${lotEdges.childId} = ${anyOf(ids)}`))
      .orderBy(asc(lotEdges.createdAt), asc(lotEdges.childId), asc(lotEdges.parentId)),
    db
      .select({
        id: events.id,
        type: events.type,
        subjectId: events.subjectId,
        occurredAt: events.occurredAt,
        recordedAt: events.recordedAt,
        payload: events.payload,
        actorRole: events.actorRole,
        actorId: events.actorId,
      })
      .from(events)
      .where(
        and(
          eq(events.subjectType, 'lot'),
          known(sql`${events.subjectId}`, sql`${events.seq}`, 'untilSeq', 'bigint'),
        ),
      )
      .orderBy(asc(events.seq)),
    db
      .select({
        id: flags.id,
        subjectId: flags.subjectId,
        rule: flags.rule,
        severity: flags.severity,
        status: flags.status,
        evidence: flags.evidence,
        inheritedFrom: flags.inheritedFrom,
        createdAt: flags.createdAt,
      })
      .from(flags)
      .where(
        and(
          eq(flags.subjectType, 'lot'),
          known(sql`${flags.subjectId}`, sql`${flags.createdAt}`, 'untilAt', 'timestamptz'),
        ),
      )
      .orderBy(asc(flags.createdAt), asc(flags.id)),
  ]);
  // Evidence as the reader may see it (evidence-seen.ts): in lists of lots, only the ones it knows.
  const seenFlags = await evidenceSeenBy(db, by, flagRows);
  const present = presenter(edges, seenFlags);
  // The bounds have served; they are dropped in place, as presenter sets its fields (no copies).
  for (const r of rows) {
    delete (r as Partial<typeof r>).untilSeq;
    delete (r as Partial<typeof r>).untilAt;
  }
  const root = first as Partial<typeof first>;
  delete root.direction;
  delete root.depth;
  const presented = (
    rows.slice(1) as (Omit<typeof first, 'untilSeq' | 'untilAt'> & { direction: Direction })[]
  ).map(present);
  return {
    lot: present(root as Omit<typeof first, 'untilSeq' | 'untilAt' | 'direction' | 'depth'>),
    ancestors: presented.filter((l) => l.direction === 'ancestor'),
    descendants: presented.filter((l) => l.direction === 'descendant'),
    edges,
    events: eventRows,
    flags: seenFlags,
  };
}

export interface OriginProperties {
  lotId: string;
  code: string;
  extractedOn: string | null;
  producerId: string | null;
  concessionId: string | null;
  /** The version of the concession's geometry in force on the extraction date: what it was judged by. */
  geometryVersion: number | null;
}
export type ConcessionProperties = Pick<
  typeof concessions.$inferSelect,
  'code' | 'name' | 'kind' | 'status'
> & {
  concessionId: string;
  geometryVersion: number;
  /** First day the version was in force (null: from the start of the record). */
  validFrom: string | null;
  /** First day it no longer was (null: in force). */
  validTo: string | null;
};
type ProvenanceFeature =
  | Feature<PointGeometry, OriginProperties>
  | Feature<AreaGeometry, ConcessionProperties>;

/**
 * The places of a provenance as GeoJSON: the origin point of every lot that has one (a lot
 * merged from gold of several origins has none; its parents do) and the polygon of every
 * concession those lots were declared from, read with ST_AsGeoJSON in one query.
 */
export async function provenanceFeatures(
  db: Queryable,
  p: Provenance,
): Promise<FeatureCollection<PointGeometry | AreaGeometry, OriginProperties | ConcessionProperties>> {
  const all = [p.lot, ...p.ancestors, ...p.descendants];
  // Each lot's concession as it stood on the extraction date (the geometry version then in
  // force; the one in force today for a lot without a date), in one query.
  const pairs = all
    .filter((l) => l.concessionId)
    .map((l) => ({ lotId: l.id, concessionId: l.concessionId, extractedOn: l.extractedOn }));
  const versions = pairs.length
    ? rowsOf<{
        lot_id: string;
        id: string;
        code: string;
        name: string;
        kind: ConcessionProperties['kind'];
        status: ConcessionProperties['status'];
        version: number;
        valid_from: string | null;
        valid_to: string | null;
        geometry: unknown;
      }>(
        await db.execute(sql`
          SELECT p."lotId" AS lot_id, c.id, c.code, c.name, c.kind, c.status, v.version,
                 to_char(v.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(v.valid_to, 'YYYY-MM-DD') AS valid_to,
                 ST_AsGeoJSON(v.geom, 7)::json AS geometry
            FROM jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb)
                   AS p("lotId" uuid, "concessionId" uuid, "extractedOn" date)
            JOIN concessions c ON c.id = p."concessionId"
            CROSS JOIN LATERAL (${versionInForce(sql`c.id`, sql`p."extractedOn"`)}) v
           ORDER BY c.code, v.version`),
      )
    : [];
  const versionOfLot = new Map(versions.map((v) => [v.lot_id, v.version]));
  const features: ProvenanceFeature[] = [];
  for (const l of all) {
    if (!l.origin) continue;
    features.push({
      type: 'Feature',
      id: l.id,
      geometry: l.origin,
      properties: {
        lotId: l.id,
        code: l.code,
        extractedOn: l.extractedOn,
        producerId: l.producerId,
        concessionId: l.concessionId,
        geometryVersion: versionOfLot.get(l.id) ?? null,
      },
    });
  }
  // One polygon per concession and version: the id is the concession's where one version applies.
  const seen = new Map<string, (typeof versions)[number]>();
  for (const v of versions) seen.set(`${v.id}@${v.version}`, v);
  const versionsPerConcession = new Map<string, number>();
  for (const v of seen.values()) versionsPerConcession.set(v.id, (versionsPerConcession.get(v.id) ?? 0) + 1);
  for (const v of seen.values()) {
    features.push({
      type: 'Feature',
      id: (versionsPerConcession.get(v.id) ?? 0) > 1 ? `${v.id}@v${v.version}` : v.id,
      geometry: jsonColumn<AreaGeometry>(v.geometry),
      properties: {
        concessionId: v.id,
        code: v.code,
        name: v.name,
        kind: v.kind,
        status: v.status,
        geometryVersion: v.version,
        validFrom: v.valid_from,
        validTo: v.valid_to,
      },
    });
  }
  return { type: 'FeatureCollection', features };
}
