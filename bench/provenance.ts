import { sql } from 'drizzle-orm';
import { dagOf } from '../src/domain/lots/provenance.js';
import { buildAncestry } from './dag.js';
import { type Bench, benchMiner, printTable, type Row, timed } from './harness.js';

/** Median of `n` timed runs, in ms. */
async function median(n: number, fn: () => Promise<unknown>): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < n; i++) runs.push((await timed(fn)).ms);
  runs.sort((x, y) => x - y);
  return runs[Math.floor(runs.length / 2)] ?? 0;
}

/**
 * Provenance of a lot whose ancestry has ~1,000, ~10,000 and ~50,000 lots, through HTTP
 * (regulator token, JSON format), each beside two baselines measured on the same DAG in the
 * same run: the recursive walk alone (dagOf, counted in SQL: the least any answer costs), and
 * the walk with every lot's row read and sent as it is (what a reader of the raw tables would
 * fetch, nothing written as JSON). Linear growth shows as a time ratio between sizes no larger
 * than their size ratio. Then the 10,000 as the exporter holding the lot (whose read also
 * decides which lots of the DAG it may see), and in the two formats mapped from objects.
 * The timed requests read the whole body as text, as a client receives it; parsing it is the
 * client's cost, not the server's, so it is done once, to check the answer.
 * BENCH_PROVENANCE_SIZES=1000,10000 leaves out the 50,000 (whose DAG takes a while to write).
 */
async function benchProvenance(b: Bench): Promise<Row[]> {
  const refs = await benchMiner(b);
  const regulator = await b.token('regulator');
  const holder = await b.token('exporter', { actor: refs.actorId });
  const sizes = (process.env.BENCH_PROVENANCE_SIZES ?? '1000,10000,50000').split(',').map(Number);
  const measured: { ancestors: number; ms: number; walk: number; rows: number }[] = [];
  const rows: Row[] = [];
  for (const target of sizes) {
    const dag = await buildAncestry(b.db, target, refs);
    const path = `/v1/lots/${dag.lotId}/provenance`;
    const get = async (token = regulator, format = 'json') => {
      const res = await b.app.request(`${path}?format=${format}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${body.slice(0, 500)}`);
      return body;
    };
    const got = (JSON.parse(await get()) as { ancestors?: unknown[] }).ancestors?.length;
    if (got !== dag.ancestors)
      throw new Error(`provenance returned ${got} ancestors, expected ${dag.ancestors}`);
    const walk = () => b.db.execute(sql`SELECT count(*) FROM ${dagOf(dag.lotId)}`);
    const raw = () => b.db.execute(sql`SELECT l.* FROM ${dagOf(dag.lotId)} JOIN lots l ON l.id = dag.lot_id`);
    await walk();
    await raw();
    const m = {
      ancestors: dag.ancestors,
      ms: await median(5, () => get()),
      walk: await median(5, walk),
      rows: await median(5, raw),
    };
    measured.push(m);
    rows.push({
      figure: `provenance JSON, ${m.ancestors} ancestors (median of 5)`,
      value: `${m.ms.toFixed(1)} ms`,
      baseline: `walk alone ${m.walk.toFixed(1)} ms; walk + raw rows ${m.rows.toFixed(1)} ms`,
      ratio: `${(m.ms / m.walk).toFixed(1)}× walk; ${(m.ms / m.rows).toFixed(2)}× raw rows`,
      target: target === 10_000 ? '< 150 ms on PostgreSQL' : 'linear (below)',
    });
    if (target === 10_000) {
      const held = await median(5, () => get(holder));
      rows.push({
        figure: `provenance JSON as the exporter holding the lot, ${m.ancestors} ancestors`,
        value: `${held.toFixed(1)} ms`,
        baseline: `${m.ms.toFixed(1)} ms as a regulator`,
        ratio: `${(held / m.ms).toFixed(2)}×`,
        target: 'close to the regulator’s: the access check is not per lot',
      });
      for (const format of ['geojson', 'epcis']) {
        const ms = await median(3, () => get(regulator, format));
        rows.push({
          figure: `provenance ${format}, ${m.ancestors} ancestors (median of 3)`,
          value: `${ms.toFixed(1)} ms`,
          baseline: `${m.ms.toFixed(1)} ms as JSON`,
          ratio: `${(ms / m.ms).toFixed(2)}×`,
          target: 'none (mapped from objects in JavaScript)',
        });
      }
    }
  }
  for (let i = 1; i < measured.length; i++) {
    const [a, z] = [measured[i - 1], measured[i]];
    if (!a || !z) continue;
    const size = z.ancestors / a.ancestors;
    rows.push({
      figure: `growth, ${a.ancestors} → ${z.ancestors} ancestors`,
      value: `${(z.ms / a.ms).toFixed(2)}× the time`,
      baseline: `${size.toFixed(1)}× the lots; walk alone ${(z.walk / a.walk).toFixed(2)}×`,
      ratio: `${(z.ms / a.ms / size).toFixed(2)} per lot`,
      target: '≤ 1 per lot (linear)',
    });
  }
  return rows;
}

export async function runProvenanceBenchmarks(b: Bench): Promise<void> {
  printTable(`Provenance (${b.database.kind})`, await benchProvenance(b));
}
