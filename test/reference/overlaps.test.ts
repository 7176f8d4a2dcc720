import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { scanOverlaps } from '../../src/domain/reference/overlap-cases.js';
import type { TestContext } from '../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

// goldWorld's mining concession Guacamayo I (07-000123, held by Minera Guacamayo SAC):
// box(-70.12, -12.96, -70.08, -12.93); its lots come from [-70.1, -12.945].

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

const legalBasis =
  'D.S. 014-92-EM art. 9: the mining concession is a property distinct from the land; forestry title kept under D.S. 018-2015-MINAGRI';

const rightBody = (code: string, geometry: unknown, extra: Record<string, unknown> = {}) => ({
  code,
  name: `Castañal ${code}`,
  kind: 'chestnut',
  holderId: castanero.id,
  status: 'titled',
  grantedOn: '2008-01-15',
  geometry,
  ...extra,
});
const file = (body: unknown, query = '', token = w.admin) =>
  t.call('POST', `/v1/concessions${query}`, { token, body });

const count = async (table: 'concessions' | 'overlap_cases' | 'events') =>
  Number(
    rowsOf<{ n: number }>(await t.db.execute(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`))[0]
      ?.n,
  );
const eventsOfType = async (type: string) =>
  rowsOf<{ subject_id: string; payload: Record<string, unknown>; actor_role: string }>(
    await t.db.execute(
      sql`SELECT subject_id, payload, actor_role FROM events WHERE type = ${type} ORDER BY seq`,
    ),
  );
const overlapFlagsOf = async (lotId: string) =>
  (await t.call('GET', `/v1/lots/${lotId}`, { token: w.regulatorToken })).body.flags.filter(
    (f: { rule: string }) => f.rule === 'CONCESSION_OVERLAPS_OTHER_RIGHTS',
  );

// A chestnut right of 0.04° × 0.05° over Guacamayo I (0.04° × 0.03°): the overlap, lon -70.10..-70.08
// and lat -12.95..-12.93 (0.02° × 0.02°, ≈ 2.17 km × 2.21 km ≈ 480 ha), is a fifth of the chestnut
// right and a third of the mining concession.
const overChestnut = box(-70.1, -12.95, -70.06, -12.9);

describe('registering a right over another', () => {
  it('is refused with 409 naming the overlapped right, its holder, the overlap in ha and the share of each; nothing is written', async () => {
    const before = { concessions: await count('concessions'), events: await count('events') };
    const res = await file(rightBody('CAST-0001', overChestnut));
    expect(res.status, res.text).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.detail).toContain('07-000123');
    expect(res.body.detail).toContain('Minera Guacamayo SAC');
    expect(res.body.overlaps).toEqual([
      {
        concessionId: w.concession.id,
        code: '07-000123',
        name: 'Guacamayo I',
        kind: 'mining',
        status: 'titled',
        holderId: w.miner.id,
        holderName: 'Minera Guacamayo SAC',
        overlapHa: expect.any(String),
        shareOfFiled: expect.any(String),
        shareOfOther: expect.any(String),
      },
    ]);
    const [o] = res.body.overlaps;
    expect(Number(o.overlapHa)).toBeGreaterThan(470);
    expect(Number(o.overlapHa)).toBeLessThan(490);
    expect(Number(o.shareOfFiled)).toBeCloseTo(0.2, 2);
    expect(Number(o.shareOfOther)).toBeCloseTo(1 / 3, 2);
    expect(await count('concessions')).toBe(before.concessions);
    expect(await count('events')).toBe(before.events);
  });

  it('a neighbour sharing an edge is filed, and so is one whose edge strays half a metre over (a sliver of digitising)', async () => {
    const edge = await file(rightBody('CAST-0002', box(-70.08, -12.96, -70.04, -12.93)));
    expect(edge.status, edge.text).toBe(201);
    // 0.000005° of longitude ≈ 0.54 m along 3.3 km: ≈ 0.18 ha, under 0.1 % of either right.
    const sliver = await file(rightBody('CAST-0003', box(-70.16, -12.96, -70.119995, -12.93)));
    expect(sliver.status, sliver.text).toBe(201);
    expect(await count('overlap_cases')).toBe(0);
    // A strip of 0.0002° (≈ 22 m) is no sliver: it is refused.
    const strip = await file(rightBody('CAST-0004', box(-70.2, -12.96, -70.1198, -12.93)));
    expect(strip.status, strip.text).toBe(409);
  });

  it('?dryRun=true answers the overlaps without filing; an unknown value is refused', async () => {
    const before = { concessions: await count('concessions'), events: await count('events') };
    const res = await file(rightBody('CAST-0005', overChestnut), '?dryRun=true');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      dryRun: true,
      wouldBe: 'refused',
      overlaps: [{ concessionId: w.concession.id, holderName: 'Minera Guacamayo SAC' }],
    });
    expect(Number(res.body.areaHa)).toBeGreaterThan(2000);
    const excepted = await file(
      rightBody('CAST-0005', overChestnut, { overlapException: { legalBasis } }),
      '?dryRun=true',
    );
    expect(excepted.body.wouldBe).toBe('filed_with_cases');
    const clear = await file(rightBody('CAST-0005', box(-70.0, -12.96, -69.98, -12.93)), '?dryRun=true');
    expect(clear.body).toMatchObject({ wouldBe: 'filed', overlaps: [] });
    expect((await file(rightBody('CAST-0005', overChestnut), '?dryRun=yes')).status).toBe(400);
    expect(await count('concessions')).toBe(before.concessions);
    expect(await count('events')).toBe(before.events);
  });

  it('an admin files it under an exception with its legal basis: the overlap becomes an open case, recorded in the ledger', async () => {
    const noBasis = await file(rightBody('CAST-0006', overChestnut, { overlapException: { note: 'x' } }));
    expect(noBasis.status).toBe(400);
    expect(JSON.stringify(noBasis.body.errors)).toContain('overlapException.legalBasis');
    const blank = await file(
      rightBody('CAST-0006', overChestnut, { overlapException: { legalBasis: '  ' } }),
    );
    expect(blank.status).toBe(400);
    // Filing rights is the admin's: a regulator's exception changes nothing.
    const regulator = await file(
      rightBody('CAST-0006', overChestnut, { overlapException: { legalBasis } }),
      '',
      w.regulatorToken,
    );
    expect(regulator.status).toBe(403);
    expect(await count('overlap_cases')).toBe(0);

    const res = await file(
      rightBody('CAST-0006', overChestnut, { overlapException: { legalBasis, note: 'acta de 2024' } }),
    );
    expect(res.status, res.text).toBe(201);
    const list = await t.call('GET', '/v1/overlaps?status=open', { token: w.regulatorToken });
    expect(list.status, list.text).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const [k] = list.body.items;
    expect(k).toMatchObject({
      status: 'open',
      foundAt: 'registration',
      concession: { id: res.body.id, code: 'CAST-0006', holderName: 'Asociación de Castañeros Tres Islas' },
      other: { id: w.concession.id, code: '07-000123', holderName: 'Minera Guacamayo SAC' },
      exception: { legalBasis, note: 'acta de 2024' },
      decision: null,
    });
    expect(k.geometry.type).toBe('MultiPolygon');
    expect(Number(k.areaHa)).toBeGreaterThan(470);
    expect(Number(k.other.share)).toBeCloseTo(1 / 3, 2);
    const opened = await eventsOfType('overlap_case.opened');
    expect(opened).toEqual([
      expect.objectContaining({
        subject_id: k.id,
        actor_role: 'admin',
        payload: expect.objectContaining({
          otherConcessionId: w.concession.id,
          exception: { legalBasis, note: 'acta de 2024' },
        }),
      }),
    ]);
  });

  it('redrawing a right over another is refused the same way; its own former boundary never counts', async () => {
    const c = await file(rightBody('CAST-0007', box(-70.0, -12.96, -69.96, -12.93)));
    expect(c.status).toBe(201);
    // Over its own stored geometry (wider now): no overlap with itself.
    const self = await t.call('PATCH', `/v1/concessions/${c.body.id}`, {
      token: w.admin,
      body: { geometry: box(-70.01, -12.96, -69.96, -12.92) },
    });
    expect(self.status, self.text).toBe(200);
    const over = await t.call('PATCH', `/v1/concessions/${c.body.id}`, {
      token: w.admin,
      body: { geometry: box(-70.1, -12.96, -69.96, -12.92) },
    });
    expect(over.status).toBe(409);
    expect(over.body.overlaps.map((o: { code: string }) => o.code)).toEqual(['07-000123']);
    const dry = await t.call('PATCH', `/v1/concessions/${c.body.id}?dryRun=true`, {
      token: w.admin,
      body: { geometry: box(-70.1, -12.96, -69.96, -12.92) },
    });
    expect(dry.body).toMatchObject({ dryRun: true, wouldBe: 'refused' });
    const after = await t.call('GET', `/v1/concessions/${c.body.id}`, { token: w.admin });
    expect(after.body.geometry).toEqual(self.body.geometry);
    const excepted = await t.call('PATCH', `/v1/concessions/${c.body.id}`, {
      token: w.admin,
      body: { geometry: box(-70.1, -12.96, -69.96, -12.92), overlapException: { legalBasis } },
    });
    expect(excepted.status, excepted.text).toBe(200);
    expect(await count('overlap_cases')).toBe(1);
  });

  it('a retired or cancelled right is not in force: a new right may be filed over it', async () => {
    const old = await file(rightBody('CAST-0008', box(-70.0, -12.96, -69.96, -12.93)));
    const retire = await t.call('POST', `/v1/concessions/${old.body.id}/retire`, {
      token: w.admin,
      body: { retiredOn: '2020-01-01' },
    });
    expect(retire.status, retire.text).toBe(200);
    expect((await file(rightBody('CAST-0009', box(-70.0, -12.96, -69.96, -12.93)))).status).toBe(201);
    // Nor can it come back by a later retirement date: that would bypass the check above.
    const later = await t.call('POST', `/v1/concessions/${old.body.id}/retire`, {
      token: w.admin,
      body: { retiredOn: '2030-01-01' },
    });
    expect(later.status, later.text).toBe(409);
    const sooner = await t.call('POST', `/v1/concessions/${old.body.id}/retire`, {
      token: w.admin,
      body: { retiredOn: '2019-06-30' },
    });
    expect(sooner.status, sooner.text).toBe(200);
    expect(sooner.body.retiredOn).toBe('2019-06-30');
  });

  it('a cancelled right restored to force is checked again: refused while another right holds its ground', async () => {
    const old = await file(rightBody('CAST-0010', box(-70.0, -12.96, -69.96, -12.93)));
    const cancel = await t.call('PATCH', `/v1/concessions/${old.body.id}`, {
      token: w.admin,
      body: { status: 'cancelled' },
    });
    expect(cancel.status, cancel.text).toBe(200);
    const newer = await file(rightBody('CAST-0011', box(-69.99, -12.96, -69.95, -12.93)));
    expect(newer.status, newer.text).toBe(201);
    const restore = await t.call('PATCH', `/v1/concessions/${old.body.id}`, {
      token: w.admin,
      body: { status: 'titled' },
    });
    expect(restore.status).toBe(409);
    expect(restore.body.overlaps.map((o: { code: string }) => o.code)).toEqual(['CAST-0011']);
    // A status change that keeps a right in force is not a new claim on ground.
    const inForce = await t.call('PATCH', `/v1/concessions/${newer.body.id}`, {
      token: w.admin,
      body: { status: 'in_process' },
    });
    expect(inForce.status, inForce.text).toBe(200);
  });

  it('two overlapping rights filed at the same time: one is filed, the other refused naming it', async () => {
    const [a, b] = await Promise.all([
      file(rightBody('RACE-A', box(-70.0, -12.96, -69.96, -12.93))),
      file(rightBody('RACE-B', box(-69.98, -12.96, -69.94, -12.93))),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const [won, lost] = a.status === 201 ? [a, b] : [b, a];
    expect(lost.body.overlaps.map((o: { concessionId: string }) => o.concessionId)).toEqual([won.body.id]);
    const codes = rowsOf<{ code: string }>(
      await t.db.execute(sql`SELECT code FROM concessions WHERE code LIKE 'RACE-%'`),
    );
    expect(codes).toHaveLength(1);
  });
});

/** A chestnut right filed over Guacamayo I under an exception, and its case. */
async function excepted(code = 'CAST-0100') {
  const res = await file(rightBody(code, overChestnut, { overlapException: { legalBasis } }));
  expect(res.status, res.text).toBe(201);
  const list = await t.call('GET', `/v1/overlaps?concessionId=${res.body.id}`, { token: w.regulatorToken });
  return { chestnut: res.body, caseId: list.body.items[0].id as string };
}
const decide = (id: string, body: Record<string, unknown>, token = w.regulatorToken) =>
  t.call('POST', `/v1/overlaps/${id}/decision`, {
    token,
    body: { authority: 'DREMH Madre de Dios', resolution: 'R.D. 123-2026', decidedOn: '2026-11-02', ...body },
  });

describe('overlap cases', () => {
  it('coexistence: the case is resolved, the pair’s overlap flags close with the decision as reason, and the rule no longer flags the pair', async () => {
    const { chestnut, caseId } = await excepted();
    const lot = await registerLot(t, w, { origin: { type: 'Point', coordinates: [-70.09, -12.94] } });
    expect(await overlapFlagsOf(lot.id)).toEqual([
      expect.objectContaining({ status: 'open', severity: 'high' }),
    ]);

    const med = await t.call('POST', `/v1/overlaps/${caseId}/mediation`, {
      token: w.regulatorToken,
      body: { note: 'mesa de diálogo convocada' },
    });
    expect(med.status, med.text).toBe(200);
    expect(med.body.status).toBe('in_mediation');
    const res = await decide(caseId, { outcome: 'coexistence', note: 'acuerdo de coexistencia' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      status: 'resolved',
      decision: { outcome: 'coexistence', authority: 'DREMH Madre de Dios', resolution: 'R.D. 123-2026' },
    });
    const [flag] = await overlapFlagsOf(lot.id);
    expect(flag.status).toBe('acknowledged');
    // A later lot from the overlap raises nothing: the overlap is lawful now.
    // Gold extracted after the decision is judged by the reduced boundary: no overlap.
    const later = await registerLot(t, w, {
      origin: { type: 'Point', coordinates: [-70.09, -12.94] },
      extractedOn: '2026-11-15',
    });
    expect(await overlapFlagsOf(later.id)).toEqual([]);
    const decided = await eventsOfType('overlap_case.decided');
    expect(decided).toEqual([
      expect.objectContaining({
        subject_id: caseId,
        actor_role: 'regulator',
        payload: expect.objectContaining({
          outcome: 'coexistence',
          previousStatus: 'in_mediation',
          closedFlags: [flag.id],
        }),
      }),
    ]);
    expect((await eventsOfType('flag.reviewed')).map((e) => e.subject_id)).toEqual([flag.id]);
    expect(await eventsOfType('overlap_case.mediation_started')).toHaveLength(1);
    // The read gives the map its three shapes.
    const read = await t.call('GET', `/v1/overlaps/${caseId}`, { token: w.admin });
    expect(read.body.concession.geometry.type).toBe('MultiPolygon');
    expect(read.body.other.geometry.type).toBe('MultiPolygon');
    expect(read.body.concession.id).toBe(chestnut.id);
  });

  it('a decided case takes no other step (409); a body that does not fit its outcome is refused (400/422) and changes nothing', async () => {
    const { chestnut, caseId } = await excepted();
    expect((await decide(caseId, { outcome: 'right_reduced', concessionId: chestnut.id })).status).toBe(400);
    expect((await decide(caseId, { outcome: 'coexistence', concessionId: chestnut.id })).status).toBe(400);
    expect((await decide(caseId, { outcome: 'right_annulled' })).status).toBe(400);
    expect((await decide(caseId, { outcome: 'coexistence', decidedOn: '2026-02-30' })).status).toBe(400);
    const stranger = await decide(caseId, { outcome: 'right_annulled', concessionId: castanero.id });
    expect(stranger.status).toBe(422);
    expect((await t.call('GET', `/v1/overlaps/${caseId}`, { token: w.admin })).body.status).toBe('open');

    expect((await decide(caseId, { outcome: 'dismissed' })).body.status).toBe('annulled');
    expect((await decide(caseId, { outcome: 'coexistence' })).status).toBe(409);
    const med = await t.call('POST', `/v1/overlaps/${caseId}/mediation`, {
      token: w.admin,
      body: { note: 'demasiado tarde' },
    });
    expect(med.status).toBe(409);
    expect((await decide(crypto.randomUUID(), { outcome: 'dismissed' })).status).toBe(404);
  });

  it('two decisions at once: one is recorded, the other refused with 409; one decided event', async () => {
    const { caseId } = await excepted();
    const results = await Promise.all([
      decide(caseId, { outcome: 'coexistence' }),
      decide(caseId, { outcome: 'dismissed' }, w.admin),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await eventsOfType('overlap_case.decided')).toHaveLength(1);
  });

  it('right_reduced only reduces: a boundary outside the current one is refused, as is a decision dated in the future', async () => {
    const { chestnut, caseId } = await excepted();
    const elsewhere = await decide(caseId, {
      outcome: 'right_reduced',
      concessionId: chestnut.id,
      geometry: box(-70.3, -12.95, -70.26, -12.9),
    });
    expect(elsewhere.status, elsewhere.text).toBe(422);
    expect(JSON.stringify(elsewhere.body.errors)).toContain('geometry');
    const future = await decide(caseId, {
      outcome: 'coexistence',
      decidedOn: '2099-01-01',
    });
    expect(future.status, future.text).toBe(422);
    expect(JSON.stringify(future.body.errors)).toContain('decidedOn');
    expect((await t.call('GET', `/v1/overlaps/${caseId}`, { token: w.admin })).body.status).toBe('open');
    expect(await eventsOfType('overlap_case.decided')).toHaveLength(0);
  });

  it('right_reduced redraws the named right through the registry: a boundary still over the other is refused; once clear, new lots are not flagged', async () => {
    const { chestnut, caseId } = await excepted();
    const lot = await registerLot(t, w, { origin: { type: 'Point', coordinates: [-70.09, -12.94] } });
    const still = await decide(caseId, {
      outcome: 'right_reduced',
      concessionId: chestnut.id,
      geometry: box(-70.09, -12.95, -70.06, -12.9),
    });
    expect(still.status).toBe(409);
    expect((await t.call('GET', `/v1/overlaps/${caseId}`, { token: w.admin })).body.status).toBe('open');
    const res = await decide(caseId, {
      outcome: 'right_reduced',
      concessionId: chestnut.id,
      geometry: box(-70.08, -12.95, -70.06, -12.9),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'resolved', decision: { concessionId: chestnut.id } });
    expect(res.body.concession.geometry.coordinates[0][0]).toContainEqual([-70.08, -12.95]);
    // Gold extracted before the reduction came from where the rights then overlapped: its warning stays.
    expect((await overlapFlagsOf(lot.id))[0].status).toBe('open');
    // Gold extracted after the decision is judged by the reduced boundary: no overlap.
    const later = await registerLot(t, w, {
      origin: { type: 'Point', coordinates: [-70.09, -12.94] },
      extractedOn: '2026-11-15',
    });
    expect(await overlapFlagsOf(later.id)).toEqual([]);
    expect((await eventsOfType('concession.updated')).map((e) => e.subject_id)).toEqual([chestnut.id]);
  });

  it('right_annulled cancels and retires the named right: no longer in force, its ground may be filed again', async () => {
    const { chestnut, caseId } = await excepted();
    const res = await decide(caseId, { outcome: 'right_annulled', concessionId: chestnut.id });
    expect(res.status, res.text).toBe(200);
    expect(res.body.concession).toMatchObject({ status: 'cancelled', retiredOn: '2026-11-02' });
    const again = await file(rightBody('CAST-0200', box(-70.07, -12.92, -70.06, -12.91)));
    expect(again.status, again.text).toBe(201);
  });

  it('the scan files every overlap already in the registry once, and only admins run it', async () => {
    // A right recorded before the registry checked overlaps, written straight to the table.
    await t.db.execute(sql`
      INSERT INTO concessions (id, code, name, kind, holder_id, status, geom, area_ha)
      SELECT ${crypto.randomUUID()}, 'LEGACY-1', 'Castañal heredado', 'chestnut', ${castanero.id}, 'titled', g,
             round((ST_Area(g::geography) / 10000)::numeric, 4)
        FROM (SELECT ST_Multi(ST_MakeEnvelope(-70.1, -12.95, -70.06, -12.9, 4326)) AS g) s`);
    expect((await t.call('POST', '/v1/overlaps/scan', { token: w.regulatorToken })).status).toBe(403);
    const res = await t.call('POST', '/v1/overlaps/scan', { token: w.admin });
    expect(res.status, res.text).toBe(200);
    expect(res.body.filed).toHaveLength(1);
    const again = await t.call('POST', '/v1/overlaps/scan', { token: w.admin });
    expect(again.body).toEqual({ pairs: 0, filed: [] });
    const [k] = (await t.call('GET', `/v1/overlaps?holderId=${w.miner.id}`, { token: w.admin })).body.items;
    expect(k).toMatchObject({
      foundAt: 'scan',
      concession: { code: 'LEGACY-1' },
      other: { code: '07-000123' },
    });
  });

  it('the scan works through the registry in batches, one transaction each, finding every pair once', async () => {
    // Five rights recorded before the registry checked overlaps, in a row, each overlapping the
    // next by 0.02° (about 2 km × 5.5 km), written straight to the table in one statement (one
    // created_at: the later of a pair is the greater id, spread at random through the id order).
    await t.db.execute(sql`
      INSERT INTO concessions (id, code, name, kind, holder_id, status, geom, area_ha)
      SELECT gen_random_uuid(), 'ROW-' || i, 'Derecho en fila ' || i, 'chestnut', ${castanero.id}, 'titled', g,
             round((ST_Area(g::geography) / 10000)::numeric, 4)
        FROM generate_series(0, 4) i,
             LATERAL (SELECT ST_Multi(ST_MakeEnvelope(-69.5 + 0.03 * i, -12.5, -69.45 + 0.03 * i, -12.45, 4326)) AS g) s`);
    const eventsBefore = await count('events');
    // A batch of one right: each transaction looks at one right's overlaps with those before it.
    const res = await scanOverlaps(t.db, { sub: 'test', role: 'admin' }, { batch: 1 });
    expect(res.pairs).toBe(4);
    expect(new Set(res.filed).size).toBe(4);
    const pairs = rowsOf<{ a: string; b: string; xid: string }>(
      await t.db.execute(sql`
        SELECT c.code AS a, o.code AS b, k.xmin::text AS xid
          FROM overlap_cases k JOIN concessions c ON c.id = k.concession_id
          JOIN concessions o ON o.id = k.other_concession_id
         WHERE k.found_at = 'scan'`),
    );
    expect(pairs.map((p) => [p.a, p.b].sort().join('+')).sort()).toEqual([
      'ROW-0+ROW-1',
      'ROW-1+ROW-2',
      'ROW-2+ROW-3',
      'ROW-3+ROW-4',
    ]);
    // Filed in more than one transaction: the registry lock was let go between batches.
    expect(new Set(pairs.map((p) => p.xid)).size).toBeGreaterThan(1);
    expect(await count('events')).toBe(eventsBefore + 4);
    expect(await scanOverlaps(t.db, { sub: 'test', role: 'admin' })).toEqual({ pairs: 0, filed: [] });
  });

  it('only regulators and admins see and work cases', async () => {
    const { caseId } = await excepted();
    for (const token of [w.minerToken, w.mazukoToken]) {
      expect((await t.call('GET', '/v1/overlaps', { token })).status).toBe(403);
      expect((await t.call('GET', `/v1/overlaps/${caseId}`, { token })).status).toBe(403);
      expect((await decide(caseId, { outcome: 'dismissed' }, token)).status).toBe(403);
    }
    expect((await t.call('GET', '/v1/overlaps')).status).toBe(401);
    expect((await t.call('GET', '/v1/overlaps?status=closed', { token: w.admin })).status).toBe(400);
    // A second case (a timber right over Guacamayo I's west end): two pages of one.
    const timber = await file(
      rightBody('MAD-0001', box(-70.14, -12.96, -70.11, -12.93), {
        kind: 'timber',
        overlapException: { legalBasis },
      }),
    );
    expect(timber.status, timber.text).toBe(201);
    const first = await t.call('GET', '/v1/overlaps?limit=1', { token: w.admin });
    expect(first.body.items.map((k: { id: string }) => k.id)).toEqual([caseId]);
    const second = await t.call('GET', `/v1/overlaps?limit=1&cursor=${first.body.nextCursor}`, {
      token: w.admin,
    });
    expect(second.body.items[0].concession.code).toBe('MAD-0001');
    expect(second.body.nextCursor).toBeNull();
    const byRight = await t.call('GET', `/v1/overlaps?concessionId=${timber.body.id}`, { token: w.admin });
    expect(byRight.body.items).toHaveLength(1);
    expect(
      (await t.call('GET', `/v1/overlaps?holderId=${w.miner.id}`, { token: w.admin })).body.items,
    ).toHaveLength(2);
    expect((await t.call('GET', '/v1/overlaps?cursor=nonsense', { token: w.admin })).status).toBe(400);
  });
});
