import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { dryThenReal, type RaisedFlag, rulesOf, sameRefusal, writeState } from '../helpers/dry-run.js';
import { box, type GoldWorld, goldWorld, lotBody, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

/**
 * `?dryRun=true` on the screened writes: the write is made and rolled back, the answer tells
 * what it would have produced and raised, and nothing — no row, no ledger event, no printed
 * code — is left behind; the same request made for real afterwards raises the same rules.
 */

// goldWorld's lots come from [-70.1, -12.945], inside concession Guacamayo I. The reserve lies in
// the concession's north-east corner, so a lot from `inReserve` is flagged and the default is not.
const inReserve = { origin: { type: 'Point', coordinates: [-70.09, -12.935] } };

async function dryRunWorld(t: TestContext) {
  const w = await goldWorld(t);
  const zone = await t.call('POST', '/v1/zones', {
    token: w.admin,
    body: {
      name: 'Reserva de prueba',
      kind: 'protected_area',
      legalBasis: 'D.S. 048-2000-AG',
      validFrom: '2000-09-04',
      geometry: box(-70.095, -12.94, -70.085, -12.93),
    },
  });
  expect(zone.status, zone.text).toBe(201);
  // A buyer in no trader registry: gold handed to it is flagged CUSTODIAN_NOT_REGISTERED.
  const unregistered = await t.call('POST', '/v1/actors', {
    token: w.admin,
    body: { taxId: '20600000077', name: 'Compra Oro Al Paso', kinds: ['trader'] },
  });
  expect(unregistered.status, unregistered.text).toBe(201);
  return { ...w, unregistered: unregistered.body };
}

let t: TestContext;
let w: Awaited<ReturnType<typeof dryRunWorld>>;
const world = worldPerFile(dryRunWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

type Raised = RaisedFlag;

describe('a dry run answers what the write would do and writes nothing', () => {
  it('registration: the lot with a provisional code, no QR, and its flags; the real write gets that code and those flags', async () => {
    const { dry, real } = await dryThenReal(t, {
      path: '/v1/lots',
      token: w.minerToken,
      body: lotBody(w as GoldWorld, inReserve),
      status: 201,
      made: (r) => [r.body.id],
    });
    expect(dry.lots).toHaveLength(1);
    const [lot] = dry.lots;
    expect(lot).toMatchObject({ code: null, qrUrl: null, status: 'active', fineWeightG: '870.000' });
    expect(lot.provisionalCode).toMatch(/^AU-\d{4}-\d{6}$/);
    expect(rulesOf(lot)).toContain('ORIGIN_IN_EXCLUSION_ZONE');
    expect(dry.flags.every((f: Raised) => f.subjectType === 'lot' && f.subjectId === lot.id)).toBe(true);
    expect(rulesOf(lot)).toEqual(dry.flags.map((f: Raised) => f.rule).sort());
    // No code was burnt: the real write takes the one announced.
    expect(real.code).toBe(lot.provisionalCode);
    expect(rulesOf(real)).toEqual(rulesOf(lot));
  });

  it('transfer: the lot in its new custody, flagged for a buyer in no registry', async () => {
    const held = await registerLot(t, w as GoldWorld);
    const { dry, real } = await dryThenReal(t, {
      path: `/v1/lots/${held.id}/transfers`,
      token: w.minerToken,
      body: { toActorId: w.unregistered.id, price: { amount: '250000', currency: 'PEN' } },
      status: 200,
      made: () => [],
    });
    expect(dry.lots).toHaveLength(1);
    expect(dry.lots[0]).toMatchObject({
      id: held.id,
      code: held.code,
      provisionalCode: null,
      qrUrl: held.qrUrl,
      custodianId: w.unregistered.id,
    });
    expect(dry.flags.map((f: Raised) => f.rule)).toContain('CUSTODIAN_NOT_REGISTERED');
    expect(real.custodianId).toBe(w.unregistered.id);
    expect(rulesOf(real)).toEqual(rulesOf(dry.lots[0]));
  });

  it('split of a flagged lot: the consumed lot and its parts, each part showing the flag it would inherit', async () => {
    const flagged = await registerLot(t, w as GoldWorld, inReserve);
    const root = flagged.flags.find((f: { rule: string }) => f.rule === 'ORIGIN_IN_EXCLUSION_ZONE');
    expect(root).toBeDefined();
    const { dry, real } = await dryThenReal(t, {
      path: `/v1/lots/${flagged.id}/split`,
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '600.000' }, { grossWeightG: '399.000' }] },
      status: 201,
      made: (r) => r.body.children.map((c: { id: string }) => c.id),
    });
    const [parent, ...parts] = dry.lots;
    expect(parent).toMatchObject({ id: flagged.id, status: 'consumed', code: flagged.code });
    expect(parts).toHaveLength(2);
    const codes = parts.map((p: { provisionalCode: string }) => p.provisionalCode);
    for (const part of parts) {
      expect(part).toMatchObject({ code: null, qrUrl: null, parentIds: [flagged.id] });
      const inherited = part.flags.find((f: { rule: string }) => f.rule === 'ORIGIN_IN_EXCLUSION_ZONE');
      expect(inherited?.inheritedFrom).toBe(root.id);
    }
    // The inherited copies are among the flags answered, on the parts.
    const copies = dry.flags.filter(
      (f: Raised & { inheritedFrom: string | null }) => f.inheritedFrom === root.id,
    );
    expect(copies.map((f: Raised) => f.subjectId).sort()).toEqual(
      parts.map((p: { id: string }) => p.id).sort(),
    );
    expect(real.children.map((c: { code: string }) => c.code)).toEqual(codes);
    expect(real.children.map(rulesOf)).toEqual(parts.map(rulesOf));
  });

  it('merge: the merged lot inherits the flag of one flagged input', async () => {
    const flagged = await registerLot(t, w as GoldWorld, inReserve);
    const clean = await registerLot(t, w as GoldWorld);
    const { dry, real } = await dryThenReal(t, {
      path: '/v1/lots/merge',
      token: w.minerToken,
      body: { lotIds: [flagged.id, clean.id] },
      status: 201,
      made: (r) => [r.body.id],
    });
    expect(dry.lots).toHaveLength(1);
    expect(dry.lots[0]).toMatchObject({ code: null, grossWeightG: '2000.000', fineWeightG: '1740.000' });
    expect(dry.lots[0].parentIds.sort()).toEqual([flagged.id, clean.id].sort());
    expect(rulesOf(dry.lots[0])).toContain('ORIGIN_IN_EXCLUSION_ZONE');
    expect(real.code).toBe(dry.lots[0].provisionalCode);
    expect(rulesOf(real)).toEqual(rulesOf(dry.lots[0]));
  });

  it('refine: the bar inherits the flag of the doré', async () => {
    const flagged = await registerLot(t, w as GoldWorld, inReserve);
    const { dry, real } = await dryThenReal(t, {
      path: `/v1/lots/${flagged.id}/refine`,
      token: w.minerToken,
      body: { grossWeightG: '860.000', fineness: '999.9' },
      status: 201,
      made: (r) => [r.body.id],
    });
    expect(dry.lots[0]).toMatchObject({
      code: null,
      form: 'bar',
      fineness: '999.900',
      parentIds: [flagged.id],
    });
    expect(rulesOf(dry.lots[0])).toContain('ORIGIN_IN_EXCLUSION_ZONE');
    expect(real.code).toBe(dry.lots[0].provisionalCode);
    expect(rulesOf(real)).toEqual(rulesOf(dry.lots[0]));
  });

  it('export: the lot as exported, with what the export would raise', async () => {
    const held = await registerLot(t, w as GoldWorld);
    const body = {
      customsDeclaration: 'DAM 172-2026-40-012345',
      destinationCountry: 'CH',
      exportedOn: '2026-10-20',
      price: { amount: '300000', currency: 'USD' },
      payment: { method: 'cash' },
    };
    const { dry, real } = await dryThenReal(t, {
      path: `/v1/lots/${held.id}/export`,
      token: w.minerToken,
      body,
      status: 200,
      made: () => [],
    });
    expect(dry.lots[0]).toMatchObject({
      id: held.id,
      code: held.code,
      status: 'exported',
      destinationCountry: 'CH',
      exportedOn: '2026-10-20',
    });
    expect(real.status).toBe('exported');
    expect(rulesOf(real)).toEqual(rulesOf(dry.lots[0]));
  });

  it('a dry run wakes no sequencer; the real write does', async () => {
    let woken = 0;
    const app = await testApp({
      reset: false,
      sequencing: {
        schedule: () => {
          woken++;
        },
        idle: async () => {},
      },
    });
    const dry = await app.call('POST', '/v1/lots?dryRun=true', {
      token: w.minerToken,
      body: lotBody(w as GoldWorld),
    });
    expect(dry.status, dry.text).toBe(200);
    expect(woken).toBe(0);
    const real = await app.call('POST', '/v1/lots?dryRun=false', {
      token: w.minerToken,
      body: lotBody(w as GoldWorld),
    });
    expect(real.status, real.text).toBe(201);
    expect(woken).toBe(1);
  });
});

