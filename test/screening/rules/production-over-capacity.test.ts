import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/db/client.js';
import { rescreenConcession } from '../../../src/domain/screening/rescreen.js';
import { ruleFor } from '../../../src/domain/screening/rules/index.js';
import type { TestContext } from '../../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { type ApiFlag, flagsOf, one } from '../../helpers/flags.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const capacityFlags = (lot: { flags: ApiFlag[] }) => flagsOf(lot, 'PRODUCTION_OVER_CAPACITY');

/**
 * A concession of ~0.3 ha (0.0005° a side) held by goldWorld's miner, shifted `dx` degrees east:
 * ~450 g of fine gold a year (A); 30 days hold up to 49 % of A (× 30/365 × 6), 90 days 94 %.
 */
async function tinyConcession(code = '07-000999', dx = 0) {
  const res = await t.call('POST', '/v1/concessions', {
    token: w.admin,
    body: {
      // Rights of these tests may lie over others: filed under an exception.
      overlapException: { legalBasis: 'superposición admitida (prueba)' },
      code,
      name: `Guacamayo Chico ${code}`,
      kind: 'mining',
      holderId: w.miner.id,
      status: 'titled',
      grantedOn: '2012-04-20',
      geometry: box(-70.1005 + dx, -12.9455, -70.1 + dx, -12.945),
    },
  });
  expect(res.status, res.text).toBe(201);
  const annual = Number(res.body.areaHa) * 1500;
  return { ...res.body, annual, origin: { type: 'Point', coordinates: [-70.10025 + dx, -12.94525] } };
}

/** The gross weight (870 ‰) of a lot carrying `fineG` of fine gold. */
const grossFor = (fineG: number) => (fineG / 0.87).toFixed(3);

/** The day `n` days after `day`. */
const plus = (day: string, n: number) =>
  new Date(Date.parse(day) + n * 86_400_000).toISOString().slice(0, 10);

/** Capacity flags in the table, by lot: the fingerprints raised on it (and whether inherited). */
async function capacityFlagsByLot() {
  const rows = rowsOf<{ subject_id: string; fingerprint: string; inherited: boolean }>(
    await t.db.execute(sql`
      SELECT subject_id, fingerprint, inherited_from IS NOT NULL AS inherited FROM flags
       WHERE rule = 'PRODUCTION_OVER_CAPACITY' ORDER BY subject_id, fingerprint`),
  );
  const by = new Map<string, string[]>();
  for (const r of rows)
    by.set(r.subject_id, [...(by.get(r.subject_id) ?? []), r.inherited ? 'inherited' : r.fingerprint]);
  return by;
}

