import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/db/client.js';
import { jsonColumn } from '../../../src/db/sql.js';
import type { TestContext } from '../../helpers/app.js';
import { asInsider } from '../../helpers/db.js';
import { type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { type ApiFlag, flagsOf, one } from '../../helpers/flags.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const mismatch = (lot: { flags: ApiFlag[] }) => flagsOf(lot, 'INPUT_OUTPUT_MISMATCH');

/** A second miner, with a token to register its own lots (on goldWorld's concession). */
async function otherMiner() {
  const res = await t.call('POST', '/v1/actors', {
    token: w.admin,
    body: { taxId: '20600000088', name: 'Minera Sin Insumos', kinds: ['miner'] },
  });
  expect(res.status, res.text).toBe(201);
  return { actor: res.body, token: await t.token('exporter', { actor: res.body.id }) };
}

async function deliver(consigneeId: string, input: string, quantity: string) {
  const res = await t.call('POST', '/v1/movements', {
    token: w.admin,
    body: {
      input,
      quantity,
      unit: input === 'mercury' ? 'kg' : 'L',
      consignorId: w.supplier.id,
      consigneeId,
      destination: { concessionId: w.concession.id },
      vehicle: 'V1A-123',
      route: 'Interoceánica Sur',
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/**
 * Moves a movement's declaration back in time. The API never lets a client choose declared_at
 * (it is the server's receipt time), so mercury received months ago — what the diversion rule
 * judges, after its lag — can only be set up by writing the past directly.
 */
async function backdate(movementId: string, daysAgo: number) {
  await asInsider(
    sql`UPDATE movements SET declared_at = now() - make_interval(days => ${daysAgo}::int) WHERE id = ${movementId}`,
  );
}

const movementFlags = async (movementId: string) =>
  rowsOf<{ rule: string; severity: string; fingerprint: string; evidence: Record<string, unknown> }>(
    await t.db.execute(
      sql`SELECT rule, severity, fingerprint, evidence FROM flags
           WHERE subject_type = 'movement' AND subject_id = ${movementId} AND rule = 'INPUT_OUTPUT_MISMATCH'`,
    ),
  ).map((f) => ({ ...f, evidence: jsonColumn<Record<string, unknown>>(f.evidence) }));

describe('INPUT_OUTPUT_MISMATCH (gold beyond the inputs received)', () => {
  it('does not fire for goldWorld: 1 kg of doré against 20 kg of mercury and 20,000 L of diesel', async () => {
    const lot = await registerLot(t, w);
    expect(mismatch(lot)).toEqual([]);
  });

  it('fires high for a producer that received no input at all and registers 500 g of fine gold', async () => {
    const m = await otherMiner();
    const lot = await registerLot(t, w, { producerId: m.actor.id, grossWeightG: '575.000' }, m.token);
    const flag = one(mismatch(lot));
    expect(flag).toMatchObject({ severity: 'high', status: 'open' });
    expect(flag.evidence).toMatchObject({
      producerId: m.actor.id,
      declaredFineG: '500.250',
      lotCount: 1,
      mercuryKg: '0.000',
      fuelL: '0.000',
      mercurySupportsFineG: '0.000',
      fuelSupportsFineG: '0.000',
      mercuryRatio: null,
      fuelRatio: null,
      windowDays: 180,
      leadDays: 60,
      minMercuryKgPerKgGold: 1,
      maxFineGPerLitre: 2,
    });
    expect(Date.parse(flag.evidence.to) - Date.parse(flag.evidence.goldFrom)).toBe(180 * 86_400_000);
    expect(Date.parse(flag.evidence.to) - Date.parse(flag.evidence.inputsFrom)).toBe(240 * 86_400_000);
  });

  it('fires medium when the gold exceeds the mercury received by less than 3×', async () => {
    const m = await otherMiner();
    await deliver(m.actor.id, 'mercury', '0.400');
    await deliver(m.actor.id, 'diesel', '1000.000');
    const lot = await registerLot(t, w, { producerId: m.actor.id, grossWeightG: '575.000' }, m.token);
    const flag = one(mismatch(lot));
    expect(flag).toMatchObject({ severity: 'medium' });
    expect(flag.evidence).toMatchObject({
      mercuryKg: '0.400',
      fuelL: '1000.000',
      mercurySupportsFineG: '400.000',
      fuelSupportsFineG: '2000.000',
      mercuryRatio: '1.251',
      fuelRatio: '0.250',
    });
  });

  it('leaves alone a producer without inputs under the 100 g minimum, and counts seized inputs for nothing', async () => {
    const m = await otherMiner();
    const small = await registerLot(t, w, { producerId: m.actor.id, grossWeightG: '110.000' }, m.token);
    expect(mismatch(small)).toEqual([]);
    const seized = await deliver(m.actor.id, 'mercury', '5.000');
    await deliver(m.actor.id, 'diesel', '5000.000');
    await t.db.execute(sql`UPDATE movements SET status = 'seized' WHERE id = ${seized.id}`);
    // 95.7 + 435 g: over the minimum, and the seized mercury supports nothing.
    const lot = await registerLot(t, w, { producerId: m.actor.id, grossWeightG: '500.000' }, m.token);
    expect(mismatch(lot)).toEqual([expect.objectContaining({ severity: 'high' })]);
    expect(one(mismatch(lot)).evidence).toMatchObject({
      mercuryKg: '0.000',
      declaredFineG: '530.700',
      lotCount: 2,
    });
  });
});

describe('INPUT_OUTPUT_MISMATCH (diversion: mercury with no gold to show for it)', () => {
  it('flags a new movement to a consignee that received 10 kg of mercury months ago and declared no gold', async () => {
    const m = await otherMiner();
    const old = await deliver(m.actor.id, 'mercury', '10.000');
    await backdate(old.id, 90);
    const next = await deliver(m.actor.id, 'diesel', '200.000');
    const [flag] = await movementFlags(next.id);
    expect(flag).toMatchObject({ severity: 'high', fingerprint: 'diversion' });
    expect(flag?.evidence).toMatchObject({
      consigneeId: m.actor.id,
      mercuryKg: '10.000',
      declaredFineG: '0.000',
      lotCount: 0,
      mercuryKgPerKgGold: null,
      maxMercuryKgPerKgGold: 5,
      windowDays: 180,
      lagDays: 60,
    });
    // The mercury movement itself was screened when declared, with nothing behind it yet.
    expect(await movementFlags(old.id)).toEqual([]);
  });

  it('flags goldWorld at 20 kg of mercury for 3.48 kg of gold (5.7:1), not for 4.35 kg (4.6:1)', async () => {
    const rows = rowsOf<{ id: string }>(await t.db.execute(sql`SELECT id FROM movements`));
    for (const r of rows) await backdate(r.id, 90);
    for (let i = 0; i < 4; i++) await registerLot(t, w);
    const over = await deliver(w.miner.id, 'mercury', '5.000');
    const [flag] = await movementFlags(over.id);
    expect(flag?.evidence).toMatchObject({
      mercuryKg: '20.000',
      declaredFineG: '3480.000',
      lotCount: 4,
      mercuryKgPerKgGold: '5.747',
    });
    await registerLot(t, w);
    const within = await deliver(w.miner.id, 'mercury', '5.000');
    expect(await movementFlags(within.id)).toEqual([]);
  });

  it('ignores mercury received within the lag (its gold may not be declared yet) and under 2 kg', async () => {
    const m = await otherMiner();
    const recent = await deliver(m.actor.id, 'mercury', '10.000');
    await backdate(recent.id, 30);
    const small = await deliver(m.actor.id, 'mercury', '1.500');
    await backdate(small.id, 90);
    const next = await deliver(m.actor.id, 'diesel', '200.000');
    expect(await movementFlags(next.id)).toEqual([]);
  });
});