describe('a dry run is refused exactly as the write would be', () => {
  it('a split creating gold (422), as without dryRun', async () => {
    const lot = await registerLot(t, w as GoldWorld);
    await sameRefusal(
      t,
      `/v1/lots/${lot.id}/split`,
      w.minerToken,
      { parts: [{ grossWeightG: '600.000' }, { grossWeightG: '600.000' }] },
      422,
    );
  });

  it('refining into more fine gold (422), a merge across custodies (409), a registration naming no concession (422)', async () => {
    const a = await registerLot(t, w as GoldWorld);
    const b = await registerLot(t, w as GoldWorld);
    await sameRefusal(
      t,
      `/v1/lots/${a.id}/refine`,
      w.minerToken,
      { grossWeightG: '1000.000', fineness: '999.9' },
      422,
    );
    expect(
      (
        await t.call('POST', `/v1/lots/${b.id}/transfers`, {
          token: w.minerToken,
          body: { toActorId: w.trader.id },
        })
      ).status,
    ).toBe(200);
    await sameRefusal(t, '/v1/lots/merge', w.minerToken, { lotIds: [a.id, b.id] }, 409);
    await sameRefusal(
      t,
      '/v1/lots',
      w.minerToken,
      lotBody(w as GoldWorld, { concessionId: '01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f' }),
      422,
    );
  });

  it('a lot of someone else (404), a lot already handed on (409), the wrong role (403)', async () => {
    const lot = await registerLot(t, w as GoldWorld);
    await sameRefusal(
      t,
      `/v1/lots/${lot.id}/export`,
      w.traderToken,
      {
        customsDeclaration: 'DAM 1',
        destinationCountry: 'CH',
        exportedOn: '2026-10-20',
      },
      404,
    );
    expect(
      (
        await t.call('POST', `/v1/lots/${lot.id}/transfers`, {
          token: w.minerToken,
          body: { toActorId: w.trader.id },
        })
      ).status,
    ).toBe(200);
    await sameRefusal(t, `/v1/lots/${lot.id}/transfers`, w.minerToken, { toActorId: w.exporter.id }, 409);
    await sameRefusal(t, `/v1/lots/${lot.id}/transfers`, w.regulatorToken, { toActorId: w.exporter.id }, 403);
  });

  it('dryRun other than true or false is a 400 naming the parameter, and writes nothing', async () => {
    const before = await writeState(t);
    for (const value of ['yes', '1', 'TRUE', '']) {
      const res = await t.call('POST', `/v1/lots?dryRun=${value}`, {
        token: w.minerToken,
        body: lotBody(w as GoldWorld),
      });
      expect(res.status, res.text).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('query.dryRun');
    }
    expect(await writeState(t)).toEqual(before);
  });
});

