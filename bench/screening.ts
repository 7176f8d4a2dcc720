import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/db/client.js';
import { createZone } from '../src/domain/reference/zones.js';
import { screen } from '../src/domain/screening/engine.js';
import { rules } from '../src/domain/screening/rules/index.js';
import { originInExclusionZone } from '../src/domain/screening/rules/origin-in-exclusion-zone.js';
import { newId } from '../src/domain/shared/ids.js';
import type { Principal } from '../src/domain/shared/principal.js';
import { type Bench, benchMiner, printTable, type Row, timed } from './harness.js';

/**
 * Screening cost against the number of zones: the same lots screened when 10
 * zones exist and when 10,000 do. The zone rule joins the lot's origin to the zones through their
 * GiST index, so the cost should follow the few zones whose boxes hold the point, not the count.
 * Then a new zone over 100,000 lots: the re-screening that runs inside its creation, in bulk.
 */

const admin: Principal = { sub: 'bench', role: 'admin' };

// Madre de Dios, roughly: the grid of generated zones and the lots' origins fall in it.
const west = -72.4;
const south = -13.9;
const width = 3.7;
const height = 4.0;

const side = 100; // a 100 × 100 grid: room for 10,000 zones
const step = { x: width / side, y: height / side };
const zoneSide = 0.02; // ~2 km

/** Zone i of the grid: a square of ~2 km, the zones never overlapping one another. */
const cornerX = (i: string) => sql.raw(`(${west} + (${i} % ${side}) * ${step.x})`);
const cornerY = (i: string) => sql.raw(`(${south} + (${i} / ${side}) * ${step.y})`);

/** Zones `from` … `from + count − 1` of the grid, written in one statement. */
async function generateZones(b: Bench, from: number, count: number): Promise<void> {
  await b.db.execute(sql`
    INSERT INTO zones (id, name, kind, legal_basis, valid_from, geom)
    SELECT orotrace_uuid_v7(), 'Bench zone ' || i, 'mining_exclusion', 'bench', '2000-01-01',
           ST_Multi(ST_MakeEnvelope(${cornerX('i')}, ${cornerY('i')}, ${cornerX('i')} + ${zoneSide}, ${cornerY('i')} + ${zoneSide}, 4326))
      FROM generate_series(${from}::int, ${from + count - 1}::int) AS i`);
  await b.db.execute(sql`ANALYZE zones`);
}

/**
 * `n` lots whose origins fall inside zones picked at random among the first `zones` of the grid:
 * every lot lies in exactly one zone whatever the count, so both measurements raise the same
 * flags and differ only by how the zones are found.
 */
async function lotsInZones(
  b: Bench,
  miner: { actorId: string; concessionId: string },
  n: number,
  zones: number,
) {
  const rows = rowsOf<{ id: string }>(
    await b.db.execute(sql`
      INSERT INTO lots (id, code, producer_id, concession_id, origin, extracted_on, gross_weight_g, fineness,
                        fine_weight_g, form, custodian_id, qr_token)
      SELECT orotrace_uuid_v7(), 'BENCH-' || md5(random()::text), ${miner.actorId}, ${miner.concessionId},
             ST_SetSRID(ST_MakePoint(${cornerX('k')} + 0.001 + random() * 0.018, ${cornerY('k')} + 0.001 + random() * 0.018), 4326),
             '2026-10-01', 10.000, 870.000, 8.700, 'dore', ${miner.actorId}, 'x'
        FROM (SELECT floor(random() * ${zones})::int AS k FROM generate_series(1, ${n})) g
      RETURNING id`),
  );
  await b.db.execute(sql`ANALYZE lots`);
  return rows.map((r) => r.id);
}

/**
 * `n` lots written straight into the table (registration through HTTP is measured elsewhere):
 * origins spread over the region, so that a share of them falls in generated zones.
 */
async function insertLots(
  b: Bench,
  miner: { actorId: string; concessionId: string },
  n: number,
  box: { west: number; south: number; width: number; height: number },
): Promise<string[]> {
  const rows = rowsOf<{ id: string }>(
    await b.db.execute(sql`
      INSERT INTO lots (id, code, producer_id, concession_id, origin, extracted_on, gross_weight_g, fineness,
                        fine_weight_g, form, custodian_id, qr_token)
      SELECT orotrace_uuid_v7(), 'BENCH-' || md5(random()::text), ${miner.actorId}, ${miner.concessionId},
             ST_SetSRID(ST_MakePoint(${box.west} + random() * ${box.width}, ${box.south} + random() * ${box.height}), 4326),
             '2026-10-01', 10.000, 870.000, 8.700, 'dore', ${miner.actorId}, 'x'
        FROM generate_series(1, ${n})
      RETURNING id`),
  );
  await b.db.execute(sql`ANALYZE lots`);
  return rows.map((r) => r.id);
}

