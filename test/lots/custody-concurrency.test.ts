import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import type { TestContext } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

// On PostgreSQL (DATABASE_URL) these requests really run in parallel over a connection pool;
// on PGlite they interleave on one connection. Either way exactly one operation may win.
let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

/** The ledger's conservation law, checked over the whole lot graph in SQL. */
async function conservationViolations() {
  return rowsOf<{ id: string; why: string }>(
    await t.db.execute(sql`
      WITH out_fine AS (SELECT parent_id, sum(fine_weight_g) AS f FROM lot_edges GROUP BY parent_id),
           in_fine AS (SELECT child_id, sum(fine_weight_g) AS f FROM lot_edges GROUP BY child_id)
      SELECT l.id::text, 'children carry more than the parent' AS why
        FROM lots l JOIN out_fine o ON o.parent_id = l.id WHERE o.f > l.fine_weight_g
      UNION ALL
      SELECT l.id::text, 'child carries other than its parents gave'
        FROM lots l JOIN in_fine i ON i.child_id = l.id WHERE i.f <> l.fine_weight_g
      UNION ALL
      SELECT l.id::text, 'a consumed lot was also exported, or an active lot has children'
        FROM lots l JOIN out_fine o ON o.parent_id = l.id WHERE l.status <> 'consumed'`),
  );
}

