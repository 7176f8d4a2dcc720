import { type SQL, sql } from 'drizzle-orm';
import { type Db, type Queryable, rowsOf } from '../../db/client.js';
import { jsonColumn } from '../../db/sql.js';
import { decimal, type LotState, type MovementState, Replay } from './replay.js';
import type { StateCheck, StateDifference } from './schemas.js';

/**
 * The state tables held against the event log. Verifying the log (ledger/verify.ts) proves the
 * events were not changed; it says nothing of `lots` and `movements`, which the API serves and
 * an insider can UPDATE without writing an event. Here every event is replayed to the state it
 * makes (replay.ts) and each lot and movement row compared with it, field by field, so that a
 * row changed, added or deleted behind the log is named with what the table holds and what the
 * log gives. Events the sequencer refused (ledger_incidents) are forgeries, not the log: they
 * are left out of the replay, so whatever they claimed shows as a difference.
 */

export interface StateCheckOptions {
  /** Events and rows read per query (default 10,000). */
  pageSize?: number;
}

/** How many differences the report lists; the total is always counted. */
const listed = 100;

/** Checks every lot and movement against the log, in one consistent snapshot. */
export async function checkState(db: Db, opts: StateCheckOptions = {}): Promise<StateCheck> {
  const pageSize = opts.pageSize ?? 10_000;
  // Repeatable read: the events and the rows as of one instant, so that a write committing
  // meanwhile (its row and its event together) is either wholly seen or not at all.
  return db.transaction((tx) => checkSnapshot(tx, pageSize), {
    isolationLevel: 'repeatable read',
    accessMode: 'read only',
  });
}

interface EventRow {
  seq: string | number;
  id: string;
  type: string;
  subject_type: string;
  subject_id: string;
  payload: Record<string, unknown> | string;
}

interface LotRow {
  id: string;
  code: string;
  status: string;
  custodian_id: string;
  producer_id: string | null;
  concession_id: string | null;
  gross_weight_g: string;
  fineness: string;
  fine_weight_g: string;
  form: string;
  exported_on: string | null;
  customs_declaration: string | null;
  destination_country: string | null;
  parent_ids: string | null;
}

interface MovementRow {
  id: string;
  code: string;
  status: string;
  input: string;
  quantity: string;
  unit: string;
  consignor_id: string;
  consignee_id: string;
  destination_concession_id: string | null;
  vehicle: string;
  route: string;
  authorization_id: string | null;
}

