import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/db/client.js';
import { overQuota } from '../../../src/domain/screening/rules/over-quota.js';
import type { TestContext } from '../../helpers/app.js';
import {
  backdateDeclaration,
  declareMovement,
  type InputsWorld,
  inputsWorld,
  inspectionBody,
} from '../../helpers/inputs.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: InputsWorld;
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

const month = () => new Date().toISOString().slice(0, 7);
const mercury = (quantity: string) => declareMovement(t, w, { quantity });
const quotaFlags = async (movementId: string) =>
  rowsOf<{ severity: string; fingerprint: string }>(
    await t.db.execute(sql`SELECT severity, fingerprint FROM flags
      WHERE subject_type = 'movement' AND subject_id = ${movementId} AND rule = 'OVER_QUOTA'`),
  );

describe('OVER_QUOTA (10 kg of mercury a month)', () => {
  it('reaching the quota exactly raises nothing; one gram beyond fires, high, with the month’s numbers', async () => {
    expect((await mercury('6.000')).flags).toEqual([]);
    expect((await mercury('4.000')).flags).toEqual([]);
    const over = await mercury('0.001');
    expect(over.flags).toHaveLength(1);
    expect(over.flags[0]).toMatchObject({ rule: 'OVER_QUOTA', severity: 'high' });
    expect(over.flags[0].evidence).toMatchObject({
      movementCode: over.code,
      consigneeId: w.miner.id,
      input: 'mercury',
      unit: 'kg',
      quantity: '0.001',
      month: month(),
      quota: '10.000',
      received: '10.001',
      excess: '0.001',
      movementsCounted: 3,
      registrationId: w.minerRegistration.id,
    });
    expect(await quotaFlags(over.id)).toEqual([{ severity: 'high', fingerprint: month() }]);
    expect(overQuota.summarize(over.flags[0].evidence)).toBe(
      `${over.code} brings mercury received in ${month()} to 10.001 kg, 0.001 kg over the monthly quota of 10.000 kg (registration ${w.minerRegistration.id})`,
    );
    // Beyond twice the quota: critical.
    expect((await mercury('10.000')).flags[0]).toMatchObject({
      severity: 'critical',
      evidence: { received: '20.001', excess: '10.001' },
    });
  });

  it('near miss: last month’s movements and seized ones do not count; other inputs have their own quota', async () => {
    const last = await mercury('8.000');
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) - 1).toISOString();
    await backdateDeclaration(last.id, lastMonth);
    const seized = await mercury('5.000');
    const res = await t.call('POST', '/v1/inspections', {
      token: w.mazukoToken,
      body: inspectionBody(w, seized, { outcome: 'seized', observedQuantity: '5.000' }),
    });
    expect(res.body.movement.status).toBe('seized');
    expect((await declareMovement(t, w, { input: 'diesel', quantity: '1999', unit: 'L' })).flags).toEqual([]);
    const m = await mercury('9.000');
    expect(m.flags).toEqual([]);
  });

  it('an input the registration gives no quota for is over from the first litre; an unauthorized consignee is not this rule’s', async () => {
    const gasoline = await declareMovement(t, w, { input: 'gasoline', quantity: '1', unit: 'L' });
    expect(gasoline.flags).toEqual([
      expect.objectContaining({
        rule: 'OVER_QUOTA',
        severity: 'critical',
        evidence: expect.objectContaining({ quota: '0.000', received: '1.000', unit: 'L' }),
      }),
    ]);
    const toOther = await declareMovement(t, w, { consigneeId: w.other.id, quantity: '50' });
    expect(toOther.flags.map((f: { rule: string }) => f.rule)).toEqual(['CONSIGNEE_NOT_AUTHORIZED']);
  });

  it('a reduced quota back-dated over the month re-screens: only the movements past the new quota are flagged', async () => {
    const a = await mercury('6.000');
    const b = await mercury('3.000');
    expect([...a.flags, ...b.flags]).toEqual([]);
    const reduced = await t.call('POST', `/v1/actors/${w.miner.id}/registrations`, {
      token: w.admin,
      body: {
        registry: 'controlled_inputs',
        status: 'authorized',
        validFrom: `${month()}-01`,
        quotas: [{ input: 'mercury', monthly: '7.000', unit: 'kg' }],
      },
    });
    expect(reduced.status, reduced.text).toBe(201);
    // 6 kg was within 7 kg when A was declared; B brought the month to 9 kg.
    expect(await quotaFlags(a.id)).toEqual([]);
    expect(await quotaFlags(b.id)).toEqual([{ severity: 'high', fingerprint: month() }]);
    const got = await t.call('GET', `/v1/movements/${b.id}`, { token: w.regulatorToken });
    // The authorization B named was superseded, not withdrawn: no CONSIGNEE_NOT_AUTHORIZED.
    expect(got.body.flags.map((f: { rule: string }) => f.rule)).toEqual(['OVER_QUOTA']);
    expect(got.body.flags[0].evidence).toMatchObject({
      quota: '7.000',
      received: '9.000',
      registrationId: reduced.body.id,
    });
  });
});
