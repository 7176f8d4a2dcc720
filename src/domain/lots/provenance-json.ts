import { type SQL, sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.js';
import { listedLotIdsSql, readsAll, seenEvidenceSql } from '../screening/evidence-seen.js';
import { unresolvedSql } from '../screening/flags.js';
import { notFound } from '../shared/errors.js';
import { gs1Id } from '../shared/gs1.js';
import type { Principal } from '../shared/principal.js';
import { severities } from '../shared/vocabulary.js';
import { knowerOf, knownLots, provenanceMembers, seenLotColumns } from './access.js';
import { dagOf } from './provenance.js';
import { jwsParameter, type QrLinks } from './qr.js';

/*
 * Why a second path to the same document: getProvenance (provenance.ts) builds the Provenance
 * object that the GeoJSON and EPCIS mappings read; for the JSON format itself, turning tens of
 * thousands of rows into objects in the driver and serialising them again cost several times
 * what the SQL does (~400 ms for an ancestry of 10,000 lots). Here PostgreSQL writes the
 * document in six parts (the lot, its ancestors, descendants, edges, events and flags, each one
 * text value) that provenanceJson joins: no value is decoded into an object. The two must say
 * the same thing: test/lots/provenance.test.ts compares them field by field for a regulator, and
 * test/lots/least-knowledge.test.ts to the byte for every reader of a DAG.
 */

/** How a value is written: as the API writes it from the object path (see `jsonValue`). */
type Kind = 'uuid' | 'numeric' | 'word' | 'text' | 'date' | 'timestamp' | 'json' | 'number';
type Member = readonly [key: string, expr: SQL, kind: Kind, nullable?: 'nullable'];

const col = (name: string): SQL => sql.raw(name);

/**
 * One member's value as JSON text. uuids, numerics and words are written as their text in
 * quotes (nothing to escape; numerics keep their three decimals, as the driver gives them); text
 * through to_json, which escapes it (~0.3 µs a value: words are text this statement writes
 * itself, or a compact JWS, base64url and dots); timestamps as Date.toISOString() writes them (UTC,
 * milliseconds, which to_char truncates as JavaScript's Date does the microseconds); dates as
 * YYYY-MM-DD; json and jsonb values as they are. NULL is written null: concat() skips NULLs.
 */
function jsonValue(expr: SQL, kind: Kind, nullable: boolean): (string | SQL)[] {
  const quoted = (e: SQL): (string | SQL)[] =>
    nullable ? [sql`coalesce('"' || ${e} || '"', 'null')`] : ['"', e, '"'];
  switch (kind) {
    case 'uuid':
    case 'numeric':
    case 'word':
      return quoted(expr);
    case 'date':
      return quoted(sql`to_char(${expr}, 'YYYY-MM-DD')`);
    case 'timestamp':
      return quoted(sql`to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
    case 'text':
      return [nullable ? sql`coalesce(to_json(${expr})::text, 'null')` : sql`to_json(${expr})::text`];
    case 'json':
      return [nullable ? sql`coalesce(${expr}::text, 'null')` : sql`${expr}::text`];
    case 'number':
      return [expr];
  }
}

/**
 * A JSON object, its members in the order given, as ONE concat(): building the text piece by
 * piece with || copies it again at every step, and row_to_json or json_build_object look up how
 * to write each value's type again for every row (both measured slower for 10,000 lots).
 */
function jsonObject(members: Member[]): SQL {
  const parts: (string | SQL)[] = [];
  members.forEach(([key, expr, kind, nullable], i) => {
    parts.push(`${i === 0 ? '{' : ','}"${key}":`, ...jsonValue(expr, kind, nullable === 'nullable'));
  });
  parts.push('}');
  const merged: (string | SQL)[] = [];
  for (const p of parts) {
    const last = merged.at(-1);
    if (typeof p === 'string' && typeof last === 'string') merged[merged.length - 1] = last + p;
    else merged.push(p);
  }
  const args = merged.map((p) => (typeof p === 'string' ? sql.raw(`'${p.replaceAll("'", "''")}'`) : p));
  return sql`concat(${sql.join(args, sql`, `)})`;
}

/** A lot as presentLots presents it (lots.ts), from a row `s` of lots with its parents and flags. */
const lotMembers = (links: QrLinks): Member[] => [
  ['id', col('s.id'), 'uuid'],
  ['code', col('s.code'), 'text'],
  ['status', col('s.status'), 'text'],
  ['producerId', col('s.producer_id'), 'uuid', 'nullable'],
  ['concessionId', col('s.concession_id'), 'uuid', 'nullable'],
  ['custodianId', col('s.custodian_id'), 'uuid'],
  ['origin', sql`ST_AsGeoJSON(s.origin, 7)`, 'json', 'nullable'],
  ['extractedOn', col('s.extracted_on'), 'date', 'nullable'],
  ['grossWeightG', col('s.gross_weight_g'), 'numeric'],
  ['fineness', col('s.fineness'), 'numeric'],
  ['fineWeightG', col('s.fine_weight_g'), 'numeric'],
  ['form', col('s.form'), 'text'],
  ['exportedOn', col('s.exported_on'), 'date', 'nullable'],
  ['customsDeclaration', col('s.customs_declaration'), 'text', 'nullable'],
  ['destinationCountry', col('s.destination_country'), 'text', 'nullable'],
  ['createdAt', col('s.created_at'), 'timestamp'],
  ['updatedAt', col('s.updated_at'), 'timestamp'],
  ['qrUrl', qrUrlSql(links), 'word'],
  // gs1IdsOf of shared/gs1.ts: the code needs no percent-encoding (see qrUrlSql).
  [
    'gs1',
    sql`json_build_object('epc', ${gs1Id('lot', links.companyPrefix, '', 'epc_urn')}::text || s.code, 'digitalLink', ${gs1Id('lot', links.companyPrefix, '')}::text || s.code)`,
    'json',
  ],
];
/**
 * qrUrl of qr.ts, written by PostgreSQL: the fixed parts escaped here once for JSON, the token a
 * JWS (signQr) and the code a lot's printed code (capitals, digits, '-'), which need no escaping
 * in JSON nor percent-encoding in a Digital Link's path.
 */
function qrUrlSql(links: QrLinks): SQL {
  const json = (text: string) => JSON.stringify(text).slice(1, -1);
  if (links.format === 'compact') return sql`${json(`${links.baseUrl}/v/`)}::text || s.qr_token`;
  const key = gs1Id('lot', links.companyPrefix, '', 'digital_link', links.resolver ?? links.baseUrl);
  return sql`${json(key)}::text || s.code || ${json(`?${jwsParameter}=`)}::text || s.qr_token`;
}

/** Where a lot lies from the one asked about ('ancestor' or 'descendant', written by dagOf). */
const placeMembers: Member[] = [
  ['direction', col('s.direction'), 'word'],
  ['depth', col('s.depth'), 'number'],
];
/** riskLevel as riskLevelOf: the highest severity among open flags, ranked in `severities` order. */
const riskLevel = sql.raw(
  `CASE s.open_rank ${severities.map((v, i) => `WHEN ${i + 1} THEN '${v}'`).join(' ')} ELSE 'none' END`,
);
const presentedMembers: Member[] = [
  ['parentIds', sql`coalesce(s.parent_ids, '[]')`, 'json'],
  ['riskLevel', riskLevel, 'word'],
  ['flags', sql`coalesce(s.flag_docs, '[]')`, 'json'],
];
const severityRank = sql.raw(
  `CASE f.severity ${severities.map((v, i) => `WHEN '${v}' THEN ${i + 1}`).join(' ')} END`,
);

const edgeDoc = jsonObject([
  ['parentId', col('e.parent_id'), 'uuid'],
  ['childId', col('e.child_id'), 'uuid'],
  ['operation', col('e.operation'), 'text'],
  ['fineWeightG', col('e.fine_weight_g'), 'numeric'],
]);
const eventDoc = jsonObject([
  ['id', col('ev.id'), 'uuid'],
  ['type', col('ev.type'), 'text'],
  ['subjectId', col('ev.subject_id'), 'uuid'],
  ['occurredAt', col('ev.occurred_at'), 'timestamp'],
  ['recordedAt', col('ev.recorded_at'), 'timestamp'],
  ['payload', col('ev.payload'), 'json'],
  ['actorRole', col('ev.actor_role'), 'text'],
  ['actorId', col('ev.actor_id'), 'uuid', 'nullable'],
]);
const flagMembers = (withSubject: boolean, evidence: SQL): Member[] => [
  ['id', col('f.id'), 'uuid'],
  ...(withSubject ? ([['subjectId', col('f.subject_id'), 'uuid']] as const) : []),
  ['rule', col('f.rule'), 'text'],
  ['severity', col('f.severity'), 'text'],
  ['status', col('f.status'), 'text'],
  ['evidence', evidence, 'json'],
  ['inheritedFrom', col('f.inherited_from'), 'uuid', 'nullable'],
  ...(withSubject ? ([['createdAt', col('f.created_at'), 'timestamp']] as const) : []),
];

/**
 * The provenance of a lot for a reader, as the JSON text of the Provenance getProvenance
 * returns: one statement (`provenanceDocument`) that writes it, with the same read check
 * (access.ts: a lot the reader may not read gives no document, so 404).
 */
export async function provenanceJson(
  db: Queryable,
  by: Principal,
  id: string,
  links: QrLinks,
): Promise<string> {
  const [row] = rowsOf<DocumentParts>(await db.execute(provenanceDocument(by, id, links)));
  if (!row) throw notFound('lot', id);
  // Joined here rather than by one concat() in SQL, which copied the ~10 MB of an ancestry of
  // 10,000 lots again (each part written out, its length taken, a buffer grown by doubling;
  // ~15% of the statement's time on PostgreSQL): JavaScript joins the six texts without copying
  // them (a rope), and they are copied once, as the body is written.
  const { root, ancestors, descendants, edges, events, flags } = row;
  return `{"lot":${root},"ancestors":[${ancestors ?? ''}],"descendants":[${descendants ?? ''}],"edges":[${edges ?? ''}],"events":[${events ?? ''}],"flags":[${flags ?? ''}]}`;
}

/** The document's parts as JSON text; an empty array's elements are NULL (string_agg of nothing). */
interface DocumentParts {
  root: string;
  ancestors: string | null;
  descendants: string | null;
  edges: string | null;
  events: string | null;
  flags: string | null;
}

/**
 * The statement that writes the document, as its parts (DocumentParts): the same set-based reads as
 * getProvenance (the DAG, then the edges, events and flags of the whole set), each aggregated
 * into its part of the document.
 * - Each array is string_agg over a subquery already in the document's order, the object written
 *   in the aggregate's argument: its order is the subquery's (the way PostgreSQL's manual gives,
 *   §4.2.7 "Aggregate Expressions", which holds with no join at that level), and what is sorted
 *   is the narrow row, not its ~1 kB of JSON. `string_agg(... ORDER BY ...)` would sort the
 *   written objects, which for 10,000 lots spills the sort to disk under the default work_mem.
 * - The lots as the reader sees them (access.ts): members are those it may see, each with the
 *   bounds of its knowledge (until_seq, until_at), past which no event or flag of the lot is
 *   written and its row is shown as it stood then (seenLotColumns).
 * - The edges, each once without a UNION to hash them: every edge out of a lot of the set seen
 *   whole (which includes a split's other parts), then every edge into a descendant from a lot
 *   not seen whole (a merge's other inputs, or a lot the reader handed on). No other edge can
 *   touch the set: the parents of the lot and of its ancestors are ancestors, seen whole. The
 *   parents of every lot are among them.
 * - The parts are joined by provenanceJson, not here (see there).
 */
function provenanceDocument(by: Principal, id: string, links: QrLinks): SQL {
  const lotDoc = (withPlace: boolean) =>
    jsonObject([...lotMembers(links), ...(withPlace ? placeMembers : []), ...presentedMembers]);
  // Evidence as the reader may see it (evidence-seen.ts): lists of lots cut to the lots it knows,
  // found among every lot the flags list, once.
  const knower = readsAll(by) ? undefined : by.role === 'checkpoint' ? null : knowerOf(by);
  const knownListed =
    knower === undefined
      ? sql``
      : sql`listed_known AS MATERIALIZED (
      SELECT lot_id FROM ${
        knower === null
          ? sql`(SELECT NULL::uuid AS lot_id WHERE false)`
          : knownLots(
              knower,
              sql`SELECT x.id FROM lot_flags f CROSS JOIN LATERAL (${listedLotIdsSql(col('f.evidence'))}) AS x(id)`,
            )
      } k
    ),`;
  const evidence =
    knower === undefined ? col('f.evidence') : seenEvidenceSql(col('f.evidence'), sql`listed_known`);
  return sql`
    WITH members AS MATERIALIZED (
      SELECT * FROM ${provenanceMembers(by, id, dagOf(id))}
    ),
    edges AS MATERIALIZED (
      SELECT e.parent_id, e.child_id, e.operation, e.fine_weight_g, e.created_at
      FROM members m JOIN lot_edges e ON e.parent_id = m.lot_id
      WHERE m.until_seq IS NULL
      UNION ALL
      SELECT e.parent_id, e.child_id, e.operation, e.fine_weight_g, e.created_at
      FROM members m JOIN lot_edges e ON e.child_id = m.lot_id
      WHERE m.direction = 'descendant'
        AND NOT EXISTS (SELECT FROM members p WHERE p.lot_id = e.parent_id AND p.until_seq IS NULL)
    ),
    parents AS (
      SELECT child_id, '["' || string_agg(parent_id::text, '","') || '"]' AS ids
      FROM (SELECT child_id, parent_id FROM edges ORDER BY child_id, parent_id) e
      GROUP BY child_id
    ),
    lot_flags AS MATERIALIZED (
      SELECT f.* FROM members m JOIN flags f ON f.subject_type = 'lot' AND f.subject_id = m.lot_id
      WHERE m.until_at IS NULL OR f.created_at <= m.until_at
    ),
    ${knownListed} flagged AS (
      SELECT f.subject_id,
        '[' || string_agg(${jsonObject(flagMembers(false, evidence))}, ',' ORDER BY f.created_at, f.id) || ']' AS docs,
        max(${severityRank}) FILTER (WHERE ${sql.raw(unresolvedSql)}) AS open_rank
      FROM lot_flags f GROUP BY f.subject_id
    )
    SELECT d.root, d.ancestors, d.descendants, (
        SELECT string_agg(${edgeDoc}, ',') FROM (
          SELECT * FROM edges ORDER BY created_at, child_id, parent_id
        ) e) AS edges, (
        SELECT string_agg(${eventDoc}, ',') FROM (
          SELECT ev.* FROM members m JOIN events ev ON ev.subject_type = 'lot' AND ev.subject_id = m.lot_id
          WHERE m.until_seq IS NULL OR ev.seq <= m.until_seq
          ORDER BY ev.seq
        ) ev) AS events, (
        SELECT string_agg(${jsonObject(flagMembers(true, evidence))}, ',') FROM (
          SELECT * FROM lot_flags ORDER BY created_at, id
        ) f) AS flags
    FROM (
      SELECT
        min(${lotDoc(false)}) FILTER (WHERE s.direction IS NULL) AS root,
        string_agg(${lotDoc(true)}, ',') FILTER (WHERE s.direction = 'ancestor') AS ancestors,
        string_agg(${lotDoc(true)}, ',') FILTER (WHERE s.direction = 'descendant') AS descendants
      FROM (
        SELECT m.direction, m.depth, ${seenLotColumns('m', 'l')},
          pa.ids AS parent_ids, fl.docs AS flag_docs, fl.open_rank
        FROM members m
          JOIN lots l ON l.id = m.lot_id
          LEFT JOIN parents pa ON pa.child_id = m.lot_id
          LEFT JOIN flagged fl ON fl.subject_id = m.lot_id
        ORDER BY m.depth, l.code
      ) s
    ) d
    WHERE d.root IS NOT NULL`;
}
