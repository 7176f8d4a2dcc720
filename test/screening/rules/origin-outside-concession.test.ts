import { beforeEach, describe, expect, it } from 'vitest';
import { rescreenConcession } from '../../../src/domain/screening/rescreen.js';
import type { TestContext } from '../../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

// goldWorld's concession Guacamayo I: box(-70.12, -12.96, -70.08, -12.93).
const at = (lon: number, lat: number) => ({ origin: { type: 'Point', coordinates: [lon, lat] } });
const outsideFlags = (lot: {
  flags: { rule: string; id: string; severity: string; evidence: Record<string, unknown> }[];
}) => lot.flags.filter((f) => f.rule === 'ORIGIN_OUTSIDE_CONCESSION');

describe('ORIGIN_OUTSIDE_CONCESSION', () => {
  it('fires, high, for an origin 0.01° west of the declared concession, with the distance and the concession box', async () => {
    const lot = await registerLot(t, w, at(-70.13, -12.945));
    const flags = outsideFlags(lot);
    expect(flags).toHaveLength(1);
    const flag = flags[0] as { severity: string; evidence: Record<string, unknown> };
    expect(flag.severity).toBe('high');
    expect(flag.evidence).toMatchObject({
      concessionId: w.concession.id,
      code: '07-000123',
      origin: { type: 'Point', coordinates: [-70.13, -12.945] },
      extractedOn: '2026-10-01',
      concessionBbox: {
        type: 'Polygon',
        coordinates: [
          [
            [-70.12, -12.96],
            [-70.12, -12.93],
            [-70.08, -12.93],
            [-70.08, -12.96],
            [-70.12, -12.96],
          ],
        ],
      },
    });
    // 0.01° of longitude at 12.945° S on the spheroid: ~1085 m.
    expect(Number(flag.evidence.distanceM)).toBeGreaterThan(1075);
    expect(Number(flag.evidence.distanceM)).toBeLessThan(1095);
  });

  it('near miss: an origin ~11 m inside the edge, or on the edge itself, raises nothing', async () => {
    expect(outsideFlags(await registerLot(t, w, at(-70.1199, -12.945)))).toEqual([]);
    expect(outsideFlags(await registerLot(t, w, at(-70.12, -12.945)))).toEqual([]);
  });

  it('screening again over the same geometry raises nothing new; lots made from it inherit rather than being screened', async () => {
    const lot = await registerLot(t, w, at(-70.13, -12.945));
    const flag = outsideFlags(lot)[0] as { id: string };
    const again = await t.db.transaction((tx) =>
      rescreenConcession(tx, { sub: 'test', role: 'admin' }, w.concession.id),
    );
    expect(again.flagsRaised).toBe(0);
    const split = await t.call('POST', `/v1/lots/${lot.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '400.000' }, { grossWeightG: '600.000' }] },
    });
    expect(split.status, split.text).toBe(201);
    for (const child of split.body.children) {
      const res = await t.call('GET', `/v1/lots/${child.id}`, { token: w.regulatorToken });
      expect(outsideFlags(res.body)).toEqual([
        expect.objectContaining({ inheritedFrom: flag.id, severity: 'high' }),
      ]);
    }
    // A re-screening of the concession now reaches the children too, and still adds nothing.
    const third = await t.db.transaction((tx) =>
      rescreenConcession(tx, { sub: 'test', role: 'admin' }, w.concession.id),
    );
    expect(third.flagsRaised).toBe(0);
  });
});
