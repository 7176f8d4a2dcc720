import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { coverageOf, importDetections, importDistricts } from '../../src/domain/reference/detections.js';
import { readFeatureCollection } from '../../src/domain/reference/import.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { box, type GoldWorld, goldWorld } from '../helpers/fixtures.js';

/**
 * GET /v1/detections/summary on the real Amazon Mining Watch layer and INEI districts, with a few
 * concessions and a zone created here. The figures are checked against an independent
 * computation in plain JavaScript: a raster of 0.0002° cells (~22 m, ~0.05 ha; at 0.0005° the error on a 300 ha figure reached 3 %) over the
 * footprints' boxes, each cell's centre tested by ray casting against the footprint, district,
 * concession and zone rings, its area from the WGS84 lengths of a degree. Overlapping footprints
 * fall on the same cells, so the raster counts a union, as the endpoint must.
 */

const data = (name: string) => JSON.parse(readFileSync(resolve('..', 'shared', 'data', name), 'utf8'));
type Position = [number, number];
type Rings = Position[][];
interface Area {
  polygons: Rings[];
  bbox: [number, number, number, number];
}
const areaOf = (g: { type: string; coordinates: unknown }): Area => {
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as Rings[];
  const all = polygons.flat(2);
  return {
    polygons,
    bbox: [
      Math.min(...all.map((p) => p[0])),
      Math.min(...all.map((p) => p[1])),
      Math.max(...all.map((p) => p[0])),
      Math.max(...all.map((p) => p[1])),
    ],
  };
};
function inRing([x, y]: Position, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as Position;
    const [xj, yj] = ring[j] as Position;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
const inArea = (p: Position, a: Area) =>
  p[0] >= a.bbox[0] &&
  p[0] <= a.bbox[2] &&
  p[1] >= a.bbox[1] &&
  p[1] <= a.bbox[3] &&
  a.polygons.some((rings) => inRing(p, rings[0] ?? []) && !rings.slice(1).some((h) => inRing(p, h)));
const boxArea = (b: [number, number, number, number]) => areaOf(box(...b));

const cell = 0.0002;
/** Hectares of a cell centred at latitude φ: WGS84 lengths of a degree of latitude and longitude. */
const cellHa = (lat: number) => {
  const φ = (lat * Math.PI) / 180;
  const m = 111_132.92 - 559.82 * Math.cos(2 * φ) + 1.175 * Math.cos(4 * φ);
  const p = 111_412.84 * Math.cos(φ) - 93.5 * Math.cos(3 * φ) + 0.118 * Math.cos(5 * φ);
  return (cell * m * cell * p) / 10_000;
};

let t: TestContext;
let w: GoldWorld;
let footprints: (Area & { period: string })[];
let district: Area & { name: string };
const valid: [number, number, number, number][] = [];
let inProcess: [number, number, number, number];
let expired: [number, number, number, number];
let exclusion: [number, number, number, number];

/** Cells of the raster where some footprint (of the given periods) and the district both hold, with `also`. */
function rasterHa(periods: (p: string) => boolean, also: (p: Position) => boolean = () => true): number {
  const seen = new Set<string>();
  let ha = 0;
  for (const f of footprints) {
    if (!periods(f.period)) continue;
    const [w0, s0, e0, n0] = f.bbox;
    if (e0 < district.bbox[0] || w0 > district.bbox[2] || n0 < district.bbox[1] || s0 > district.bbox[3])
      continue;
    for (let i = Math.floor(w0 / cell); i * cell <= e0; i++)
      for (let j = Math.floor(s0 / cell); j * cell <= n0; j++) {
        const key = `${i},${j}`;
        if (seen.has(key)) continue;
        const p: Position = [(i + 0.5) * cell, (j + 0.5) * cell];
        if (!inArea(p, f)) continue;
        seen.add(key);
        if (inArea(p, district) && also(p)) ha += cellHa(p[1]);
      }
  }
  return ha;
}

async function post(path: string, body: unknown) {
  const res = await t.call('POST', path, { token: w.admin, body });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

beforeAll(async () => {
  t = await testApp();
  w = await goldWorld(t);
  const districts = readFeatureCollection(data('peru-madre-de-dios-distritos.geojson')) as {
    properties: { distrito: string };
    geometry: { type: string; coordinates: unknown };
  }[];
  await importDistricts(t.db, 'distritos', districts);
  const features = readFeatureCollection(data('amw-mining-detections-madre-de-dios.geojson')) as {
    properties: { period: string };
    geometry: { type: string; coordinates: unknown };
  }[];
  footprints = features.map((f) => ({ ...areaOf(f.geometry), period: f.properties.period }));
  await importDetections(t.db, 'amw', features, {
    source: 'amw',
    name: 'Amazon Mining Watch',
    attribution: 'Earth Genome / Amazon Mining Watch, CC BY 4.0',
    kind: 'footprint',
    coverage: coverageOf(data('peru-madre-de-dios-departamento.geojson'), 'departamento'),
  });
  // HUEPETUHE: a small district dense with mining.
  const hue = districts.find((d) => d.properties.distrito === 'HUEPETUHE');
  district = { ...areaOf(hue?.geometry as { type: string; coordinates: unknown }), name: 'HUEPETUHE' };
  // Concessions and a zone over the footprints of its centre: boxes around the district's own
  // largest footprints, so that each holds mining.
  const inside = footprints
    .filter((f) => inArea([(f.bbox[0] + f.bbox[2]) / 2, (f.bbox[1] + f.bbox[3]) / 2], district))
    .sort(
      (a, b) =>
        (b.bbox[2] - b.bbox[0]) * (b.bbox[3] - b.bbox[1]) - (a.bbox[2] - a.bbox[0]) * (a.bbox[3] - a.bbox[1]),
    );
  expect(inside.length).toBeGreaterThan(20);
  const around = (f: Area, pad = 0.002): [number, number, number, number] => [
    f.bbox[0] - pad,
    f.bbox[1] - pad,
    f.bbox[2] + pad,
    f.bbox[3] + pad,
  ];
  valid.push(around(inside[0] as Area), around(inside[1] as Area, 0));
  inProcess = around(inside[2] as Area);
  expired = around(inside[3] as Area);
  exclusion = around(inside[4] as Area, 0.01);
  const concession = (code: string, b: [number, number, number, number], status: string, kind = 'mining') =>
    post('/v1/concessions', {
      code,
      name: code,
      kind,
      holderId: w.miner.id,
      status,
      grantedOn: '2010-01-01',
      geometry: box(...b),
    });
  await concession('07-SUM-0001', valid[0] as [number, number, number, number], 'titled');
  await concession('07-SUM-0002', valid[1] as [number, number, number, number], 'titled');
  await concession('07-SUM-0003', inProcess, 'in_process');
  await concession('07-SUM-0004', expired, 'expired');
  await post('/v1/zones', {
    name: 'Zona de exclusión de prueba',
    kind: 'mining_exclusion',
    legalBasis: 'D.L. 1100 (prueba)',
    validFrom: '2012-01-01',
    geometry: box(...exclusion),
  });
}, 300_000);

describe('GET /v1/detections/summary on the real AMW layer', () => {
  it('measures, per district, mined hectares inside valid concessions, outside any, and in exclusion zones, as an independent raster does', async () => {
    const started = performance.now();
    const res = await t.call('GET', '/v1/detections/summary', { token: w.regulatorToken });
    console.info(`summary over every period: ${Math.round(performance.now() - started)} ms`);
    expect(res.status, res.text).toBe(200);
    const hue = res.body.districts.find((d: { district: string }) => d.district === 'HUEPETUHE');
    expect(hue).toBeDefined();
    const all = () => true;
    const inValid = (p: Position) => valid.some((b) => inArea(p, boxArea(b)));
    const mined = rasterHa(all);
    const insideValid = rasterHa(all, inValid);
    const inProc = rasterHa(all, (p) => !inValid(p) && inArea(p, boxArea(inProcess)));
    const inZone = rasterHa(all, (p) => inArea(p, boxArea(exclusion)));
    // The raster's error on areas of hundreds of hectares is well under 2 %.
    const near = (got: number, want: number) => expect(Math.abs(got - want) / want).toBeLessThan(0.02);
    near(hue.minedHa, mined);
    near(hue.insideValidConcessionsHa, insideValid);
    near(hue.insideConcessionsInProcessHa, inProc);
    near(hue.exclusionZonesHa.mining_exclusion, inZone);
    expect(hue.outsideConcessionsHa).toBeCloseTo(hue.minedHa - hue.insideValidConcessionsHa, 1);
    expect(hue.shareOutside).toBeCloseTo(hue.outsideConcessionsHa / hue.minedHa, 3);
    expect(hue.exclusionZonesHa.protected_area).toBe(0);
    // Districts without concessions: everything is outside.
    const tambopata = res.body.districts.find((d: { district: string }) => d.district === 'TAMBOPATA');
    expect(tambopata.shareOutside).toBe(1);
    expect(res.body.total.minedHa).toBeCloseTo(
      res.body.districts.reduce((s: number, d: { minedHa: number }) => s + d.minedHa, 0),
      0,
    );
  }, 120_000);

  it('a period counts only the footprints whose period overlaps it', async () => {
    const res = await t.call('GET', '/v1/detections/summary?from=2019-01-01&to=2019-12-31', {
      token: w.regulatorToken,
    });
    expect(res.status, res.text).toBe(200);
    const hue = res.body.districts.find((d: { district: string }) => d.district === 'HUEPETUHE');
    const mined = rasterHa((p) => p === '2019');
    expect(Math.abs(hue.minedHa - mined) / mined).toBeLessThan(0.02);
    expect(res.body).toMatchObject({ from: '2019-01-01', to: '2019-12-31' });
  }, 120_000);

  it('is for regulators; a reversed period is a 400 problem', async () => {
    expect((await t.call('GET', '/v1/detections/summary', { token: w.exporterToken })).status).toBe(403);
    const bad = await t.call('GET', '/v1/detections/summary?from=2020-01-01&to=2019-01-01', {
      token: w.regulatorToken,
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/from is after to/);
  });
});

describe('GET /v1/detections', () => {
  it('answers the footprints in a bounding box and period as GeoJSON, a page at a time', async () => {
    const b = exclusion;
    const res = await t.call(
      'GET',
      `/v1/detections?bbox=${b.join(',')}&from=2023-01-01&to=2023-12-31&limit=5`,
      {
        token: w.regulatorToken,
        headers: { accept: 'application/geo+json' },
      },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/geo\+json/);
    expect(res.body.type).toBe('FeatureCollection');
    expect(res.body.features.length).toBeGreaterThan(0);
    expect(res.body.features.length).toBeLessThanOrEqual(5);
    for (const f of res.body.features) {
      expect(f.properties.period).toBe('2023');
      expect(f.geometry.type).toBe('MultiPolygon');
    }
    const json = await t.call('GET', '/v1/detections?limit=600', { token: w.regulatorToken });
    expect(json.status).toBe(400);
    const bad = await t.call('GET', '/v1/detections?bbox=1,2,3', { token: w.regulatorToken });
    expect(bad.status).toBe(400);
  });
});
