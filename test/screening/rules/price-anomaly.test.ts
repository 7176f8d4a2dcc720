import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ruleFor } from '../../../src/domain/screening/rules/index.js';
import { thresholds } from '../../../src/domain/screening/thresholds.js';
import { newId } from '../../../src/domain/shared/ids.js';
import type { TestContext } from '../../helpers/app.js';
import { adminDb } from '../../helpers/db.js';
import { type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { type ApiFlag, flagsOf, one } from '../../helpers/flags.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

async function read(lotId: string): Promise<{ flags: ApiFlag[] }> {
  const res = await t.call('GET', `/v1/lots/${lotId}`, { token: w.regulatorToken });
  expect(res.status, res.text).toBe(200);
  return res.body;
}
/** The miner sells a fresh lot of 870 g fine to the trader at this price; answers its PRICE_ANOMALY flags. */
async function sell(amount: string, currency: string, more: Record<string, unknown> = {}) {
  const lot = await registerLot(t, w);
  const res = await t.call('POST', `/v1/lots/${lot.id}/transfers`, {
    token: w.minerToken,
    body: { toActorId: w.trader.id, price: { amount, currency }, ...more },
  });
  expect(res.status, res.text).toBe(200);
  return flagsOf(await read(lot.id), 'PRICE_ANOMALY');
}
const summarize = (f: ApiFlag) => ruleFor('PRICE_ANOMALY', 'lot')?.summarize(f.evidence) ?? '';

// The months these tests run in are judged on US$ 4,087 per troy ounce, US$ 131.400 per fine
// gram (thresholds.money): 870 g fine is worth US$ 114,318.09, S/ 386,395 at S/ 3.380 per US$.
describe('PRICE_ANOMALY', () => {
  it('flags a price far below the reference (gold sold at a discount) with the deal and the reference', async () => {
    const flag = one(
      await sell('60000', 'USD', {
        payment: { method: 'bank_transfer', reference: 'BCP 0001' },
        invoice: { number: 'E001-77', issuedOn: '2026-12-02' },
      }),
    );
    expect(flag).toMatchObject({ severity: 'high', inheritedFrom: null });
    expect(flag.evidence).toMatchObject({
      direction: 'below',
      ratio: '0.525',
      priceUsdPerFineG: '68.966',
      fineWeightG: '870.000',
      bandLowRatio: '0.70',
      bandHighRatio: '1.20',
      reference: { usdPerFineG: '131.400', goldUsdPerOz: '4087' },
    });
    expect(flag.evidence.fingerprint).toBeUndefined();
    const sentence = summarize(flag);
    expect(sentence).toContain(
      'for US$ 60,000.00: US$ 68.97 per g fine for 870.000 g fine, 48 % below the reference',
    );
    expect(sentence).toContain(
      'paid by bank transfer, payment reference BCP 0001, invoice E001-77 of 2026-12-02',
    );
  });

  it('flags a price far above the reference (over-invoicing)', async () => {
    const flag = one(await sell('150000', 'USD'));
    expect(flag.evidence).toMatchObject({ direction: 'above', ratio: '1.312' });
    expect(summarize(flag)).toContain('31 % above the reference');
  });

  it('does not flag prices within the band, at its lower edge, or no price at all', async () => {
    expect(await sell('100000', 'USD')).toEqual([]); // 0.875: an informal discount
    expect(await sell('130000', 'USD')).toEqual([]); // 1.137: assay and the month's range
    expect(await sell('80023', 'USD')).toEqual([]); // 0.700
    expect(one(await sell('80000', 'USD')).evidence.ratio).toBe('0.700'); // 0.6998, just under
    const lot = await registerLot(t, w);
    const res = await t.call('POST', `/v1/lots/${lot.id}/transfers`, {
      token: w.minerToken,
      body: { toActorId: w.trader.id, payment: { method: 'bank_transfer' } },
    });
    expect(res.status).toBe(200);
    expect(flagsOf(await read(lot.id), 'PRICE_ANOMALY')).toEqual([]);
  });

  it('converts PEN at the BCRP rate and EUR at the ECB rate of the month', async () => {
    // S/ 386,000 is US$ 114,201: a fair price. The same figure in dollars is 3.4 times the gold.
    expect(await sell('386000', 'PEN')).toEqual([]);
    expect(one(await sell('386000', 'USD')).evidence.direction).toBe('above');
    // € 100,000 is US$ 115,600: fair; € 50,000 is not.
    expect(await sell('100000', 'EUR')).toEqual([]);
    const pen = one(await sell('200000', 'PEN'));
    expect(pen.evidence).toMatchObject({ priceUsd: '59171.60', ratio: '0.518', direction: 'below' });
    expect(pen.evidence.reference).toMatchObject({ penPerUsd: '3.380', usdPerEur: null });
    expect(summarize(pen)).toContain('S/ 200,000.00 (US$ 59,171.60 at S/ 3.380 per US$, BCRP');
    const eur = one(await sell('50000', 'EUR'));
    expect(eur.evidence).toMatchObject({ priceUsd: '57800.00', direction: 'below' });
    expect(summarize(eur)).toContain('€ 50,000.00 (US$ 57,800.00 at US$ 1.1560 per €, ECB');
  });

  it('judges a hand-over on the reference of its own month', async () => {
    // A fair price today, US$ 110,000 for 870 g fine, was 32 % over the March 2025 average
    // (US$ 2,983/oz, US$ 95.906/g): a hand-over recorded then (back-filled from the ledger, as
    // the migration that made the table did) is judged on March's figure when the lot is next
    // screened, by its next hand-over.
    const lot = await registerLot(t, w);
    const admin = await adminDb();
    const id = newId();
    await admin.execute(sql`
      INSERT INTO lot_transfers (id, lot_id, operation, from_actor_id, to_actor_id, gross_weight_g,
                                 fine_weight_g, price_amount, price_currency, occurred_at)
      VALUES (${id}, ${lot.id}, 'transfer', ${w.miner.id}, ${w.trader.id}, '1000.000', '870.000',
              '110000.00', 'USD', '2025-03-15T12:00:00Z')`);
    const res = await t.call('POST', `/v1/lots/${lot.id}/transfers`, {
      token: w.minerToken,
      body: { toActorId: w.trader.id, price: { amount: '110000', currency: 'USD' } },
    });
    expect(res.status, res.text).toBe(200);
    const flag = one(flagsOf(await read(lot.id), 'PRICE_ANOMALY'));
    expect(flag.evidence).toMatchObject({
      handOverId: id,
      ratio: '1.318',
      direction: 'above',
      reference: { month: '2025-03', provisional: false, goldUsdPerOz: '2983', usdPerFineG: '95.906' },
    });
  });

  it('is not passed to lots split from the traded one: it concerns the deal, not the gold', async () => {
    const lot = await registerLot(t, w);
    await t.call('POST', `/v1/lots/${lot.id}/transfers`, {
      token: w.minerToken,
      body: {
        toActorId: w.trader.id,
        price: { amount: '40000', currency: 'USD' },
        payment: { method: 'cash' },
      },
    });
    expect(flagsOf(await read(lot.id), 'PRICE_ANOMALY')).toHaveLength(1);
    const split = await t.call('POST', `/v1/lots/${lot.id}/split`, {
      token: w.traderToken,
      body: { parts: [{ grossWeightG: '500.000' }, { grossWeightG: '500.000' }] },
    });
    expect(split.status, split.text).toBe(201);
    for (const child of split.body.children) {
      const flags = (await read(child.id)).flags.map((f) => f.rule);
      expect(flags).not.toContain('PRICE_ANOMALY');
      expect(flags).not.toContain('CASH_ABOVE_THRESHOLD');
    }
  });
});

describe('the reference table', () => {
  it('covers 2025-01..2026-12 month by month, and agrees with the structuring reference within 5 %', () => {
    const months = Object.keys(thresholds.money.references);
    expect(months[0]).toBe('2025-01');
    expect(months.at(-1)).toBe('2026-12');
    expect(months).toHaveLength(24);
    const latest = thresholds.money.references[thresholds.money.publishedThrough as '2025-11'];
    const perG = Number(latest.goldUsdPerOz) / 31.1034768;
    expect(Math.abs(perG / thresholds.structuring.referenceUsdPerFineG - 1)).toBeLessThan(0.05);
  });
});