/** Mean ms per lot of screening each lot in its own transaction, with the given rules. */
async function screenEach(b: Bench, ids: string[], only?: typeof rules): Promise<number> {
  const { ms } = await timed(async () => {
    for (const id of ids) {
      await b.db.transaction((tx) => screen(tx, admin, { trigger: 'registration', lotIds: [id] }, only));
    }
  });
  return ms / ids.length;
}

async function benchScreening(b: Bench): Promise<Row[]> {
  const miner = await benchMiner(b);
  const n = Number(process.env.BENCH_SCREEN_LOTS ?? 300);
  const zoneRule = [originInExclusionZone];

  await generateZones(b, 0, 10);
  await screenEach(b, await lotsInZones(b, miner, 50, 10)); // warm-up
  const fewZone = await screenEach(b, await lotsInZones(b, miner, n, 10), zoneRule);
  const fewAll = await screenEach(b, await lotsInZones(b, miner, n, 10));

  await generateZones(b, 10, 9_990);
  await screenEach(b, await lotsInZones(b, miner, 50, 10_000)); // plans for the grown table
  const manyZone = await screenEach(b, await lotsInZones(b, miner, n, 10_000), zoneRule);
  const manyAll = await screenEach(b, await lotsInZones(b, miner, n, 10_000));

  // Re-screening: 100,000 lots in a square of 0.5°, then a new protected area over all of them.
  const bulk = Number(process.env.BENCH_RESCREEN_LOTS ?? 100_000);
  const square = { west: -70.5, south: -12.9, width: 0.5, height: 0.5 };
  await insertLots(b, miner, bulk, square);
  const ring = [
    [square.west - 0.01, square.south - 0.01],
    [square.west + square.width + 0.01, square.south - 0.01],
    [square.west + square.width + 0.01, square.south + square.height + 0.01],
    [square.west - 0.01, square.south + square.height + 0.01],
    [square.west - 0.01, square.south - 0.01],
  ];
  const rescreen = await timed(() =>
    createZone(b.db, admin, {
      name: 'Bench reserve',
      kind: 'protected_area',
      legalBasis: 'bench',
      validFrom: '2000-01-01',
      geometry: { type: 'Polygon', coordinates: [ring] },
    }),
  );
  const [raised] = rowsOf<{ n: number }>(
    await b.db.execute(
      sql`SELECT count(*)::int AS n FROM flags f JOIN zones z ON z.id::text = f.fingerprint WHERE z.name = 'Bench reserve'`,
    ),
  );
  // Baseline: the same number of flag rows written by one bare INSERT … SELECT, no rule logic.
  const bare = await timed(() =>
    b.db.execute(sql`
      INSERT INTO flags (id, rule, severity, subject_type, subject_id, evidence, fingerprint)
      SELECT orotrace_uuid_v7(), 'ORIGIN_IN_EXCLUSION_ZONE', 'critical', 'lot', id, '{}'::jsonb, ${newId()}
        FROM lots WHERE code LIKE 'BENCH-%' LIMIT ${raised?.n ?? 0}`),
  );
  const perSecond = (bulk / rescreen.ms) * 1000;
  return [
    {
      figure: `zone rule, one lot in one zone (${n} lots)`,
      value: `${manyZone.toFixed(2)} ms/lot with 10,000 zones`,
      baseline: `${fewZone.toFixed(2)} ms/lot with 10 zones`,
      ratio: `${(manyZone / fewZone).toFixed(2)}×`,
      target: '≤ 1.5×',
    },
    {
      figure: `all registration rules, one lot (${n} lots)`,
      value: `${manyAll.toFixed(2)} ms/lot with 10,000 zones`,
      baseline: `${fewAll.toFixed(2)} ms/lot with 10 zones`,
      ratio: `${(manyAll / fewAll).toFixed(2)}×`,
      target: '≤ 1.5×',
    },
    {
      figure: `re-screening ${bulk.toLocaleString('en')} lots after a new zone (${(raised?.n ?? 0).toLocaleString('en')} flags)`,
      value: `${(rescreen.ms / 1000).toFixed(1)} s (${Math.round(perSecond).toLocaleString('en')} lots/s)`,
      baseline: `${(bare.ms / 1000).toFixed(1)} s bare INSERT of as many flags`,
      ratio: `${(rescreen.ms / bare.ms).toFixed(2)}×`,
      target: 'time and lots/s',
    },
  ];
}

export async function runScreeningBenchmarks(b: Bench): Promise<void> {
  printTable(`Screening (${b.database.kind}, ${rules.length} rules)`, await benchScreening(b));
}
