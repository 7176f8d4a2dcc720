import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { versionInForce } from '../../src/domain/reference/concession-geometries.js';
import type { TestContext } from '../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

// goldWorld's concession Guacamayo I: box(-70.12, -12.96, -70.08, -12.93) as version 1. Version 2
// moves it west: box(-70.14, -12.96, -70.10, -12.93), from 2026-11-01.
const v2 = box(-70.14, -12.96, -70.1, -12.93);
const at = (lon: number, lat: number, extractedOn: string) => ({
  origin: { type: 'Point', coordinates: [lon, lat] },
  extractedOn,
});
type Flag = { rule: string; severity: string; evidence: Record<string, unknown> };
const outside = (lot: { flags: Flag[] }) => lot.flags.filter((f) => f.rule === 'ORIGIN_OUTSIDE_CONCESSION');
const lotFlags = async (id: string): Promise<Flag[]> =>
  (await t.call('GET', `/v1/lots/${id}`, { token: w.regulatorToken })).body.flags;
const redraw = (body: Record<string, unknown>) =>
  t.call('PATCH', `/v1/concessions/${w.concession.id}`, { token: w.admin, body });
const versions = async () =>
  (await t.call('GET', `/v1/concessions/${w.concession.id}/geometries`, { token: w.regulatorToken })).body
    .items as {
    version: number;
    validFrom: string | null;
    validTo: string | null;
    areaHa: string;
  }[];

