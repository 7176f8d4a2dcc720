import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import type { TestContext } from '../helpers/app.js';
import { type GoldWorld, goldWorld, lotBody, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const totalActiveFine = async () =>
  rowsOf<{ s: string }>(
    await t.db.execute(
      sql`SELECT coalesce(sum(fine_weight_g), 0)::text AS s FROM lots WHERE status = 'active'`,
    ),
  )[0]?.s;

describe('registering a lot', () => {
  it('computes the fine weight exactly, gives a printable code and a signed QR URL', async () => {
    const lot = await registerLot(t, w, { grossWeightG: '1234.567', fineness: '873.5' });
    expect(lot).toMatchObject({
      code: expect.stringMatching(/^AU-\d{4}-000001$/),
      status: 'active',
      producerId: w.miner.id,
      custodianId: w.miner.id,
      concessionId: w.concession.id,
      grossWeightG: '1234.567',
      fineness: '873.500',
      // 1234.567 × 0.8735 = 1078.3942745 → rounded down to the milligram
      fineWeightG: '1078.394',
      form: 'dore',
      parentIds: [],
      riskLevel: 'none',
      flags: [],
      origin: { type: 'Point', coordinates: [-70.1, -12.945] },
    });
    expect(lot.qrUrl).toMatch(/^http:\/\/orotrace\.test\/v\/[\w-]+\.[\w-]+\.[\w-]+$/);
    const second = await registerLot(t, w);
    expect(second.code).toMatch(/-000002$/);
  });

  it('0.1 + 0.2 style amounts stay exact', async () => {
    const lot = await registerLot(t, w, { grossWeightG: 0.3, fineness: 1000 });
    expect(lot.grossWeightG).toBe('0.300');
    expect(lot.fineWeightG).toBe('0.300');
  });

  it.each([
    ['negative weight', { grossWeightG: '-5' }, 'grossWeightG'],
    ['zero weight', { grossWeightG: '0' }, 'grossWeightG'],
    ['NaN weight', { grossWeightG: 'NaN' }, 'grossWeightG'],
    ['four decimals', { grossWeightG: '1.2345' }, 'grossWeightG'],
    ['fineness 0', { fineness: 0 }, 'fineness'],
    ['fineness 1001', { fineness: '1001' }, 'fineness'],
    ['origin out of range', { origin: { type: 'Point', coordinates: [-70, -91] } }, 'origin.coordinates.1'],
    ['unknown form', { form: 'ingot' }, 'form'],
    ['extraction in the future', { extractedOn: '2999-01-01' }, 'extractedOn'],
  ])('refuses %s with a 400 naming the field, and writes nothing', async (_name, over, field) => {
    const res = await t.call('POST', '/v1/lots', { token: w.minerToken, body: lotBody(w, over) });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    const [row] = rowsOf<{ n: string }>(await t.db.execute(sql`SELECT count(*)::text AS n FROM lots`));
    expect(row?.n).toBe('0');
  });

  it('an unknown concession or producer is a 422 naming the field', async () => {
    const unknown = '01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f';
    const c = await t.call('POST', '/v1/lots', {
      token: w.minerToken,
      body: lotBody(w, { concessionId: unknown }),
    });
    expect(c.status).toBe(422);
    expect(c.body.errors[0].field).toBe('concessionId');
    const p = await t.call('POST', '/v1/lots', {
      token: w.traderToken,
      body: lotBody(w, { producerId: unknown }),
    });
    expect(p.status).toBe(422);
    expect(p.body.errors[0].field).toBe('producerId');
  });

  it('a trader registers on the producer’s behalf and holds the lot; a miner cannot register another’s gold', async () => {
    const lot = await registerLot(t, w, {}, w.traderToken);
    expect(lot.producerId).toBe(w.miner.id);
    expect(lot.custodianId).toBe(w.trader.id);
    const other = await t.call('POST', '/v1/actors', {
      token: w.admin,
      body: { taxId: '10400000099', name: 'Otro minero', kinds: ['miner'] },
    });
    const otherToken = await t.token('exporter', { actor: other.body.id });
    const res = await t.call('POST', '/v1/lots', { token: otherToken, body: lotBody(w) });
    expect(res.status).toBe(403);
  });

  it('exporters read only lots they produced or hold (404 otherwise); regulators read all', async () => {
    const lot = await registerLot(t, w);
    expect((await t.call('GET', `/v1/lots/${lot.id}`, { token: w.minerToken })).status).toBe(200);
    const stranger = await t.call('GET', `/v1/lots/${lot.id}`, { token: w.exporterToken });
    expect(stranger.status).toBe(404);
    expect((await t.call('GET', `/v1/lots/${lot.id}`, { token: w.regulatorToken })).status).toBe(200);
    const mine = await t.call('GET', '/v1/lots', { token: w.exporterToken });
    expect(mine.body.items).toEqual([]);
    const all = await t.call('GET', '/v1/lots?status=active', { token: w.regulatorToken });
    expect(all.body.items.map((l: { id: string }) => l.id)).toEqual([lot.id]);
  });
});

describe('custody', () => {
  it('a lot is transferred, split, merged with another, refined and exported, and no gold is created', async () => {
    const a = await registerLot(t, w, { grossWeightG: '1000.000', fineness: '870' }); // 870.000 fine
    const b = await registerLot(t, w, { grossWeightG: '500.000', fineness: '900' }); // 450.000 fine
    const before = await totalActiveFine();
    expect(before).toBe('1320.000');

    for (const lot of [a, b]) {
      const tr = await t.call('POST', `/v1/lots/${lot.id}/transfers`, {
        token: w.minerToken,
        body: { toActorId: w.exporter.id },
      });
      expect(tr.status).toBe(200);
      expect(tr.body.custodianId).toBe(w.exporter.id);
    }
    const split = await t.call('POST', `/v1/lots/${a.id}/split`, {
      token: w.exporterToken,
      body: {
        parts: [{ grossWeightG: '333.333' }, { grossWeightG: '333.333' }, { grossWeightG: '333.333' }],
      },
    });
    expect(split.status).toBe(201);
    expect(split.body.parent.status).toBe('consumed');
    expect(split.body.children.map((c: { fineWeightG: string }) => c.fineWeightG)).toEqual([
      '289.999',
      '289.999',
      '289.999',
    ]);
    expect(split.body.children[0].parentIds).toEqual([a.id]);
    expect(split.body.children[0].origin).toEqual(a.origin);

    const [p1, p2] = split.body.children;
    const merged = await t.call('POST', '/v1/lots/merge', {
      token: w.exporterToken,
      body: { lotIds: [p1.id, b.id] },
    });
    expect(merged.status).toBe(201);
    expect(merged.body).toMatchObject({
      grossWeightG: '833.333',
      fineWeightG: '739.999',
      fineness: '887.999',
    });
    expect([...merged.body.parentIds].sort()).toEqual([p1.id, b.id].sort());

    const refined = await t.call('POST', `/v1/lots/${merged.body.id}/refine`, {
      token: w.exporterToken,
      body: { grossWeightG: '740.000', fineness: '999.9' },
    });
    expect(refined.status).toBe(201);
    expect(refined.body).toMatchObject({ fineWeightG: '739.926', form: 'bar', parentIds: [merged.body.id] });

    const exported = await t.call('POST', `/v1/lots/${refined.body.id}/export`, {
      token: w.exporterToken,
      body: {
        customsDeclaration: 'DAM 262-2026-40-012345',
        destinationCountry: 'CH',
        exportedOn: '2026-11-20',
      },
    });
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({ status: 'exported', destinationCountry: 'CH' });

    // Active gold now: p2 and the third part; the rest was exported or lost in refining.
    const after = Number(await totalActiveFine());
    const exportedFine = Number(exported.body.fineWeightG);
    expect(after + exportedFine).toBeLessThanOrEqual(Number(before));
    expect(after).toBeCloseTo(289.999 * 2, 3);
    expect(p2.status).toBe('active');
  });

  it('a split whose parts outweigh the lot is a 422 with the numbers, and changes nothing', async () => {
    const lot = await registerLot(t, w, { grossWeightG: '100.000' });
    const res = await t.call('POST', `/v1/lots/${lot.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '60' }, { grossWeightG: '40.001' }] },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ inputGrossWeightG: '100.000', outputGrossWeightG: '100.001' });
    const again = await t.call('GET', `/v1/lots/${lot.id}`, { token: w.minerToken });
    expect(again.body.status).toBe('active');
  });

  it('refining that would create fine gold is a 422 with the numbers', async () => {
    const lot = await registerLot(t, w, { grossWeightG: '100.000', fineness: '800' });
    const res = await t.call('POST', `/v1/lots/${lot.id}/refine`, {
      token: w.minerToken,
      body: { grossWeightG: '90', fineness: '999.9' },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ inputFineWeightG: '80.000', outputFineWeightG: '89.991' });
  });

  it('a consumed, exported or seized lot accepts no further operation (409)', async () => {
    const lot = await registerLot(t, w);
    await t.call('POST', `/v1/lots/${lot.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '1' }, { grossWeightG: '2' }] },
    });
    const again = await t.call('POST', `/v1/lots/${lot.id}/transfers`, {
      token: w.minerToken,
      body: { toActorId: w.trader.id },
    });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/consumed/);

    const other = await registerLot(t, w);
    const seized = await t.call('POST', `/v1/lots/${other.id}/seize`, {
      token: w.regulatorToken,
      body: { reason: 'origin in RN Tambopata' },
    });
    expect(seized.status).toBe(200);
    expect(seized.body.status).toBe('seized');
    const afterSeize = await t.call('POST', `/v1/lots/${other.id}/refine`, {
      token: w.minerToken,
      body: { grossWeightG: '1', fineness: '999' },
    });
    expect(afterSeize.status).toBe(409);
  });

  it('only the custodian operates a lot; another actor’s lot is not found', async () => {
    const lot = await registerLot(t, w);
    const res = await t.call('POST', `/v1/lots/${lot.id}/transfers`, {
      token: w.exporterToken,
      body: { toActorId: w.exporter.id },
    });
    expect(res.status).toBe(404);
    const merge = await t.call('POST', '/v1/lots/merge', {
      token: w.exporterToken,
      body: { lotIds: [lot.id, lot.id] },
    });
    expect(merge.status).toBe(400);
  });

  it('every operation writes its events in the same transaction', async () => {
    const lot = await registerLot(t, w);
    await t.call('POST', `/v1/lots/${lot.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '500' }, { grossWeightG: '500' }] },
    });
    const types = rowsOf<{ type: string }>(
      await t.db.execute(sql`SELECT type FROM events WHERE subject_type = 'lot' ORDER BY seq`),
    ).map((r) => r.type);
    expect(types).toEqual(['lot.registered', 'lot.split', 'lot.created_by_split', 'lot.created_by_split']);
  });
});
