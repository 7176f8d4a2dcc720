import { beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/shared/ids.js';
import type { TestContext } from '../helpers/app.js';
import {
  backdateDeclaration,
  declareMovement,
  type InputsWorld,
  inputsWorld,
  inspectionBody,
} from '../helpers/inputs.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: InputsWorld;
// A quota small enough that the months below reach it.
const world = worldPerFile((t) =>
  inputsWorld(t, {
    quotas: [
      { input: 'mercury', monthly: '10.000', unit: 'kg' },
      { input: 'diesel', monthly: '2000.000', unit: 'L' },
    ],
  }),
);
beforeEach(async () => {
  ({ t, w } = await world());
});

const quotas = async (month?: string, actorId = w.miner.id, token = w.regulatorToken) => {
  const res = await t.call('GET', `/v1/actors/${actorId}/quotas${month ? `?month=${month}` : ''}`, { token });
  return res;
};
type QuotaLine = Record<string, string | null>;
const byInput = (body: { quotas: (QuotaLine & { input: string })[] }) =>
  Object.fromEntries(body.quotas.map(({ input, ...q }) => [input, q])) as Record<
    'mercury' | 'diesel' | 'gasoline',
    QuotaLine
  >;

/** A movement to the miner declared at `at` (set directly: the API stamps the server's time). */
async function declaredAt(at: string, over: Record<string, unknown> = {}) {
  const m = await declareMovement(t, w, over);
  await backdateDeclaration(m.id, at);
  return m;
}

describe('quotas per actor and month', () => {
  it('counts movements in the UTC month they were declared in: the last instant of one, the first of the next', async () => {
    await declaredAt('2026-09-30T23:59:59.999Z', { quantity: '3.500' });
    await declaredAt('2026-10-01T00:00:00Z', { quantity: '2.250' });
    // 20:00 in Lima on 30 September is 01:00 UTC on 1 October.
    await declaredAt('2026-09-30T20:00:00-05:00', { quantity: '7.755' });
    await declaredAt('2026-10-15T08:00:00Z', { input: 'diesel', quantity: '1500', unit: 'L' });
    await declaredAt('2026-10-16T08:00:00Z', { consigneeId: w.other.id, quantity: '99' });

    const sept = await quotas('2026-09');
    expect(sept.status).toBe(200);
    expect(sept.body).toMatchObject({
      actorId: w.miner.id,
      month: '2026-09',
      from: '2026-09-01T00:00:00.000Z',
      to: '2026-10-01T00:00:00.000Z',
      registration: { id: w.minerRegistration.id, status: 'authorized' },
    });
    expect(byInput(sept.body).mercury).toEqual({
      unit: 'kg',
      quota: '10.000',
      received: '3.500',
      remaining: '6.500',
      registrationId: w.minerRegistration.id,
    });

    const oct = byInput((await quotas('2026-10')).body);
    // 2.250 + 7.755 = 10.005 kg against 10 kg: over quota by 5 g, exactly.
    expect(oct.mercury).toMatchObject({ quota: '10.000', received: '10.005', remaining: '-0.005' });
    expect(oct.diesel).toMatchObject({
      unit: 'L',
      quota: '2000.000',
      received: '1500.000',
      remaining: '500.000',
    });
    expect(oct.gasoline).toMatchObject({ unit: 'L', quota: '0.000', received: '0.000', remaining: '0.000' });
  });

  it('sums exactly (0.1 + 0.2 = 0.3) and leaves seized consignments out', async () => {
    await declaredAt('2026-08-03T10:00:00Z', { quantity: 0.1 });
    await declaredAt('2026-08-04T10:00:00Z', { quantity: 0.2 });
    const seized = await declareMovement(t, w, { quantity: '5' });
    const res = await t.call('POST', '/v1/inspections', {
      token: w.mazukoToken,
      body: inspectionBody(w, seized, { outcome: 'seized', observedQuantity: '5' }),
    });
    expect(res.body.movement.status).toBe('seized');
    await backdateDeclaration(seized.id, '2026-08-05T10:00:00Z');
    expect(byInput((await quotas('2026-08')).body).mercury).toMatchObject({
      received: '0.300',
      remaining: '9.700',
    });
  });

  it('takes the quota of the registration in force in that month; a suspended one authorizes nothing', async () => {
    const register = (body: Record<string, unknown>) =>
      t.call('POST', `/v1/actors/${w.miner.id}/registrations`, {
        token: w.admin,
        body: { registry: 'controlled_inputs', ...body },
      });
    const reduced = await register({
      status: 'authorized',
      validFrom: '2026-09-15',
      quotas: [{ input: 'mercury', monthly: '4.000', unit: 'kg' }],
    });
    const suspended = await register({ status: 'suspended', validFrom: '2026-10-10' });
    await declaredAt('2026-10-02T10:00:00Z', { quantity: '1.000' });

    const aug = await quotas('2026-08');
    expect(aug.body.registration.id).toBe(w.minerRegistration.id);
    expect(byInput(aug.body).mercury.quota).toBe('10.000');
    // In September the reduced quota was in force when the month ended.
    const sept = await quotas('2026-09');
    expect(sept.body.registration.id).toBe(reduced.body.id);
    expect(byInput(sept.body).mercury).toMatchObject({ quota: '4.000', registrationId: reduced.body.id });
    const oct = await quotas('2026-10');
    expect(oct.body.registration).toMatchObject({ id: suspended.body.id, status: 'suspended' });
    expect(byInput(oct.body).mercury).toMatchObject({
      quota: '0.000',
      received: '1.000',
      remaining: '-1.000',
    });
    // An actor that never registered has no registration and nothing to draw on.
    const none = await quotas('2026-10', w.other.id);
    expect(none.body.registration).toBeNull();
    expect(byInput(none.body).mercury).toMatchObject({ quota: '0.000', registrationId: null });
  });

  it('defaults to the current UTC month, which counts a movement declared now', async () => {
    await declareMovement(t, w, { quantity: '1.250' });
    const res = await quotas();
    expect(res.body.month).toBe(new Date().toISOString().slice(0, 7));
    expect(byInput(res.body).mercury).toMatchObject({ received: '1.250', remaining: '8.750' });
  });

  it('the actor itself and regulators read it; another exporter or checkpoint staff cannot', async () => {
    expect((await quotas('2026-10', w.miner.id, w.minerToken)).status).toBe(200);
    expect((await quotas('2026-10', w.miner.id, w.admin)).status).toBe(200);
    expect((await quotas('2026-10', w.miner.id, w.supplierToken)).status).toBe(403);
    expect((await quotas('2026-10', w.miner.id, w.mazukoToken)).status).toBe(403);
    const bad = await quotas('2026-13');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.month');
    expect((await quotas('2026-10', newId())).status).toBe(404);
  });
});