describe('concurrent operations on one lot', () => {
  it('of ten parallel transfers of the same lot, exactly one succeeds and the others get 409', async () => {
    const lot = await registerLot(t, w);
    const targets = [w.trader.id, w.exporter.id];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.call('POST', `/v1/lots/${lot.id}/transfers`, {
          token: w.minerToken,
          body: { toActorId: targets[i % 2] },
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    const winner = results.find((r) => r.status === 200);
    const [row] = rowsOf<{ custodian_id: string }>(
      await t.db.execute(sql`SELECT custodian_id FROM lots WHERE id = ${lot.id}`),
    );
    expect(row?.custodian_id).toBe(winner?.body.custodianId);
    const [n] = rowsOf<{ n: string }>(
      await t.db.execute(sql`SELECT count(*)::text AS n FROM events WHERE type = 'lot.transferred'`),
    );
    expect(n?.n).toBe('1');
  });

  it('of parallel splits, refines and a merge of the same lot, exactly one succeeds and no gold appears', async () => {
    const lot = await registerLot(t, w, { grossWeightG: '900.000', fineness: '850' });
    const other = await registerLot(t, w, { grossWeightG: '100.000', fineness: '900' });
    const ops = [
      ...Array.from({ length: 4 }, () =>
        t.call('POST', `/v1/lots/${lot.id}/split`, {
          token: w.minerToken,
          body: { parts: [{ grossWeightG: '450' }, { grossWeightG: '450' }] },
        }),
      ),
      ...Array.from({ length: 3 }, () =>
        t.call('POST', `/v1/lots/${lot.id}/refine`, {
          token: w.minerToken,
          body: { grossWeightG: '760', fineness: '999' },
        }),
      ),
      t.call('POST', '/v1/lots/merge', { token: w.minerToken, body: { lotIds: [other.id, lot.id] } }),
    ];
    const results = await Promise.all(ops);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(ops.length - 1);
    expect(await conservationViolations()).toEqual([]);
    const [active] = rowsOf<{ f: string }>(
      await t.db.execute(sql`SELECT sum(fine_weight_g)::text AS f FROM lots WHERE status = 'active'`),
    );
    expect(Number(active?.f)).toBeLessThanOrEqual(765 + 90);
  });

  it('of fifty parallel transfers, one wins and the 49 others get 409 saying the lot was transferred', async () => {
    const lot = await registerLot(t, w);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.call('POST', `/v1/lots/${lot.id}/transfers`, {
          token: w.minerToken,
          body: { toActorId: w.trader.id },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const lost = results.filter((r) => r.status !== 200);
    expect(lost.map((r) => r.status)).toEqual(Array(49).fill(409));
    for (const r of lost) {
      expect(r.body).toMatchObject({ lotId: lot.id, reason: 'transferred' });
      expect(r.body.detail).toMatch(/was transferred to another actor/);
    }
    // Whoever never held it still learns nothing, not even that it exists.
    const stranger = await t.call('POST', `/v1/lots/${lot.id}/transfers`, {
      token: await t.token('exporter', { actor: w.supplier.id }),
      body: { toActorId: w.miner.id },
    });
    expect(stranger.status).toBe(404);
  });

  it('of fifty parallel splits, one wins and the 49 others get 409 saying the lot was consumed', async () => {
    const lot = await registerLot(t, w, { grossWeightG: '900.000', fineness: '850' });
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.call('POST', `/v1/lots/${lot.id}/split`, {
          token: w.minerToken,
          body: { parts: [{ grossWeightG: '450' }, { grossWeightG: '450' }] },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const lost = results.filter((r) => r.status !== 201);
    expect(lost.map((r) => r.status)).toEqual(Array(49).fill(409));
    for (const r of lost) expect(r.body).toMatchObject({ lotId: lot.id, reason: 'consumed' });
    expect(await conservationViolations()).toEqual([]);
  });

  it('of parallel merges and a transfer of the same lots, one wins and the others get 409 with the reason', async () => {
    const a = await registerLot(t, w, { grossWeightG: '300.000' });
    const b = await registerLot(t, w, { grossWeightG: '200.000' });
    const results = await Promise.all([
      ...Array.from({ length: 24 }, () =>
        t.call('POST', '/v1/lots/merge', { token: w.minerToken, body: { lotIds: [a.id, b.id] } }),
      ),
      t.call('POST', `/v1/lots/${b.id}/transfers`, { token: w.minerToken, body: { toActorId: w.trader.id } }),
    ]);
    const won = results.filter((r) => r.status === 200 || r.status === 201);
    expect(won).toHaveLength(1);
    const lost = results.filter((r) => r.status !== 200 && r.status !== 201);
    expect(lost.map((r) => r.status)).toEqual(Array(24).fill(409));
    const reasons = new Set(lost.map((r) => r.body.reason));
    // The merge that won consumed both; a transfer that won took b away.
    expect([...reasons]).toEqual([won[0]?.status === 201 ? 'consumed' : 'transferred']);
    expect(await conservationViolations()).toEqual([]);
  });

  it('a random storm of operations by two custodians never creates or loses gold', async () => {
    const lots = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        registerLot(t, w, { grossWeightG: `${100 + i}.125`, fineness: `${800 + i * 10}` }),
      ),
    );
    const initialFine = lots.reduce((a, l) => a + Number(l.fineWeightG), 0);
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 4; round++) {
      const active = rowsOf<{ id: string; gross: string }>(
        await t.db.execute(
          sql`SELECT id::text, gross_weight_g::text AS gross FROM lots WHERE status = 'active' ORDER BY id`,
        ),
      );
      const pick = () => active[rand(active.length)] as { id: string; gross: string };
      await Promise.all(
        Array.from({ length: 8 }, () => {
          const a = pick();
          switch (rand(3)) {
            case 0:
              return t.call('POST', `/v1/lots/${a.id}/split`, {
                token: w.minerToken,
                body: {
                  parts: [
                    { grossWeightG: (Number(a.gross) / 3).toFixed(3) },
                    { grossWeightG: (Number(a.gross) / 3).toFixed(3) },
                  ],
                },
              });
            case 1:
              return t.call('POST', '/v1/lots/merge', {
                token: w.minerToken,
                body: { lotIds: [a.id, pick().id] },
              });
            default:
              return t.call('POST', `/v1/lots/${a.id}/refine`, {
                token: w.minerToken,
                body: { grossWeightG: '50', fineness: '999' },
              });
          }
        }),
      );
    }
    expect(await conservationViolations()).toEqual([]);
    const [ops] = rowsOf<{ n: string }>(
      await t.db.execute(
        sql`SELECT count(*)::text AS n FROM events WHERE type IN ('lot.split', 'lot.refined', 'lot.created_by_merge')`,
      ),
    );
    expect(Number(ops?.n)).toBeGreaterThan(3); // the storm did change the graph
    // Gold is only ever lost (handling, refining, rounding) — never created.
    const [active] = rowsOf<{ f: string }>(
      await t.db.execute(
        sql`SELECT coalesce(sum(fine_weight_g), 0)::text AS f FROM lots WHERE status = 'active'`,
      ),
    );
    expect(Number(active?.f)).toBeLessThanOrEqual(initialFine);
  });
});
