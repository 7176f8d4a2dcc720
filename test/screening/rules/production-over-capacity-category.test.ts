import { beforeEach, describe, expect, it } from 'vitest';
import { thresholds } from '../../../src/domain/screening/thresholds.js';
import type { TestContext } from '../../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

type Flag = { rule: string; severity: string; evidence: Record<string, unknown> };
const capacityFlags = (lot: { flags: Flag[] }) =>
  lot.flags.filter((f) => f.rule === 'PRODUCTION_OVER_CAPACITY');
const declare = (body: Record<string, unknown>) =>
  t.call('POST', `/v1/actors/${w.miner.id}/categories`, { token: w.admin, body });

// goldWorld's concession is ~1,440 ha: its area basis allows ~1,000 kg of fine gold in 30 days.
// An artisanal alluvial producer may wash 200 m³ a day: 200 g a day at 1 g/m³, 6 kg in 30 days.
// 8 kg of doré at 900 ‰ is 7.2 kg of fine gold: over the artisanal ceiling, far under the area's.
const burst = { grossWeightG: '8000.000', fineness: '900' };

describe('PRODUCTION_OVER_CAPACITY against the legal ceiling of the holder’s category', () => {
  it('an artisanal miner over the artisanal ceiling but under the area-based one is flagged, on the category basis', async () => {
    expect(
      (await declare({ category: 'artisanal', miningMethod: 'alluvial', validFrom: '2020-01-01' })).status,
    ).toBe(201);
    const flags = capacityFlags(await registerLot(t, w, burst));
    const month = flags.find((f) => f.evidence.windowDays === 30);
    expect(month, JSON.stringify(flags)).toBeDefined();
    const daily =
      thresholds.capacity.categories.artisanal.placerM3PerDay * thresholds.capacity.placerFineGPerM3;
    expect(month?.evidence).toMatchObject({
      basis: 'category',
      holderCategory: 'artisanal',
      miningMethod: 'alluvial',
      declaredFineG: '7200.000',
    });
    expect(Number(month?.evidence.categoryDailyFineG)).toBe(daily);
    expect(Number(month?.evidence.capacityFineG)).toBe(daily * 30);
    expect(Number(month?.evidence.areaCapacityFineG)).toBeGreaterThan(
      100 * Number(month?.evidence.capacityFineG),
    );
  });

  it('near miss: the same gold from a small producer, a medium-scale miner or an undeclared category is within capacity', async () => {
    expect(capacityFlags(await registerLot(t, w, burst))).toEqual([]);
    expect((await declare({ category: 'medium', validFrom: '2020-01-01' })).status).toBe(201);
    expect(capacityFlags(await registerLot(t, w, { ...burst, extractedOn: '2026-10-02' }))).toEqual([]);
    // A second lot in the same month would bring an artisanal producer to 14.4 kg; a small producer
    // may wash 3,000 m³ a day (90 kg in 30 days).
    expect(
      (await declare({ category: 'small_producer', miningMethod: 'alluvial', validFrom: '2021-01-01' }))
        .status,
    ).toBe(201);
    expect(capacityFlags(await registerLot(t, w, { ...burst, extractedOn: '2026-10-03' }))).toEqual([]);
  });

  it('recording the category re-screens the lots of the concessions its holder holds', async () => {
    const lot = await registerLot(t, w, burst);
    expect(capacityFlags(lot)).toEqual([]);
    expect(
      (await declare({ category: 'artisanal', miningMethod: 'dredge', validFrom: '2020-01-01' })).status,
    ).toBe(201);
    const res = await t.call('GET', `/v1/lots/${lot.id}`, { token: w.regulatorToken });
    expect(capacityFlags(res.body).map((f) => f.evidence.basis)).toContain('category');
  });
});
