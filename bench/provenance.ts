import { buildAncestry } from './dag.js';
import { type Bench, benchMiner, type Row, timed } from './harness.js';

/**
 * Provenance of a lot whose ancestry has ~1,000 and ~10,000 lots, through HTTP (regulator
 * token, JSON format; then the 10,000 again as the exporter holding the lot, whose read also
 * decides which lots of the DAG it may see). The 1k figure is the baseline: linear growth means the 10k/1k time
 * ratio stays at or under the size ratio. The timed requests read the whole body as text, as a
 * client receives it; parsing it is the client's cost, not the server's, so it is done once,
 * to check the answer.
 */
export async function benchProvenance(b: Bench): Promise<Row[]> {
  const refs = await benchMiner(b);
  const regulator = await b.token('regulator');
  const holder = await b.token('exporter', { actor: refs.actorId });
  const measure = async (target: number, token = regulator) => {
    const dag = await buildAncestry(b.db, target, refs);
    const path = `/v1/lots/${dag.lotId}/provenance`;
    const get = async () => {
      const res = await b.app.request(path, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${body.slice(0, 500)}`);
      return body;
    };
    const first = JSON.parse(await get()) as { ancestors?: unknown[] };
    const got = first.ancestors?.length;
    if (got !== dag.ancestors)
      throw new Error(`provenance returned ${got} ancestors, expected ${dag.ancestors}`);
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push((await timed(get)).ms);
    runs.sort((x, y) => x - y);
    return { ancestors: dag.ancestors, ms: runs[Math.floor(runs.length / 2)] ?? 0 };
  };
  const small = await measure(1_000);
  const large = await measure(10_000);
  const held = await measure(10_000, holder);
  const sizeRatio = large.ancestors / small.ancestors;
  const timeRatio = large.ms / small.ms;
  return [
    {
      figure: `provenance, ${large.ancestors} ancestors (median of 5)`,
      value: `${large.ms.toFixed(1)} ms`,
      baseline: `${small.ms.toFixed(1)} ms for ${small.ancestors} ancestors`,
      ratio: `${timeRatio.toFixed(2)}× for ${sizeRatio.toFixed(1)}× the lots`,
      target: `< 150 ms on PostgreSQL; ratio ≤ ${sizeRatio.toFixed(1)}× (linear)`,
    },
    {
      figure: `provenance as the exporter holding the lot, ${held.ancestors} ancestors (median of 5)`,
      value: `${held.ms.toFixed(1)} ms`,
      baseline: `${large.ms.toFixed(1)} ms as a regulator`,
      ratio: `${(held.ms / large.ms).toFixed(2)}×`,
      target: 'close to the regulator’s: the access check is not per lot',
    },
  ];
}
