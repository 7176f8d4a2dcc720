/**
 * The flag queue exported whole (GET /v1/flags?format=csv|geojson): streamed a page at a time
 * whatever its size, filtered exactly like the list, each flag placed on the map where its
 * evidence happened, and only for the roles that read the queue.
 */
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
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

const get = (path: string, token = w.regulatorToken, headers: Record<string, string> = {}) =>
  t.app.request(path, { headers: { authorization: `Bearer ${token}`, ...headers } });
const text = async (res: Response) =>
  new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());

interface Feature {
  type: string;
  id: string;
  geometry: { type: string; coordinates: number[] } | null;
  properties: Record<string, unknown>;
}

describe('a queue larger than any page', () => {
  it('25,000 flags stream as CSV one page per chunk, every flag once, with no cap', {
    timeout: 180_000,
  }, async () => {
    const lot = await registerLot(t, w);
    await t.db.execute(sql`
      INSERT INTO flags (id, rule, severity, subject_type, subject_id, evidence, fingerprint)
      SELECT gen_random_uuid(), 'STRUCTURING', CASE WHEN g % 5 = 0 THEN 'critical' ELSE 'low' END,
             'lot', ${lot.id}::uuid, jsonb_build_object('n', g), 'seed-' || g
        FROM generate_series(1, 25000) AS g`);
    const res = await get('/v1/flags?format=csv&sort=severity');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // Read as the client reads it: chunk by chunk. The header comes alone, then one page a chunk,
    // so the server never held more than a page of the queue.
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    const chunks: string[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read())
      chunks.push(decoder.decode(r.value, { stream: true }));
    expect(chunks[0]?.startsWith('\uFEFFGravedad,Regla,')).toBe(true);
    const rowsPerChunk = chunks.slice(1).map((c) => c.split('\r\n').filter(Boolean).length);
    expect(Math.max(...rowsPerChunk)).toBeLessThanOrEqual(500);
    expect(rowsPerChunk.length).toBeGreaterThanOrEqual(50);
    const rows = chunks.slice(1).join('').split('\r\n').filter(Boolean);
    expect(rows).toHaveLength(25_000);
    // Every flag once, in the order asked: the 5,000 critical ones first.
    const ids = rows.map((r) => r.split(',').at(-5));
    expect(new Set(ids).size).toBe(25_000);
    expect(rows.slice(0, 5000).every((r) => r.startsWith('crítico,'))).toBe(true);
    expect(rows[5000]?.startsWith('bajo,')).toBe(true);
    // The same filters as the list: only the critical ones, as GeoJSON too.
    const fc = JSON.parse(await text(await get('/v1/flags?format=geojson&severity=critical'))) as {
      type: string;
      features: Feature[];
    };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(5000);
    expect(fc.features.every((f) => f.properties.Severity === 'crítico')).toBe(true);
  });
});

