import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/db/client.js';
import { structuringThresholdFineG } from '../../../src/domain/screening/thresholds.js';
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

const structuring = (lot: { flags: ApiFlag[] }) => flagsOf(lot, 'STRUCTURING');

// US$ 10,000 at US$ 128 per fine gram: 78.125 g; the band is 10 % below it, from 70.3125 g.
// 86 g of doré at 870 ‰ is 74.820 g fine: in the band. 69 g is 60.030 g fine: under it.
const justUnder = { grossWeightG: '86.000' };

describe('STRUCTURING', () => {
  it('flags the third lot just under the reporting threshold in 30 days, and every later one', async () => {
    expect(structuringThresholdFineG).toBe(78.125);
    const first = await registerLot(t, w, justUnder);
    const second = await registerLot(t, w, justUnder);
    expect(structuring(first)).toEqual([]);
    expect(structuring(second)).toEqual([]);
    const third = await registerLot(t, w, justUnder);
    const flag = one(structuring(third));
    expect(flag).toMatchObject({ severity: 'high', status: 'open' });
    expect(flag.evidence).toMatchObject({
      actorId: w.miner.id,
      actorRole: 'producer',
      lotCount: 3,
      thresholdFineG: '78.125',
      thresholdUsd: 10000,
      referenceUsdPerFineG: 128,
      bandPercent: 10,
      bandFromFineG: '70.313',
      windowDays: 30,
      minLots: 3,
    });
    expect(flag.evidence.lots).toEqual(
      [first, second, third].map((l) => ({
        id: l.id,
        code: l.code,
        fineWeightG: '74.820',
        registeredAt: expect.any(String),
      })),
    );
    // A lot out of the band breaks nothing and is not flagged; the next one in it is.
    expect(structuring(await registerLot(t, w))).toEqual([]);
    const fourth = await registerLot(t, w, justUnder);
    expect(structuring(fourth)).toEqual([expect.objectContaining({ severity: 'high' })]);
    expect(one(structuring(fourth)).evidence.lotCount).toBe(4);
  });

  it('does not fire for three lots of 60 g fine, well under the band', async () => {
    for (let i = 0; i < 3; i++)
      expect(structuring(await registerLot(t, w, { grossWeightG: '69.000' }))).toEqual([]);
  });

  it('does not count lots registered more than 30 days before', async () => {
    const first = await registerLot(t, w, justUnder);
    const second = await registerLot(t, w, justUnder);
    // Registration time is the server's: a lot registered 31 days ago is written as such here.
    await t.db.execute(
      sql`UPDATE lots SET created_at = created_at - interval '31 days' WHERE id IN (${first.id}, ${second.id})`,
    );
    expect(structuring(await registerLot(t, w, justUnder))).toEqual([]);
  });

  it('flags a custodian registering just-under lots for three different producers', async () => {
    const producers = [w.miner.id];
    for (const taxId of ['20600000091', '20600000092']) {
      const res = await t.call('POST', '/v1/actors', {
        token: w.admin,
        body: { taxId, name: `Minero ${taxId}`, kinds: ['miner'] },
      });
      expect(res.status, res.text).toBe(201);
      producers.push(res.body.id);
    }
    const lots = [];
    for (const producerId of producers)
      lots.push(await registerLot(t, w, { ...justUnder, producerId }, w.traderToken));
    expect(structuring(lots[0])).toEqual([]);
    expect(structuring(lots[1])).toEqual([]);
    expect(structuring(lots[2])).toHaveLength(1);
    const flag = one(structuring(lots[2]));
    expect(flag).toMatchObject({ severity: 'high' });
    const fingerprints = rowsOf<{ fingerprint: string }>(
      await t.db.execute(
        sql`SELECT fingerprint FROM flags WHERE rule = 'STRUCTURING' AND subject_id = ${lots[2].id}`,
      ),
    );
    expect(fingerprints).toEqual([{ fingerprint: `custodian:${w.trader.id}` }]);
    expect(flag.evidence).toMatchObject({ actorId: w.trader.id, actorRole: 'custodian', lotCount: 3 });
  });
});
