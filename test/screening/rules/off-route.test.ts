import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/db/client.js';
import { offRoute } from '../../../src/domain/screening/rules/off-route.js';
import type { TestContext } from '../../helpers/app.js';
import { declareMovement, type InputsWorld, inputsWorld, inspectionBody } from '../../helpers/inputs.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: InputsWorld;
const world = worldPerFile(inputsWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

/** A post on another road: Iñapari, on the Interoceánica's branch to Brazil, named apart here. */
async function inapari() {
  const res = await t.call('POST', '/v1/checkpoints', {
    token: w.admin,
    body: {
      code: 'PC-INAPARI',
      name: 'Iñapari',
      location: { type: 'Point', coordinates: [-69.58, -10.95] },
      routes: ['Iñapari – Puerto Maldonado'],
    },
  });
  expect(res.status, res.text).toBe(201);
  return { checkpoint: res.body, token: await t.token('checkpoint', { checkpoint: res.body.id }) };
}

const inspectAt = async (checkpointId: string, token: string, movement: { id: string }) => {
  const res = await t.call('POST', '/v1/inspections', {
    token,
    body: inspectionBody(w, movement, { checkpointId }),
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
};

const offRouteFlags = async (movementId: string) =>
  rowsOf<{ severity: string; fingerprint: string }>(
    await t.db.execute(sql`SELECT severity, fingerprint FROM flags
      WHERE subject_type = 'movement' AND subject_id = ${movementId} AND rule = 'OFF_ROUTE'`),
  );

describe('OFF_ROUTE', () => {
  it('a movement inspected at a post off its declared route fires, high, and is held; seen there again, no duplicate', async () => {
    const { checkpoint, token } = await inapari();
    const m = await declareMovement(t, w);
    const res = await inspectAt(checkpoint.id, token, m);
    expect(res.verdict).toBe('hold');
    expect(res.reasons).toEqual(['open high flag OFF_ROUTE']);
    expect(res.flags).toHaveLength(1);
    expect(res.flags[0]).toMatchObject({ rule: 'OFF_ROUTE', severity: 'high' });
    expect(res.flags[0].evidence).toMatchObject({
      movementCode: m.code,
      declaredRoute: 'Interoceánica Sur',
      inspectionId: res.id,
      checkpointId: checkpoint.id,
      checkpointCode: 'PC-INAPARI',
      checkpointName: 'Iñapari',
      checkpointRoutes: ['Iñapari – Puerto Maldonado'],
      checkpointLocation: { type: 'Point', coordinates: [-69.58, -10.95] },
    });
    expect(offRoute.summarize(res.flags[0].evidence)).toBe(
      `${m.code}, declared on route "Interoceánica Sur", was inspected at PC-INAPARI (Iñapari), which controls ["Iñapari – Puerto Maldonado"]: off its route`,
    );
    await inspectAt(checkpoint.id, token, m);
    expect(await offRouteFlags(m.id)).toEqual([{ severity: 'high', fingerprint: checkpoint.id }]);
  });

  it('near miss: inspected at both posts on its route, it raises nothing', async () => {
    const m = await declareMovement(t, w);
    expect((await inspectAt(w.mazuko.id, w.mazukoToken, m)).flags).toEqual([]);
    const there = await inspectAt(w.maldonado.id, w.maldonadoToken, m);
    expect(there.verdict).toBe('pass');
    expect(await offRouteFlags(m.id)).toEqual([]);
  });
});
