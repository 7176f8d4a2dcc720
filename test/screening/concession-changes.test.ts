import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import type { TestContext } from '../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

// goldWorld: concession Guacamayo I box(-70.12, -12.96, -70.08, -12.93); lots from [-70.1, -12.945].
const patch = (id: string, body: unknown, token = w.admin) =>
  t.call('PATCH', `/v1/concessions/${id}`, { token, body });
const flagsOf = async (lotId: string, rule: string) =>
  (await t.call('GET', `/v1/lots/${lotId}`, { token: w.regulatorToken })).body.flags.filter(
    (f: { rule: string }) => f.rule === rule,
  );
const updatedEvents = async (id: string) =>
  rowsOf<{ payload: { before: Record<string, unknown>; after: Record<string, unknown> } }>(
    await t.db.execute(
      sql`SELECT payload FROM events WHERE type = 'concession.updated' AND subject_id = ${id} ORDER BY seq`,
    ),
  );

describe('PATCH /v1/concessions/:id and the re-screening it causes', () => {
  it('redrawing a concession so the origin falls outside flags its lot; the area is recomputed and the change recorded', async () => {
    const lot = await registerLot(t, w);
    expect(lot.flags).toEqual([]);
    const before = (await t.call('GET', `/v1/concessions/${w.concession.id}`, { token: w.admin })).body;
    // The eastern half only, from before the lot's extraction date (2026-10-01; the geometry is
    // versioned, and a lot is judged by the version in force when it was extracted): the origin
    // at -70.1 is now 0.005° (~540 m) west of it.
    const res = await patch(w.concession.id, {
      geometry: box(-70.095, -12.96, -70.08, -12.93),
      geometryValidFrom: '2026-09-01',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.geometry.type).toBe('MultiPolygon');
    expect(Number(res.body.areaHa)).toBeCloseTo((Number(before.areaHa) * 0.015) / 0.04, -1);
    const flags = await flagsOf(lot.id, 'ORIGIN_OUTSIDE_CONCESSION');
    expect(flags).toEqual([
      expect.objectContaining({
        severity: 'high',
        evidence: expect.objectContaining({ concessionId: w.concession.id }),
      }),
    ]);
    expect(Number(flags[0].evidence.distanceM)).toBeGreaterThan(530);
    expect(Number(flags[0].evidence.distanceM)).toBeLessThan(550);
    expect(await updatedEvents(w.concession.id)).toEqual([
      {
        payload: {
          before: { geometry: before.geometry, areaHa: before.areaHa },
          after: { geometry: res.body.geometry, areaHa: res.body.areaHa },
          geometryVersion: { version: 2, validFrom: '2026-09-01', closed: { version: 1, validFrom: null } },
        },
      },
    ]);

    // The same geometry again raises nothing new; another geometry that still leaves the origin
    // out is a new fact, and raises a new flag.
    expect(
      (
        await patch(w.concession.id, {
          geometry: box(-70.095, -12.96, -70.08, -12.93),
          geometryValidFrom: '2026-09-15',
        })
      ).status,
    ).toBe(200);
    expect(await flagsOf(lot.id, 'ORIGIN_OUTSIDE_CONCESSION')).toHaveLength(1);
    expect(
      (
        await patch(w.concession.id, {
          geometry: box(-70.09, -12.96, -70.08, -12.93),
          geometryValidFrom: '2026-09-20',
        })
      ).status,
    ).toBe(200);
    expect(await flagsOf(lot.id, 'ORIGIN_OUTSIDE_CONCESSION')).toHaveLength(2);
  });

  it('cancelling the title flags its lots CONCESSION_NOT_VALID_MINING; the status is the only change recorded', async () => {
    const lot = await registerLot(t, w);
    const res = await patch(w.concession.id, { status: 'cancelled' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', kind: 'mining', grantedOn: '2012-04-20' });
    expect(await flagsOf(lot.id, 'CONCESSION_NOT_VALID_MINING')).toEqual([
      expect.objectContaining({
        severity: 'high',
        evidence: expect.objectContaining({ status: 'cancelled', reasons: ['status cancelled, not titled'] }),
      }),
    ]);
    expect(await updatedEvents(w.concession.id)).toEqual([
      { payload: { before: { status: 'titled' }, after: { status: 'cancelled' } } },
    ]);
    // Kind, holder and grant date change too; a kind that is not mining is critical, anew.
    const other = await t.call('POST', '/v1/actors', {
      token: w.admin,
      body: { taxId: '10402020202', name: 'Maderera Los Amigos', kinds: ['other'] },
    });
    const changed = await patch(w.concession.id, {
      kind: 'timber',
      holderId: other.body.id,
      grantedOn: '2010-01-01',
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ kind: 'timber', holderId: other.body.id, grantedOn: '2010-01-01' });
    expect(
      (await flagsOf(lot.id, 'CONCESSION_NOT_VALID_MINING')).map((f: { severity: string }) => f.severity),
    ).toEqual(['high', 'critical']);
  });

  it('a chestnut concession registered over a mining one flags that concession’s lots; one redrawn onto it too', async () => {
    const lot = await registerLot(t, w);
    const chestnut = await t.call('POST', '/v1/concessions', {
      token: w.admin,
      body: {
        code: 'CAST-2020-01',
        name: 'Castañal Tres Islas',
        kind: 'chestnut',
        status: 'titled',
        grantedOn: '2004-06-01',
        geometry: box(-70.105, -12.95, -70.06, -12.9),
        overlapException: { legalBasis: 'superposición admitida (prueba)' },
      },
    });
    expect(chestnut.status, chestnut.text).toBe(201);
    expect(await flagsOf(lot.id, 'CONCESSION_OVERLAPS_OTHER_RIGHTS')).toEqual([
      expect.objectContaining({
        severity: 'high',
        evidence: expect.objectContaining({ otherConcessionId: chestnut.body.id, originInOverlap: true }),
      }),
    ]);
    // A timber concession away from it, then redrawn over its south-west corner from before the
    // lot's extraction date (a lot is judged by the geometry versions in force when it was extracted).
    const timber = await t.call('POST', '/v1/concessions', {
      token: w.admin,
      body: {
        code: 'MAD-77',
        name: 'Forestal Sur',
        kind: 'timber',
        status: 'titled',
        grantedOn: '2011-03-15',
        geometry: box(-70.5, -13.2, -70.4, -13.1),
      },
    });
    expect(timber.status).toBe(201);
    expect(await flagsOf(lot.id, 'CONCESSION_OVERLAPS_OTHER_RIGHTS')).toHaveLength(1);
    const redrawn = await patch(timber.body.id, {
      geometry: box(-70.13, -12.97, -70.11, -12.955),
      geometryValidFrom: '2026-09-01',
      overlapException: { legalBasis: 'superposición admitida (prueba)' },
    });
    expect(redrawn.status, redrawn.text).toBe(200);
    const flags = await flagsOf(lot.id, 'CONCESSION_OVERLAPS_OTHER_RIGHTS');
    expect(
      flags.map((f: { severity: string; evidence: { otherCode: string } }) => [
        f.evidence.otherCode,
        f.severity,
      ]),
    ).toEqual([
      ['CAST-2020-01', 'high'],
      ['MAD-77', 'medium'],
    ]);
  });

  it('bad input is 400 or 422 naming the field and changes nothing; an unknown concession is 404; only admins', async () => {
    const lot = await registerLot(t, w);
    const before = (await t.call('GET', `/v1/concessions/${w.concession.id}`, { token: w.admin })).body;
    const bowTie = {
      type: 'Polygon',
      coordinates: [
        [
          [-70.12, -12.96],
          [-70.08, -12.93],
          [-70.08, -12.96],
          [-70.12, -12.93],
          [-70.12, -12.96],
        ],
      ],
    };
    const cases: [unknown, number, string][] = [
      [{ geometry: bowTie }, 422, 'geometry'],
      [{ status: 'revoked' }, 400, 'status'],
      [{ kind: 'oil' }, 400, 'kind'],
      [{ grantedOn: '20-01-2010' }, 400, 'grantedOn'],
      [{ holderId: randomUUID() }, 422, 'holderId'],
      [{ status: 'cancelled', geometry: { type: 'Point', coordinates: [-70.1, -12.9] } }, 400, 'geometry'],
    ];
    for (const [body, status, field] of cases) {
      const res = await patch(w.concession.id, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.errors, JSON.stringify(body)).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: expect.stringContaining(field) })]),
      );
    }
    const empty = await patch(w.concession.id, {});
    expect(empty.status).toBe(400);
    const unknown = await patch(w.concession.id, { code: 'X-1' });
    expect(unknown.status).toBe(400);
    expect((await patch(randomUUID(), { status: 'cancelled' })).status).toBe(404);
    expect((await patch(w.concession.id, { status: 'cancelled' }, w.regulatorToken)).status).toBe(403);
    expect((await patch(w.concession.id, { status: 'cancelled' }, w.minerToken)).status).toBe(403);

    const after = (await t.call('GET', `/v1/concessions/${w.concession.id}`, { token: w.admin })).body;
    expect(after).toEqual(before);
    expect(await updatedEvents(w.concession.id)).toEqual([]);
    const [n] = rowsOf<{ n: number }>(
      await t.db.execute(sql`SELECT count(*)::int AS n FROM flags WHERE subject_id = ${lot.id}`),
    );
    expect(n?.n).toBe(0);
  });
});
