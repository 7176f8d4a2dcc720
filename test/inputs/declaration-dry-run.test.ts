import { beforeEach, describe, expect, it } from 'vitest';
import type { TestContext } from '../helpers/app.js';
import { dryThenReal, type RaisedFlag, rulesOf, sameRefusal, writeState } from '../helpers/dry-run.js';
import { type InputsWorld, inputsWorld, movementBody } from '../helpers/inputs.js';
import { worldPerFile } from '../helpers/world.js';

/**
 * `?dryRun=true` on POST /v1/movements: the declaration made and rolled back, answered as it
 * would be with the flags it would raise, no movement code drawn and nothing written.
 */
let t: TestContext;
let w: InputsWorld;
const world = worldPerFile((t) => inputsWorld(t));
beforeEach(async () => {
  ({ t, w } = await world());
});

describe('a dry run of a declaration', () => {
  it('answers the movement with a provisional code and the flags it would raise; the real one gets both', async () => {
    const { dry, real } = await dryThenReal(t, {
      path: '/v1/movements',
      token: w.supplierToken,
      // 250 kg of mercury against a monthly quota of 200 kg: OVER_QUOTA.
      body: movementBody(w, { quantity: '250.000' }),
      status: 201,
      made: (r) => [r.body.id],
    });
    expect(dry.lots).toBeUndefined();
    expect(dry.movement).toMatchObject({
      code: null,
      qrUrl: null,
      status: 'declared',
      quantity: '250.000',
      vehicle: 'V1Q-123',
      consigneeId: w.miner.id,
    });
    expect(dry.movement.checkpoints.map((c: { code: string }) => c.code)).toEqual(['PC-MAZUKO', 'PC-PM']);
    expect(dry.movement.provisionalCode).toMatch(/^MV-\d{4}-\d{6}$/);
    expect(dry.flags.map((f: RaisedFlag) => f.rule)).toContain('OVER_QUOTA');
    expect(
      dry.flags.every((f: RaisedFlag) => f.subjectType === 'movement' && f.subjectId === dry.movement.id),
    ).toBe(true);
    // Evidence naming the movement names it by the code it would get.
    expect(JSON.stringify(dry.flags)).not.toContain('dry-run:');
    expect(JSON.stringify(dry.flags)).toContain(dry.movement.provisionalCode);
    expect(real.code).toBe(dry.movement.provisionalCode);
    expect(rulesOf(real)).toEqual(rulesOf(dry.movement));
  });

  it('to a consignee with no controlled-inputs authorization says CONSIGNEE_NOT_AUTHORIZED', async () => {
    const { dry, real } = await dryThenReal(t, {
      path: '/v1/movements',
      token: w.supplierToken,
      body: movementBody(w, {
        consigneeId: w.other.id,
        destination: { point: { type: 'Point', coordinates: [-70.52, -13.05] } },
      }),
      status: 201,
      made: (r) => [r.body.id],
    });
    expect(rulesOf(dry.movement)).toContain('CONSIGNEE_NOT_AUTHORIZED');
    expect(rulesOf(real)).toEqual(rulesOf(dry.movement));
  });

  it('a clean declaration: no flag, and the codes of real declarations stay consecutive', async () => {
    const first = await t.call('POST', '/v1/movements', { token: w.supplierToken, body: movementBody(w) });
    expect(first.status, first.text).toBe(201);
    for (let i = 0; i < 3; i++) {
      const dry = await t.call('POST', '/v1/movements?dryRun=true', {
        token: w.supplierToken,
        body: movementBody(w),
      });
      expect(dry.status, dry.text).toBe(200);
      expect(dry.body.flags).toEqual([]);
    }
    const second = await t.call('POST', '/v1/movements', { token: w.supplierToken, body: movementBody(w) });
    expect(second.status, second.text).toBe(201);
    const n = (code: string) => Number(code.slice(-6));
    expect(n(second.body.code)).toBe(n(first.body.code) + 1);
  });
});

describe('a dry run of a declaration is refused exactly as the declaration', () => {
  it('by someone other than its consignor (403)', async () => {
    await sameRefusal(t, '/v1/movements', w.minerToken, movementBody(w), 403);
  });

  it('on a route no checkpoint serves, to a consignee that does not exist (422)', async () => {
    await sameRefusal(
      t,
      '/v1/movements',
      w.supplierToken,
      movementBody(w, { route: 'Trocha Guacamayo', consigneeId: '01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f' }),
      422,
    );
  });

  it('mercury declared in litres (400)', async () => {
    await sameRefusal(t, '/v1/movements', w.supplierToken, movementBody(w, { unit: 'L' }), 400);
  });

  it('dryRun=yes is a 400 naming the parameter, and writes nothing', async () => {
    const before = await writeState(t);
    const res = await t.call('POST', '/v1/movements?dryRun=yes', {
      token: w.supplierToken,
      body: movementBody(w),
    });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'query.dryRun' }));
    expect(await writeState(t)).toEqual(before);
  });
});
