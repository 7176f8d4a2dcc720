import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import type { TestContext } from '../helpers/app.js';
import { box } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let admin: string;
// No world but an admin's token: restoring the empty tables costs less than emptying them.
const world = worldPerFile((t) => t.token('admin'));
beforeEach(async () => {
  ({ t, w: admin } = await world());
});

const count = async (table: 'zones' | 'concessions' | 'events') =>
  Number(
    rowsOf<{ n: string }>(await t.db.execute(sql.raw(`SELECT count(*)::text AS n FROM ${table}`)))[0]?.n,
  );

async function holder() {
  const res = await t.call('POST', '/v1/actors', {
    token: admin,
    body: { taxId: '20600000011', name: 'Minera Guacamayo SAC', kinds: ['miner'] },
  });
  return res.body.id as string;
}

describe('concessions', () => {
  it('a concession is stored as a MultiPolygon with its area computed by PostGIS', async () => {
    const holderId = await holder();
    const res = await t.call('POST', '/v1/concessions', {
      token: admin,
      body: {
        code: '07-000123-X',
        name: 'Guacamayo I',
        kind: 'mining',
        holderId,
        status: 'titled',
        grantedOn: '2012-04-20',
        // 0.01° × 0.01° at 13° S: about 1.11 km × 1.08 km ≈ 120 ha.
        geometry: box(-70.1, -12.95, -70.09, -12.94),
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.geometry.type).toBe('MultiPolygon');
    expect(Number(res.body.areaHa)).toBeGreaterThan(119);
    expect(Number(res.body.areaHa)).toBeLessThan(121);
    expect(res.body.areaHa).toMatch(/^\d+\.\d{4}$/);

    const got = await t.call('GET', `/v1/concessions/${res.body.id}`, { token: await t.token('regulator') });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ code: '07-000123-X', holderId, operators: [] });
  });

  it('a self-intersecting polygon is a 422 naming the field and PostGIS reason, and nothing is written', async () => {
    const before = await count('events');
    const res = await t.call('POST', '/v1/concessions', {
      token: admin,
      body: {
        code: 'BOWTIE',
        name: 'Bow tie',
        kind: 'mining',
        status: 'titled',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [-70, -13],
              [-69.9, -12.9],
              [-69.9, -13],
              [-70, -12.9],
              [-70, -13],
            ],
          ],
        },
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('/problems/invalid-geometry');
    expect(res.body.errors).toEqual([
      { field: 'geometry', message: expect.stringMatching(/Self-intersection/) },
    ]);
    expect(await count('concessions')).toBe(0);
    expect(await count('events')).toBe(before);
  });

  it('structural GeoJSON errors are a 400 naming the coordinates at fault', async () => {
    const res = await t.call('POST', '/v1/concessions', {
      token: admin,
      body: {
        code: 'X',
        name: 'X',
        kind: 'mining',
        status: 'titled',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [-70, -13],
              [-69.9, -95],
              [-69.9, -13],
              [-70, -12.9],
            ],
          ],
        },
      },
    });
    expect(res.status).toBe(400);
    const messages = Object.fromEntries(
      res.body.errors.map((e: { field: string; message: string }) => [e.field, e.message]),
    );
    expect(messages['geometry.coordinates.0.1.1']).toMatch(/latitude -95/);
    expect(messages['geometry.coordinates.0']).toMatch(/closed/);

    const point = await t.call('POST', '/v1/concessions', {
      token: admin,
      body: {
        code: 'X',
        name: 'X',
        kind: 'mining',
        status: 'titled',
        geometry: { type: 'Point', coordinates: [-70, -13] },
      },
    });
    expect(point.status).toBe(400);
    expect(point.body.errors[0].field).toBe('geometry.type');
  });

  it('an unknown holder is a 422 naming holderId', async () => {
    const res = await t.call('POST', '/v1/concessions', {
      token: admin,
      body: {
        code: 'X',
        name: 'X',
        kind: 'mining',
        status: 'titled',
        holderId: '01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f',
        geometry: box(-70.1, -12.95, -70.09, -12.94),
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('holderId');
  });

  it('operators are recorded on mining concessions only', async () => {
    const holderId = await holder();
    const op = await t.call('POST', '/v1/actors', {
      token: admin,
      body: { taxId: '10400000022', name: 'Juan Quispe', kinds: ['miner'] },
    });
    const mining = await t.call('POST', '/v1/concessions', {
      token: admin,
      body: {
        code: 'M1',
        name: 'M1',
        kind: 'mining',
        holderId,
        status: 'titled',
        geometry: box(-70.1, -12.95, -70.09, -12.94),
      },
    });
    const chestnut = await t.call('POST', '/v1/concessions', {
      token: admin,
      body: {
        code: 'C1',
        name: 'C1',
        kind: 'chestnut',
        status: 'titled',
        geometry: box(-70.1, -12.95, -70.09, -12.94),
        // Over M1 on purpose: filed under an exception, as the registry requires.
        overlapException: { legalBasis: 'superposición admitida (prueba)' },
      },
    });
    const added = await t.call('POST', `/v1/concessions/${mining.body.id}/operators`, {
      token: admin,
      body: { actorId: op.body.id, validFrom: '2023-01-01' },
    });
    expect(added.status).toBe(201);
    const refused = await t.call('POST', `/v1/concessions/${chestnut.body.id}/operators`, {
      token: admin,
      body: { actorId: op.body.id, validFrom: '2023-01-01' },
    });
    expect(refused.status).toBe(422);
    const got = await t.call('GET', `/v1/concessions/${mining.body.id}`, { token: admin });
    expect(got.body.operators).toHaveLength(1);
    expect(got.body.operators[0]).toMatchObject({
      actorId: op.body.id,
      validFrom: '2023-01-01',
      validTo: null,
    });
  });

  it('lists filter by bbox and kind, as JSON or as a GeoJSON FeatureCollection', async () => {
    // CASTANA overlaps LA-PAMPA: every right is filed under an exception, as the registry requires.
    const mk = (code: string, kind: string, g: object) =>
      t.call('POST', '/v1/concessions', {
        token: admin,
        body: {
          code,
          name: code,
          kind,
          status: 'titled',
          geometry: g,
          overlapException: { legalBasis: 'superposición admitida (prueba)' },
        },
      });
    await mk('LA-PAMPA', 'mining', box(-70.07, -12.95, -70.03, -12.92));
    await mk('CASTANA', 'chestnut', box(-70.05, -12.94, -70.0, -12.9));
    await mk('FAR', 'mining', box(-77.1, -12.1, -77.0, -12.0));
    const reg = await t.token('regulator');

    const near = await t.call('GET', '/v1/concessions?bbox=-70.2,-13.0,-69.9,-12.8', { token: reg });
    expect(near.body.items.map((c: { code: string }) => c.code).sort()).toEqual(['CASTANA', 'LA-PAMPA']);
    const mining = await t.call('GET', '/v1/concessions?bbox=-70.2,-13.0,-69.9,-12.8&kind=mining', {
      token: reg,
    });
    expect(mining.body.items.map((c: { code: string }) => c.code)).toEqual(['LA-PAMPA']);

    const geo = await t.call('GET', '/v1/concessions?bbox=-70.2,-13.0,-69.9,-12.8&limit=1', {
      token: reg,
      headers: { accept: 'application/geo+json' },
    });
    expect(geo.headers.get('content-type')).toBe('application/geo+json');
    expect(geo.body.type).toBe('FeatureCollection');
    expect(geo.body.features).toHaveLength(1);
    expect(geo.body.features[0]).toMatchObject({ type: 'Feature', geometry: { type: 'MultiPolygon' } });
    expect(geo.body.features[0].properties.code).toBe('LA-PAMPA');
    expect(geo.headers.get('link')).toMatch(
      /^<\/v1\/concessions\?bbox=.*&limit=1&cursor=[^>]+>; rel="next"$/,
    );

    const bad = await t.call('GET', '/v1/concessions?bbox=-70,-13,-71,-12', { token: reg });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.bbox');
  });

  it('a concession is retired, never deleted (the database refuses DELETE)', async () => {
    const c = await t.call('POST', '/v1/concessions', {
      token: admin,
      body: {
        code: 'OLD',
        name: 'Old',
        kind: 'mining',
        status: 'expired',
        geometry: box(-70.1, -12.95, -70.09, -12.94),
      },
    });
    const retired = await t.call('POST', `/v1/concessions/${c.body.id}/retire`, {
      token: admin,
      body: { retiredOn: '2025-01-01' },
    });
    expect(retired.status).toBe(200);
    expect(retired.body.retiredOn).toBe('2025-01-01');
    expect((await t.call('DELETE', `/v1/concessions/${c.body.id}`, { token: admin })).status).toBe(404);
    await expect(t.db.execute(sql`DELETE FROM concessions`)).rejects.toThrow();
    expect(await count('concessions')).toBe(1);
  });
});

describe('zones', () => {
  const zone = (over: Record<string, unknown> = {}) => ({
    name: 'Reserva Nacional Tambopata',
    kind: 'protected_area',
    legalBasis: 'D.S. N° 048-2000-AG',
    validFrom: '2000-09-04',
    geometry: box(-70.1, -13.2, -69.6, -12.98),
    ...over,
  });

  it('an admin records a zone and everyone with a token can read it back', async () => {
    const res = await t.call('POST', '/v1/zones', { token: admin, body: zone() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'protected_area',
      validTo: null,
      geometry: { type: 'MultiPolygon' },
    });
    const cp = await t.token('checkpoint', { checkpoint: '01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f' });
    const got = await t.call('GET', `/v1/zones/${res.body.id}`, { token: cp });
    expect(got.status).toBe(200);
    expect(got.body.legalBasis).toBe('D.S. N° 048-2000-AG');
  });

  it('exporters and checkpoint staff may not record zones', async () => {
    const exporter = await t.token('exporter', { actor: '01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f' });
    const res = await t.call('POST', '/v1/zones', { token: exporter, body: zone() });
    expect(res.status).toBe(403);
    expect(await count('zones')).toBe(0);
  });

  it('a validity that ends before it starts is refused', async () => {
    const res = await t.call('POST', '/v1/zones', { token: admin, body: zone({ validTo: '1999-01-01' }) });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('validTo');
  });

  it('a zone is retired by ending its validity; it stays listed', async () => {
    const z = await t.call('POST', '/v1/zones', { token: admin, body: zone() });
    const early = await t.call('POST', `/v1/zones/${z.body.id}/retire`, {
      token: admin,
      body: { validTo: '1990-01-01' },
    });
    expect(early.status).toBe(422);
    const ok = await t.call('POST', `/v1/zones/${z.body.id}/retire`, {
      token: admin,
      body: { validTo: '2030-01-01' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.validTo).toBe('2030-01-01');
    const list = await t.call('GET', '/v1/zones?kind=protected_area', { token: admin });
    expect(list.body.items).toHaveLength(1);
  });

  it('kind and bbox filter zones', async () => {
    await t.call('POST', '/v1/zones', { token: admin, body: zone() });
    await t.call('POST', '/v1/zones', {
      token: admin,
      body: zone({ name: 'Buffer', kind: 'buffer_zone', geometry: box(-70.2, -13.05, -69.65, -12.89) }),
    });
    const buffer = await t.call('GET', '/v1/zones?kind=buffer_zone', { token: admin });
    expect(buffer.body.items.map((z: { name: string }) => z.name)).toEqual(['Buffer']);
    const lima = await t.call('GET', '/v1/zones?bbox=-77.2,-12.2,-76.9,-11.9', { token: admin });
    expect(lima.body.items).toEqual([]);
  });
});

describe('checkpoints', () => {
  const mazuko = {
    code: 'PC-MAZUKO',
    name: 'Puesto de control Mazuko',
    location: { type: 'Point', coordinates: [-70.373, -13.098] },
    routes: ['Interoceánica Sur'],
  };

  it('an admin registers a checkpoint on a fiscal route; it reads back as GeoJSON', async () => {
    const res = await t.call('POST', '/v1/checkpoints', { token: admin, body: mazuko });
    expect(res.status).toBe(201);
    expect(res.body.location).toEqual({ type: 'Point', coordinates: [-70.373, -13.098] });
    const dup = await t.call('POST', '/v1/checkpoints', { token: admin, body: mazuko });
    expect(dup.status).toBe(409);
    const geo = await t.call('GET', '/v1/checkpoints', {
      token: admin,
      headers: { accept: 'application/geo+json' },
    });
    expect(geo.body.features[0]).toMatchObject({
      id: res.body.id,
      geometry: { type: 'Point' },
      properties: { code: 'PC-MAZUKO' },
    });
  });

  it('a location off the globe or with no route is refused', async () => {
    const res = await t.call('POST', '/v1/checkpoints', {
      token: admin,
      body: { ...mazuko, location: { type: 'Point', coordinates: [-270, -13] }, routes: [] },
    });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['location.coordinates.0', 'routes']));
  });
});

describe('the ledger of reference data', () => {
  it('events are append-only: the database refuses UPDATE and DELETE on them', async () => {
    await t.call('POST', '/v1/checkpoints', {
      token: admin,
      body: { code: 'A', name: 'A', location: { type: 'Point', coordinates: [-70, -13] }, routes: ['r'] },
    });
    expect(await count('events')).toBe(1);
    await expect(t.db.execute(sql`UPDATE events SET type = 'forged'`)).rejects.toThrow();
    await expect(t.db.execute(sql`DELETE FROM events`)).rejects.toThrow();
    const [row] = rowsOf<{ type: string }>(await t.db.execute(sql`SELECT type FROM events`));
    expect(row?.type).toBe('checkpoint.registered');
  });
});