async function checkSnapshot(tx: Queryable, pageSize: number): Promise<StateCheck> {
  const refused = new Set(
    rowsOf<{ event_id: string }>(
      await tx.execute(sql`SELECT DISTINCT event_id::text AS event_id FROM ledger_incidents
        WHERE event_id IS NOT NULL`),
    ).map((r) => r.event_id),
  );
  const replay = new Replay();
  let eventsReplayed = 0;
  // Keyset pages on seq, the order the events were written: an OFFSET would rescan the log.
  for (let after = 0; ; ) {
    const page = rowsOf<EventRow>(
      await tx.execute(sql`SELECT seq, id::text AS id, type, subject_type, subject_id::text AS subject_id, payload
        FROM events WHERE seq > ${after} ORDER BY seq LIMIT ${pageSize}`),
    );
    for (const e of page) {
      if (refused.has(e.id)) continue;
      replay.apply({
        type: e.type,
        subjectType: e.subject_type,
        subjectId: e.subject_id,
        payload: jsonColumn<Record<string, unknown>>(e.payload),
      });
      eventsReplayed++;
    }
    if (page.length < pageSize) break;
    after = Number(page.at(-1)?.seq);
  }

  const differences: StateDifference[] = [];
  let differencesTotal = 0;
  const differ = (d: StateDifference) => {
    differencesTotal++;
    if (differences.length < listed) differences.push(d);
  };

  let lotsChecked = 0;
  await eachPage<LotRow>(
    tx,
    pageSize,
    (after) => sql`SELECT l.id::text AS id, l.code, l.status, l.custodian_id::text AS custodian_id,
        l.producer_id::text AS producer_id, l.concession_id::text AS concession_id,
        l.gross_weight_g::text AS gross_weight_g, l.fineness::text AS fineness,
        l.fine_weight_g::text AS fine_weight_g, l.form, l.exported_on::text AS exported_on,
        l.customs_declaration, l.destination_country,
        (SELECT string_agg(e.parent_id::text, ',') FROM lot_edges e WHERE e.child_id = l.id) AS parent_ids
      FROM lots l WHERE ${after} ORDER BY l.id LIMIT ${pageSize}`,
    'l.id',
    (row) => {
      lotsChecked++;
      const log = replay.lots.get(row.id);
      replay.lots.delete(row.id);
      if (!log?.created) {
        differ({ table: 'lots', id: row.id, field: 'row', tableValue: 'present', logValue: uncreated(log) });
        return;
      }
      compare('lots', row.id, differ, [
        ['code', row.code, log.code],
        ['status', row.status, log.status],
        ['custodianId', row.custodian_id, log.custodianId],
        ['producerId', row.producer_id, log.producerId],
        ['concessionId', row.concession_id, log.concessionId],
        ['grossWeightG', decimal(row.gross_weight_g), log.grossWeightG],
        ['fineness', decimal(row.fineness), log.fineness],
        ['fineWeightG', decimal(row.fine_weight_g), log.fineWeightG],
        ['form', row.form, log.form],
        ['parentIds', idList(row.parent_ids?.split(',') ?? []), idList(log.parentIds)],
        ['exportedOn', row.exported_on, log.exportedOn],
        ['customsDeclaration', row.customs_declaration, log.customsDeclaration],
        ['destinationCountry', row.destination_country, log.destinationCountry],
      ]);
    },
  );

  let movementsChecked = 0;
  await eachPage<MovementRow>(
    tx,
    pageSize,
    (after) => sql`SELECT m.id::text AS id, m.code, m.status, m.input, m.quantity::text AS quantity, m.unit,
        m.consignor_id::text AS consignor_id, m.consignee_id::text AS consignee_id,
        m.destination_concession_id::text AS destination_concession_id, m.vehicle, m.route,
        m.authorization_id::text AS authorization_id
      FROM movements m WHERE ${after} ORDER BY m.id LIMIT ${pageSize}`,
    'm.id',
    (row) => {
      movementsChecked++;
      const log = replay.movements.get(row.id);
      replay.movements.delete(row.id);
      if (!log?.created) {
        differ({
          table: 'movements',
          id: row.id,
          field: 'row',
          tableValue: 'present',
          logValue: uncreated(log),
        });
        return;
      }
      compare('movements', row.id, differ, [
        ['code', row.code, log.code],
        ['status', row.status, log.status],
        ['input', row.input, log.input],
        ['quantity', decimal(row.quantity), log.quantity],
        ['unit', row.unit, log.unit],
        ['consignorId', row.consignor_id, log.consignorId],
        ['consigneeId', row.consignee_id, log.consigneeId],
        ['destinationConcessionId', row.destination_concession_id, log.destinationConcessionId],
        ['vehicle', row.vehicle, log.vehicle],
        ['route', row.route, log.route],
        ['authorizationId', row.authorization_id, log.authorizationId],
      ]);
    },
  );

  // What the log names and no row holds: deleted rows, or events about rows that never were.
  for (const [table, left] of [
    ['lots', replay.lots],
    ['movements', replay.movements],
  ] as const) {
    for (const id of [...left.keys()].sort()) {
      const log = left.get(id) as LotState | MovementState;
      const logValue = log.created ? `created by ${log.created}` : `named by ${log.firstEvent}`;
      differ({ table, id, field: 'row', tableValue: null, logValue });
    }
  }

  // The running totals the screening windows read (window_totals), against what the rows just
  // checked add up to: totals changed directly, or rows written with the triggers bypassed.
  const drift = rowsOf<{ id: string; field: string; kept: string | null; rows: string | null }>(
    await tx.execute(sql`
      WITH kept AS (
        SELECT scope, subject_id, item, day, sum(amount) AS amount, sum(count)::int AS count
          FROM window_totals GROUP BY scope, subject_id, item, day
        HAVING sum(amount) <> 0 OR sum(count) <> 0
      ),
      pairs AS (
        SELECT concat_ws(':', coalesce(k.scope, r.scope), coalesce(k.subject_id, r.subject_id),
                         coalesce(k.item, r.item), coalesce(k.day, r.day)) AS id,
               k.amount AS kept_amount, r.amount AS rows_amount, k.count AS kept_count, r.count AS rows_count
          FROM kept k
          FULL JOIN window_totals_recomputed r
            ON r.scope = k.scope AND r.subject_id = k.subject_id AND r.item = k.item AND r.day = k.day
      )
      SELECT id, 'amount' AS field, kept_amount::text AS kept, rows_amount::text AS rows FROM pairs
       WHERE kept_amount IS DISTINCT FROM rows_amount
      UNION ALL
      SELECT id, 'count', kept_count::text, rows_count::text FROM pairs
       WHERE kept_count IS DISTINCT FROM rows_count
      ORDER BY 1, 2`),
  );
  for (const d of drift) {
    differ({ table: 'window_totals', id: d.id, field: d.field, tableValue: d.kept, logValue: d.rows });
  }

  return {
    ok: differencesTotal === 0,
    lotsChecked,
    movementsChecked,
    eventsReplayed,
    differences,
    differencesTotal,
  };
}

/** A row whose creating event the log lacks: none at all, or only later events about it. */
const uncreated = (log: LotState | MovementState | undefined) =>
  log ? `no creating event (first: ${log.firstEvent})` : null;

/** Parent ids as one comparable value: sorted, comma-separated. */
const idList = (ids: string[]) => [...ids].sort().join(',');

function compare(
  table: StateDifference['table'],
  id: string,
  differ: (d: StateDifference) => void,
  fields: [string, string | null, string | null][],
): void {
  for (const [field, tableValue, logValue] of fields) {
    if (tableValue !== logValue) differ({ table, id, field, tableValue, logValue });
  }
}

/** Every row of a query, by keyset pages on its id. */
async function eachPage<R extends { id: string }>(
  tx: Queryable,
  pageSize: number,
  query: (after: SQL) => SQL,
  idColumn: string,
  visit: (row: R) => void,
): Promise<void> {
  for (let after: string | undefined; ; ) {
    const page = rowsOf<R>(
      await tx.execute(query(after === undefined ? sql`true` : sql`${sql.raw(idColumn)} > ${after}::uuid`)),
    );
    for (const row of page) visit(row);
    if (page.length < pageSize) return;
    after = page.at(-1)?.id;
  }
}
