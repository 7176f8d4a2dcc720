import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  coverageOf,
  type DetectionImportSummary,
  importDetections,
} from '../../../src/domain/reference/detections.js';
import { readFeatureCollection } from '../../../src/domain/reference/import.js';
import { noMiningFootprint } from '../../../src/domain/screening/rules/no-mining-footprint.js';
import { originFarFromFootprint } from '../../../src/domain/screening/rules/origin-far-from-footprint.js';
import { evidenceSentence } from '../../../src/web/shared/evidence.js';
import { type TestContext, testApp } from '../../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';

/**
 * NO_MINING_FOOTPRINT and ORIGIN_FAR_FROM_FOOTPRINT on the real Amazon Mining Watch layer of
 * Madre de Dios (../shared/data, SOURCES.md §6; CC BY 4.0, Earth Genome), imported through the
 * domain function the CLI uses. Places are picked in plain JavaScript from the GeoJSON vertices
 * (an isolated footprint, a spot kilometres from every footprint), never by PostGIS, whose
 * answer is what is under test.
 */

const data = (name: string) => JSON.parse(readFileSync(resolve('..', 'shared', 'data', name), 'utf8'));
type Position = [number, number];
interface Footprint {
  period: string;
  vertices: Position[];
  bbox: [number, number, number, number];
}

const verticesOf = (g: { type: string; coordinates: unknown }): Position[] =>
  (g.type === 'Polygon' ? [g.coordinates] : (g.coordinates as unknown[])).flat(2) as Position[];
const bboxOf = (vs: Position[]): [number, number, number, number] => [
  Math.min(...vs.map((v) => v[0])),
  Math.min(...vs.map((v) => v[1])),
  Math.max(...vs.map((v) => v[0])),
  Math.max(...vs.map((v) => v[1])),
];
/** Metres between two points, equirectangular: good to a fraction of a percent at these scales. */
const metres = (a: Position, b: Position) => {
  const k = 111_320;
  const dx = (a[0] - b[0]) * k * Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  const dy = (a[1] - b[1]) * k;
  return Math.hypot(dx, dy);
};
/** Distance from a point to a box (0 inside), in metres. */
const toBox = (p: Position, [w, s, e, n]: number[]) =>
  metres(p, [Math.min(Math.max(p[0], w ?? 0), e ?? 0), Math.min(Math.max(p[1], s ?? 0), n ?? 0)]);

let t: TestContext;
let w: GoldWorld;
let footprints: Footprint[];
let summary: DetectionImportSummary;
let importSeconds: number;
let seq = 0;

