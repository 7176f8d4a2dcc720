import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/db/client.js';
import { rescreenZone } from '../../../src/domain/screening/rescreen.js';
import type { TestContext } from '../../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

// goldWorld's lots come from [-70.1, -12.945], inside concession Guacamayo I, extracted 2026-10-01.
const reserve = {
  name: 'Reserva de prueba',
  kind: 'protected_area',
  legalBasis: 'D.S. 048-2000-AG',
  validFrom: '2000-09-04',
  // 0.005° around the origin on every side: ~542 m east-west at this latitude, ~553 m north-south.
  geometry: box(-70.105, -12.95, -70.095, -12.94),
};

async function addZone(body: Record<string, unknown>) {
  const res = await t.call('POST', '/v1/zones', { token: w.admin, body });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

const getLot = async (id: string) => {
  const res = await t.call('GET', `/v1/lots/${id}`, { token: w.regulatorToken });
  expect(res.status, res.text).toBe(200);
  return res.body;
};

const zoneFlagsOf = async (lotId: string) =>
  (await getLot(lotId)).flags.filter((f: { rule: string }) => f.rule === 'ORIGIN_IN_EXCLUSION_ZONE');

describe('ORIGIN_IN_EXCLUSION_ZONE', () => {
  it('fires, critical, for an origin inside a protected area in force at extraction, with the evidence a regulator needs', async () => {
    const zone = await addZone(reserve);
    const lot = await registerLot(t, w);
    expect(lot.riskLevel).toBe('critical');
    expect(lot.flags).toHaveLength(1);
    const [flag] = lot.flags;
    expect(flag).toMatchObject({
      rule: 'ORIGIN_IN_EXCLUSION_ZONE',
      severity: 'critical',
      status: 'open',
      inheritedFrom: null,
    });
    expect(flag.evidence).toMatchObject({
      zoneId: zone.id,
      zoneName: 'Reserva de prueba',
      zoneKind: 'protected_area',
      legalBasis: 'D.S. 048-2000-AG',
      origin: { type: 'Point', coordinates: [-70.1, -12.945] },
      extractedOn: '2026-10-01',
    });
    // Distance to the nearest edge: the east/west edges, 0.005° of longitude at 12.945° S.
    expect(Number(flag.evidence.depthM)).toBeGreaterThan(535);
    expect(Number(flag.evidence.depthM)).toBeLessThan(550);
  });

  it('a buffer zone fires with severity high', async () => {
    await addZone({ ...reserve, kind: 'buffer_zone', name: 'ZA de prueba' });
    const lot = await registerLot(t, w);
    expect(lot.flags).toEqual([
      expect.objectContaining({ rule: 'ORIGIN_IN_EXCLUSION_ZONE', severity: 'high' }),
    ]);
  });

  it('a buffer zone whose legal basis is D.U. 012-2010 fires critical: small-scale gold mining is excluded there outright', async () => {
    await addZone({
      ...reserve,
      kind: 'buffer_zone',
      name: 'ZA Tambopata',
      legalBasis: 'R.J. Nº 290-2005-INRENA; D.U. Nº 012-2010 (fuera del corredor minero)',
    });
    await addZone({
      ...reserve,
      kind: 'buffer_zone',
      name: 'ZA written out',
      legalBasis: 'Decreto de Urgencia 12-2010, anexo 1',
    });
    // Another year's decree of the same number is not it.
    await addZone({ ...reserve, kind: 'buffer_zone', name: 'ZA other', legalBasis: 'D.U. 012-2011' });
    const lot = await registerLot(t, w);
    expect(
      lot.flags
        .map((f: { severity: string; evidence: { zoneName: string } }) => [f.evidence.zoneName, f.severity])
        .sort(),
    ).toEqual([
      ['ZA Tambopata', 'critical'],
      ['ZA other', 'high'],
      ['ZA written out', 'critical'],
    ]);
  });

  it('near miss: an origin ~11 m outside the zone raises nothing', async () => {
    // West edge at -70.0999: the origin at -70.1 is 0.0001° (~11 m) west of it.
    await addZone({ ...reserve, geometry: box(-70.0999, -12.95, -70.09, -12.94) });
    const lot = await registerLot(t, w);
    expect(lot.flags).toEqual([]);
    expect(lot.riskLevel).toBe('none');
  });

  it('a zone in force only after the extraction date, or no longer on it, raises nothing', async () => {
    await addZone({ ...reserve, validFrom: '2026-10-02' });
    await addZone({ ...reserve, name: 'Ended', validFrom: '2000-01-01', validTo: '2026-10-01' });
    const lot = await registerLot(t, w);
    expect(lot.flags).toEqual([]);
    // The day it starts counts: extracted the day the zone comes into force.
    const onTheDay = await registerLot(t, w, { extractedOn: '2026-10-02' });
    expect(onTheDay.flags).toEqual([
      expect.objectContaining({ rule: 'ORIGIN_IN_EXCLUSION_ZONE', severity: 'critical' }),
    ]);
  });

  it('a zone added after the lot was registered re-screens it; another zone or a re-run adds nothing; retiring keeps the flag', async () => {
    const lot = await registerLot(t, w);
    expect(lot.flags).toEqual([]);
    const zone = await addZone(reserve);
    const flags = await zoneFlagsOf(lot.id);
    expect(flags).toEqual([
      expect.objectContaining({
        severity: 'critical',
        status: 'open',
        evidence: expect.objectContaining({ zoneId: zone.id }),
      }),
    ]);
    const rescreened = rowsOf<{ payload: { lotsScreened: number; flagsRaised: number } }>(
      await t.db.execute(
        sql`SELECT payload FROM events WHERE type = 'screening.rescreened' AND subject_id = ${zone.id}`,
      ),
    );
    expect(rescreened.map((e) => e.payload)).toEqual([expect.objectContaining({ lotsScreened: 1 })]);

    // A zone far away (Puerto Maldonado) re-screens nothing here.
    await addZone({ ...reserve, name: 'Lejos', geometry: box(-69.3, -12.7, -69.1, -12.5) });
    // The same zone screened again raises nothing new.
    const again = await t.db.transaction((tx) => rescreenZone(tx, { sub: 'test', role: 'admin' }, zone.id));
    expect(again).toMatchObject({ lotsScreened: 1, flagsRaised: 0 });
    expect(await zoneFlagsOf(lot.id)).toEqual(flags);

    const retired = await t.call('POST', `/v1/zones/${zone.id}/retire`, {
      token: w.admin,
      body: { validTo: '2026-11-01' },
    });
    expect(retired.status, retired.text).toBe(200);
    expect(await zoneFlagsOf(lot.id)).toEqual(flags);
    const [count] = rowsOf<{ n: number }>(
      await t.db.execute(sql`SELECT count(*)::int AS n FROM flags WHERE subject_id = ${lot.id}`),
    );
    expect(count?.n).toBe(1);
  });

  it('split, merge and refine children inherit the flag; dismissing the source dismisses the copies and frees the child', async () => {
    await addZone(reserve);
    const lot = await registerLot(t, w);
    const [root] = lot.flags;
    expect(root.rule).toBe('ORIGIN_IN_EXCLUSION_ZONE');
    // A clean lot from outside the zone to merge with.
    const clean = await registerLot(t, w, { origin: { type: 'Point', coordinates: [-70.085, -12.935] } });
    expect(clean.flags).toEqual([]);

    const split = await t.call('POST', `/v1/lots/${lot.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '500.000' }, { grossWeightG: '500.000' }] },
    });
    expect(split.status, split.text).toBe(201);
    const [a, b] = split.body.children;
    const merged = await t.call('POST', '/v1/lots/merge', {
      token: w.minerToken,
      body: { lotIds: [a.id, clean.id] },
    });
    expect(merged.status, merged.text).toBe(201);
    const refined = await t.call('POST', `/v1/lots/${merged.body.id}/refine`, {
      token: w.minerToken,
      body: { grossWeightG: '1300.000', fineness: '900' },
    });
    expect(refined.status, refined.text).toBe(201);

    const descendants = [a.id, b.id, merged.body.id, refined.body.id];
    const copies = [];
    for (const id of descendants) {
      const flags = await zoneFlagsOf(id);
      expect(flags, id).toEqual([
        expect.objectContaining({
          severity: 'critical',
          status: 'open',
          inheritedFrom: root.id,
          evidence: expect.objectContaining({ zoneId: root.evidence.zoneId, sourceLotId: lot.id }),
        }),
      ]);
      copies.push(flags[0]);
    }

    const scan = () =>
      t.call('POST', '/v1/scans', {
        token: w.mazukoToken,
        body: {
          token: b.qrUrl,
          checkpointId: w.mazuko.id,
          occurredAt: new Date().toISOString(),
          clientId: randomUUID(),
        },
      });
    const held = await scan();
    expect(held.status, held.text).toBe(201);
    expect(held.body.verdict).toBe('hold');

    // A copy is not reviewed on its own: 409 naming the flag to review.
    const direct = await t.call('POST', `/v1/flags/${copies[0].id}/review`, {
      token: w.regulatorToken,
      body: { decision: 'dismiss', reason: 'checked the child only' },
    });
    expect(direct.status).toBe(409);
    expect(direct.body.detail).toContain(root.id);

    const dismissed = await t.call('POST', `/v1/flags/${root.id}/review`, {
      token: w.regulatorToken,
      body: { decision: 'dismiss', reason: 'zone boundary wrong in the layer; verified on site' },
    });
    expect(dismissed.status, dismissed.text).toBe(200);
    for (const id of descendants) {
      expect((await zoneFlagsOf(id))[0].status, id).toBe('dismissed');
    }
    const passed = await scan();
    expect(passed.status, passed.text).toBe(201);
    expect(passed.body.verdict).toBe('pass');
  });
});
