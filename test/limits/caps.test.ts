import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestContext, testApp } from '../helpers/app.js';

let t: TestContext;
let admin: string;

beforeAll(async () => {
  t = await testApp();
  admin = await t.token('admin');
});

/**
 * A closed ring of `n` distinct positions around (-70, -12.5), its radius jittered by up to 2 %
 * as a surveyed boundary is: valid (star-shaped, never self-intersecting) and not simplifiable to
 * nothing.
 */
function jaggedRing(n: number, radius = 0.05): number[][] {
  const ring: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const r = radius * (1 + 0.02 * Math.sin(i * 7.3) * Math.cos(i * 0.37));
    ring.push([Number((-70 + r * Math.cos(a)).toFixed(7)), Number((-12.5 + r * Math.sin(a)).toFixed(7))]);
  }
  ring.push([...(ring[0] ?? [])]);
  return ring;
}

const zone = (geometry: unknown) => ({
  name: 'Zona de prueba',
  kind: 'protected_area',
  legalBasis: 'D.S. 048-2000-AG',
  validFrom: '2020-01-01',
  geometry,
});

const verticesOf = (geometry: { coordinates: number[][][][] }) =>
  geometry.coordinates.flat().reduce((n, ring) => n + ring.length, 0);

describe('element caps', () => {
  it('refuses an area of more than 100,000 vertices with 422 naming the field and the limit', async () => {
    const res = await t.call('POST', '/v1/zones', {
      token: admin,
      body: zone({ type: 'Polygon', coordinates: [jaggedRing(60_000), jaggedRing(50_000, 0.01)] }),
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.type).toBe('/problems/limit-exceeded');
    expect(res.body.errors).toEqual([
      { field: 'geometry.coordinates', message: 'has 110,002 vertices; an area has at most 100,000' },
    ]);
  });

  it('refuses a checkpoint on 51 routes with 422 naming routes and its limit (200,000: 413)', async () => {
    const checkpoint = (routes: number) => ({
      code: 'PC-X',
      name: 'X',
      location: { type: 'Point', coordinates: [-70, -12] },
      routes: Array.from({ length: routes }, (_, i) => `ruta ${i}`),
    });
    const res = await t.call('POST', '/v1/checkpoints', { token: admin, body: checkpoint(51) });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'routes', message: 'at most 50 routes' }]);
    const huge = await t.call('POST', '/v1/checkpoints', { token: admin, body: checkpoint(200_000) });
    expect(huge.status).toBe(413);
    expect((await t.call('GET', '/v1/checkpoints', { token: admin })).body.items).toHaveLength(0);
  });

  it('caps the lots of a merge, the parts of a split and the records of a sync batch', async () => {
    const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
    const exporter = await t.token('exporter', { actor: randomUUID() });
    const merge = await t.call('POST', '/v1/lots/merge', { token: exporter, body: { lotIds: ids(1001) } });
    expect([merge.status, merge.body.errors]).toEqual([
      422,
      [{ field: 'lotIds', message: 'at most 1,000 lots' }],
    ]);
    const split = await t.call('POST', `/v1/lots/${randomUUID()}/split`, {
      token: exporter,
      body: { parts: Array.from({ length: 1001 }, () => ({ grossWeightG: '1.000' })) },
    });
    expect([split.status, split.body.errors]).toEqual([
      422,
      [{ field: 'parts', message: 'at most 1,000 parts' }],
    ]);
    const checkpoint = await t.token('checkpoint', { checkpoint: randomUUID() });
    const sync = await t.call('POST', '/v1/sync', {
      token: checkpoint,
      body: { records: Array.from({ length: 1001 }, () => ({})) },
    });
    expect(sync.status).toBe(422);
    expect(sync.body.errors[0].field).toBe('records');
    expect(sync.body.errors[0].message).toMatch(/at most 1,000 records/);
  });

  it('still answers 400 for a malformed body that is not too large', async () => {
    const res = await t.call('POST', '/v1/checkpoints', { token: admin, body: { code: 'PC-X', routes: [] } });
    expect(res.status).toBe(400);
  });
});

describe('zone lists', () => {
  let bigId: string;
  beforeAll(async () => {
    const res = await t.call('POST', '/v1/zones', {
      token: admin,
      body: zone({ type: 'Polygon', coordinates: [jaggedRing(99_999)] }),
    });
    expect(res.status, res.text.slice(0, 300)).toBe(201);
    bigId = res.body.id;
  }, 300_000);

  it('lists a zone of 100,000 vertices simplified to at most 1,000, in a small answer', async () => {
    const list = await t.call('GET', '/v1/zones', { token: admin });
    expect(list.status).toBe(200);
    const [listed] = list.body.items;
    expect(listed.id).toBe(bigId);
    expect(listed.geometry.type).toBe('MultiPolygon');
    expect(verticesOf(listed.geometry)).toBeLessThanOrEqual(1000);
    expect(verticesOf(listed.geometry)).toBeGreaterThan(4);
    expect(list.text.length).toBeLessThan(100_000);
    const geo = await t.call('GET', '/v1/zones', {
      token: admin,
      headers: { accept: 'application/geo+json' },
    });
    expect(verticesOf(geo.body.features[0].geometry)).toBeLessThanOrEqual(1000);
  });

  it('answers every vertex with ?detail=full, and on a single GET', async () => {
    const full = await t.call('GET', '/v1/zones?detail=full', { token: admin });
    expect(verticesOf(full.body.items[0].geometry)).toBe(100_000);
    const one = await t.call('GET', `/v1/zones/${bigId}`, { token: admin });
    expect(verticesOf(one.body.geometry)).toBe(100_000);
  });

  it('refuses an unknown detail', async () => {
    expect((await t.call('GET', '/v1/zones?detail=some', { token: admin })).status).toBe(400);
  });
});