describe('PRODUCTION_OVER_CAPACITY', () => {
  it('flags the lot that takes a tiny concession over a year of area × 1.5 kg/ha/yr, with the balance as evidence', async () => {
    const c = await tinyConcession();
    expect(c.annual).toBeGreaterThan(400);
    expect(c.annual).toBeLessThan(500);
    // Five lots of 39 % of A, 91 days apart: no month or quarter holds more than one of them.
    const fine = Math.round(c.annual * 0.39);
    const lots = [];
    for (let i = 0; i < 5; i++)
      lots.push(
        await registerLot(t, w, {
          concessionId: c.id,
          origin: c.origin,
          grossWeightG: grossFor(fine),
          extractedOn: plus('2025-10-05', 91 * i),
        }),
      );
    const fineG = Number(lots[0].fineWeightG);
    // 1.17 A at the third lot: over the year, medium; the fourth and fifth stay medium (< 2 A).
    expect(lots.slice(0, 2).flatMap(capacityFlags)).toEqual([]);
    const flag = one(capacityFlags(lots[2]));
    expect(flag).toMatchObject({ severity: 'medium', status: 'open' });
    expect(flag.evidence).toMatchObject({
      concessionId: c.id,
      concessionCode: '07-000999',
      areaHa: c.areaHa,
      windowDays: 365,
      peakFactor: 1,
      windowFrom: plus('2025-10-05', 182 - 364),
      windowTo: plus('2025-10-05', 182),
      declaredFineG: (3 * fineG).toFixed(3),
      capacityFineG: c.annual.toFixed(3),
      basis: 'concession_area',
      ratio: ((3 * fineG) / c.annual).toFixed(3),
      lotCount: 3,
      fineKgPerHaYear: 1.5,
      minedAreaHa: null,
    });
    expect(capacityFlags(lots[3])).toEqual([expect.objectContaining({ severity: 'medium' })]);
    expect(capacityFlags(lots[4])).toEqual([expect.objectContaining({ severity: 'medium' })]);
    expect(ruleFor('PRODUCTION_OVER_CAPACITY', 'lot')?.summarize(flag.evidence)).toContain(
      `${c.areaHa} ha at 1.5 kg/ha/yr, × 365/365 × 1 seasonal peak`,
    );
  });

  it('flags a burst in a month that stays under the year, on the month scale alone', async () => {
    const c = await tinyConcession();
    // Three lots of 18 % of A in one week: 54 % of A in a month (over 49 %), under 94 % and 100 %.
    const body = { concessionId: c.id, origin: c.origin, grossWeightG: grossFor(c.annual * 0.18) };
    const first = await registerLot(t, w, { ...body, extractedOn: '2026-09-24' });
    const second = await registerLot(t, w, { ...body, extractedOn: '2026-09-27' });
    const third = await registerLot(t, w, { ...body, extractedOn: '2026-10-01' });
    expect([...capacityFlags(first), ...capacityFlags(second)]).toEqual([]);
    const flag = one(capacityFlags(third));
    expect(flag).toMatchObject({ severity: 'medium' });
    expect(flag.evidence).toMatchObject({
      windowDays: 30,
      peakFactor: 6,
      windowFrom: '2026-09-02',
      windowTo: '2026-10-01',
      lotCount: 3,
      capacityFineG: ((c.annual * 30 * 6) / 365).toFixed(3),
    });
    // Far over at every scale: 5 A more raises the quarter and the year too, on the next lot.
    const big = await registerLot(t, w, {
      ...body,
      grossWeightG: grossFor(c.annual * 5),
      extractedOn: '2026-10-02',
    });
    expect(capacityFlags(big).map((f) => [f.evidence.windowDays, f.severity])).toEqual(
      expect.arrayContaining([
        [30, 'critical'],
        [90, 'critical'],
        [365, 'critical'],
      ]),
    );
  });

  it('flags the same lots whatever order they are registered in: a back-filled year at 1.44× capacity', async () => {
    // Six lots of 24 % of A, 60 days apart: no month or quarter is over, the year is (1.44 A).
    const dates = [0, 60, 120, 180, 240, 300].map((d) => plus('2025-12-05', d));
    const inOrder = await tinyConcession('07-000997', 0.002);
    const backFilled = await tinyConcession('07-000996', 0.004);
    const lotsOf = async (c: typeof inOrder, order: number[]) => {
      const lots: { id: string; flags: ApiFlag[] }[] = [];
      for (const i of order)
        lots[i] = await registerLot(t, w, {
          concessionId: c.id,
          origin: c.origin,
          grossWeightG: grossFor(c.annual * 0.24),
          extractedOn: dates[i],
        });
      return lots;
    };
    const forward = await lotsOf(inOrder, [0, 1, 2, 3, 4, 5]);
    // Newest first, each lot back-dated before those already registered.
    const backward = await lotsOf(backFilled, [5, 4, 3, 2, 1, 0]);
    // Registered in order, the fifth and sixth cross the line as they come.
    expect(forward.map((l) => capacityFlags(l).length)).toEqual([0, 0, 0, 0, 1, 1]);
    // Back-filled, none is flagged when it is registered: the flags land on the two newest lots,
    // registered first, when the older lots join their windows.
    expect(backward.map((l) => capacityFlags(l).length)).toEqual([0, 0, 0, 0, 0, 0]);
    const flagged = await capacityFlagsByLot();
    for (const [i, lot] of backward.entries())
      expect(flagged.get(lot.id) ?? [], `lot ${i}`).toEqual(i >= 4 ? ['window:365'] : []);
    for (const [i, lot] of forward.entries())
      expect(flagged.get(lot.id) ?? [], `lot ${i}`).toEqual(i >= 4 ? ['window:365'] : []);
  });

  it('passes a flag raised on an older lot down to the parts it was split into since', async () => {
    const c = await tinyConcession();
    const body = { concessionId: c.id, origin: c.origin };
    const newest = await registerLot(t, w, {
      ...body,
      grossWeightG: grossFor(c.annual * 0.4),
      extractedOn: '2026-09-01',
    });
    const split = await t.call('POST', `/v1/lots/${newest.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '100.000' }, { grossWeightG: '100.000' }] },
    });
    expect(split.status, split.text).toBe(201);
    // Two lots back-dated into its year (and apart from each other): 1.1 A in the year ending on it.
    for (const extractedOn of ['2026-02-13', '2026-05-01'])
      expect(
        capacityFlags(
          await registerLot(t, w, { ...body, grossWeightG: grossFor(c.annual * 0.35), extractedOn }),
        ),
      ).toEqual([]);
    const flagged = await capacityFlagsByLot();
    expect(flagged.get(newest.id)).toEqual(['window:365']);
    for (const part of split.body.children as { id: string }[])
      expect(flagged.get(part.id)).toEqual(['inherited']);
  });

  it('re-screened with its concession, flags what the later lots made over capacity, without duplicates', async () => {
    const c = await tinyConcession();
    const body = { concessionId: c.id, origin: c.origin, grossWeightG: grossFor(c.annual * 0.3) };
    const first = await registerLot(t, w, body);
    const second = await registerLot(t, w, body);
    expect(capacityFlags(first)).toEqual([]);
    // 60 % of A on one day: over a month (49 %), not a quarter (94 %) nor a year.
    const fingerprints = ['window:30'];
    expect(capacityFlags(second).map((f) => `window:${f.evidence.windowDays}`)).toEqual(fingerprints);
    const run = () => t.db.transaction((tx) => rescreenConcession(tx, { sub: 'test', role: 'admin' }, c.id));
    // The first lot's windows (it comes first on the day) hold it alone, under every capacity.
    expect(await run()).toMatchObject({ lotsScreened: 2, flagsRaised: 0 });
    const flagged = await capacityFlagsByLot();
    expect(flagged.get(first.id)).toBeUndefined();
    expect(flagged.get(second.id)).toEqual(fingerprints);
  });

  it('leaves honest producers alone: steady at 0.8× capacity, and a year of gold won in a few months', async () => {
    const steady = await tinyConcession('07-000995', 0.006);
    const seasonal = await tinyConcession('07-000994', 0.008);
    const lumpy = await tinyConcession('07-000993', 0.01);
    const lots: { flags: ApiFlag[] }[] = [];
    // Twelve monthly lots totalling 80 % of A.
    for (let i = 0; i < 12; i++)
      lots.push(
        await registerLot(t, w, {
          concessionId: steady.id,
          origin: steady.origin,
          grossWeightG: grossFor((steady.annual * 0.8) / 12),
          extractedOn: plus('2025-10-20', 30 * i),
        }),
      );
    // Seventeen weekly lots in the dry season (112 days) totalling 95 % of A.
    for (let i = 0; i < 17; i++)
      lots.push(
        await registerLot(t, w, {
          concessionId: seasonal.id,
          origin: seasonal.origin,
          grossWeightG: grossFor((seasonal.annual * 0.95) / 17),
          extractedOn: plus('2026-05-15', 7 * i),
        }),
      );
    // Four lots of a month's gold each, four weeks apart: 90 % of A in three months.
    for (let i = 0; i < 4; i++)
      lots.push(
        await registerLot(t, w, {
          concessionId: lumpy.id,
          origin: lumpy.origin,
          grossWeightG: grossFor((lumpy.annual * 0.9) / 4),
          extractedOn: plus('2026-06-01', 28 * i),
        }),
      );
    expect(lots.flatMap(capacityFlags)).toEqual([]);
    expect((await capacityFlagsByLot()).size).toBe(0);
  });

  it('does not fire for the same lots on a large concession (goldWorld stays clean)', async () => {
    for (const grossWeightG of ['300.000', '600.000', '1000.000', '10000.000']) {
      const lot = await registerLot(t, w, { grossWeightG });
      expect(lot.flags).toEqual([]);
    }
  });

  describe('against the mined area detected on the concession', () => {
    /** A layer of source 'amw' looking at `coverage` from 2019 (to 2025 by default), and one footprint. */
    async function footprints(
      coverage: string,
      footprint: string,
      o: { polygonHa?: string; minedHa?: string; observedTo?: string } = {},
    ) {
      await t.db.execute(sql`
        INSERT INTO detection_layers (id, source, name, attribution, coverage, observed_from, observed_to)
        VALUES (gen_random_uuid(), 'amw', 'Amazon Mining Watch (test)', 'Amazon Mining Watch, CC BY 4.0',
                ST_Multi(ST_GeomFromText(${coverage}, 4326)), '2019-01-01', ${o.observedTo ?? '2025-12-31'}::date)`);
      await t.db.execute(sql`
        INSERT INTO mining_detections (id, kind, source, source_ref, period, observed_from, observed_to,
                                       polygon_area_ha, mined_area_ha, geom)
        VALUES (gen_random_uuid(), 'footprint', 'amw', ${`test:${footprint}`}, '2023', '2023-01-01', '2023-12-31',
                ${o.polygonHa ?? null}::numeric, ${o.minedHa ?? null}::numeric,
                ST_Multi(ST_GeomFromText(${footprint}, 4326)))`);
    }
    // Around Guacamayo I (-70.12..-70.08, -12.96..-12.93), and a ~1.2 ha footprint inside it.
    const around = 'POLYGON((-70.2 -13.0, -70.0 -13.0, -70.0 -12.9, -70.2 -12.9, -70.2 -13.0))';
    const elsewhere = 'POLYGON((-69.5 -12.7, -69.4 -12.7, -69.4 -12.6, -69.5 -12.6, -69.5 -12.7))';
    const pit = 'POLYGON((-70.101 -12.946, -70.1 -12.946, -70.1 -12.945, -70.101 -12.945, -70.101 -12.946))';

    it('flags gold far beyond the mining seen on a large concession, saying so', async () => {
      // Half of the footprint is mined (1 of 2 ha): ~0.6 ha, ~3 kg a year, ~1.5 kg a month.
      await footprints(around, pit, { polygonHa: '2.000', minedHa: '1.000' });
      const first = await registerLot(t, w);
      expect(capacityFlags(first)).toEqual([]);
      const second = await registerLot(t, w);
      const flag = one(capacityFlags(second));
      expect(flag.evidence).toMatchObject({
        windowDays: 30,
        basis: 'mined_area',
        footprintSource: 'amw',
        declaredFineG: '1740.000',
        minedFineKgPerHaYear: 5,
      });
      const minedHa = Number(flag.evidence.minedAreaHa);
      expect(minedHa).toBeGreaterThan(0.55);
      expect(minedHa).toBeLessThan(0.65);
      expect(Number(flag.evidence.capacityFineG)).toBeCloseTo((minedHa * 5000 * 30 * 6) / 365, 0);
      expect(Number(flag.evidence.areaCapacityFineG)).toBeGreaterThan(100_000);
      expect(ruleFor('PRODUCTION_OVER_CAPACITY', 'lot')?.summarize(flag.evidence)).toContain(
        `${flag.evidence.minedAreaHa} ha of mining detected on it (amw)`,
      );
      const balance = await t.call('GET', `/v1/concessions/${w.concession.id}/balance?to=2026-10-01`, {
        token: w.regulatorToken,
      });
      expect(balance.status, balance.text).toBe(200);
      expect(balance.body.windows.map((x: { days: number; basis: string }) => [x.days, x.basis])).toEqual([
        [30, 'mined_area'],
        [90, 'mined_area'],
        [365, 'mined_area'],
      ]);
    });

    it('on a real Amazon Mining Watch footprint: a concession around a 2020 pit cannot back 15 kg in a month', async () => {
      const data = (name: string) => JSON.parse(readFileSync(resolve('..', 'shared', 'data', name), 'utf8'));
      type Feature = {
        properties: Record<string, unknown>;
        geometry: { type: string; coordinates: unknown };
      };
      const amw = data('amw-mining-detections-madre-de-dios.geojson').features as Feature[];
      const pit = amw.find((f) => f.properties.period === '2020' && f.properties.source_index === 65);
      if (!pit) throw new Error('AMW 2020 footprint #65 not in the data set');
      expect(pit.properties).toMatchObject({ polygon_area_ha: 13.52, mined_area_ha: 5.66 });
      const department = data('peru-madre-de-dios-departamento.geojson').features[0] as Feature;
      await t.db.execute(sql`
        INSERT INTO detection_layers (id, source, name, attribution, coverage, observed_from, observed_to)
        VALUES (gen_random_uuid(), 'amw', 'Amazon Mining Watch, Madre de Dios', 'Amazon Mining Watch',
                ST_Multi(ST_GeomFromGeoJSON(${JSON.stringify(department.geometry)})), '2019-01-01', '2025-09-30')`);
      await t.db.execute(sql`
        INSERT INTO mining_detections (id, kind, source, source_ref, period, observed_from, observed_to,
                                       polygon_area_ha, mined_area_ha, geom)
        VALUES (gen_random_uuid(), 'footprint', 'amw', 'amw:2020:65', '2020', '2020-01-01', '2020-12-31',
                13.52, 5.66, ST_Multi(ST_GeomFromGeoJSON(${JSON.stringify(pit.geometry)})))`);
      // A concession: the pit's bounding box and ~1 km around it, a few hundred hectares.
      const [shape] = rowsOf<{ box: string; origin: string }>(
        await t.db.execute(sql`
          SELECT ST_AsGeoJSON(ST_Expand(ST_Envelope(g), 0.01)) AS box, ST_AsGeoJSON(ST_PointOnSurface(g)) AS origin
            FROM (SELECT ST_GeomFromGeoJSON(${JSON.stringify(pit.geometry)}) AS g) p`),
      );
      if (!shape) throw new Error('no shape');
      const res = await t.call('POST', '/v1/concessions', {
        token: w.admin,
        body: {
          // Rights of these tests may lie over others: filed under an exception.
          overlapException: { legalBasis: 'superposición admitida (prueba)' },
          code: '07-000777',
          name: 'Around AMW 2020 #65',
          kind: 'mining',
          holderId: w.miner.id,
          status: 'titled',
          grantedOn: '2012-04-20',
          geometry: JSON.parse(shape.box),
        },
      });
      expect(res.status, res.text).toBe(201);
      const body = { concessionId: res.body.id, origin: JSON.parse(shape.origin), extractedOn: '2025-08-01' };
      // 5.66 ha mined: ~28 kg a year, ~14 kg in a month at the peak factor. 8.7 kg fine passes;
      // 6.1 kg more does not.
      expect(capacityFlags(await registerLot(t, w, { ...body, grossWeightG: '10000.000' }))).toEqual([]);
      const burst = await registerLot(t, w, { ...body, grossWeightG: '7000.000', extractedOn: '2025-08-10' });
      const flag = one(capacityFlags(burst));
      expect(flag.evidence).toMatchObject({ windowDays: 30, basis: 'mined_area', footprintSource: 'amw' });
      expect(Number(flag.evidence.minedAreaHa)).toBeCloseTo(5.66, 1);
      // The concession's area alone would have covered it many times over.
      expect(Number(flag.evidence.areaCapacityFineG)).toBeGreaterThan(
        10 * Number(flag.evidence.capacityFineG),
      );
    });

    it('judges by area alone where no layer covers the concession, or one that no longer looks', async () => {
      await footprints(elsewhere, pit);
      expect(capacityFlags(await registerLot(t, w))).toEqual([]);
      expect(capacityFlags(await registerLot(t, w))).toEqual([]);
      // Covered, but the lots are from October 2026, over a year after the layer's last day:
      // mining opened since is not in it.
      await footprints(around, pit.replace(/-70.101 /g, '-70.1015 '), { observedTo: '2025-06-30' });
      expect(capacityFlags(await registerLot(t, w))).toEqual([]);
      expect(capacityFlags(await registerLot(t, w))).toEqual([]);
    });
  });
});