describe('the queue as GeoJSON', () => {
  it('each flag a Feature (RFC 7946: longitude first) at its checkpoint, its lot’s origin or its movement’s destination', async () => {
    const lot = await registerLot(t, w);
    const movements = await t.call('GET', '/v1/movements', { token: w.regulatorToken });
    const movement = movements.body.items[0] as { id: string; code: string };
    const atOrigin = await insertFlag(t.db, { subjectId: lot.id, severity: 'high' });
    const atDestination = await insertFlag(t.db, {
      subjectType: 'movement',
      subjectId: movement.id,
      rule: 'OVER_QUOTA',
      severity: 'medium',
    });
    const atCheckpoint = await insertFlag(t.db, {
      subjectId: lot.id,
      rule: 'WEIGHT_DISCREPANCY',
      evidence: { checkpointId: w.mazuko.id, checkpointCode: w.mazuko.code },
    });
    // Evidence naming something that is no checkpoint (hostile or stale) places the flag at its subject.
    const notACheckpoint = await insertFlag(t.db, {
      subjectId: lot.id,
      rule: 'QR_CLONED',
      evidence: { scan: { checkpointId: "x' OR 1=1 --" } },
    });
    const res = await get('/v1/flags?format=geojson&lang=en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/geo+json');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="flags-\d{4}-\d\d-\d\d\.geojson"$/,
    );
    const fc = JSON.parse(await text(res)) as { type: string; features: Feature[] };
    expect(fc.type).toBe('FeatureCollection');
    const byId = new Map(fc.features.map((f) => [f.id, f]));
    expect(byId.get(atOrigin.id)?.geometry).toEqual({ type: 'Point', coordinates: [-70.1, -12.945] });
    expect(byId.get(atOrigin.id)?.properties).toMatchObject({
      Severity: 'high',
      Status: 'open',
      'Lot or movement code': lot.code,
      Place: 'lot origin',
      'Rule code': 'ORIGIN_IN_EXCLUSION_ZONE',
    });
    // Coordinates live in the geometry, not twice in the properties.
    expect(byId.get(atOrigin.id)?.properties).not.toHaveProperty('Latitude');
    const [lon, lat] = byId.get(atDestination.id)?.geometry?.coordinates ?? [];
    expect(lon).toBeGreaterThan(-70.12);
    expect(lon).toBeLessThan(-70.08);
    expect(lat).toBeGreaterThan(-12.96);
    expect(lat).toBeLessThan(-12.93);
    expect(byId.get(atDestination.id)?.properties).toMatchObject({
      Place: 'consignment destination',
      'Lot or movement code': movement.code,
    });
    expect(byId.get(atCheckpoint.id)?.geometry?.coordinates).toEqual([-70.373, -13.098]);
    expect(byId.get(atCheckpoint.id)?.properties.Place).toBe('checkpoint');
    expect(byId.get(notACheckpoint.id)?.properties.Place).toBe('lot origin');
    // Every position a valid WGS 84 longitude, latitude pair.
    for (const f of fc.features) {
      expect(f.type).toBe('Feature');
      const [x, y] = f.geometry?.coordinates ?? [];
      expect(Math.abs(x ?? 999)).toBeLessThanOrEqual(180);
      expect(Math.abs(y ?? 999)).toBeLessThanOrEqual(90);
    }
    // Spanish by default, values worded as the CSV words them; Accept asks for it as format does.
    const es = JSON.parse(
      await text(
        await get(`/v1/flags?subjectId=${movement.id}`, w.regulatorToken, { accept: 'application/geo+json' }),
      ),
    ) as { features: Feature[] };
    expect(es.features.map((f) => f.id)).toEqual([atDestination.id]);
    expect(es.features[0]?.properties).toMatchObject({ Severity: 'medio', Place: 'destino del envío' });
  });

  it('the CSV carries the place and its coordinates, latitude then longitude as headed', async () => {
    const lot = await registerLot(t, w);
    await insertFlag(t.db, { subjectId: lot.id, severity: 'high' });
    const body = await text(await get('/v1/flags?format=csv'));
    const [header, row] = body.slice(1).split('\r\n');
    expect(header?.endsWith(',Lugar,Latitud,Longitud')).toBe(true);
    expect(row?.endsWith(',origen del lote,-12.945,-70.1')).toBe(true);
  });
});

describe('who may export the queue', () => {
  it('regulators and admins; exporters and checkpoint staff get no flag, whatever the format', async () => {
    const lot = await registerLot(t, w);
    await insertFlag(t.db, { subjectId: lot.id });
    expect((await get('/v1/flags?format=geojson', w.admin)).status).toBe(200);
    for (const token of [w.minerToken, w.mazukoToken]) {
      for (const format of ['csv', 'geojson']) {
        const res = await get(`/v1/flags?format=${format}&subjectId=${lot.id}`, token);
        expect(res.status).toBe(403);
        expect(await res.text()).not.toContain(lot.id);
      }
    }
    expect((await t.app.request('/v1/flags?format=geojson')).status).toBe(401);
    expect((await get('/v1/flags?format=xlsx')).status).toBe(400);
  });
});
