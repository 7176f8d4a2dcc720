import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { thresholds } from '../../src/domain/screening/thresholds.js';
import type { TestContext } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { insertFlag } from '../helpers/flags.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const get = async (path: string, token = w.regulatorToken) => t.call('GET', path, { token });

const today = () => new Date().toISOString().slice(0, 10);

describe('GET /v1/concessions/:id/balance', () => {
  it('answers the fine gold extracted in the window against the area’s capacity, with the thresholds', async () => {
    await registerLot(t, w);
    await registerLot(t, w, { grossWeightG: '500.000', extractedOn: '2026-06-30' });
    const res = await get(`/v1/concessions/${w.concession.id}/balance?to=2026-10-31`);
    expect(res.status, res.text).toBe(200);
    const capacity = (Number(w.concession.areaHa) * 1500).toFixed(3);
    expect(res.body).toEqual({
      concessionId: w.concession.id,
      code: '07-000123',
      name: 'Guacamayo I',
      window: { from: '2025-11-01', to: '2026-10-31', days: 365 },
      areaHa: w.concession.areaHa,
      declaredFineG: '1305.000',
      lotCount: 2,
      capacityFineG: capacity,
      ratio: (1305 / Number(capacity)).toFixed(3),
      windows: [30, 90, 365].map((days) =>
        expect.objectContaining({ days, to: '2026-10-31', basis: 'concession_area' }),
      ),
      thresholds: { version: thresholds.version, fineKgPerHaYear: 1.5, minedFineKgPerHaYear: 5 },
      openFlags: {},
      flagsOnLots: {},
      flagsOnMovements: {},
    });
    // Every time scale, each with its seasonal peak factor: the month holds no lot, the quarter the
    // October one.
    const [month, quarter, year] = res.body.windows;
    expect(month).toMatchObject({
      from: '2026-10-02',
      peakFactor: 6,
      declaredFineG: '0.000',
      lotCount: 0,
      ratio: '0.000',
    });
    expect(Number(month.capacityFineG)).toBeCloseTo((Number(w.concession.areaHa) * 1500 * 30 * 6) / 365, 2);
    expect(quarter).toMatchObject({
      from: '2026-08-03',
      peakFactor: 3.8,
      declaredFineG: '870.000',
      lotCount: 1,
    });
    expect(year).toMatchObject({
      from: '2025-11-01',
      peakFactor: 1,
      declaredFineG: '1305.000',
      capacityFineG: capacity,
    });
    expect(year).toMatchObject({ footprintSource: null, minedAreaHa: null, minedCapacityFineG: null });
    // A 90-day window ending before the October lot holds the June one only, at 90/365 of the
    // capacity scaled by the quarter's seasonal peak factor (3.8).
    const short = await get(`/v1/concessions/${w.concession.id}/balance?to=2026-07-31&windowDays=90`);
    expect(short.status, short.text).toBe(200);
    expect(short.body).toMatchObject({
      window: { from: '2026-05-03', to: '2026-07-31', days: 90 },
      declaredFineG: '435.000',
      lotCount: 1,
    });
    expect(Number(short.body.capacityFineG)).toBeCloseTo(
      (Number(w.concession.areaHa) * 1500 * 90 * 3.8) / 365,
      2,
    );
  });

  it('counts the open capacity flags on its lots', async () => {
    const tiny = await t.call('POST', '/v1/concessions', {
      token: w.admin,
      body: {
        code: '07-000998',
        name: 'Chiquita',
        // Inside Guacamayo I on purpose: filed under an exception, as the registry requires.
        overlapException: { legalBasis: 'superposición admitida (prueba)' },
        kind: 'mining',
        holderId: w.miner.id,
        status: 'titled',
        grantedOn: '2012-04-20',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [-70.1005, -12.9455],
              [-70.1, -12.9455],
              [-70.1, -12.945],
              [-70.1005, -12.945],
              [-70.1005, -12.9455],
            ],
          ],
        },
      },
    });
    expect(tiny.status, tiny.text).toBe(201);
    const origin = { type: 'Point', coordinates: [-70.10025, -12.94525] };
    await registerLot(t, w, { concessionId: tiny.body.id, origin });
    const res = await get(`/v1/concessions/${tiny.body.id}/balance?to=2026-10-01`, w.admin);
    expect(res.status, res.text).toBe(200);
    // 870 g on one day is over a month, a quarter and a year of its capacity: one flag each.
    expect(res.body.openFlags).toEqual({ PRODUCTION_OVER_CAPACITY: 3 });
    expect(Number(res.body.ratio)).toBeGreaterThan(1);
  });

  it('counts every unresolved flag on the lots declared from it, inherited copies included, and none once reviewed', async () => {
    const lot = await registerLot(t, w);
    const flag = await insertFlag(t.db, { subjectId: lot.id, severity: 'critical' });
    await insertFlag(t.db, {
      subjectId: lot.id,
      rule: 'STRUCTURING',
      severity: 'medium',
      status: 'dismissed',
    });
    const split = await t.call('POST', `/v1/lots/${lot.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '600.000' }, { grossWeightG: '400.000' }] },
    });
    expect(split.status, split.text).toBe(201);
    const path = `/v1/concessions/${w.concession.id}/balance`;
    const res = await get(path);
    expect(res.status, res.text).toBe(200);
    // The flag on the lot and its copies on the two parts (declared from the same concession).
    expect(res.body.flagsOnLots).toEqual({ ORIGIN_IN_EXCLUSION_ZONE: 3 });
    expect(res.body.flagsOnMovements).toEqual({});
    expect(res.body.openFlags).toEqual({});
    const review = await t.call('POST', `/v1/flags/${flag.id}/review`, {
      token: w.regulatorToken,
      body: { decision: 'dismiss', reason: 'verified on site' },
    });
    expect(review.status, review.text).toBe(200);
    expect((await get(path)).body.flagsOnLots).toEqual({});
  });
});

describe('GET /v1/actors/:id/balance', () => {
  it('answers the gold a producer registered against the mercury and fuel it received, and the reverse', async () => {
    await registerLot(t, w);
    await registerLot(t, w);
    const res = await get(`/v1/actors/${w.miner.id}/balance`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      actorId: w.miner.id,
      taxId: '20600000011',
      production: {
        window: { days: 180 },
        declaredFineG: '1740.000',
        lotCount: 2,
        mercuryKg: '20.000',
        fuelL: '20000.000',
        mercurySupportsFineG: '20000.000',
        fuelSupportsFineG: '40000.000',
        mercuryRatio: '0.087',
        fuelRatio: '0.044',
      },
      // goldWorld's inputs arrived today: none is older than the 60-day lag yet.
      diversion: {
        window: { days: 180 },
        mercuryKg: '0.000',
        declaredFineG: '1740.000',
        mercuryKgPerKgGold: '0.000',
      },
      thresholds: { ...thresholds.inputs, version: thresholds.version },
      openFlags: { lots: {}, movements: {} },
    });
    const p = res.body.production.window;
    expect(p.to).toBe(`${today()}T23:59:59.999999Z`);
    expect(Date.parse(p.to) - Date.parse(p.goldFrom)).toBe(180 * 86_400_000);
    expect(Date.parse(p.to) - Date.parse(p.inputsFrom)).toBe(240 * 86_400_000);
    // A window that ended before anything was recorded holds nothing.
    const before = await get(`/v1/actors/${w.miner.id}/balance?to=2026-01-01&windowDays=30`);
    expect(before.status, before.text).toBe(200);
    expect(before.body.production).toMatchObject({
      declaredFineG: '0.000',
      mercuryKg: '0.000',
      mercuryRatio: null,
      fuelRatio: null,
    });
  });

  it('counts the open input and structuring flags of a producer', async () => {
    const other = await t.call('POST', '/v1/actors', {
      token: w.admin,
      body: { taxId: '20600000088', name: 'Minera Sin Insumos', kinds: ['miner'] },
    });
    const token = await t.token('exporter', { actor: other.body.id });
    await registerLot(t, w, { producerId: other.body.id, grossWeightG: '575.000' }, token);
    const res = await get(`/v1/actors/${other.body.id}/balance`, w.admin);
    expect(res.status, res.text).toBe(200);
    expect(res.body.production).toMatchObject({ declaredFineG: '500.250', mercuryRatio: null });
    expect(res.body.openFlags).toEqual({ lots: { INPUT_OUTPUT_MISMATCH: 1 }, movements: {} });
  });
});

describe('balance access and validation', () => {
  it('is for regulators and admins: exporters and checkpoints get 403, no token 401', async () => {
    for (const path of [`/v1/concessions/${w.concession.id}/balance`, `/v1/actors/${w.miner.id}/balance`]) {
      expect((await get(path, w.minerToken)).status).toBe(403);
      expect((await get(path, w.mazukoToken)).status).toBe(403);
      expect((await t.call('GET', path)).status).toBe(401);
    }
  });

  it('answers 404 for an unknown concession or actor and 400 for a bad window', async () => {
    expect((await get(`/v1/concessions/${randomUUID()}/balance`)).status).toBe(404);
    expect((await get(`/v1/actors/${randomUUID()}/balance`)).status).toBe(404);
    const badDay = await get(`/v1/concessions/${w.concession.id}/balance?to=2026-13-01`);
    expect(badDay.status).toBe(400);
    expect(badDay.headers.get('content-type')).toContain('application/problem+json');
    expect(badDay.body.errors).toEqual([expect.objectContaining({ field: 'query.to' })]);
    const badWindow = await get(`/v1/actors/${w.miner.id}/balance?windowDays=0`);
    expect(badWindow.status).toBe(400);
    expect(badWindow.body.errors).toEqual([expect.objectContaining({ field: 'query.windowDays' })]);
    expect((await get('/v1/actors/not-a-uuid/balance')).status).toBe(400);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = await t.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/concessions/{id}/balance', '/v1/actors/{id}/balance']),
    );
    expect(doc.body.paths['/v1/actors/{id}/balance'].get.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'windowDays', in: 'query' })]),
    );
  });
});
