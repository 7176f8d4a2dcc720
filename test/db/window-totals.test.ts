import { type SQL, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Queryable, rowsOf } from '../../src/db/client.js';
import {
  concessionCapacitySql,
  diversionBalanceSql,
  producerBalanceSql,
} from '../../src/domain/reports/balances.js';
import { productionOverCapacity } from '../../src/domain/screening/rules/production-over-capacity.js';
import { isRootLot } from '../../src/domain/screening/rules/sql.js';
import { thresholds } from '../../src/domain/screening/thresholds.js';
import { newId } from '../../src/domain/shared/ids.js';
import type { TestContext } from '../helpers/app.js';
import { goldJourney } from '../helpers/dag.js';
import { adminDb, asInsider, testDatabaseUrls } from '../helpers/db.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

/**
 * The running totals (window_totals) that the screening windows read instead of the rows: kept by
 * triggers in the writes' own transactions, they must always equal what the rows give, and the
 * windows read from them must give what reading every row gave.
 */

/** A seeded generator, so that a failure can be replayed (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The totals per subject and day (shards summed, empty days left out) that differ from a recomputation. */
async function totalsDrift(db: Queryable) {
  return rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      WITH kept AS (
        SELECT scope, subject_id, item, day, sum(amount) AS amount, sum(count)::int AS count
          FROM window_totals GROUP BY scope, subject_id, item, day
        HAVING sum(amount) <> 0 OR sum(count) <> 0
      )
      SELECT coalesce(k.scope, r.scope) AS scope, coalesce(k.subject_id, r.subject_id) AS subject_id,
             coalesce(k.item, r.item) AS item, coalesce(k.day, r.day)::text AS day,
             k.amount::text AS kept, r.amount::text AS recomputed, k.count AS kept_n, r.count AS recomputed_n
        FROM kept k
        FULL JOIN window_totals_recomputed r
          ON r.scope = k.scope AND r.subject_id = k.subject_id AND r.item = k.item AND r.day = k.day
       WHERE k.amount IS DISTINCT FROM r.amount OR k.count IS DISTINCT FROM r.count`),
  );
}

const world = worldPerFile(async (t) => {
  const w = await goldWorld(t);
  // A tiny concession (about 4.8 ha: 7.2 kg of fine gold a year), whose windows a busy season fills.
  const res = await t.call('POST', '/v1/concessions', {
    token: w.admin,
    body: {
      code: '07-000999',
      name: 'Tiny',
      kind: 'mining',
      holderId: w.miner.id,
      status: 'titled',
      grantedOn: '2012-04-20',
      geometry: box(-70.2, -12.9, -70.198, -12.898),
    },
  });
  if (res.status !== 201) throw new Error(res.text);
  return { ...w, tiny: res.body as { id: string } };
});

let t: TestContext;
let w: GoldWorld & { tiny: { id: string } };

beforeAll(async () => {
  ({ t, w } = await world());
});

describe('window totals', () => {
  it('equal a full recomputation after every kind of write, concurrent ones included', async () => {
    ({ t, w } = await world());
    // Registrations, sixteen at a time (on PostgreSQL, over several connections: shards).
    await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        registerLot(t, w, {
          grossWeightG: `${100 + i}.500`,
          extractedOn: `2026-10-${String(1 + (i % 5)).padStart(2, '0')}`,
        }),
      ),
    );
    // Splits, a merge, a refining (lots that stop being roots), a transfer and an export.
    await goldJourney(t, w);
    // Inputs received, and one seized at a checkpoint.
    const movement = async (quantity: string) => {
      const res = await t.call('POST', '/v1/movements', {
        token: w.admin,
        body: {
          input: 'mercury',
          quantity,
          unit: 'kg',
          consignorId: w.supplier.id,
          consigneeId: w.miner.id,
          destination: { concessionId: w.concession.id },
          vehicle: 'V1A-123',
          route: 'Interoceánica Sur',
        },
      });
      expect(res.status, res.text).toBe(201);
      return res.body as { id: string; quantity: string };
    };
    const m1 = await movement('34.500');
    await movement('3.500');
    const seized = await t.call('POST', '/v1/inspections', {
      token: w.mazukoToken,
      body: {
        movementId: m1.id,
        checkpointId: w.mazuko.id,
        outcome: 'seized',
        observedQuantity: '34.500',
        occurredAt: new Date().toISOString(),
        clientId: crypto.randomUUID(),
      },
    });
    expect(seized.status, seized.text).toBe(201);
    const [counted] = rowsOf<{ n: number }>(
      await t.db.execute(sql`SELECT count(*)::int AS n FROM window_totals`),
    );
    expect(counted?.n).toBeGreaterThan(5);
    if (testDatabaseUrls()) {
      // Concurrent registrations of one producer on one day spread over shards instead of queueing.
      const [shards] = rowsOf<{ n: number }>(
        await t.db.execute(sql`SELECT max(shard)::int AS n FROM window_totals WHERE scope = 'producer'`),
      );
      expect(shards?.n).toBeGreaterThan(0);
    }
    expect(await totalsDrift(t.db)).toEqual([]);
  });

  it('are recomputed after writes made with the triggers bypassed, and drift is visible until then', async () => {
    ({ t, w } = await world());
    const lot = await registerLot(t, w);
    // An insider moving a lot's registration back a month with the triggers off: the totals no
    // longer match the rows until rebuilt (asInsider rebuilds them, as the README tells an
    // administrator to), so we write around it here.
    const admin = await adminDb();
    await admin.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(
        sql`UPDATE lots SET created_at = created_at - interval '30 days' WHERE id = ${lot.id}`,
      );
    });
    expect((await totalsDrift(t.db)).length).toBeGreaterThan(0);
    await asInsider();
    expect(await totalsDrift(t.db)).toEqual([]);
  });

  it.skipIf(!testDatabaseUrls())('may be read by the application, never written', async () => {
    ({ t, w } = await world());
    const write = t.db.execute(
      sql`INSERT INTO window_totals (scope, subject_id, item, day, amount, count)
          VALUES ('producer', ${w.miner.id}, '', current_date, -1000000, 0)`,
    );
    await expect(write).rejects.toMatchObject({ cause: { code: '42501' } });
    await expect(t.db.execute(sql`SELECT orotrace_rebuild_window_totals()`)).rejects.toMatchObject({
      cause: { code: '42501' },
    });
  });
});

/**
 * Rows written straight into the tables (no screening on the way): `n` root lots of the miner on
 * the tiny concession, at random extraction dates over two years and registration instants over
 * a year, some of them split (their parts are not roots); and movements of mercury and fuel to the
 * miner at random instants, some seized.
 */
async function randomHistory(db: Queryable, seed: number, n: number) {
  const rnd = random(seed);
  const day0 = Date.parse('2025-06-01T00:00:00Z');
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = newId();
    ids.push(id);
    // Half of them in a busy season of two months, the rest over two years.
    const day = rnd() < 0.5 ? 300 + Math.floor(rnd() * 60) : Math.floor(rnd() * 730);
    const extracted = new Date(day0 + day * 86_400_000).toISOString().slice(0, 10);
    // Registration instants bunched on a few days, so that windows start and end inside busy days.
    const created = new Date(day0 + Math.floor(rnd() * 40) * 9 * 86_400_000 + Math.floor(rnd() * 86_400_000));
    // Mostly small lots, now and then a large one: some windows over at some scales, not all.
    const fine = (rnd() < 0.1 ? 200 + rnd() * 400 : 5 + rnd() * 30).toFixed(3);
    await db.execute(sql`
      INSERT INTO lots (id, code, producer_id, concession_id, origin, extracted_on, gross_weight_g, fineness,
                        fine_weight_g, form, custodian_id, qr_token, created_at)
      VALUES (${id}, ${`RND-${seed}-${i}`}, ${w.miner.id}, ${w.tiny.id}, ST_SetSRID(ST_MakePoint(-70.199, -12.899), 4326),
              ${extracted}, ${fine}, 1000, ${fine}, 'dore', ${w.miner.id}, 'x', ${created.toISOString()})`);
    if (rnd() < 0.15) {
      // Split in two: the parts keep the extraction date and are not counted again.
      for (const part of [0, 1]) {
        const child = newId();
        await db.execute(sql`
          INSERT INTO lots (id, code, producer_id, concession_id, origin, extracted_on, gross_weight_g, fineness,
                            fine_weight_g, form, custodian_id, qr_token)
          VALUES (${child}, ${`RND-${seed}-${i}-${part}`}, ${w.miner.id}, ${w.tiny.id}, NULL, ${extracted},
                  ${(Number(fine) / 2).toFixed(3)}, 1000, ${(Number(fine) / 2).toFixed(3)}, 'dore', ${w.miner.id}, 'x')`);
        await db.execute(sql`
          INSERT INTO lot_edges (parent_id, child_id, operation, fine_weight_g)
          VALUES (${id}, ${child}, 'split', ${(Number(fine) / 2).toFixed(3)})`);
      }
    }
  }
  for (let i = 0; i < n / 4; i++) {
    const input = (['mercury', 'diesel', 'gasoline'] as const)[Math.floor(rnd() * 3)] ?? 'mercury';
    const declared = new Date(
      day0 + Math.floor(rnd() * 40) * 9 * 86_400_000 + Math.floor(rnd() * 86_400_000),
    );
    await db.execute(sql`
      INSERT INTO movements (id, code, input, quantity, unit, consignor_id, consignee_id, destination_concession_id,
                             vehicle, route, status, qr_token, declared_at)
      VALUES (${newId()}, ${`MV-RND-${seed}-${i}`}, ${input}, ${(1 + rnd() * 50).toFixed(3)},
              ${input === 'mercury' ? 'kg' : 'L'}, ${w.supplier.id}, ${w.miner.id}, ${w.tiny.id}, 'V1A-123', 'Interoceánica Sur',
              ${rnd() < 0.2 ? 'seized' : 'declared'}, 'x', ${declared.toISOString()})`);
  }
  return { ids, rnd, day0 };
}

/** What the producer windows gave when every row was read: the definition the totals must meet. */
const flowsByRows = (actor: SQL, gold: { from: SQL; to: SQL }, inputs: { from: SQL; to: SQL }) => sql`
  SELECT (SELECT coalesce(sum(al.fine_weight_g), 0.000)::numeric FROM lots al
           WHERE al.producer_id = ${actor} AND ${isRootLot('al')}
             AND al.created_at >= ${gold.from} AND al.created_at <= ${gold.to})::text AS declared_fine_g,
         (SELECT count(*)::int FROM lots al
           WHERE al.producer_id = ${actor} AND ${isRootLot('al')}
             AND al.created_at >= ${gold.from} AND al.created_at <= ${gold.to}) AS lot_count,
         (SELECT coalesce(sum(am.quantity) FILTER (WHERE am.input = 'mercury'), 0.000)::numeric FROM movements am
           WHERE am.consignee_id = ${actor} AND am.status <> 'seized'
             AND am.declared_at >= ${inputs.from} AND am.declared_at <= ${inputs.to})::text AS mercury_kg,
         (SELECT coalesce(sum(am.quantity) FILTER (WHERE am.input IN ('diesel', 'gasoline')), 0.000)::numeric
            FROM movements am
           WHERE am.consignee_id = ${actor} AND am.status <> 'seized'
             AND am.declared_at >= ${inputs.from} AND am.declared_at <= ${inputs.to})::text AS fuel_l`;

describe('windows read from the totals', () => {
  it('judge again the lots registered just before, which concurrent registrations screened without each other', async () => {
    ({ t, w } = await world());
    // Two lots of 2 kg fine registered a moment ago at the same time, each screened without the
    // other (written here without screening): together over the tiny concession's 30 days
    // (3.55 kg), neither alone.
    const at = (ms: number) => new Date(Date.now() - ms).toISOString();
    const today = new Date().toISOString().slice(0, 10);
    const ids = [newId(), newId()];
    for (const [i, id] of ids.entries()) {
      await t.db.execute(sql`
        INSERT INTO lots (id, code, producer_id, concession_id, origin, extracted_on, gross_weight_g, fineness,
                          fine_weight_g, form, custodian_id, qr_token, created_at)
        VALUES (${id}, ${`CONC-${i}`}, ${w.miner.id}, ${w.tiny.id}, ST_SetSRID(ST_MakePoint(-70.199, -12.899), 4326),
                ${today}, 2000, 1000, 2000, 'dore', ${w.miner.id}, 'x', ${at(900 - i * 300)})`);
    }
    const next = await registerLot(t, w, {
      concessionId: w.tiny.id,
      origin: { type: 'Point', coordinates: [-70.199, -12.899] },
      extractedOn: today,
      grossWeightG: '1.000',
      fineness: '1000',
    });
    const flagged = rowsOf<{ subject_id: string; fingerprint: string }>(
      await t.db.execute(sql`SELECT subject_id, fingerprint FROM flags WHERE rule = 'PRODUCTION_OVER_CAPACITY'
                              AND fingerprint = 'window:30' ORDER BY created_at`),
    ).map((f) => f.subject_id);
    expect(flagged).toContain(ids[1]);
    expect(flagged).toContain(next.id);
    expect(flagged).not.toContain(ids[0]);
  });

  it('give what reading every row gave: a producer’s gold and inputs at any instant', async () => {
    ({ t, w } = await world());
    const { rnd, day0 } = await randomHistory(t.db, 7, 300);
    const { inputs } = thresholds;
    const days = (n: number) => sql`make_interval(days => ${n}::int)`;
    for (let i = 0; i < 60; i++) {
      // Instants anywhere, a fifth of them exactly on a registration (window ends on a row).
      const [onRow] = rowsOf<{ at: string }>(
        await t.db.execute(sql`SELECT created_at::text AS at FROM lots WHERE producer_id = ${w.miner.id}
                                 ORDER BY md5(id::text || ${String(i)}) LIMIT 1`),
      );
      const at = rnd() < 0.2 && onRow ? onRow.at : new Date(day0 + rnd() * 420 * 86_400_000).toISOString();
      const atSql = sql`${at}::timestamptz`;
      const [viaTotals] = rowsOf<Record<string, unknown>>(
        await t.db.execute(sql`SELECT b.declared_fine_g::text, b.lot_count, b.mercury_kg::text, b.fuel_l::text
                                 FROM (${producerBalanceSql(sql`${w.miner.id}::uuid`, atSql)}) b`),
      );
      const goldFrom = sql`${atSql} - ${days(inputs.windowDays)}`;
      const [viaRows] = rowsOf<Record<string, unknown>>(
        await t.db.execute(
          flowsByRows(
            sql`${w.miner.id}::uuid`,
            { from: goldFrom, to: atSql },
            { from: sql`${atSql} - ${days(inputs.windowDays + inputs.leadDays)}`, to: atSql },
          ),
        ),
      );
      expect(viaTotals, `at ${at}`).toEqual(viaRows);
      // The reverse window (diversion): inputs up to the lag before, gold since their window began.
      const [divTotals] = rowsOf<Record<string, unknown>>(
        await t.db.execute(sql`SELECT d.declared_fine_g::text, d.lot_count, d.mercury_kg::text
                                 FROM (${diversionBalanceSql(sql`${w.miner.id}::uuid`, atSql)}) d`),
      );
      const from = sql`${atSql} - ${days(inputs.windowDays + inputs.lagDays)}`;
      const [divRows] = rowsOf<Record<string, unknown>>(
        await t.db.execute(
          flowsByRows(
            sql`${w.miner.id}::uuid`,
            { from, to: atSql },
            { from, to: sql`${atSql} - ${days(inputs.lagDays)}` },
          ),
        ),
      );
      expect(divTotals, `diversion at ${at}`).toEqual({
        declared_fine_g: divRows?.declared_fine_g,
        lot_count: divRows?.lot_count,
        mercury_kg: divRows?.mercury_kg,
      });
    }
  });

  it('give what reading every row gave: the lots over a concession’s capacity, at every time scale', async () => {
    ({ t, w } = await world());
    const { ids } = await randomHistory(t.db, 11, 250);
    const windows = sql.join(
      thresholds.capacity.windows.map((cw) => sql`(${cw.days}::int, ${String(cw.peakFactor)}::numeric)`),
      sql`, `,
    );
    // The definition: each root lot's window holds the root lots extracted in the days before it
    // and those of its own day registered up to it.
    const byRows = rowsOf<{ subject_id: string; fingerprint: string; declared: string; n: number }>(
      await t.db.execute(sql`
        SELECT x.id AS subject_id, 'window:' || w.days::text AS fingerprint, y.g::text AS declared, y.n
          FROM lots x
          CROSS JOIN (VALUES ${windows}) w(days, peak)
          CROSS JOIN LATERAL (
            SELECT sum(y.fine_weight_g) AS g, count(*)::int AS n FROM lots y
             WHERE y.concession_id = x.concession_id AND ${isRootLot('y')}
               AND y.extracted_on > x.extracted_on - w.days
               AND (y.extracted_on, y.created_at, y.id) <= (x.extracted_on, x.created_at, x.id)) y
          CROSS JOIN LATERAL (${concessionCapacitySql(sql`x.concession_id`, sql`x.extracted_on`, sql`w.days`, sql`w.peak`)}) b
         WHERE x.concession_id = ${w.tiny.id} AND ${isRootLot('x')} AND y.g > b.capacity_fine_g`),
    );
    const idList = sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    const byRule = rowsOf<{ subject_id: string; fingerprint: string; evidence: unknown }>(
      await t.db.execute(productionOverCapacity.screen(sql`SELECT unnest(ARRAY[${idList}])`)),
    ).map((r) => {
      const e = (typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence) as {
        declaredFineG: string;
        lotCount: number;
      };
      return {
        subject_id: r.subject_id,
        fingerprint: r.fingerprint,
        declared: e.declaredFineG,
        n: e.lotCount,
      };
    });
    const order = (
      a: { subject_id: string; fingerprint: string },
      b: { subject_id: string; fingerprint: string },
    ) => `${a.subject_id}${a.fingerprint}`.localeCompare(`${b.subject_id}${b.fingerprint}`);
    // Some windows over, some not: the comparison means something.
    for (const scale of thresholds.capacity.windows) {
      const over = byRows.filter((r) => r.fingerprint === `window:${scale.days}`).length;
      expect(over, `lots over at ${scale.days} days`).toBeGreaterThan(5);
      expect(over, `lots over at ${scale.days} days`).toBeLessThan(200);
    }
    expect(byRule.sort(order)).toEqual(byRows.sort(order));
  });
});
