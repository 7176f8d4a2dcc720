import { sql } from 'drizzle-orm';
import { microseconds } from '../src/domain/ledger/events.js';
import { signEvent } from '../src/domain/ledger/write-signature.js';
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
  // The raw rows carry what the API's would: the event's write signature, made beforehand (it
  // is not the database's work), so that the ledger sequences them like any other event.
  const at = microseconds(new Date());
  const prepared = await Promise.all(
    Array.from({ length: n }, async () => {
      const id = newId();
      const event = {
        id: newId(),
        type: 'lot.registered',
        subjectType: 'lot',
        subjectId: id,
        actorSub: 'bench',
        actorRole: 'exporter',
        actorId: null,
        checkpointId: null,
        payload: {},
        occurredAt: at,
        recordedAt: at,
      };
      return { id, event, signature: await signEvent(event) };
    }),
  );
  const raw = await timed(async () => {
    for (const { id, event, signature } of prepared) {
      await b.db.execute(sql`INSERT INTO lots (id, code, producer_id, concession_id, origin, extracted_on, gross_weight_g,
          fineness, fine_weight_g, form, custodian_id, qr_token)
        VALUES (${id}, ${`RAW-${id}`}, ${actorId}, ${concessionId}, ST_SetSRID(ST_MakePoint(-70.1, -12.945), 4326),
          '2026-10-01', 1000.000, 870.000, 870.000, 'dore', ${actorId}, 'x')`);
      await b.db.execute(sql`INSERT INTO events (id, type, subject_type, subject_id, actor_sub, actor_role, payload,
          occurred_at, recorded_at, write_signature)
        VALUES (${event.id}, 'lot.registered', 'lot', ${id}, 'bench', 'exporter', '{}'::jsonb, ${at}, ${at}, ${signature})`);
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