describe('dry runs among concurrent real writes', () => {
  it('hold their locks only while they run and leave the state as the real writes alone would', async () => {
    const a = await registerLot(t, w as GoldWorld, inReserve);
    const b = await registerLot(t, w as GoldWorld);
    const c = await registerLot(t, w as GoldWorld);
    const before = await writeState(t);
    const split = { parts: [{ grossWeightG: '500.000' }, { grossWeightG: '500.000' }] };
    const dry = (path: string, body: unknown) =>
      t.call('POST', `${path}?dryRun=true`, { token: w.minerToken, body });
    const real = (path: string, body: unknown) => t.call('POST', path, { token: w.minerToken, body });
    const results = await Promise.all([
      dry(`/v1/lots/${a.id}/split`, split),
      real(`/v1/lots/${a.id}/transfers`, { toActorId: w.trader.id }),
      dry('/v1/lots/merge', { lotIds: [b.id, c.id] }),
      real(`/v1/lots/${b.id}/split`, split),
      dry('/v1/lots', lotBody(w as GoldWorld)),
      real('/v1/lots', lotBody(w as GoldWorld)),
      dry(`/v1/lots/${c.id}/refine`, { grossWeightG: '870.000', fineness: '999.9' }),
      dry(`/v1/lots/${a.id}/transfers`, { toActorId: w.exporter.id }),
    ]);
    const [drySplitA, transferA, dryMergeBC, splitB, dryRegister, register, dryRefineC, dryTransferA] =
      results;
    // The real writes all succeed, whatever the dry runs did meanwhile.
    expect(transferA?.status, transferA?.text).toBe(200);
    expect(splitB?.status, splitB?.text).toBe(201);
    expect(register?.status, register?.text).toBe(201);
    // A dry run that ran after a real write sees its result (and is refused as the write would be).
    for (const r of [drySplitA, dryMergeBC, dryTransferA]) expect([200, 409]).toContain(r?.status);
    expect(dryRegister?.status).toBe(200);
    expect(dryRefineC?.status).toBe(200);

    // What is written is exactly what the three real writes make: one lot registered, two parts.
    const after = await writeState(t);
    expect(after.counts.lots).toBe((before.counts.lots ?? 0) + 3);
    expect(after.counts.lot_edges).toBe((before.counts.lot_edges ?? 0) + 2);
    expect(BigInt(after.seqs.lot ?? '0') - BigInt(before.seqs.lot ?? '0')).toBe(3n);
    const rows = rowsOf<{ id: string; status: string; custodian_id: string }>(
      await t.db.execute(sql`SELECT id::text, status, custodian_id::text FROM lots
                              WHERE id IN (${a.id}, ${b.id}, ${c.id}) ORDER BY id`),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(a.id)).toMatchObject({ status: 'active', custodian_id: w.trader.id });
    expect(byId.get(b.id)).toMatchObject({ status: 'consumed' });
    expect(byId.get(c.id)).toMatchObject({ status: 'active', custodian_id: w.miner.id });
    // Nothing of a dry run reached the ledger: every event belongs to a lot or flag that exists.
    const orphans = rowsOf<{ n: number }>(
      await t.db.execute(sql`SELECT count(*)::int AS n FROM events e
        WHERE (e.subject_type = 'lot' AND NOT EXISTS (SELECT 1 FROM lots WHERE id = e.subject_id))
           OR (e.subject_type = 'flag' AND NOT EXISTS (SELECT 1 FROM flags WHERE id = e.subject_id))`),
    );
    expect(orphans[0]?.n).toBe(0);
    // And the ledger and the tables agree.
    const verified = await t.call('GET', '/v1/ledger/verify', { token: w.regulatorToken });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body.state.ok, JSON.stringify(verified.body.state)).toBe(true);
  });
});
