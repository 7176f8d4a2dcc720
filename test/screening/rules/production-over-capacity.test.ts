import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/db/client.js';
import { rescreenConcession } from '../../../src/domain/screening/rescreen.js';
import type { TestContext } from '../../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { type ApiFlag, flagsOf, one } from '../../helpers/flags.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const capacityFlags = (lot: { flags: ApiFlag[] }) => flagsOf(lot, 'PRODUCTION_OVER_CAPACITY');

/** A concession of ~0.3 ha (0.0005° a side) held by goldWorld's miner: ~440 g of fine gold a year. */
async function tinyConcession() {
  const res = await t.call('POST', '/v1/concessions', {
    token: w.admin,
    body: {
      code: '07-000999',
      name: 'Guacamayo Chico',
      kind: 'mining',
      holderId: w.miner.id,
      status: 'titled',
      grantedOn: '2012-04-20',
      geometry: box(-70.1005, -12.9455, -70.1, -12.945),
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

// Inside the tiny concession (and inside Guacamayo I, which contains it).
const origin = { type: 'Point', coordinates: [-70.10025, -12.94525] };

describe('PRODUCTION_OVER_CAPACITY', () => {
  it('flags the lot that takes a tiny concession over area × 1.5 kg/ha/yr, with the balance as evidence', async () => {
    const c = await tinyConcession();
    const capacity = Number(c.areaHa) * 1500;
    expect(capacity).toBeGreaterThan(300);
    expect(capacity).toBeLessThan(600);
    // 261 g fine: under the capacity.
    const first = await registerLot(t, w, { concessionId: c.id, origin, grossWeightG: '300.000' });
    expect(capacityFlags(first)).toEqual([]);
    // +522 g = 783 g: over, by less than 2×.
    const second = await registerLot(t, w, { concessionId: c.id, origin, grossWeightG: '600.000' });
    const flag = one(capacityFlags(second));
    expect(flag).toMatchObject({ severity: 'medium', status: 'open' });
    expect(flag.evidence).toMatchObject({
      concessionId: c.id,
      concessionCode: '07-000999',
      areaHa: c.areaHa,
      windowFrom: '2025-10-02',
      windowTo: '2026-10-01',
      declaredFineG: '783.000',
      capacityFineG: capacity.toFixed(3),
      ratio: (783 / capacity).toFixed(3),
      lotCount: 2,
      fineKgPerHaYear: 1.5,
      windowDays: 365,
    });
    // +870 g = 1653 g: over 2× (high); then +8700 g: over 5× (critical).
    const third = await registerLot(t, w, { concessionId: c.id, origin });
    expect(capacityFlags(third)).toEqual([expect.objectContaining({ severity: 'high' })]);
    const fourth = await registerLot(t, w, { concessionId: c.id, origin, grossWeightG: '10000.000' });
    expect(capacityFlags(fourth)).toEqual([expect.objectContaining({ severity: 'critical' })]);
    expect(one(capacityFlags(fourth)).evidence.lotCount).toBe(4);
  });

  it('re-screened with its concession, flags what the later lots made over capacity, without duplicates', async () => {
    const c = await tinyConcession();
    const first = await registerLot(t, w, { concessionId: c.id, origin, grossWeightG: '300.000' });
    const second = await registerLot(t, w, { concessionId: c.id, origin, grossWeightG: '600.000' });
    expect(capacityFlags(first)).toEqual([]);
    expect(capacityFlags(second)).toHaveLength(1);
    const run = () => t.db.transaction((tx) => rescreenConcession(tx, { sub: 'test', role: 'admin' }, c.id));
    // The first lot's window (ending on its extraction date) now holds the second lot too.
    expect(await run()).toMatchObject({ lotsScreened: 2, flagsRaised: 1 });
    expect(await run()).toMatchObject({ lotsScreened: 2, flagsRaised: 0 });
    const rows = rowsOf<{ subject_id: string }>(
      await t.db.execute(
        sql`SELECT subject_id FROM flags WHERE rule = 'PRODUCTION_OVER_CAPACITY' ORDER BY subject_id`,
      ),
    );
    expect(rows.map((r) => r.subject_id).sort()).toEqual([first.id, second.id].sort());
  });

  it('counts only the lots extracted in the year ending on the lot extraction date', async () => {
    const c = await tinyConcession();
    // 783 g, but extracted over a year before the next lot: each window holds one lot, under capacity.
    const old = await registerLot(t, w, {
      concessionId: c.id,
      origin,
      grossWeightG: '450.000',
      extractedOn: '2025-09-30',
    });
    const recent = await registerLot(t, w, { concessionId: c.id, origin, grossWeightG: '450.000' });
    expect(capacityFlags(old)).toEqual([]);
    expect(capacityFlags(recent)).toEqual([]);
  });

  it('does not fire for the same lots on a large concession (goldWorld stays clean)', async () => {
    for (const grossWeightG of ['300.000', '600.000', '1000.000', '10000.000']) {
      const lot = await registerLot(t, w, { grossWeightG });
      expect(lot.flags).toEqual([]);
    }
  });
});
