import { beforeEach, describe, expect, it } from 'vitest';
import type { TestContext } from '../../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

type Flag = { rule: string; severity: string; evidence: Record<string, unknown> };
const methodFlags = (lot: { flags: Flag[] }) => lot.flags.filter((f) => f.rule === 'MINING_METHOD_FORBIDDEN');
const declare = (body: Record<string, unknown>, actorId = w.miner.id, token = w.admin) =>
  t.call('POST', `/v1/actors/${actorId}/categories`, { token, body });

describe('MINING_METHOD_FORBIDDEN', () => {
  it('fires, high, for gold extracted while its producer declared the dredge, citing D.L. 1100', async () => {
    expect(
      (await declare({ category: 'artisanal', miningMethod: 'dredge', validFrom: '2020-01-01' })).status,
    ).toBe(201);
    const flags = methodFlags(await registerLot(t, w));
    expect(flags).toHaveLength(1);
    expect(flags[0]?.severity).toBe('high');
    expect(flags[0]?.evidence).toMatchObject({ miningMethod: 'dredge', holderCategory: 'artisanal' });
    expect(String(flags[0]?.evidence.legalBasis)).toContain('D.L. 1100');
  });

  it('near miss: an alluvial producer, no declared method, or a dredge declared only after the extraction date raise nothing', async () => {
    expect(methodFlags(await registerLot(t, w))).toEqual([]);
    expect((await declare({ category: 'artisanal', validFrom: '2020-01-01' })).status).toBe(201);
    expect(methodFlags(await registerLot(t, w))).toEqual([]);
    expect(
      (await declare({ category: 'artisanal', miningMethod: 'alluvial', validFrom: '2021-01-01' })).status,
    ).toBe(201);
    expect(methodFlags(await registerLot(t, w))).toEqual([]);
    expect(
      (await declare({ category: 'artisanal', miningMethod: 'dredge', validFrom: '2026-10-02' })).status,
    ).toBe(201);
    expect(methodFlags(await registerLot(t, w))).toEqual([]);
  });

  it('a dredge declared with a back-dated start re-screens the lots already registered', async () => {
    const lot = await registerLot(t, w);
    expect(
      (await declare({ category: 'artisanal', miningMethod: 'dredge', validFrom: '2026-01-01' })).status,
    ).toBe(201);
    const res = await t.call('GET', `/v1/lots/${lot.id}`, { token: w.regulatorToken });
    expect(methodFlags(res.body)).toHaveLength(1);
  });
});

describe('miner categories through the actors API', () => {
  it('appends history in date order, closing the entry in force; the actor shows the category in force today', async () => {
    expect(
      (await declare({ category: 'artisanal', miningMethod: 'alluvial', validFrom: '2020-01-01' })).status,
    ).toBe(201);
    expect(
      (await declare({ category: 'small_producer', miningMethod: 'hydraulic', validFrom: '2024-01-01' }))
        .status,
    ).toBe(201);
    const actor = await t.call('GET', `/v1/actors/${w.miner.id}`, { token: w.admin });
    expect(actor.body).toMatchObject({ category: 'small_producer', miningMethod: 'hydraulic' });
    expect(actor.body.categories.map((c: { validTo: string | null }) => c.validTo)).toEqual([
      '2024-01-01',
      null,
    ]);
    const history = await t.call('GET', `/v1/actors/${w.miner.id}/categories`, { token: w.regulatorToken });
    expect(history.status).toBe(200);
    expect(history.body.items).toHaveLength(2);
    // Back-dated before the latest entry: refused, nothing written.
    expect((await declare({ category: 'artisanal', validFrom: '2023-06-01' })).status).toBe(409);
    expect(
      (await t.call('GET', `/v1/actors/${w.miner.id}/categories`, { token: w.admin })).body.items,
    ).toHaveLength(2);
  });

  it('refuses bad input, non-miners and other roles, and records each entry on the ledger', async () => {
    for (const body of [
      { category: 'huge', validFrom: '2020-01-01' },
      { category: 'artisanal', miningMethod: 'bulldozer', validFrom: '2020-01-01' },
      { category: 'artisanal', validFrom: '2020-13-01' },
      { category: 'artisanal', validFrom: '2020-01-01', validTo: '2019-01-01' },
      { category: 'artisanal', validFrom: '2020-01-01', extra: true },
    ]) {
      const res = await declare(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await declare({ category: 'artisanal', validFrom: '2020-01-01' }, w.trader.id)).status).toBe(422);
    expect(
      (await declare({ category: 'artisanal', validFrom: '2020-01-01' }, w.miner.id, w.regulatorToken))
        .status,
    ).toBe(403);
    expect(
      (await declare({ category: 'artisanal', validFrom: '2020-01-01' }, w.miner.id, w.minerToken)).status,
    ).toBe(403);
    expect(
      (
        await declare(
          { category: 'artisanal', validFrom: '2020-01-01' },
          '00000000-0000-4000-8000-000000000000',
        )
      ).status,
    ).toBe(404);
    expect((await t.call('GET', `/v1/actors/${w.miner.id}/categories`, { token: w.minerToken })).status).toBe(
      403,
    );
    const ok = await declare({ category: 'artisanal', validFrom: '2020-01-01' });
    expect(ok.status).toBe(201);
    const { rowsOf } = await import('../../../src/db/client.js');
    const { sql } = await import('drizzle-orm');
    const events = rowsOf<{ type: string }>(
      await t.db.execute(
        sql`SELECT type FROM events WHERE subject_id = ${w.miner.id} AND type = 'actor.category_recorded'`,
      ),
    );
    expect(events).toHaveLength(1);
  });

  it('two concurrent entries from the same day: one is appended, the other refused', async () => {
    const [a, b] = await Promise.all([
      declare({ category: 'artisanal', validFrom: '2020-01-01' }),
      declare({ category: 'small_producer', validFrom: '2020-01-01' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
  });
});
