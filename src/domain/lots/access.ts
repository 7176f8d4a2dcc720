import { Column, is, type SQL, sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.js';
import type { Principal } from '../shared/principal.js';

/*
 * Who may read which lot, and how much of its history: the one place every lot read asks
 * (lot reads and lists, QR and labels, provenance in all its formats, event proofs, and the
 * custody operations deciding between 404 and 409).
 *
 * Regulators and admins read everything. An exporter reads what it knew (DESIGN "Users and
 * roles": its own lots and the provenance of lots it holds), taken from the record rather
 * than from the custodian column alone, which forgets every custodian but the last:
 * - a lot it holds, or held last (a lot consumed, exported or seized keeps its custodian):
 *   its whole history;
 * - a lot it handed on (a `lot.transferred` event from it): its history up to and including
 *   the last such transfer — to whom it went, not what the next custodians did with it;
 * - a lot it produced and another registered on its behalf: up to the registration.
 * Past that point the lot is shown as it stood when it left the actor's hands (`seenLotColumns`).
 * The gold upstream of a lot it may read is its provenance, and is read whole; downstream it
 * sees only the lots it held itself, and the lots between those and the one asked about.
 */

/** The actor whose knowledge bounds a read; undefined for roles that read every lot. */
export const knowerOf = (by: Principal): string | undefined =>
  by.role === 'exporter' ? (by.actorId ?? '00000000-0000-0000-0000-000000000000') : undefined;

/**
 * The lots an actor knows, as a relation (lot_id, until_seq, handed_on): until_seq is the seq
 * of the last event it may see on the lot, NULL for the whole history; handed_on says it
 * transferred the lot away at some point. `among`, a relation of lot ids, narrows the set (each
 * source then probes its index by lot); without it, the actor's lots are found by the actor
 * (lots_custodian_idx, lots_producer_idx, events_transferred_from_idx).
 */
export function knownLots(actorId: string, among?: SQL): SQL {
  const inAmong = (col: SQL) => (among ? sql`AND ${col} IN (${among})` : sql``);
  return sql`(
    SELECT lot_id,
      CASE WHEN bool_or(held_last) THEN NULL ELSE max(until_seq) END AS until_seq,
      bool_or(handed_on) AS handed_on
    FROM (
      SELECT l.id AS lot_id, true AS held_last, NULL::bigint AS until_seq, false AS handed_on
        FROM lots l WHERE l.custodian_id = ${actorId} ${inAmong(sql`l.id`)}
      UNION ALL
      SELECT e.subject_id, false, max(e.seq), true
        FROM events e
       WHERE e.type = 'lot.transferred' AND (e.payload ->> 'from') = ${actorId}::text
         ${inAmong(sql`e.subject_id`)}
       GROUP BY e.subject_id
      UNION ALL
      SELECT l.id, false, e.seq, false
        FROM lots l
        JOIN events e ON e.subject_type = 'lot' AND e.subject_id = l.id AND e.type = 'lot.registered'
       WHERE l.producer_id = ${actorId} ${inAmong(sql`l.id`)}
    ) k
    GROUP BY lot_id
  )`;
}

/**
 * A relation `k` of known lots (lot_id, until_seq, ...) with what the event that ends the
 * reader's knowledge says: when it was recorded (until_at) and who had the lot then
 * (seen_custodian: the one it was handed to, or registered for). Read through a LATERAL with
 * OFFSET 0, so that it costs an index probe only for the lots that have such an event.
 */
function withBounds(k: SQL): SQL {
  return sql`(
    SELECT k.*, h.recorded_at AS until_at, h.custodian AS seen_custodian
    FROM ${k} k
    LEFT JOIN LATERAL (
      SELECT ev.recorded_at,
        coalesce((ev.payload ->> 'to')::uuid, (ev.payload ->> 'custodianId')::uuid) AS custodian
      FROM events ev
      WHERE k.until_seq IS NOT NULL AND ev.subject_type = 'lot' AND ev.subject_id = k.lot_id
        AND ev.seq = k.until_seq
      OFFSET 0
    ) h ON true
  )`;
}

/**
 * The columns of a lot `l` (same names as in `lots`) as a reader sees it through bounds `k`
 * (until_seq, until_at, seen_custodian; all NULL for a lot seen whole): where the reader's
 * knowledge ends, the lot is shown as it stood then — still active, with the one it was handed
 * to, nothing of a later export. Weights, origin and code never change after registration.
 */
export function seenLotColumns(k: string, l: string): SQL {
  const whole = (col: string) => `CASE WHEN ${k}.until_seq IS NULL THEN ${l}.${col} END AS ${col}`;
  return sql.raw(
    [
      `${l}.id`,
      `${l}.code`,
      `CASE WHEN ${k}.until_seq IS NULL THEN ${l}.status ELSE 'active' END AS status`,
      `${l}.producer_id`,
      `${l}.concession_id`,
      `coalesce(${k}.seen_custodian, ${l}.custodian_id) AS custodian_id`,
      `${l}.origin`,
      `${l}.extracted_on`,
      `${l}.gross_weight_g`,
      `${l}.fineness`,
      `${l}.fine_weight_g`,
      `${l}.form`,
      `coalesce(${k}.until_at, ${l}.custody_since) AS custody_since`,
      `${l}.qr_token`,
      whole('exported_on'),
      whole('customs_declaration'),
      whole('destination_country'),
      `${l}.created_at`,
      `coalesce(${k}.until_at, ${l}.updated_at) AS updated_at`,
    ].join(', '),
  );
}

type SeenColumns<T> = {
  [K in keyof T]: T[K] extends Column
    ? SQL<T[K]['_']['notNull'] extends true ? T[K]['_']['data'] : T[K]['_']['data'] | null>
    : T[K];
};

/**
 * Columns of `lots` read from a FROM item aliased `lots` (readableLots) rather than
 * from the table: drizzle refuses a column whose table is not in the query, so each becomes the
 * same name in SQL, decoded as the column decodes it.
 */
export function seenColumns<T extends Record<string, unknown>>(columns: T): SeenColumns<T> {
  return Object.fromEntries(
    Object.entries(columns).map(([key, c]) => [
      key,
      is(c, Column) ? sql`lots.${sql.identifier(c.name)}`.mapWith(c) : c,
    ]),
  ) as SeenColumns<T>;
}

/**
 * The lots a reader may list or read by id, as a FROM item aliased `lots` with the columns of
 * lots as it sees them (seenLotColumns), plus until_seq and until_at.
 */
export function readableLots(actorId: string, among?: SQL): SQL {
  return sql`(
    SELECT ${seenLotColumns('k', 'l')}, k.until_seq, k.until_at
    FROM ${withBounds(knownLots(actorId, among))} k JOIN lots l ON l.id = k.lot_id
  ) AS lots`;
}

/** What an actor knows of one lot, or undefined if it never held nor produced it. */
export async function knowledgeOf(
  db: Queryable,
  actorId: string,
  lotId: string,
): Promise<{ untilSeq: string | null; handedOn: boolean } | undefined> {
  const [row] = rowsOf<{ until_seq: string | null; handed_on: boolean }>(
    await db.execute(
      sql`SELECT until_seq::text, handed_on FROM ${knownLots(actorId, sql`SELECT ${lotId}::uuid`)} k`,
    ),
  );
  return row && { untilSeq: row.until_seq, handedOn: row.handed_on };
}

/**
 * The lots of a lot's provenance a reader may see, as a FROM item `(lot_id, direction, depth,
 * until_seq, until_at, seen_custodian)` (the bounds of seenLotColumns): the lot itself (direction NULL, depth 0), then the ancestors and descendants of
 * `dag` (dagOf of provenance.ts: lot_id, direction, depth). For an exporter the lot asked about must be one it knows (else the relation is
 * empty: 404); its ancestors are all seen whole; a descendant is seen if the exporter knows
 * it, or if it lies between the lot asked about and one the exporter knows (`upstream`: then
 * it is the provenance of what the exporter holds, and is seen whole, as is the lot asked about
 * if some descendant of it came back). The descendants the reader knows are found among the
 * DAG's by lot (`among`), so the cost follows the DAG, not the reader's holdings.
 */
export function provenanceMembers(by: Principal, id: string, dag: SQL): SQL {
  const all = sql`SELECT ${id}::uuid AS lot_id, NULL::text AS direction, 0 AS depth
    UNION ALL
    SELECT lot_id, direction, depth FROM ${dag}`;
  const actorId = knowerOf(by);
  if (actorId === undefined) {
    return sql`(
      SELECT lot_id, direction, depth,
        NULL::bigint AS until_seq, NULL::timestamptz AS until_at, NULL::uuid AS seen_custodian
      FROM (${all}) a
    ) AS pm`;
  }
  return sql`(
    WITH RECURSIVE
      dag AS MATERIALIZED (${all}),
      known AS MATERIALIZED (
        SELECT * FROM ${withBounds(knownLots(actorId, sql`SELECT lot_id FROM dag WHERE direction IS DISTINCT FROM 'ancestor'`))} kl
      ),
      upstream (lot_id) AS (
        SELECT e.parent_id FROM known k
          JOIN dag d ON d.lot_id = k.lot_id AND d.direction = 'descendant'
          JOIN lot_edges e ON e.child_id = k.lot_id
        UNION
        SELECT e.parent_id FROM upstream u
          JOIN dag d ON d.lot_id = u.lot_id AND d.direction = 'descendant'
          JOIN lot_edges e ON e.child_id = u.lot_id
      )
    SELECT d.lot_id, d.direction, d.depth, b.until_seq, b.until_at, b.seen_custodian
    FROM dag d
      LEFT JOIN known k ON k.lot_id = d.lot_id
      LEFT JOIN (SELECT DISTINCT lot_id FROM upstream) u ON u.lot_id = d.lot_id
      -- Ancestors, and lots upstream of one the reader knows, are seen whole.
      LEFT JOIN known b ON b.lot_id = k.lot_id AND d.direction IS DISTINCT FROM 'ancestor' AND u.lot_id IS NULL
    WHERE EXISTS (SELECT FROM known r WHERE r.lot_id = ${id}::uuid)
      AND (d.direction IS DISTINCT FROM 'descendant' OR k.lot_id IS NOT NULL OR u.lot_id IS NOT NULL)
  ) AS pm`;
}

/**
 * Whether a reader may see an event on a lot: regulators and admins any; an exporter one within
 * what it knows of the lot (see knownLots), or any event of a lot upstream of one it knows —
 * the provenance of its gold, as provenanceMembers shows it.
 */
export async function mayReadLotEvent(
  db: Queryable,
  by: Principal,
  lotId: string,
  eventId: string,
): Promise<boolean> {
  const actorId = knowerOf(by);
  if (actorId === undefined) return true;
  const [row] = rowsOf<{ may: boolean }>(
    await db.execute(sql`
      WITH RECURSIVE down (lot_id) AS (
        SELECT child_id FROM lot_edges WHERE parent_id = ${lotId}
        UNION
        SELECT e.child_id FROM down
          CROSS JOIN LATERAL (SELECT child_id FROM lot_edges WHERE parent_id = down.lot_id OFFSET 0) e
      )
      SELECT EXISTS (
          SELECT FROM ${knownLots(actorId, sql`SELECT ${lotId}::uuid`)} k
            JOIN events ev ON ev.id = ${eventId}
           WHERE k.until_seq IS NULL OR ev.seq <= k.until_seq
        ) OR EXISTS (SELECT FROM ${knownLots(actorId, sql`SELECT lot_id FROM down`)} k) AS may`),
  );
  return row?.may === true;
}
