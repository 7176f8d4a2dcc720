import { beforeEach, describe, expect, it } from 'vitest';
import { custodianNotRegistered } from '../../../src/domain/screening/rules/custodian-not-registered.js';
import type { TestContext } from '../../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const RULE = 'CUSTODIAN_NOT_REGISTERED';
const day = (n = 0) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

const post = async (path: string, body: unknown, token = w.admin) => {
  const res = await t.call('POST', path, { token, body });
  expect(res.status, res.text).toBe(201);
  return res.body;
};

const flagsOf = async (lotId: string) => {
  const res = await t.call('GET', `/v1/flags?rule=${RULE}&subjectType=lot&subjectId=${lotId}`, {
    token: w.regulatorToken,
  });
  expect(res.status, res.text).toBe(200);
  return res.body.items;
};

const transfer = async (lotId: string, toActorId: string, token = w.minerToken) => {
  const res = await t.call('POST', `/v1/lots/${lotId}/transfers`, { token, body: { toActorId } });
  expect(res.status, res.text).toBe(200);
  return res.body;
};

/** A buyer in the trader registry since 2015, and a lot of the goldWorld miner transferred to it today. */
async function traderHolding(taxId: string, name: string) {
  const buyer = await post('/v1/actors', { taxId, name, kinds: ['trader'] });
  await post(`/v1/actors/${buyer.id}/registrations`, {
    registry: 'trader',
    status: 'registered',
    validFrom: '2015-01-01',
  });
  const lot = await registerLot(t, w);
  await transfer(lot.id, buyer.id);
  expect(await flagsOf(lot.id)).toEqual([]);
  return { buyer, lot };
}

describe('CUSTODIAN_NOT_REGISTERED', () => {
  it('fires, high, on a transfer to a buyer without a trader registration, with the custody episode', async () => {
    const buyer = await post('/v1/actors', {
      taxId: '10450000077',
      name: 'Compra Oro Huepetuhe',
      kinds: ['trader'],
    });
    const lot = await registerLot(t, w);
    expect(lot.flags).toEqual([]);
    await transfer(lot.id, buyer.id);
    const flags = await flagsOf(lot.id);
    expect(flags).toHaveLength(1);
    const [f] = flags;
    expect(f).toMatchObject({ severity: 'high', status: 'open', inheritedFrom: null });
    expect(f.evidence).toMatchObject({
      custodianId: buyer.id,
      taxId: '10450000077',
      name: 'Compra Oro Huepetuhe',
      producerId: w.miner.id,
      traderRegistration: { status: 'none', registrationId: null },
    });
    expect(f.evidence.custodySince.slice(0, 10)).toBe(day());
    expect(f.fingerprint).toBe(`${buyer.id}@${f.evidence.custodySince}/none`);
    expect(custodianNotRegistered.summarize(f.evidence)).toContain('trader registration was none');
    // The same custody episode screened again (an unrelated registration of the buyer): no duplicate.
    await post(`/v1/actors/${buyer.id}/registrations`, {
      registry: 'controlled_inputs',
      status: 'authorized',
      validFrom: day(),
      quotas: [],
    });
    expect(await flagsOf(lot.id)).toEqual(flags);
  });

  it('does not fire on a transfer to a registered trader, nor while the producer holds its gold', async () => {
    const lot = await registerLot(t, w);
    await transfer(lot.id, w.trader.id);
    await transfer(lot.id, w.exporter.id, w.traderToken);
    expect(await flagsOf(lot.id)).toEqual([]);
    // Registered by the trader on the miner's behalf: the trader holds it, and is registered.
    const onBehalf = await registerLot(t, w, {}, w.traderToken);
    expect(onBehalf.custodianId).toBe(w.trader.id);
    expect(onBehalf.flags).toEqual([]);
  });

  it("revoking a trader's registration from before its custody began flags the lots it holds, not those it passed on", async () => {
    const { buyer, lot: held } = await traderHolding('20600000088', 'Acopio Laberinto');
    const passed = await registerLot(t, w);
    await transfer(passed.id, buyer.id);
    await transfer(passed.id, w.exporter.id, await t.token('exporter', { actor: buyer.id }));
    const revoked = await post(`/v1/actors/${buyer.id}/registrations`, {
      registry: 'trader',
      status: 'revoked',
      validFrom: day(-1),
    });
    const [f, ...more] = await flagsOf(held.id);
    expect(more).toEqual([]);
    expect(f).toMatchObject({
      severity: 'high',
      evidence: {
        custodianId: buyer.id,
        traderRegistration: {
          status: 'revoked',
          registrationId: revoked.id,
          validFrom: day(-1),
          validTo: null,
        },
      },
    });
    expect(await flagsOf(passed.id)).toEqual([]);
  });

  it('a suspension in force when custody began is medium; one from after it is the near miss', async () => {
    const a = await traderHolding('20600000089', 'Acopio Suspendido');
    await post(`/v1/actors/${a.buyer.id}/registrations`, {
      registry: 'trader',
      status: 'suspended',
      validFrom: day(),
    });
    expect(await flagsOf(a.lot.id)).toMatchObject([
      { severity: 'medium', evidence: { traderRegistration: { status: 'suspended', validFrom: day() } } },
    ]);
    const b = await traderHolding('20600000090', 'Acopio Revocado Mañana');
    await post(`/v1/actors/${b.buyer.id}/registrations`, {
      registry: 'trader',
      status: 'revoked',
      validFrom: day(1),
    });
    expect(await flagsOf(b.lot.id)).toEqual([]);
  });

  it('a split part sold to an unregistered buyer is flagged like any lot', async () => {
    const lot = await registerLot(t, w);
    const split = await t.call('POST', `/v1/lots/${lot.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '400.000' }, { grossWeightG: '600.000' }] },
    });
    expect(split.status, split.text).toBe(201);
    const [part] = split.body.children;
    const buyer = await post('/v1/actors', {
      taxId: '10450000078',
      name: 'Comprador Informal',
      kinds: ['trader'],
    });
    await transfer(part.id, buyer.id);
    expect(await flagsOf(part.id)).toMatchObject([{ severity: 'high', evidence: { custodianId: buyer.id } }]);
  });
});
