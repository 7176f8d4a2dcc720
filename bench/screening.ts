import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/db/client.js';
import { appendEvents } from '../src/domain/ledger/events.js';
import { createZone } from '../src/domain/reference/zones.js';
import { screen } from '../src/domain/screening/engine.js';
import { rules } from '../src/domain/screening/rules/index.js';
import { originInExclusionZone } from '../src/domain/screening/rules/origin-in-exclusion-zone.js';
import type { Principal } from '../src/domain/shared/principal.js';
import { type Bench, benchMiner, printTable, type Row, timed } from './harness.js';

/**
 * Screening cost against the number of zones: the same lots screened when 10
 * zones exist and when 10,000 do. The zone rule joins the lot's origin to the zones through their
 * GiST index, so the cost should follow the few zones whose boxes hold the point, not the count.
 * Then new zones over 100,000 lots: the re-screening that runs inside their creation, in bulk
 * (benchRescreening).
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

/** A zone over `square` grown by `margin` degrees on each side. */
const zoneOver = (
  square: { west: number; south: number; width: number; height: number },
  margin: number,
) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [square.west - margin, square.south - margin],
      [square.west + square.width + margin, square.south - margin],
      [square.west + square.width + margin, square.south + square.height + margin],
      [square.west - margin, square.south + square.height + margin],
      [square.west - margin, square.south - margin],
    ],
  ],
});

/** Flags whose fingerprint is the zone named `name` (ORIGIN_IN_EXCLUSION_ZONE's). */
async function flagsOfZone(b: Bench, name: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await b.db.execute(
      sql`SELECT count(*)::int AS n FROM flags f JOIN zones z ON z.id::text = f.fingerprint WHERE z.name = ${name}`,
    ),
  );
  return row?.n ?? 0;
}

/** The bare GiST probe: how many lots' origins a geometry covers (what a zone change can affect). */
async function probe(b: Bench, geometry: ReturnType<typeof zoneOver>): Promise<{ ms: number; n: number }> {
  const { ms, result } = await timed(async () =>
    rowsOf<{ n: number }>(
      await b.db.execute(
        sql`SELECT count(*)::int AS n FROM lots WHERE ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326), origin)`,
      ),
    ),
  );
  return { ms, n: result[0]?.n ?? 0 };
}

const rate = (lots: number, ms: number) => `${Math.round((lots / ms) * 1000).toLocaleString('en')} lots/s`;

/**
 * Re-screening after a new zone, with 100,000 lots in one square of 0.5° (and the few thousand
 * of the suite before). "lots/s" counts the lots the zone covers — those its change can affect,
 * found through the GiST index and screened again — except where the zone covers few: there it
 * counts the lots in the database, which is what a full re-screening would have had to read.
 * Three zones: one over every lot, in force at their extraction (every lot flagged: a flag and a
 * signed flag.raised event each); the same area in force only after their extraction (every lot
 * judged, none flagged: the screening alone); a small one over a few lots.
 */
async function benchRescreening(b: Bench, miner: { actorId: string; concessionId: string }): Promise<Row[]> {
  const bulk = Number(process.env.BENCH_RESCREEN_LOTS ?? 100_000);
  const square = { west: -70.5, south: -12.9, width: 0.5, height: 0.5 };
  await insertLots(b, miner, bulk, square);
  const [total] = rowsOf<{ n: number }>(await b.db.execute(sql`SELECT count(*)::int AS n FROM lots`));
  const inDb = total?.n ?? bulk;
  const zone = (name: string, geometry: ReturnType<typeof zoneOver>, validFrom = '2000-01-01') =>
    timed(() =>
      createZone(b.db, admin, { name, kind: 'protected_area', legalBasis: 'bench', validFrom, geometry }),
    );

  const whole = zoneOver(square, 0.01);
  const wholeProbe = await probe(b, whole);
  const later = await zone('Bench reserve, later', whole, '2027-01-01');
  const flagged = await zone('Bench reserve', whole);
  const raised = await flagsOfZone(b, 'Bench reserve');
  // The floor of a flagged lot: its flag.raised event built, signed (ES256) and written, alone.
  const events = await timed(async () => {
    await b.db
      .transaction(async (tx) => {
        const ids = rowsOf<{ id: string }>(
          await tx.execute(sql`SELECT id FROM lots WHERE code LIKE 'BENCH-%' LIMIT ${raised}`),
        );
        await appendEvents(
          tx,
          admin,
          ids.map(({ id }) => ({
            type: 'flag.raised',
            subjectType: 'flag',
            subjectId: id,
            payload: {
              rule: 'ORIGIN_IN_EXCLUSION_ZONE',
              severity: 'critical',
              subjectType: 'lot',
              subjectId: id,
              evidence: {},
            },
          })),
        );
        throw rollback;
      })
      .catch((e: unknown) => {
        if (e !== rollback) throw e;
      });
  });

  const small = zoneOver({ west: -70.3, south: -12.7, width: 0.004, height: 0.004 }, 0);
  const smallProbe = await probe(b, small);
  const few = await zone('Bench plot', small);
  const fewRaised = await flagsOfZone(b, 'Bench plot');

  return [
    {
      figure: `re-screening after a new zone over ${wholeProbe.n.toLocaleString('en')} lots, none flagged (in force after their extraction)`,
      value: `${(later.ms / 1000).toFixed(2)} s (${rate(wholeProbe.n, later.ms)})`,
      baseline: `${(wholeProbe.ms / 1000).toFixed(2)} s bare GiST probe of those lots`,
      ratio: `${(later.ms / wholeProbe.ms).toFixed(1)}×`,
      target: '≥ 20,000 lots/s',
    },
    {
      figure: `re-screening after a new zone over ${wholeProbe.n.toLocaleString('en')} lots, ${raised.toLocaleString('en')} flags`,
      value: `${(flagged.ms / 1000).toFixed(2)} s (${rate(wholeProbe.n, flagged.ms)})`,
      baseline: `${(events.ms / 1000).toFixed(2)} s signing and writing ${raised.toLocaleString('en')} flag.raised events alone`,
      ratio: `${(flagged.ms / events.ms).toFixed(2)}×`,
      target: '≥ 20,000 lots/s',
    },
    {
      figure: `re-screening after a new zone over ${smallProbe.n} lots (${fewRaised} flags), ${inDb.toLocaleString('en')} lots in the database`,
      value: `${few.ms.toFixed(0)} ms (${rate(inDb, few.ms)} of the database)`,
      baseline: `${smallProbe.ms.toFixed(0)} ms bare GiST probe`,
      ratio: `${(few.ms / smallProbe.ms).toFixed(1)}×`,
      target: '≥ 20,000 lots/s',
    },
  ];
}

/** Thrown to roll back a measurement's writes. */
const rollback = new Error('rollback');

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
  ];
}

/** BENCH_SCREEN_LOTS=0 skips the per-lot figures (a few minutes on a loaded machine) for the re-screening's. */
export async function runScreeningBenchmarks(b: Bench): Promise<void> {
  if (Number(process.env.BENCH_SCREEN_LOTS ?? 300) > 0)
    printTable(`Screening (${b.database.kind}, ${rules.length} rules)`, await benchScreening(b));
  printTable(`Re-screening (${b.database.kind})`, await benchRescreening(b, await benchMiner(b)));
}
