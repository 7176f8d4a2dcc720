import { sql } from 'drizzle-orm';
import { newId } from '../src/domain/shared/ids.js';
import { type Bench, benchMiner, printTable, type Row, timed } from './harness.js';

/**
 * Lot registration through the whole HTTP stack (auth, validation, transaction, QR signing,
 * event) against the same rows — the lot and its event — written by two plain INSERTs each.
 */
async function benchRegistration(b: Bench, n: number): Promise<Row[]> {
  const { actorId, concessionId } = await benchMiner(b);
  const token = await b.token('exporter', { actor: actorId });
  const body = {
    producerId: actorId,
    concessionId,
    origin: { type: 'Point', coordinates: [-70.1, -12.945] },
    extractedOn: '2026-10-01',
    grossWeightG: '1000.000',
    fineness: '870',
    form: 'dore',
  };
  // Warm up both paths (JIT, prepared plans, PGlite's caches).
  for (let i = 0; i < 20; i++) await b.call('POST', '/v1/lots', token, body);

  const http = await timed(async () => {
    for (let i = 0; i < n; i++) await b.call('POST', '/v1/lots', token, body);
  });
  const raw = await timed(async () => {
    for (let i = 0; i < n; i++) {
      const id = newId();
      await b.db.execute(sql`INSERT INTO lots (id, code, producer_id, concession_id, origin, extracted_on, gross_weight_g,
          fineness, fine_weight_g, form, custodian_id, qr_token)
        VALUES (${id}, ${`RAW-${id}`}, ${actorId}, ${concessionId}, ST_SetSRID(ST_MakePoint(-70.1, -12.945), 4326),
          '2026-10-01', 1000.000, 870.000, 870.000, 'dore', ${actorId}, 'x')`);
      await b.db.execute(sql`INSERT INTO events (id, type, subject_type, subject_id, actor_sub, actor_role, payload, occurred_at)
        VALUES (${newId()}, 'lot.registered', 'lot', ${id}, 'bench', 'exporter', '{}'::jsonb, now())`);
    }
  });
  const perHttp = http.ms / n;
  const perRaw = raw.ms / n;
  return [
    {
      figure: `lot registration via HTTP (${n} lots)`,
      value: `${perHttp.toFixed(2)} ms/lot (${Math.round(1000 / perHttp)}/s)`,
      baseline: `${perRaw.toFixed(2)} ms/lot raw INSERTs (${Math.round(1000 / perRaw)}/s)`,
      ratio: `${(perHttp / perRaw).toFixed(2)}×`,
      target: '≤ 2×',
    },
  ];
}

export async function runLotBenchmarks(b: Bench): Promise<void> {
  const n = Number(process.env.BENCH_LOTS ?? 500);
  printTable(`Lots (${b.database.kind})`, await benchRegistration(b, n));
}
