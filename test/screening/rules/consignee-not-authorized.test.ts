import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/db/client.js';
import { consigneeNotAuthorized } from '../../../src/domain/screening/rules/consignee-not-authorized.js';
import type { TestContext } from '../../helpers/app.js';
import { declareMovement, type InputsWorld, inputsWorld } from '../../helpers/inputs.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: InputsWorld;
const world = worldPerFile(inputsWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const register = async (actorId: string, body: Record<string, unknown>) => {
  const res = await t.call('POST', `/v1/actors/${actorId}/registrations`, {
    token: w.admin,
    body: { registry: 'controlled_inputs', ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
};

const flagsOf = async (movementId: string) =>
  rowsOf<{ severity: string; fingerprint: string }>(
    await t.db.execute(sql`SELECT severity, fingerprint FROM flags
      WHERE subject_type = 'movement' AND subject_id = ${movementId} AND rule = 'CONSIGNEE_NOT_AUTHORIZED'
      ORDER BY created_at, id`),
  );

const today = () => new Date().toISOString().slice(0, 10);

describe('CONSIGNEE_NOT_AUTHORIZED', () => {
  it('mercury to a consignee never registered fires, critical, naming the consignee', async () => {
    const m = await declareMovement(t, w, { consigneeId: w.other.id });
    expect(m.riskLevel).toBe('critical');
    expect(m.flags).toHaveLength(1);
    expect(m.flags[0]).toMatchObject({ rule: 'CONSIGNEE_NOT_AUTHORIZED', severity: 'critical' });
    expect(m.flags[0].evidence).toMatchObject({
      movementCode: m.code,
      consigneeId: w.other.id,
      consigneeTaxId: '20600000099',
      consigneeName: 'Minera Colorado',
      input: 'mercury',
      quantity: '34.500',
      unit: 'kg',
      declaredOn: today(),
      registration: null,
      authorization: null,
    });
    expect(await flagsOf(m.id)).toEqual([{ severity: 'critical', fingerprint: 'none' }]);
    expect(consigneeNotAuthorized.summarize(m.flags[0].evidence)).toBe(
      `34.500 kg of mercury (${m.code}) consigned to Minera Colorado (20600000099), which had no controlled-inputs registration on ${today()}`,
    );
  });

  it('diesel to a suspended consignee fires, high, with the registration in force', async () => {
    const suspended = await register(w.other.id, { status: 'suspended', validFrom: '2026-01-01' });
    const m = await declareMovement(t, w, {
      consigneeId: w.other.id,
      input: 'diesel',
      quantity: '500',
      unit: 'L',
    });
    expect(m.flags).toEqual([
      expect.objectContaining({
        rule: 'CONSIGNEE_NOT_AUTHORIZED',
        severity: 'high',
        evidence: expect.objectContaining({
          registration: { id: suspended.id, status: 'suspended', validFrom: '2026-01-01', validTo: null },
        }),
      }),
    ]);
    expect(await flagsOf(m.id)).toEqual([{ severity: 'high', fingerprint: suspended.id }]);
  });

  it('naming an authorization already superseded when the movement was declared fires', async () => {
    const old = await register(w.other.id, { status: 'authorized', validFrom: '2024-01-01' });
    const current = await register(w.other.id, { status: 'authorized', validFrom: '2026-01-01' });
    const m = await declareMovement(t, w, { consigneeId: w.other.id, authorization: old.id });
    const [flag] = m.flags.filter((f: { rule: string }) => f.rule === 'CONSIGNEE_NOT_AUTHORIZED');
    expect(flag.evidence).toMatchObject({
      registration: { id: current.id, status: 'authorized' },
      authorization: { id: old.id, status: 'authorized', validTo: '2026-01-01', inForce: false },
    });
    expect(await flagsOf(m.id)).toEqual([{ severity: 'critical', fingerprint: `named:${old.id}` }]);
  });

  it('near miss: the authorized consignee in force on the declaration day raises nothing', async () => {
    const m = await declareMovement(t, w);
    expect(m.authorizationId).toBe(w.minerRegistration.id);
    expect(m.flags).toEqual([]);
    const named = await declareMovement(t, w, { authorization: w.minerRegistration.id });
    expect(named.flags).toEqual([]);
  });

  it('near miss: the authorization a movement drew on, superseded later by another authorization, raises nothing', async () => {
    const m = await declareMovement(t, w);
    expect(m.authorizationId).toBe(w.minerRegistration.id);
    await register(w.miner.id, {
      status: 'authorized',
      validFrom: `${today().slice(0, 7)}-01`,
      quotas: [{ input: 'mercury', monthly: '100.000', unit: 'kg' }],
    });
    expect(await flagsOf(m.id)).toEqual([]);
  });

  it('a revocation back-dated over a declaration re-screens it: a new flag, fingerprinted by the revocation; again, nothing more', async () => {
    const m = await declareMovement(t, w);
    expect(m.flags).toEqual([]);
    const revoked = await register(w.miner.id, { status: 'revoked', validFrom: '2026-01-01' });
    expect(await flagsOf(m.id)).toEqual([{ severity: 'critical', fingerprint: revoked.id }]);
    // Another registration recorded later does not cover the declaration day: nothing new.
    await register(w.miner.id, { status: 'revoked', validFrom: '2099-01-01' });
    expect(await flagsOf(m.id)).toHaveLength(1);
  });
});