async function concession(b: [number, number, number, number]): Promise<string> {
  seq += 1;
  const res = await t.call('POST', '/v1/concessions', {
    token: w.admin,
    body: {
      // Rights of these tests may lie over others: filed under an exception.
      overlapException: { legalBasis: 'superposición admitida (prueba)' },
      code: `07-RS-${String(seq).padStart(4, '0')}`,
      name: `Concesión de prueba ${seq}`,
      kind: 'mining',
      holderId: w.miner.id,
      status: 'titled',
      grantedOn: '2012-04-20',
      geometry: box(...b),
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

type Flag = { rule: string; severity: string; evidence: Record<string, unknown> };
async function lotFlags(concessionId: string, origin: Position, extractedOn: string) {
  const lot = await registerLot(t, w, {
    concessionId,
    origin: { type: 'Point', coordinates: origin },
    extractedOn,
  });
  const flags = lot.flags as Flag[];
  return {
    none: flags.filter((f) => f.rule === 'NO_MINING_FOOTPRINT'),
    far: flags.filter((f) => f.rule === 'ORIGIN_FAR_FROM_FOOTPRINT'),
  };
}

/** The box of half-side `m` metres around a point. */
const around = ([lon, lat]: Position, m: number): [number, number, number, number] => {
  const dLat = m / 111_320;
  const dLon = m / (111_320 * Math.cos((lat * Math.PI) / 180));
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
};

beforeAll(async () => {
  t = await testApp();
  w = await goldWorld(t);
  const file = 'amw-mining-detections-madre-de-dios.geojson';
  const features = readFeatureCollection(data(file)) as {
    geometry: { type: string; coordinates: unknown };
    properties: { period: string };
  }[];
  footprints = features.map((f) => {
    const vertices = verticesOf(f.geometry);
    return { period: f.properties.period, vertices, bbox: bboxOf(vertices) };
  });
  const started = performance.now();
  summary = await importDetections(t.db, file, features, {
    source: 'amw',
    name: 'Amazon Mining Watch',
    attribution: 'Earth Genome / Amazon Mining Watch, CC BY 4.0',
    kind: 'footprint',
    coverage: coverageOf(data('peru-madre-de-dios-departamento.geojson'), 'departamento'),
  });
  importSeconds = (performance.now() - started) / 1000;
}, 300_000);

/** Metres from a point to the nearest footprint vertex: an upper bound of its distance to the footprint. */
const nearestVertexM = (p: Position, except?: Footprint) => {
  let best = Number.POSITIVE_INFINITY;
  for (const f of footprints) {
    if (f === except || toBox(p, f.bbox) > best) continue;
    for (const v of f.vertices) best = Math.min(best, metres(p, v));
  }
  return best;
};

/** A spot of the department's south-east ≥ 5 km from every footprint vertex (a grid search). */
function paperSpot(): Position {
  for (let lon = -69.6; lon < -69.0; lon += 0.05)
    for (let lat = -12.6; lat < -12.2; lat += 0.05) if (nearestVertexM([lon, lat]) > 5000) return [lon, lat];
  throw new Error('no spot 5 km from every footprint');
}

describe('the AMW layer imported', () => {
  it('holds every feature, spans 2019 to 2025Q4, and a re-import adds none', async () => {
    console.info(
      `AMW import on this database: ${importSeconds.toFixed(1)} s for ${summary.total} footprints`,
    );
    expect(summary).toMatchObject({ total: 2570, imported: 2570, alreadyHeld: 0 });
    expect(summary.observedFrom).toBe('2019-01-01');
    expect(summary.observedTo).toBe('2025-12-31');
    const again = await importDetections(
      t.db,
      'amw.geojson',
      readFeatureCollection(data('amw-mining-detections-madre-de-dios.geojson')),
      {
        source: 'amw',
        name: 'Amazon Mining Watch',
        attribution: 'Earth Genome / Amazon Mining Watch, CC BY 4.0',
        kind: 'footprint',
        coverage: coverageOf(data('peru-madre-de-dios-departamento.geojson'), 'departamento'),
      },
    );
    expect(again).toMatchObject({ imported: 0, alreadyHeld: 2570 });
  }, 300_000);
});

describe('NO_MINING_FOOTPRINT and ORIGIN_FAR_FROM_FOOTPRINT on the real layer', () => {
  it('a concession over real detected mining, origin on it, passes both', async () => {
    // The largest 2021 footprint: its box is certainly over mining.
    const f = footprints
      .filter((x) => x.period === '2021')
      .sort(
        (a, b) =>
          (b.bbox[2] - b.bbox[0]) * (b.bbox[3] - b.bbox[1]) -
          (a.bbox[2] - a.bbox[0]) * (a.bbox[3] - a.bbox[1]),
      )[0] as Footprint;
    const id = await concession(f.bbox);
    const got = await lotFlags(id, f.vertices[0] as Position, '2023-06-01');
    expect(got.none).toEqual([]);
    expect(got.far).toEqual([]);
  });

  it('a concession redrawn away from every footprint: its lots are screened again and NO_MINING_FOOTPRINT fires', async () => {
    const f = footprints.find((x) => x.period === '2022') as Footprint;
    const id = await concession(f.bbox);
    const origin = f.vertices[0] as Position;
    const lot = await registerLot(t, w, {
      concessionId: id,
      origin: { type: 'Point', coordinates: origin },
      extractedOn: '2023-02-01',
    });
    expect((lot.flags as Flag[]).filter((x) => x.rule === 'NO_MINING_FOOTPRINT')).toEqual([]);
    const res = await t.call('PATCH', `/v1/concessions/${id}`, {
      token: w.admin,
      body: { geometry: box(...around(paperSpot(), 500)) },
    });
    expect(res.status, res.text).toBe(200);
    const after = await t.call('GET', `/v1/lots/${lot.id}`, { token: w.regulatorToken });
    expect((after.body.flags as Flag[]).filter((x) => x.rule === 'NO_MINING_FOOTPRINT')).toEqual([
      expect.objectContaining({ severity: 'high' }),
    ]);
  });

  it('a paper concession kilometres from every footprint, in the covered department, fires both (high within the periods)', async () => {
    const p = paperSpot();
    const id = await concession(around(p, 500));
    const got = await lotFlags(id, p, '2023-06-01');
    expect(got.none).toHaveLength(1);
    expect(got.none[0]).toMatchObject({
      severity: 'high',
      evidence: { layerSource: 'amw', distanceM: 500, inGrace: false },
    });
    expect(Number(got.none[0]?.evidence.nearestDetectionM)).toBeGreaterThan(4000);
    expect(got.far).toHaveLength(1);
    expect(got.far[0]?.severity).toBe('medium');
    // Worded for people: the AML report's sentence and the console's. Detections count up to the
    // next image after the extraction: 2025Q2, as this extract has no 2024 diff.
    const none = got.none[0]?.evidence ?? {};
    expect(noMiningFootprint.summarize(none)).toMatch(
      /^Amazon Mining Watch \(amw\) shows no mining in concession 07-RS-\d{4} \([\d.]+ ha\) nor within 500 m of it up to 2025-04-01, yet gold extracted on 2023-06-01 is declared from it; the nearest detection is \d+ m away \(\w+\)$/,
    );
    expect(evidenceSentence('NO_MINING_FOOTPRINT', none, 'es')).toMatch(
      /^Amazon Mining Watch no muestra minería en la concesión 07-RS-\d{4} .* ni a menos de 500 m hasta el .*, pero se declara oro extraído de ella el /,
    );
    expect(originFarFromFootprint.summarize(got.far[0]?.evidence ?? {})).toMatch(
      /lies more than 1000 m from any mining Amazon Mining Watch \(amw\) saw up to 2025-04-01/,
    );
    // In the grace after the last period (2025Q4): judged, at medium.
    const grace = await lotFlags(id, p, '2026-10-01');
    expect(grace.none.map((f) => f.severity)).toEqual(['medium']);
    // Before its first period: not judged either.
    const early = await lotFlags(id, p, '2018-06-01');
    expect(early.none).toEqual([]);
  });

  it('a layer imported screens again the lots it can judge; a lot extracted after its reach is not judged by it', async () => {
    // A second layer: the real AMW alert points of 2019 only (a bounded real subset), said to
    // cover a box in Cusco outside the department, where the footprint layer does not look.
    // Its reach ends on 2019-12-31 + 365 days.
    const points = readFeatureCollection(data('amw-mining-alert-points-madre-de-dios.geojson')).filter(
      (f) => (f as { properties: { period: string } }).properties.period === '2019',
    );
    const cusco: Position = [-71.0, -14.0];
    // A lot registered before the layer: nothing judges it yet; the import screens it again.
    const id = await concession(around(cusco, 500));
    const before = await registerLot(t, w, {
      concessionId: id,
      origin: { type: 'Point', coordinates: cusco },
      extractedOn: '2020-03-01',
    });
    expect((before.flags as Flag[]).filter((f) => f.rule === 'NO_MINING_FOOTPRINT')).toEqual([]);
    const layer = await importDetections(t.db, 'alert-points-2019', points, {
      source: 'amw-points-2019',
      name: 'AMW alert points 2019',
      attribution: 'Earth Genome / Amazon Mining Watch, CC BY 4.0 (centroids)',
      kind: 'alert',
      coverage: box(...around(cusco, 20_000)),
    });
    expect(layer).toMatchObject({ total: 313, observedFrom: '2019-01-01', observedTo: '2019-12-31' });
    expect(layer.rescreening).toMatchObject({ dependency: 'detections', flagsRaised: 2 });
    const after = await t.call('GET', `/v1/lots/${before.id}`, { token: w.regulatorToken });
    expect((after.body.flags as Flag[]).map((f) => f.rule).sort()).toEqual(
      expect.arrayContaining(['NO_MINING_FOOTPRINT', 'ORIGIN_FAR_FROM_FOOTPRINT']),
    );
    const inGrace = await lotFlags(id, cusco, '2020-06-01');
    expect(inGrace.none.map((f) => [f.severity, f.evidence.layerSource])).toEqual([
      ['medium', 'amw-points-2019'],
    ]);
    expect(inGrace.far).toHaveLength(1);
    const late = await lotFlags(id, cusco, '2021-02-01');
    expect(late.none).toEqual([]);
    expect(late.far).toEqual([]);
    // Where two layers look (the same 2019 points said to cover the whole department, and the
    // footprints), a lot gets one flag per rule, from the layer with the latest view.
    await importDetections(t.db, 'alert-points-2019-department', points, {
      source: 'amw-points-2019-department',
      name: 'AMW alert points 2019 (department)',
      attribution: 'Earth Genome / Amazon Mining Watch, CC BY 4.0 (centroids)',
      kind: 'alert',
      coverage: coverageOf(data('peru-madre-de-dios-departamento.geojson'), 'departamento'),
    });
    const spot = paperSpot();
    const both = await concession(around(spot, 500));
    const twice = await lotFlags(both, spot, '2019-06-01');
    expect(twice.none.map((f) => f.evidence.layerSource)).toEqual(['amw']);
    expect(twice.far.map((f) => f.evidence.layerSource)).toEqual(['amw']);
  });

  it('near miss: a concession ~300 m from an isolated footprint does not fire; the same ~700 m away does', async () => {
    // An isolated footprint of 2019: no other vertex within 3 km of its box.
    const isolated = footprints.find(
      (f) =>
        f.period === '2019' &&
        footprints.every((o) => o === f || o.vertices.every((v) => toBox(v, f.bbox) > 3000)),
    ) as Footprint;
    expect(isolated).toBeDefined();
    const [, s, e, n] = isolated.bbox;
    const lat = (s + n) / 2;
    const eastmost = isolated.vertices.reduce((a, b) => (b[0] > a[0] ? b : a));
    const dLon = (m: number) => m / (111_320 * Math.cos((lat * Math.PI) / 180));
    const make = (gapM: number) =>
      concession([eastmost[0] + dLon(gapM), lat - 0.003, eastmost[0] + dLon(gapM) + 0.005, lat + 0.003]);
    const near = await make(300);
    const nearGot = await lotFlags(near, [eastmost[0] + dLon(300) + 0.0025, lat], '2021-06-01');
    expect(nearGot.none).toEqual([]);
    const far = await make(700);
    const farGot = await lotFlags(far, [eastmost[0] + dLon(700) + 0.0025, lat], '2021-06-01');
    expect(farGot.none).toHaveLength(1);
    expect(Number(farGot.none[0]?.evidence.nearestDetectionM)).toBeGreaterThan(500);
    expect(Number(farGot.none[0]?.evidence.nearestDetectionM)).toBeLessThan(800);
    void e;
  });

  it('footprints count up to the first image after the extraction: a 2023 pit does not vouch for 2020 gold', async () => {
    // An isolated footprint first seen in 2023 (no other vertex within 3 km).
    const f = footprints.find(
      (x) =>
        x.period === '2023' &&
        footprints.every((o) => o === x || o.vertices.every((v) => toBox(v, x.bbox) > 3000)),
    ) as Footprint;
    expect(f).toBeDefined();
    const id = await concession(f.bbox);
    const origin = f.vertices[0] as Position;
    expect((await lotFlags(id, origin, '2020-03-01')).none).toHaveLength(1);
    // Extracted in 2022: the next image (2023) shows the pit.
    expect((await lotFlags(id, origin, '2022-11-01')).none).toEqual([]);
  });

  it('ORIGIN_FAR_FROM_FOOTPRINT: an origin 2 km from the only footprint around fires, one 500 m from it does not', async () => {
    const isolated = footprints.find(
      (f) =>
        f.period === '2020' &&
        footprints.every((o) => o === f || o.vertices.every((v) => toBox(v, f.bbox) > 4000)),
    ) as Footprint;
    expect(isolated).toBeDefined();
    const southmost = isolated.vertices.reduce((a, b) => (b[1] < a[1] ? b : a));
    const south = (m: number): Position => [southmost[0], southmost[1] - m / 111_320];
    const id = await concession([
      southmost[0] - 0.03,
      southmost[1] - 0.03,
      southmost[0] + 0.03,
      southmost[1] + 0.005,
    ]);
    expect((await lotFlags(id, south(2000), '2021-06-01')).far).toHaveLength(1);
    expect((await lotFlags(id, south(500), '2021-06-01')).far).toEqual([]);
  });
});
