import { beforeEach, describe, expect, it } from 'vitest';
import type { TestContext } from '../helpers/app.js';
import { writeState } from '../helpers/dry-run.js';
import { box, type GoldWorld, goldWorld, lotBody, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

/**
 * A write confirmed after its preview (`?expectFlags=`) commits only if it flags nothing the
 * person was not shown: "… de todos modos" covers the flags on screen, not those the world added
 * between the preview and the confirmation.
 */

// goldWorld's concession spans [-70.12, -12.96]–[-70.08, -12.93]; this point lies 75 km east of it.
const farAway = { origin: { type: 'Point', coordinates: [-69.4, -12.945] } };
const reserve = box(-70.105, -12.95, -70.095, -12.94);

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

interface Shown {
  rule: string;
  severity: string;
  status?: string;
}

/** The keys a desk sends: every flag the dry run raised, every unresolved flag on its lots. */
const keysOf = (dry: { flags: Shown[]; lots: { flags: Shown[] }[] }) =>
  [
    ...new Set(
      [
        ...dry.flags,
        ...dry.lots.flatMap((l) => l.flags.filter((f) => f.status === 'open' || f.status === 'escalated')),
      ].map((f) => `${f.rule}:${f.severity}`),
    ),
  ].join(',');

describe('a previewed write re-checks its flags when confirmed', () => {
  it('a registration confirmed with the flags its preview showed is made with them', async () => {
    const body = lotBody(w, farAway);
    const dry = await t.call('POST', '/v1/lots?dryRun=true', { token: w.minerToken, body });
    expect(dry.status).toBe(200);
    expect(dry.body.flags.map((f: Shown) => f.rule)).toContain('ORIGIN_OUTSIDE_CONCESSION');
    const expectFlags = encodeURIComponent(keysOf(dry.body));
    const real = await t.call('POST', `/v1/lots?expectFlags=${expectFlags}`, { token: w.minerToken, body });
    expect(real.status, real.text).toBe(201);
    expect(real.body.flags.map((f: Shown) => f.rule)).toContain('ORIGIN_OUTSIDE_CONCESSION');
  });

  it('a registration confirmed as clean that would be flagged is refused with the flags named, and nothing is written', async () => {
    const before = await writeState(t);
    const res = await t.call('POST', '/v1/lots?expectFlags=', {
      token: w.minerToken,
      body: lotBody(w, farAway),
    });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('/problems/preview-outdated');
    expect(res.body.unexpectedFlags.map((f: Shown) => f.rule)).toContain('ORIGIN_OUTSIDE_CONCESSION');
    // No row and no event; like any refused write it may leave a gap in the lot codes' sequence.
    expect((await writeState(t)).counts).toEqual(before.counts);
  });

  it('a transfer previewed clean is refused when the lot was flagged before the confirmation; reviewed again, it goes through', async () => {
    const lot = await registerLot(t, w);
    const path = `/v1/lots/${lot.id}/transfers`;
    const body = { toActorId: w.trader.id };
    const dry = await t.call('POST', `${path}?dryRun=true`, { token: w.minerToken, body });
    expect(dry.status).toBe(200);
    expect(keysOf(dry.body)).toBe('');
    // Meanwhile the authority declares a reserve over the lot's origin: the lot is re-screened.
    const zone = await t.call('POST', '/v1/zones', {
      token: w.admin,
      body: {
        name: 'Reserva declarada hoy',
        kind: 'protected_area',
        legalBasis: 'D.S. de prueba',
        validFrom: '2000-01-01',
        geometry: reserve,
      },
    });
    expect(zone.status, zone.text).toBe(201);
    const stale = await t.call('POST', `${path}?expectFlags=`, { token: w.minerToken, body });
    expect(stale.status, stale.text).toBe(409);
    expect(stale.body.unexpectedFlags.map((f: Shown) => f.rule)).toEqual(['ORIGIN_IN_EXCLUSION_ZONE']);
    const still = await t.call('GET', `/v1/lots/${lot.id}`, { token: w.minerToken });
    expect(still.body.custodianId).toBe(w.miner.id);

    const again = await t.call('POST', `${path}?dryRun=true`, { token: w.minerToken, body });
    const keys = keysOf(again.body);
    expect(keys).toContain('ORIGIN_IN_EXCLUSION_ZONE');
    const done = await t.call('POST', `${path}?expectFlags=${encodeURIComponent(keys)}`, {
      token: w.minerToken,
      body,
    });
    expect(done.status, done.text).toBe(200);
    expect(done.body.custodianId).toBe(w.trader.id);
  });

  it('a write that flags less than its preview showed is made; without expectFlags there is no check', async () => {
    const lot = await registerLot(t, w);
    const shownMore = encodeURIComponent('ORIGIN_OUTSIDE_CONCESSION:high');
    const split = await t.call('POST', `/v1/lots/${lot.id}/split?expectFlags=${shownMore}`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '400' }, { grossWeightG: '600' }] },
    });
    expect(split.status, split.text).toBe(201);
    const plain = await t.call('POST', '/v1/lots', { token: w.minerToken, body: lotBody(w, farAway) });
    expect(plain.status).toBe(201);
  });

  it.each([
    ['an unknown rule', 'NOT_A_RULE:high'],
    ['an unknown severity', 'ORIGIN_OUTSIDE_CONCESSION:severe'],
    ['a bare rule', 'ORIGIN_OUTSIDE_CONCESSION'],
  ])('%s in expectFlags is a 400 naming the parameter', async (_, value) => {
    const res = await t.call('POST', `/v1/lots?expectFlags=${value}`, {
      token: w.minerToken,
      body: lotBody(w),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('query.expectFlags');
  });
});
