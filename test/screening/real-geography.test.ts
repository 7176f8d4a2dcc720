import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importZones, readFeatureCollection, type ZoneMapping } from '../../src/domain/reference/import.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { box, type GoldWorld, goldWorld } from '../helpers/fixtures.js';

/**
 * ORIGIN_IN_EXCLUSION_ZONE on real geography: the SERNANP protected areas of Madre de Dios and
 * the (partial) buffer zone of the Tambopata National Reserve, against Amazon Mining Watch
 * detections (../shared/data, SOURCES.md). Which detections lie inside which zone is decided by
 * an independent oracle — ray casting over the GeoJSON rings in plain JavaScript, holes
 * included — never by PostGIS, whose answer is what is under test.
 */

const data = (name: string) => JSON.parse(readFileSync(resolve('..', 'shared', 'data', name), 'utf8'));
const anpFile = 'peru-anp-madre-de-dios.geojson';
const bufferFile = 'tambopata-zona-amortiguamiento-partial.geojson';
const pointsFile = 'amw-mining-alert-points-madre-de-dios.geojson';

type Position = number[];
type Rings = Position[][];
type Area = { type: 'Polygon'; coordinates: Rings } | { type: 'MultiPolygon'; coordinates: Rings[] };

/** Even-odd ray casting: a horizontal ray from p eastwards crosses the ring an odd number of times. */
function inRing(p: Position, ring: Position[]): boolean {
  const [x, y] = p as [number, number];
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
const inPolygon = (p: Position, rings: Rings) =>
  inRing(p, rings[0] ?? []) && !rings.slice(1).some((hole) => inRing(p, hole));
const inArea = (p: Position, g: Area) =>
  g.type === 'Polygon' ? inPolygon(p, g.coordinates) : g.coordinates.some((rings) => inPolygon(p, rings));

/** Squared distance in degrees to the nearest vertex: only to pick near misses, not to judge. */
function nearestVertex2(p: Position, g: Area): number {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let best = Number.POSITIVE_INFINITY;
  for (const rings of polygons)
    for (const ring of rings)
      for (const [x = 0, y = 0] of ring)
        best = Math.min(best, ((p[0] ?? 0) - x) ** 2 + ((p[1] ?? 0) - y) ** 2);
  return best;
}

const anpMapping: ZoneMapping = {
  name: { fields: ['anp_cate', 'anp_nombre'] },
  kind: { value: 'protected_area' },
  legalBasis: { value: 'Ley 26834, Ley de Áreas Naturales Protegidas' },
  validFrom: { value: '2000-01-01' },
};
const bufferMapping: ZoneMapping = {
  name: { value: 'Zona de amortiguamiento de la Reserva Nacional Tambopata (parcial)' },
  kind: { value: 'buffer_zone' },
  legalBasis: { fields: ['za_balea'] },
  validFrom: { value: '2000-01-01' },
  idField: 'anp_codi',
};

interface OracleZone {
  id: string;
  name: string;
  kind: 'protected_area' | 'buffer_zone';
  geometry: Area;
  /** [minLon, minLat, maxLon, maxLat]: points outside it are outside the zone, without a ray. */
  bbox: number[];
}

function bboxOf(g: Area): number[] {
  const all = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat(2);
  const lons = all.map((p) => p[0] ?? 0);
  const lats = all.map((p) => p[1] ?? 0);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}
const inBox = (p: Position, [w = 0, s = 0, e = 0, n = 0]: number[], margin = 0) =>
  (p[0] ?? 0) >= w - margin &&
  (p[0] ?? 0) <= e + margin &&
  (p[1] ?? 0) >= s - margin &&
  (p[1] ?? 0) <= n + margin;

describe('ORIGIN_IN_EXCLUSION_ZONE over the real SERNANP layers and Amazon Mining Watch detections', () => {
  let t: TestContext;
  let w: GoldWorld;
  let zones: OracleZone[];
  let concessionId: string;
  const inside: { point: Position; zones: OracleZone[] }[] = [];
  const outside: Position[] = [];

  beforeAll(async () => {
    t = await testApp();
    w = await goldWorld(t);
    zones = [];
    for (const [file, mapping, kind] of [
      [anpFile, anpMapping, 'protected_area'],
      [bufferFile, bufferMapping, 'buffer_zone'],
    ] as const) {
      const features = readFeatureCollection(data(file)) as { geometry: Area }[];
      const summary = await importZones(t.db, features, { source: file, mapping });
      expect(summary.skipped).toEqual([]);
      for (const z of summary.imported) {
        const geometry = (features[z.index] as { geometry: Area }).geometry;
        zones.push({ id: z.id, name: z.label ?? '', kind, geometry, bbox: bboxOf(geometry) });
      }
    }
    expect(zones.map((z) => z.name)).toContain('Reserva Nacional Tambopata');

    const tambopata = zones.filter((z) => z.name.includes('Tambopata'));
    const points = (data(pointsFile).features as { geometry: { coordinates: Position } }[]).map(
      (f) => f.geometry.coordinates,
    );
    const misses: { point: Position; d2: number }[] = [];
    for (const point of points) {
      const hit = zones.filter((z) => inBox(point, z.bbox) && inArea(point, z.geometry));
      if (hit.some((z) => tambopata.includes(z))) inside.push({ point, zones: hit });
      else if (hit.length === 0)
        misses.push({
          point,
          d2: Math.min(
            ...tambopata.map((z) =>
              inBox(point, z.bbox, 0.05) ? nearestVertex2(point, z.geometry) : Number.POSITIVE_INFINITY,
            ),
          ),
        });
    }
    // Outside every zone: the 25 detections nearest the reserve's or the buffer's border (the
    // near misses), and 25 spread over the rest of the file.
    misses.sort((a, b) => a.d2 - b.d2);
    outside.push(...misses.slice(0, 25).map((m) => m.point));
    const rest = misses.slice(25);
    for (let i = 0; i < 25; i++)
      outside.push((rest[Math.floor((i * rest.length) / 25)] as { point: Position }).point);

    // One titled mining concession of the miner over every sampled origin, so that the only
    // finding about these lots is where they come from.
    const all = [...inside.map((i) => i.point), ...outside];
    const lons = all.map((p) => p[0] ?? 0);
    const lats = all.map((p) => p[1] ?? 0);
    const res = await t.call('POST', '/v1/concessions', {
      token: w.admin,
      body: {
        code: '07-AMW-0001',
        name: 'Concesión de prueba sobre las detecciones',
        // Over goldWorld's concession: filed under an exception, as the registry requires.
        overlapException: { legalBasis: 'superposición admitida (prueba)' },
        kind: 'mining',
        holderId: w.miner.id,
        status: 'titled',
        grantedOn: '2012-04-20',
        geometry: box(
          Math.min(...lons) - 0.01,
          Math.min(...lats) - 0.01,
          Math.max(...lons) + 0.01,
          Math.max(...lats) + 0.01,
        ),
      },
    });
    expect(res.status, res.text).toBe(201);
    concessionId = res.body.id;
  });

  const register = async (point: Position) => {
    const res = await t.call('POST', '/v1/lots', {
      token: w.minerToken,
      body: {
        producerId: w.miner.id,
        concessionId,
        origin: { type: 'Point', coordinates: point },
        extractedOn: '2026-10-01',
        grossWeightG: '10.000',
        fineness: '870',
        form: 'dore',
      },
    });
    expect(res.status, res.text).toBe(201);
    return (res.body.flags as { rule: string; severity: string; evidence: { zoneId: string } }[]).filter(
      (f) => f.rule === 'ORIGIN_IN_EXCLUSION_ZONE',
    );
  };

  it('every detection inside the reserve or its buffer zone is flagged with exactly the zones it lies in: critical for the reserve, high for the buffer', async () => {
    // The oracle finds detections both in the reserve and in the buffer zone.
    expect(inside.filter((i) => i.zones.some((z) => z.kind === 'protected_area')).length).toBeGreaterThan(10);
    expect(inside.filter((i) => i.zones.some((z) => z.kind === 'buffer_zone')).length).toBeGreaterThan(100);
    const wrong: unknown[] = [];
    for (const { point, zones: expected } of inside) {
      const got = (await register(point)).map((f) => [f.evidence.zoneId, f.severity]).sort();
      const want = expected.map((z) => [z.id, z.kind === 'protected_area' ? 'critical' : 'high']).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push({ point, got, want });
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('no detection outside every zone is flagged, including the 25 nearest the border', async () => {
    expect(outside).toHaveLength(50);
    const wrong: unknown[] = [];
    for (const point of outside) {
      const got = await register(point);
      if (got.length > 0) wrong.push({ point, got: got.map((f) => f.evidence.zoneId) });
    }
    expect(wrong).toEqual([]);
  }, 60_000);
});