describe('geometry history of a right', () => {
  it('a registered right has one version, open from the start of the record', async () => {
    expect(await versions()).toEqual([
      expect.objectContaining({ version: 1, validFrom: null, validTo: null, areaHa: w.concession.areaHa }),
    ]);
  });

  it('a redrawn boundary opens version 2 from its day; each lot is judged by the version in force on its extraction date, and provenance names it', async () => {
    // Registered before the change, inside version 1 but outside version 2, extracted after 2026-11-01.
    const late = await registerLot(t, w, at(-70.09, -12.945, '2026-11-10'));
    expect(outside(late)).toEqual([]);
    const res = await redraw({ geometry: v2, geometryValidFrom: '2026-11-01' });
    expect(res.status, res.text).toBe(200);
    expect(await versions()).toEqual([
      expect.objectContaining({ version: 1, validFrom: null, validTo: '2026-11-01' }),
      expect.objectContaining({ version: 2, validFrom: '2026-11-01', validTo: null }),
    ]);
    // The change re-screened the right's lots: the late lot is now outside the boundary in force.
    const lateFlags = outside({ flags: await lotFlags(late.id) });
    expect(lateFlags).toHaveLength(1);
    expect(lateFlags[0]?.evidence).toMatchObject({ geometryVersion: 2, versionValidFrom: '2026-11-01' });

    // Same point (-70.13 lies inside version 2, outside version 1): judged by each date's version.
    const before = await registerLot(t, w, at(-70.13, -12.945, '2026-10-15'));
    const after = await registerLot(t, w, at(-70.13, -12.945, '2026-11-15'));
    expect(outside(before)).toHaveLength(1);
    expect(outside(before)[0]?.evidence).toMatchObject({ geometryVersion: 1, versionValidTo: '2026-11-01' });
    expect(outside(after)).toEqual([]);

    const geo = await t.call('GET', `/v1/lots/${before.id}/provenance?format=geojson`, {
      token: w.regulatorToken,
    });
    expect(geo.status, geo.text).toBe(200);
    const features = geo.body.features as { id: string; properties: Record<string, unknown> }[];
    expect(features.find((f) => f.properties.lotId === before.id)?.properties.geometryVersion).toBe(1);
    expect(
      features.find((f) => !f.properties.lotId && f.properties.concessionId === w.concession.id)?.properties,
    ).toMatchObject({
      geometryVersion: 1,
      validFrom: null,
      validTo: '2026-11-01',
    });
    const geoAfter = await t.call('GET', `/v1/lots/${after.id}/provenance?format=geojson`, {
      token: w.regulatorToken,
    });
    expect(
      (geoAfter.body.features as { properties: Record<string, unknown> }[]).find(
        (f) => !f.properties.lotId && f.properties.concessionId === w.concession.id,
      )?.properties,
    ).toMatchObject({ geometryVersion: 2, validFrom: '2026-11-01' });

    // The change is on the ledger with the version it opened.
    const [event] = rowsOf<{ payload: { geometryVersion?: unknown } }>(
      await t.db.execute(
        sql`SELECT payload FROM events WHERE type = 'concession.updated' AND subject_id = ${w.concession.id}`,
      ),
    );
    expect(event?.payload.geometryVersion).toMatchObject({ version: 2, validFrom: '2026-11-01' });
  });

  it('history is not rewritten: a change dated on or before the day the version in force began, or in the future, is refused and changes nothing', async () => {
    expect((await redraw({ geometry: v2, geometryValidFrom: '2026-11-01' })).status).toBe(200);
    for (const geometryValidFrom of ['2026-11-01', '2026-10-15', '2999-01-01']) {
      const res = await redraw({ geometry: box(-70.2, -12.96, -70.1, -12.93), geometryValidFrom });
      expect([400, 422], res.text).toContain(res.status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.text).toContain('geometryValidFrom');
    }
    expect((await versions()).map((v) => v.version)).toEqual([1, 2]);
    const got = await t.call('GET', `/v1/concessions/${w.concession.id}`, { token: w.regulatorToken });
    expect(got.body.geometry.coordinates[0][0]).toContainEqual([-70.14, -12.96]);
    // A date without a geometry says what is missing.
    const alone = await redraw({ geometryValidFrom: '2026-11-20' });
    expect(alone.status).toBe(400);
    expect(alone.text).toContain('geometryValidFrom');
  });

  it('the first version runs from the grant: a change dated before it is refused', async () => {
    for (const geometryValidFrom of ['2012-04-19', '2000-01-01']) {
      const res = await redraw({ geometry: v2, geometryValidFrom });
      expect(res.status, res.text).toBe(422);
      expect(res.text).toContain('geometryValidFrom');
    }
    expect((await versions()).map((v) => v.version)).toEqual([1]);
  });

  it('a second change today to a version that began today supersedes it: that version closes on its first day and never judges a lot', async () => {
    expect((await redraw({ geometry: v2 })).status).toBe(200);
    const res = await redraw({ geometry: box(-70.15, -12.96, -70.1, -12.93) });
    expect(res.status, res.text).toBe(200);
    const [v1, second, third] = await versions();
    expect([v1?.version, second?.version, third?.version]).toEqual([1, 2, 3]);
    expect(second?.validTo).toBe(second?.validFrom);
    expect(third?.validTo).toBeNull();
    const judged = rowsOf<{ version: number }>(
      await t.db.execute(
        sql`SELECT version FROM (${versionInForce(sql`${w.concession.id}::uuid`, sql`${third?.validFrom}::date`)}) v`,
      ),
    );
    expect(judged.map((v) => v.version)).toEqual([3]);
  });

  it('two concurrent redrawings from the same past day: one wins, the other is refused, one version opened', async () => {
    const [a, b] = await Promise.all([
      redraw({ geometry: v2, geometryValidFrom: '2026-11-01' }),
      redraw({ geometry: box(-70.15, -12.96, -70.1, -12.93), geometryValidFrom: '2026-11-01' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 422]);
    expect((await versions()).map((v) => [v.version, v.validTo])).toEqual([
      [1, '2026-11-01'],
      [2, null],
    ]);
  });

  it('only admins redraw; the versions are read by those who read the right, and an unknown right is 404', async () => {
    expect(
      (
        await t.call('PATCH', `/v1/concessions/${w.concession.id}`, {
          token: w.regulatorToken,
          body: { geometry: v2 },
        })
      ).status,
    ).toBe(403);
    expect((await t.call('GET', `/v1/concessions/${w.concession.id}/geometries`)).status).toBe(401);
    expect(
      (
        await t.call('GET', '/v1/concessions/00000000-0000-4000-8000-000000000000/geometries', {
          token: w.admin,
        })
      ).status,
    ).toBe(404);
  });

  it('the database keeps versions as history: a version is never deleted, nor its geometry changed', async () => {
    await expect(t.db.execute(sql`DELETE FROM concession_geometries`)).rejects.toThrow();
    await expect(
      t.db.execute(sql`UPDATE concession_geometries SET valid_from = '2020-01-01' WHERE version = 1`),
    ).rejects.toThrow();
  });

  it('overlaps are judged between the versions of both rights in force on the extraction date', async () => {
    // A timber right over the concession's western part, redrawn away from it from 2026-11-01.
    const timber = await t.call('POST', '/v1/concessions', {
      token: w.admin,
      body: {
        code: '17-TIM-001',
        name: 'Maderera Inambari',
        kind: 'timber',
        status: 'titled',
        grantedOn: '2010-01-01',
        geometry: box(-70.13, -12.97, -70.1, -12.92),
        // The registry refuses an overlap unless an admin files it under the law that allows it.
        overlapException: { legalBasis: 'superposición admitida (prueba)' },
      },
    });
    expect(timber.status, timber.text).toBe(201);
    const overlaps = (lot: { flags: Flag[] }) =>
      lot.flags.filter((f) => f.rule === 'CONCESSION_OVERLAPS_OTHER_RIGHTS');
    const moved = await t.call('PATCH', `/v1/concessions/${timber.body.id}`, {
      token: w.admin,
      body: { geometry: box(-70.3, -12.97, -70.25, -12.92), geometryValidFrom: '2026-11-01' },
    });
    expect(moved.status, moved.text).toBe(200);
    const before = await registerLot(t, w, at(-70.09, -12.945, '2026-10-15'));
    const after = await registerLot(t, w, at(-70.09, -12.945, '2026-11-15'));
    expect(overlaps(before)).toHaveLength(1);
    expect(overlaps(before)[0]?.evidence).toMatchObject({ otherGeometryVersion: 1, geometryVersion: 1 });
    expect(overlaps(after)).toEqual([]);
  });
});
