import { beforeEach, describe, expect, it } from 'vitest';
import { ruleFor } from '../../../src/domain/screening/rules/index.js';
import type { TestContext } from '../../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { type ApiFlag, flagsOf, one } from '../../helpers/flags.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

/** The miner hands a lot to the trader with this money trail; answers the lot as a regulator reads it. */
async function transfer(lotId: string, money: Record<string, unknown>) {
  const res = await t.call('POST', `/v1/lots/${lotId}/transfers`, {
    token: w.minerToken,
    body: { toActorId: w.trader.id, ...money },
  });
  expect(res.status, res.text).toBe(200);
  return read(lotId);
}
async function read(lotId: string): Promise<{ flags: ApiFlag[] }> {
  const res = await t.call('GET', `/v1/lots/${lotId}`, { token: w.regulatorToken });
  expect(res.status, res.text).toBe(200);
  return res.body;
}
const cash = (lot: { flags: ApiFlag[] }) => flagsOf(lot, 'CASH_ABOVE_THRESHOLD');

// The reference for the months these tests run in: US$ 4,087 per troy ounce, US$ 131.404 per
// fine gram (thresholds.money). 4.2 g of doré at 870 ‰ is 3.654 g fine, worth US$ 480.14: under
// the US$ 500 of the bancarización law, so only the declared price can cross it.
const small = { grossWeightG: '4.200' };

describe('CASH_ABOVE_THRESHOLD', () => {
  it('flags cash of US$ 500.00, and not US$ 499.99, for gold worth less than the threshold', async () => {
    const under = await registerLot(t, w, small);
    expect(
      cash(
        await transfer(under.id, {
          price: { amount: '499.99', currency: 'USD' },
          payment: { method: 'cash' },
        }),
      ),
    ).toEqual([]);

    const at = await registerLot(t, w, small);
    const lot = await transfer(at.id, {
      price: { amount: '500.00', currency: 'USD' },
      payment: { method: 'cash', reference: 'recibo 0042' },
      invoice: { number: 'F001-00000123', issuedOn: '2026-12-01' },
    });
    const flag = one(cash(lot));
    expect(flag).toMatchObject({ severity: 'medium', inheritedFrom: null });
    expect(flag.evidence).toMatchObject({
      operation: 'transfer',
      lotCode: at.code,
      from: { taxId: '20600000011' },
      to: { taxId: '20600000044' },
      fineWeightG: '3.654',
      price: { amount: '500.00', currency: 'USD' },
      payment: { method: 'cash', reference: 'recibo 0042' },
      invoice: { number: 'F001-00000123', issuedOn: '2026-12-01' },
      priceUsd: '500.00',
      estimatedValueUsd: '480.14',
      basis: 'declared',
      thresholdPen: '2000.00',
      thresholdUsd: '500.00',
      reference: { usdPerFineG: '131.400', goldUsdPerOz: '4087' },
    });
    const sentence = ruleFor('CASH_ABOVE_THRESHOLD', 'lot')?.summarize(flag.evidence) ?? '';
    expect(sentence).toContain('paid in cash: US$ 500.00');
    expect(sentence).toContain('S/ 2,000.00 / US$ 500.00 (Ley 28194 art. 4)');
    expect(sentence).toContain('payment reference recibo 0042, invoice F001-00000123 of 2026-12-01');
  });

  it('judges a PEN price against S/ 2,000: S/ 1,999.99 passes, S/ 2,000.00 is flagged', async () => {
    // 4 g at 870 ‰: 3.480 g fine, US$ 457.27; the soles figure alone decides.
    const under = await registerLot(t, w, { grossWeightG: '4.000' });
    expect(
      cash(
        await transfer(under.id, {
          price: { amount: '1999.99', currency: 'PEN' },
          payment: { method: 'cash' },
        }),
      ),
    ).toEqual([]);
    const at = await registerLot(t, w, { grossWeightG: '4.000' });
    const flag = one(
      cash(
        await transfer(at.id, { price: { amount: '2000', currency: 'PEN' }, payment: { method: 'cash' } }),
      ),
    );
    expect(flag.evidence).toMatchObject({ basis: 'declared', priceUsd: '591.72' });
    expect(flag.evidence.reference).toMatchObject({ penPerUsd: '3.380' });
  });

  it('flags cash with no price, or a low price on paper, by the value of the gold (high from US$ 10,000)', async () => {
    // 1,000 g at 870 ‰: 870 g fine, about US$ 114,318.
    const noPrice = await registerLot(t, w);
    const flag = one(cash(await transfer(noPrice.id, { payment: { method: 'cash' } })));
    expect(flag.severity).toBe('high');
    expect(flag.evidence).toMatchObject({ basis: 'estimated', price: null, estimatedValueUsd: '114318.09' });
    expect(ruleFor('CASH_ABOVE_THRESHOLD', 'lot')?.summarize(flag.evidence)).toContain('no price declared');

    const paper = await registerLot(t, w);
    const low = one(
      cash(
        await transfer(paper.id, { price: { amount: '400', currency: 'USD' }, payment: { method: 'cash' } }),
      ),
    );
    expect(low).toMatchObject({ severity: 'high' });
    expect(low.evidence.basis).toBe('estimated');
  });

  it('does not flag a large amount paid by bank transfer or cheque, nor a hand-over with no payment declared', async () => {
    for (const money of [
      {
        price: { amount: '110000', currency: 'USD' },
        payment: { method: 'bank_transfer', reference: 'BCP 1234' },
      },
      { price: { amount: '110000', currency: 'USD' }, payment: { method: 'cheque' } },
      { price: { amount: '110000', currency: 'USD' } },
    ]) {
      const lot = await registerLot(t, w);
      expect(cash(await transfer(lot.id, money))).toEqual([]);
    }
  });

  it('flags an export paid in cash, with no other rule raised by the export', async () => {
    const lot = await registerLot(t, w);
    const before = (await read(lot.id)).flags.length;
    const res = await t.call('POST', `/v1/lots/${lot.id}/export`, {
      token: w.minerToken,
      body: {
        customsDeclaration: 'DAM 118-2026-40-012345',
        destinationCountry: 'CH',
        exportedOn: '2026-12-05',
        price: { amount: '112000', currency: 'USD' },
        payment: { method: 'cash' },
      },
    });
    expect(res.status, res.text).toBe(200);
    const after = await read(lot.id);
    expect(after.flags.slice(before).map((f) => f.rule)).toEqual(['CASH_ABOVE_THRESHOLD']);
    const flag = one(cash(after));
    expect(flag).toMatchObject({ severity: 'high' });
    expect(flag.evidence).toMatchObject({ operation: 'export', to: null, basis: 'declared_and_estimated' });
    expect(ruleFor('CASH_ABOVE_THRESHOLD', 'lot')?.summarize(flag.evidence)).toContain(
      `lot ${lot.code} exported by Minera Guacamayo SAC (RUC 20600000011)`,
    );
  });

  it('raises one flag per hand-over, and none again when the lot is screened once more', async () => {
    const lot = await registerLot(t, w);
    await transfer(lot.id, { payment: { method: 'cash' } });
    const back = await t.call('POST', `/v1/lots/${lot.id}/transfers`, {
      token: w.traderToken,
      body: { toActorId: w.exporter.id, payment: { method: 'cash' } },
    });
    expect(back.status, back.text).toBe(200);
    const flags = cash(await read(lot.id));
    expect(flags).toHaveLength(2);
    expect(new Set(flags.map((f) => f.evidence.handOverId)).size).toBe(2);
  });
});
