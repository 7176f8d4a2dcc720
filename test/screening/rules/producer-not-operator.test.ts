import { beforeEach, describe, expect, it } from 'vitest';
import { producerNotOperator } from '../../../src/domain/screening/rules/producer-not-operator.js';
import type { TestContext } from '../../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const RULE = 'PRODUCER_NOT_OPERATOR';
interface Flag {
  rule: string;
  severity: string;
  status: string;
  evidence: Record<string, unknown>;
}
const own = (lot: { flags: Flag[] }): Flag[] => lot.flags.filter((f) => f.rule === RULE);
/** The one flag of this rule on the lot. */
const one = (lot: { flags: Flag[] }): Flag => {
  const [f, ...more] = own(lot);
  expect(more).toEqual([]);
  if (!f) throw new Error(`no ${RULE} flag`);
  return f;
};

const post = async (path: string, body: unknown) => {
  const res = await t.call('POST', path, { token: w.admin, body });
  expect(res.status, res.text).toBe(201);
  return res.body;
};

/** A formalized miner working the goldWorld concession, which another miner holds. */
async function operatorMiner() {
  const m = await post('/v1/actors', { taxId: '10400000022', name: 'Juan Quispe', kinds: ['miner'] });
  await post(`/v1/actors/${m.id}/registrations`, {
    registry: 'formalization',
    status: 'formalized',
    validFrom: '2015-01-01',
  });
  const token = await t.token('exporter', { actor: m.id });
  const register = (extractedOn: string) => registerLot(t, w, { producerId: m.id, extractedOn }, token);
  return { id: m.id as string, register };
}

describe('PRODUCER_NOT_OPERATOR', () => {
  it('fires, high, when the operator contract expired before the extraction, listing the contracts on record', async () => {
    const m = await operatorMiner();
    await post(`/v1/concessions/${w.concession.id}/operators`, {
      actorId: m.id,
      validFrom: '2023-01-01',
      validTo: '2026-09-01',
    });
    const lot = await m.register('2026-10-01');
    const f = one(lot);
    expect(f).toMatchObject({ severity: 'high', status: 'open' });
    expect(f.evidence).toMatchObject({
      producerId: m.id,
      producerTaxId: '10400000022',
      producerName: 'Juan Quispe',
      concessionId: w.concession.id,
      concessionCode: '07-000123',
      holderId: w.miner.id,
      holderTaxId: '20600000011',
      extractedOn: '2026-10-01',
      operators: [
        {
          actorId: m.id,
          taxId: '10400000022',
          name: 'Juan Quispe',
          validFrom: '2023-01-01',
          validTo: '2026-09-01',
        },
      ],
    });
    expect(producerNotOperator.summarize(f.evidence)).toContain('Juan Quispe 2023-01-01–2026-09-01');
    // The contract ends on its validTo: extraction on that very day is outside it too.
    expect(own(await m.register('2026-09-01'))).toHaveLength(1);
  });

  it('fires with no operator on record at all', async () => {
    const m = await operatorMiner();
    const f = one(await m.register('2026-10-01'));
    expect(f).toMatchObject({ severity: 'high', evidence: { operators: [] } });
    expect(producerNotOperator.summarize(f.evidence)).toContain('no operator on record');
  });

  it('does not fire for an operator whose contract was in force on the extraction date, nor for the holder', async () => {
    const m = await operatorMiner();
    await post(`/v1/concessions/${w.concession.id}/operators`, {
      actorId: m.id,
      validFrom: '2023-01-01',
      validTo: '2026-10-02',
    });
    expect(own(await m.register('2026-10-01'))).toEqual([]);
    expect(own(await m.register('2023-01-01'))).toEqual([]);
    // Before the contract began: not yet authorized.
    expect(own(await m.register('2022-12-31'))).toHaveLength(1);
    expect((await registerLot(t, w)).flags).toEqual([]);
  });
});
