import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/db/client.js';
import { destinationInExclusionZone } from '../../../src/domain/screening/rules/destination-in-exclusion-zone.js';
import type { TestContext } from '../../helpers/app.js';
import { box } from '../../helpers/fixtures.js';
import { declareMovement, type InputsWorld, inputsWorld } from '../../helpers/inputs.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: InputsWorld;
const world = worldPerFile(inputsWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

async function addZone(body: Record<string, unknown>) {
  const res = await t.call('POST', '/v1/zones', {
    token: w.admin,
    body: {
      name: 'Reserva de prueba',
      kind: 'protected_area',
      legalBasis: 'D.S. 048-2000-AG',
      validFrom: '2000-09-04',
      ...body,
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

const zoneFlags = async (movementId: string) =>
  rowsOf<{ severity: string; fingerprint: string }>(
    await t.db.execute(sql`SELECT severity, fingerprint FROM flags
      WHERE subject_type = 'movement' AND subject_id = ${movementId} AND rule = 'DESTINATION_IN_EXCLUSION_ZONE'
      ORDER BY created_at, id`),
  );

const toPoint = (lon: number, lat: number) => ({
  destination: { point: { type: 'Point', coordinates: [lon, lat] } },
});

// inputsWorld's concession Huaypetue II is the box [-70.55, -13.08] – [-70.5, -13.03].
describe('DESTINATION_IN_EXCLUSION_ZONE', () => {
  it('a destination point inside a protected area fires, critical, with the zone and the point', async () => {
    const zone = await addZone({ geometry: box(-70.3, -12.9, -70.2, -12.8) });
    const m = await declareMovement(t, w, toPoint(-70.25, -12.85));
    expect(m.riskLevel).toBe('critical');
    expect(m.flags).toHaveLength(1);
    expect(m.flags[0]).toMatchObject({ rule: 'DESTINATION_IN_EXCLUSION_ZONE', severity: 'critical' });
    expect(m.flags[0].evidence).toMatchObject({
      movementCode: m.code,
      zoneId: zone.id,
      zoneName: 'Reserva de prueba',
      zoneKind: 'protected_area',
      legalBasis: 'D.S. 048-2000-AG',
      destination: { type: 'Point', coordinates: [-70.25, -12.85] },
      declaredOn: new Date().toISOString().slice(0, 10),
    });
    // 0.05° to the nearest edge: ~5.4 km east-west, ~5.5 km north-south.
    expect(m.flags[0].evidence.depthM).toBeGreaterThan(5300);
    expect(m.flags[0].evidence.depthM).toBeLessThan(5600);
    expect(await zoneFlags(m.id)).toEqual([{ severity: 'critical', fingerprint: zone.id }]);
    expect(destinationInExclusionZone.summarize(m.flags[0].evidence)).toMatch(
      /bound for \[-70\.25,-12\.85\], \d+(\.\d)? m inside protected_area "Reserva de prueba"/,
    );
  });

  it('a concession partly inside fires a level lower, with the overlap in hectares; wholly inside takes the zone’s severity', async () => {
    // Overlaps the concession's eastern 0.02° of longitude, all its height: ~2.17 km × ~5.53 km.
    const partly = await addZone({ geometry: box(-70.52, -13.2, -70.4, -12.9) });
    const m = await declareMovement(t, w);
    expect(m.flags).toHaveLength(1);
    const [flag] = m.flags;
    expect(flag.severity).toBe('high');
    expect(flag.evidence).toMatchObject({
      zoneId: partly.id,
      concessionId: w.concession.id,
      concessionCode: '07-000456',
      whollyInside: false,
    });
    expect(flag.evidence.overlapHa).toBeGreaterThan(1150);
    expect(flag.evidence.overlapHa).toBeLessThan(1250);
    expect(flag.evidence.overlapBbox.coordinates[0]).toEqual(
      expect.arrayContaining([
        [-70.52, -13.08],
        [-70.5, -13.03],
      ]),
    );
    expect(destinationInExclusionZone.summarize(flag.evidence)).toMatch(
      /bound for concession 07-000456, \d+(\.\d+)? ha of it inside protected_area/,
    );

    const whole = await addZone({
      kind: 'buffer_zone',
      name: 'ZA de prueba',
      geometry: box(-70.6, -13.1, -70.45, -13.0),
    });
    const n = await declareMovement(t, w);
    expect(
      n.flags.map((f: { severity: string; evidence: { zoneId: string } }) => [f.evidence.zoneId, f.severity]),
    ).toEqual(
      expect.arrayContaining([
        [partly.id, 'high'],
        [whole.id, 'high'],
      ]),
    );
    expect(n.flags).toHaveLength(2);
  });

  it('a buffer zone under D.U. 012-2010 takes critical (high for a concession only partly inside); other buffer zones high', async () => {
    const basis = 'R.J. Nº 290-2005-INRENA; D.U. N° 012-2010';
    const partly = await addZone({
      kind: 'buffer_zone',
      legalBasis: basis,
      geometry: box(-70.52, -13.2, -70.4, -12.9),
    });
    const whole = await addZone({
      kind: 'buffer_zone',
      legalBasis: basis,
      geometry: box(-70.6, -13.1, -70.45, -13.0),
    });
    const plain = await addZone({
      kind: 'buffer_zone',
      legalBasis: 'R.J. Nº 290-2005-INRENA',
      geometry: box(-70.6, -13.1, -70.45, -13.0),
    });
    const m = await declareMovement(t, w);
    expect(
      m.flags
        .map((f: { severity: string; evidence: { zoneId: string } }) => [f.evidence.zoneId, f.severity])
        .sort(),
    ).toEqual(
      [
        [partly.id, 'high'],
        [whole.id, 'critical'],
        [plain.id, 'high'],
      ].sort(),
    );
    // A point inside takes the zone's own.
    const p = await declareMovement(t, w, toPoint(-70.46, -13.05));
    expect(
      p.flags
        .map((f: { severity: string; evidence: { zoneId: string } }) => [f.evidence.zoneId, f.severity])
        .sort(),
    ).toEqual(
      [
        [partly.id, 'critical'],
        [whole.id, 'critical'],
        [plain.id, 'high'],
      ].sort(),
    );
  });

  it('near miss: a zone that merely touches the concession’s edge, or that expired before the declaration, raises nothing', async () => {
    await addZone({ geometry: box(-70.5, -13.08, -70.4, -13.03) });
    await addZone({
      geometry: box(-70.6, -13.1, -70.45, -13.0),
      validFrom: '2000-01-01',
      validTo: '2020-01-01',
    });
    await addZone({ geometry: box(-70.3, -12.9, -70.2, -12.8) });
    const m = await declareMovement(t, w);
    expect(m.flags).toEqual([]);
    // ~11 m outside the third zone's west edge.
    const n = await declareMovement(t, w, toPoint(-70.3001, -12.85));
    expect(n.flags).toEqual([]);
  });

  it('a zone recorded after the declaration re-screens the movement, once', async () => {
    const m = await declareMovement(t, w, toPoint(-70.25, -12.85));
    expect(m.flags).toEqual([]);
    const zone = await addZone({
      kind: 'indigenous_territory',
      name: 'CN de prueba',
      geometry: box(-70.3, -12.9, -70.2, -12.8),
    });
    expect(await zoneFlags(m.id)).toEqual([{ severity: 'high', fingerprint: zone.id }]);
    const got = await t.call('GET', `/v1/movements/${m.id}`, { token: w.regulatorToken });
    expect(got.body.riskLevel).toBe('high');
  });
});
