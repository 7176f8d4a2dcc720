import { beforeEach, describe, expect, it } from 'vitest';
import { rescreenConcession } from '../../../src/domain/screening/rescreen.js';
import type { TestContext } from '../../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
let castanero: { id: string };
const world = worldPerFile(async (t) => {
  const w = await goldWorld(t);
  const res = await t.call('POST', '/v1/actors', {
    token: w.admin,
    body: { taxId: '10456789012', name: 'Asociación de Castañeros Tres Islas', kinds: ['other'] },
  });
  expect(res.status, res.text).toBe(201);
  return { w, castanero: res.body };
});
beforeEach(async () => {
  ({
    t,
    w: { w, castanero },
  } = await world());
});

// goldWorld's mining concession Guacamayo I: box(-70.12, -12.96, -70.08, -12.93).
async function right(code: string, kind: string, geometry: unknown, extra: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/v1/concessions', {
    token: w.admin,
    body: {
      code,
      name: `Derecho ${code}`,
      kind,
      holderId: castanero.id,
      status: 'titled',
      grantedOn: '2008-01-15',
      geometry,
      // These rights overlap on purpose: the registry files them only under an exception.
      overlapException: { legalBasis: 'superposición admitida (prueba)' },
      ...extra,
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

const at = (lon: number, lat: number) => ({ origin: { type: 'Point', coordinates: [lon, lat] } });
type Flag = { rule: string; id: string; severity: string; evidence: Record<string, unknown> };
const overlapFlags = (lot: { flags: Flag[] }) =>
  lot.flags.filter((f) => f.rule === 'CONCESSION_OVERLAPS_OTHER_RIGHTS');
const lotFlags = async (id: string) =>
  overlapFlags((await t.call('GET', `/v1/lots/${id}`, { token: w.regulatorToken })).body);

describe('CONCESSION_OVERLAPS_OTHER_RIGHTS', () => {
  it('a chestnut right over a third of the mining concession flags its lots: high in the overlap, medium elsewhere, with the overlap measured and drawn', async () => {
    // Overlap: lon -70.10..-70.08, lat -12.95..-12.93, a third of Guacamayo I (0.04° × 0.03°).
    const chestnut = await right('CAST-0001', 'chestnut', box(-70.1, -12.95, -70.06, -12.9));
    const inside = await registerLot(t, w, at(-70.09, -12.94));
    const outside = await registerLot(t, w, at(-70.11, -12.955));

    const [high] = overlapFlags(inside) as [Flag];
    expect(overlapFlags(inside)).toHaveLength(1);
    expect(high.severity).toBe('high');
    expect(high.evidence).toMatchObject({
      concessionId: w.concession.id,
      code: '07-000123',
      otherConcessionId: chestnut.id,
      otherCode: 'CAST-0001',
      otherKind: 'chestnut',
      otherHolderId: castanero.id,
      otherHolderName: 'Asociación de Castañeros Tres Islas',
      originInOverlap: true,
      overlapSimplified: false,
      extractedOn: '2026-10-01',
    });
    // 0.02° × 0.02° at 12.94° S: ~2.17 km × ~2.21 km ≈ 480 ha, independently of PostGIS.
    const kmPerDegLat = 110.6;
    const kmPerDegLon = 111.32 * Math.cos((12.94 * Math.PI) / 180);
    const expectedHa = 0.02 * kmPerDegLon * (0.02 * kmPerDegLat) * 100;
    expect(Number(high.evidence.overlapHa)).toBeCloseTo(expectedHa, -1);
    expect(Number(high.evidence.overlapShare)).toBeGreaterThan(0.33);
    expect(Number(high.evidence.overlapShare)).toBeLessThan(0.337);
    const overlap = high.evidence.overlap as { type: string; coordinates: number[][][] };
    expect(overlap.type).toBe('Polygon');
    const ring = overlap.coordinates[0] ?? [];
    expect(Math.min(...ring.map((p) => p[0] ?? 0))).toBeCloseTo(-70.1, 6);
    expect(Math.max(...ring.map((p) => p[0] ?? 0))).toBeCloseTo(-70.08, 6);
    expect(Math.min(...ring.map((p) => p[1] ?? 0))).toBeCloseTo(-12.95, 6);
    expect(Math.max(...ring.map((p) => p[1] ?? 0))).toBeCloseTo(-12.93, 6);

    expect(overlapFlags(outside)).toEqual([
      expect.objectContaining({
        severity: 'medium',
        evidence: expect.objectContaining({ otherConcessionId: chestnut.id, originInOverlap: false }),
      }),
    ]);
  });

  it('near misses: a right that only touches the border, one retired before extraction, another mining concession', async () => {
    await right('MAD-0001', 'timber', box(-70.08, -12.96, -70.05, -12.93)); // shares the east edge
    await right('ECO-0001', 'ecotourism', box(-70.11, -12.95, -70.09, -12.94), {}).then((c) =>
      t.call('POST', `/v1/concessions/${c.id}/retire`, { token: w.admin, body: { retiredOn: '2026-09-30' } }),
    );
    await right('07-000999', 'mining', box(-70.1, -12.95, -70.06, -12.9));
    const lot = await registerLot(t, w);
    expect(overlapFlags(lot)).toEqual([]);
  });

  it('one flag per overlapped right; a right added later re-screens the lots; screening again adds nothing', async () => {
    await right('CAST-0001', 'chestnut', box(-70.1, -12.95, -70.06, -12.9));
    const lot = await registerLot(t, w);
    expect(overlapFlags(lot)).toHaveLength(1);
    const timber = await right('MAD-0002', 'reforestation', box(-70.13, -12.97, -70.11, -12.95));
    const flags = await lotFlags(lot.id);
    expect(flags.map((f) => f.evidence.otherCode).sort()).toEqual(['CAST-0001', 'MAD-0002']);
    const again = await t.db.transaction((tx) =>
      rescreenConcession(tx, { sub: 'test', role: 'admin' }, timber.id),
    );
    expect(again.flagsRaised).toBe(0);
    expect(await lotFlags(lot.id)).toEqual(flags);
  });

  it('a large overlap is simplified in the evidence, and says so', async () => {
    // A 2000-vertex circle of 0.01° radius inside Guacamayo I, around the lots' origin.
    const ring: number[][] = [];
    for (let i = 0; i < 2000; i++) {
      const a = (2 * Math.PI * i) / 2000;
      ring.push([-70.1 + 0.01 * Math.cos(a), -12.945 + 0.01 * Math.sin(a)]);
    }
    ring.push(ring[0] as number[]);
    await right('CAST-0002', 'chestnut', { type: 'Polygon', coordinates: [ring] });
    const [flag] = overlapFlags(await registerLot(t, w)) as [Flag];
    expect(flag.severity).toBe('high');
    expect(flag.evidence.overlapSimplified).toBe(true);
    const drawn = flag.evidence.overlap as { coordinates: number[][][] };
    const vertices = drawn.coordinates.flat().length;
    expect(vertices).toBeGreaterThan(8);
    expect(vertices).toBeLessThan(2001);
    // An ellipse of 0.01° radii at 12.945° S: π × 1.084 km × 1.106 km ≈ 377 ha.
    expect(Number(flag.evidence.overlapHa)).toBeGreaterThan(370);
    expect(Number(flag.evidence.overlapHa)).toBeLessThan(385);
  });
});
