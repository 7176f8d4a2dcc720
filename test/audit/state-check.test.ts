import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { checkState } from '../../src/domain/audit/state-check.js';
import type { TestContext } from '../helpers/app.js';
import { adminDb, asInsider } from '../helpers/db.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

/**
 * An honest history written through the API — lots registered, transferred, split, merged,
 * refined, exported and seized, movements delivered and inspected — then changed behind the log
 * by an insider holding the database (the superuser connection), as GET /v1/ledger/verify and
 * `npm run verify` must catch.
 */
const world = worldPerFile(async (t) => {
  const w = await goldWorld(t);
  const call = async (path: string, token: string, body?: unknown) => {
    const res = await t.call('POST', path, { token, ...(body ? { body } : {}) });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  const a = await registerLot(t, w, { grossWeightG: '1000.000', fineness: '870' });
  const b = await registerLot(t, w, { grossWeightG: '500.000', fineness: '900', form: 'nugget' });
  const held = await registerLot(t, w, { grossWeightG: '250.500', fineness: '912.5' });
  const seized = await registerLot(t, w);
  for (const lot of [a, b])
    await call(`/v1/lots/${lot.id}/transfers`, w.minerToken, { toActorId: w.exporter.id });
  await call(`/v1/lots/${held.id}/transfers`, w.minerToken, { toActorId: w.trader.id });
  const split = await call(`/v1/lots/${a.id}/split`, w.exporterToken, {
    parts: [{ grossWeightG: '333.333' }, { grossWeightG: '333.333' }, { grossWeightG: '333.333' }],
  });
  const [p1, p2] = split.children;
  const merged = await call('/v1/lots/merge', w.exporterToken, { lotIds: [p1.id, b.id] });
  const refined = await call(`/v1/lots/${merged.id}/refine`, w.exporterToken, {
    grossWeightG: '740.000',
    fineness: '999.9',
  });
  await call(`/v1/lots/${refined.id}/export`, w.exporterToken, {
    customsDeclaration: 'DAM 262-2026-40-012345',
    destinationCountry: 'CH',
    exportedOn: '2026-11-20',
  });
  await call(`/v1/lots/${seized.id}/seize`, w.regulatorToken, { reason: 'no proof of origin' });
  // goldWorld declared two movements to the miner: one is delivered, the other inspected on the road.
  const [delivered, inspected] = rowsOf<{ id: string; quantity: string }>(
    await t.db.execute(sql`SELECT id, quantity::text AS quantity FROM movements ORDER BY input DESC`),
  );
  if (!delivered || !inspected) throw new Error('goldWorld declared no movements');
  await call(`/v1/movements/${delivered.id}/deliver`, w.minerToken);
  await call('/v1/inspections', w.mazukoToken, {
    movementId: inspected.id,
    checkpointId: w.mazuko.id,
    observedQuantity: inspected.quantity,
    outcome: 'passed',
    occurredAt: new Date().toISOString(),
    clientId: randomUUID(),
  });
  return { w, a, b, held, seized, p1, p2, merged, refined, delivered, inspected };
});

let t: TestContext;
let w: GoldWorld;
let h: Awaited<ReturnType<typeof world>>['w'];
beforeEach(async () => {
  ({ t, w: h } = await world());
  w = h.w;
});

const insider = asInsider;

const differencesOf = async () => {
  const report = await checkState(t.db);
  expect(report.ok).toBe(false);
  return report.differences;
};

describe('holding the state tables against the event log', () => {
  it('an honest history replays to exactly the lots and movements the tables hold', async () => {
    const [counts] = rowsOf<{ lots: number; movements: number; events: number }>(
      await t.db.execute(sql`SELECT (SELECT count(*)::int FROM lots) AS lots,
        (SELECT count(*)::int FROM movements) AS movements, (SELECT count(*)::int FROM events) AS events`),
    );
    const report = await checkState(t.db, { pageSize: 7 });
    expect(report).toEqual({
      ok: true,
      lotsChecked: counts?.lots,
      movementsChecked: counts?.movements,
      eventsReplayed: counts?.events,
      differences: [],
      differencesTotal: 0,
    });
    expect(report.lotsChecked).toBe(9);
    expect(report.movementsChecked).toBe(2);
  });

  it('derived lots carry fineness, form and custody in their events; older events without them replay the same', async () => {
    const [child] = rowsOf<{ payload: Record<string, unknown> }>(
      await t.db.execute(sql`SELECT payload FROM events WHERE type = 'lot.created_by_merge'`),
    );
    expect(child?.payload).toMatchObject({
      fineness: '887.999',
      form: 'granules',
      custodianId: w.exporter.id,
    });
    // As written before the payloads carried them: the replay derives them from the parents.
    await insider(
      sql`ALTER TABLE events DISABLE TRIGGER events_append_only`,
      sql`UPDATE events SET payload = payload - 'fineness' - 'form' - 'custodianId'
        WHERE type IN ('lot.created_by_split', 'lot.created_by_merge')`,
      sql`UPDATE events SET payload = payload - 'form' - 'custodianId' WHERE type = 'lot.created_by_refine'`,
      sql`ALTER TABLE events ENABLE TRIGGER events_append_only`,
    );
    expect(await checkState(t.db)).toMatchObject({ ok: true, differencesTotal: 0 });
  });

  it('weights multiplied by 1.1 in the table are named, gross and fine, with the table and the log values', async () => {
    await insider(
      sql`UPDATE lots SET gross_weight_g = gross_weight_g * 1.1, fine_weight_g = fine_weight_g * 1.1
        WHERE id = ${h.held.id}`,
    );
    expect(await differencesOf()).toEqual([
      { table: 'lots', id: h.held.id, field: 'grossWeightG', tableValue: '275.550', logValue: '250.500' },
      { table: 'lots', id: h.held.id, field: 'fineWeightG', tableValue: '251.439', logValue: '228.581' },
    ]);
  });

  it('every lot inflated at once is every lot named, and the API serves the report with ok false', async () => {
    await insider(
      sql`UPDATE lots SET gross_weight_g = gross_weight_g * 1.1, fine_weight_g = fine_weight_g * 1.1`,
    );
    const res = await t.call('GET', '/v1/ledger/verify', { token: w.regulatorToken });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.leavesChecked).toBeGreaterThanOrEqual(0);
    expect(res.body.state).toMatchObject({ ok: false, lotsChecked: 9, differencesTotal: 18 });
    const fields = new Set(res.body.state.differences.map((d: { field: string }) => d.field));
    expect(fields).toEqual(new Set(['grossWeightG', 'fineWeightG']));
  });

  it('a custodian changed behind the log is named', async () => {
    await insider(sql`UPDATE lots SET custodian_id = ${w.trader.id} WHERE id = ${h.p2.id}`);
    expect(await differencesOf()).toEqual([
      { table: 'lots', id: h.p2.id, field: 'custodianId', tableValue: w.trader.id, logValue: w.exporter.id },
    ]);
  });

  it('a seized lot set active again is named', async () => {
    await insider(sql`UPDATE lots SET status = 'active' WHERE id = ${h.seized.id}`);
    expect(await differencesOf()).toEqual([
      { table: 'lots', id: h.seized.id, field: 'status', tableValue: 'active', logValue: 'seized' },
    ]);
  });

  it('an edge of the lot graph deleted is a parent missing from the merged lot', async () => {
    await insider(
      sql`ALTER TABLE lot_edges DISABLE TRIGGER lot_edges_append_only`,
      sql`DELETE FROM lot_edges WHERE child_id = ${h.merged.id} AND parent_id = ${h.b.id}`,
      sql`ALTER TABLE lot_edges ENABLE TRIGGER lot_edges_append_only`,
    );
    expect(await differencesOf()).toEqual([
      {
        table: 'lots',
        id: h.merged.id,
        field: 'parentIds',
        tableValue: h.p1.id,
        logValue: [h.p1.id, h.b.id].sort().join(','),
      },
    ]);
  });

  it('a delivered movement set back to declared is named', async () => {
    await insider(sql`UPDATE movements SET status = 'declared' WHERE id = ${h.delivered.id}`);
    expect(await differencesOf()).toEqual([
      {
        table: 'movements',
        id: h.delivered.id,
        field: 'status',
        tableValue: 'declared',
        logValue: 'delivered',
      },
    ]);
    // The inspected one went in transit, as its event says.
    const [row] = rowsOf<{ status: string }>(
      await t.db.execute(sql`SELECT status FROM movements WHERE id = ${h.inspected.id}`),
    );
    expect(row?.status).toBe('in_transit');
  });

  it('running totals halved behind the rows are named, each day with what the rows add up to', async () => {
    const [kept] = rowsOf<{ id: string; amount: string }>(
      await t.db.execute(sql`SELECT concat_ws(':', scope, subject_id, item, day) AS id, sum(amount)::text AS amount
        FROM window_totals WHERE scope = 'concession' GROUP BY scope, subject_id, item, day ORDER BY 1 LIMIT 1`),
    );
    if (!kept) throw new Error('no concession totals in this world');
    await (await adminDb()).execute(
      sql`UPDATE window_totals SET amount = amount / 2 WHERE scope = 'concession'`,
    );
    const [halved] = rowsOf<{ amount: string }>(
      await t.db.execute(sql`SELECT sum(amount)::text AS amount FROM window_totals
        WHERE concat_ws(':', scope, subject_id, item, day) = ${kept.id}`),
    );
    expect(Number(halved?.amount)).toBe(Number(kept.amount) / 2);
    const differences = await differencesOf();
    expect(differences.every((d) => d.table === 'window_totals' && d.field === 'amount')).toBe(true);
    expect(differences).toContainEqual({
      table: 'window_totals',
      id: kept.id,
      field: 'amount',
      tableValue: halved?.amount,
      logValue: kept.amount,
    });
  });

  it('a lot inserted by SQL has no creating event', async () => {
    const id = randomUUID();
    await insider(sql`INSERT INTO lots (id, code, gross_weight_g, fineness, fine_weight_g, form, custodian_id, qr_token)
      VALUES (${id}, 'AU-2026-999999', 1000, 999.9, 999.9, 'bar', ${w.exporter.id}, 'forged')`);
    expect(await differencesOf()).toEqual([
      { table: 'lots', id, field: 'row', tableValue: 'present', logValue: null },
    ]);
  });

  it('an event the sequencer refused does not count: the transfer it claimed is a difference', async () => {
    const [transfer] = rowsOf<{ id: string }>(
      await t.db.execute(
        sql`SELECT id FROM events WHERE type = 'lot.transferred' AND subject_id = ${h.held.id}`,
      ),
    );
    if (!transfer) throw new Error('no transfer event');
    await insider(sql`INSERT INTO ledger_incidents (id, kind, fingerprint, event_id, detail)
      VALUES (${randomUUID()}, 'event_unsigned', ${`event_unsigned:${transfer.id}`}, ${transfer.id}, 'test')`);
    const report = await checkState(t.db);
    expect(report.ok).toBe(false);
    expect(report.differences).toEqual([
      { table: 'lots', id: h.held.id, field: 'custodianId', tableValue: w.trader.id, logValue: w.miner.id },
    ]);
    const [events] = rowsOf<{ n: number }>(await t.db.execute(sql`SELECT count(*)::int AS n FROM events`));
    expect(report.eventsReplayed).toBe((events?.n ?? 0) - 1);
  });

  it('a refused registration leaves its lot with no creating event', async () => {
    const [registered] = rowsOf<{ id: string }>(
      await t.db.execute(
        sql`SELECT id FROM events WHERE type = 'lot.registered' AND subject_id = ${h.held.id}`,
      ),
    );
    await insider(sql`INSERT INTO ledger_incidents (id, kind, fingerprint, event_id, detail)
      VALUES (${randomUUID()}, 'event_signature_invalid', 'x', ${registered?.id}, 'test')`);
    expect(await differencesOf()).toEqual([
      {
        table: 'lots',
        id: h.held.id,
        field: 'row',
        tableValue: 'present',
        logValue: 'no creating event (first: lot.transferred)',
      },
    ]);
  });
});
