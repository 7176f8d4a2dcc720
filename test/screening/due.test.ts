import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { jsonColumn } from '../../src/db/sql.js';
import { screenDue } from '../../src/domain/screening/due.js';
import { inputDiversion } from '../../src/domain/screening/rules/input-output-mismatch.js';
import type { TestContext } from '../helpers/app.js';
import { adminDb, asInsider } from '../helpers/db.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

/** A miner of its own (goldWorld's miner already received mercury today), with a token. */
async function newMiner() {
  const res = await t.call('POST', '/v1/actors', {
    token: w.admin,
    body: { taxId: '20600000088', name: 'Minera Río Azul', kinds: ['miner'] },
  });
  expect(res.status, res.text).toBe(201);
  return { actor: res.body, token: await t.token('exporter', { actor: res.body.id }) };
}

async function deliverMercury(consigneeId: string, quantity: string) {
  const res = await t.call('POST', '/v1/movements', {
    token: w.admin,
    body: {
      input: 'mercury',
      quantity,
      unit: 'kg',
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
 * The past, written over the admin connection: declared_at is the server's time (the API refuses
 * a client's), and a lot's registration time is the server's too.
 */
async function backdate(table: 'movements' | 'lots', id: string, daysAgo: number) {
  const column = sql.raw(table === 'movements' ? 'declared_at' : 'created_at');
  await asInsider(
    sql`UPDATE ${sql.raw(table)} SET ${column} = now() - make_interval(days => ${daysAgo}::int) WHERE id = ${id}`,
  );
}

const diversionFlags = async (movementId: string) =>
  rowsOf<{ severity: string; fingerprint: string; evidence: Record<string, unknown> }>(
    await t.db.execute(
      sql`SELECT severity, fingerprint, evidence FROM flags
           WHERE subject_type = 'movement' AND subject_id = ${movementId} AND rule = 'INPUT_OUTPUT_MISMATCH'`,
    ),
  ).map((f) => ({ ...f, evidence: jsonColumn<Record<string, unknown>>(f.evidence) }));

const eventCount = async (type: string) => {
  const [row] = rowsOf<{ n: number }>(
    await t.db.execute(sql`SELECT count(*)::int AS n FROM events WHERE type = ${type}`),
  );
  return row?.n ?? 0;
};

describe('diversion judged once the lag has passed (screenDue)', () => {
  it('flags mercury declared 70 days ago with no gold to show for it, once: a second run raises nothing', async () => {
    const m = await newMiner();
    const movement = await deliverMercury(m.actor.id, '40.000');
    expect(await diversionFlags(movement.id)).toEqual([]);
    await backdate('movements', movement.id, 70);
    const raisedBefore = await eventCount('flag.raised');

    const first = await screenDue(t.db);
    expect(first).toMatchObject({ judgedFrom: null, movementsJudged: 1, flagsRaised: 1 });
    const [flag] = await diversionFlags(movement.id);
    expect(flag).toMatchObject({ severity: 'high', fingerprint: 'diversion' });
    expect(flag?.evidence).toMatchObject({
      consigneeId: m.actor.id,
      mercuryKg: '40.000',
      declaredFineG: '0.000',
      lotCount: 0,
      judged: 'after_lag',
      lagDays: 60,
    });
    // Judged at its declaration + 60 days: ten days ago.
    const goldTo = Date.parse(String(flag?.evidence.goldTo));
    expect(Math.abs(goldTo - (Date.now() - 10 * 86_400_000))).toBeLessThan(3_600_000);
    expect(inputDiversion.summarize(flag?.evidence ?? {})).toMatch(
      /received 40\.000 kg of mercury .*\(no gold .*judged once the 60-day lag after this delivery had passed/,
    );
    expect(await eventCount('flag.raised')).toBe(raisedBefore + 1);
    expect(await eventCount('screening.due_judged')).toBe(1);

    const second = await screenDue(t.db);
    expect(second).toMatchObject({ movementsJudged: 0, flagsRaised: 0 });
    expect(second.judgedFrom).toEqual(first.judgedUntil);
    expect(await diversionFlags(movement.id)).toHaveLength(1);
    expect(await eventCount('flag.raised')).toBe(raisedBefore + 1);
  });

  it('a run over the same movements again (the record of the last run lost) raises nothing twice', async () => {
    const m = await newMiner();
    const movement = await deliverMercury(m.actor.id, '40.000');
    await backdate('movements', movement.id, 70);
    await screenDue(t.db);
    // Replayed by hand: the fingerprint, not the record of runs, keeps it to one flag.
    await (await adminDb()).transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('session_replication_role', 'replica', true)`);
      await tx.execute(sql`DELETE FROM events WHERE type = 'screening.due_judged'`);
    });
    const again = await screenDue(t.db);
    expect(again).toMatchObject({ judgedFrom: null, movementsJudged: 1, flagsRaised: 0 });
    expect(await diversionFlags(movement.id)).toHaveLength(1);
  });

  it('near miss: gold declared in proportion before the lag ended (40 kg of mercury, 8.7 kg of gold: 4.6:1) raises nothing', async () => {
    const m = await newMiner();
    const movement = await deliverMercury(m.actor.id, '40.000');
    await backdate('movements', movement.id, 70);
    for (let i = 0; i < 10; i++) {
      const lot = await registerLot(t, w, { producerId: m.actor.id }, m.token);
      await backdate('lots', lot.id, 30);
    }
    expect(await screenDue(t.db)).toMatchObject({ movementsJudged: 1, flagsRaised: 0 });
    expect(await diversionFlags(movement.id)).toEqual([]);
  });

  it('near miss: mercury whose lag has not passed (50 days ago) is not judged yet', async () => {
    const m = await newMiner();
    const movement = await deliverMercury(m.actor.id, '40.000');
    await backdate('movements', movement.id, 50);
    expect(await screenDue(t.db)).toMatchObject({ movementsJudged: 0, flagsRaised: 0 });
    expect(await eventCount('screening.due_judged')).toBe(0);
    expect(await diversionFlags(movement.id)).toEqual([]);
  });

  it('near miss: under 2 kg of mercury (1.5 kg) is judged and left alone', async () => {
    const m = await newMiner();
    const movement = await deliverMercury(m.actor.id, '1.500');
    await backdate('movements', movement.id, 70);
    expect(await screenDue(t.db)).toMatchObject({ movementsJudged: 1, flagsRaised: 0 });
    expect(await diversionFlags(movement.id)).toEqual([]);
  });
});
