import { randomUUID } from 'node:crypto';
import { type Bench, benchMiner, printTable, type Row, timed } from './harness.js';

/**
 * Offline records ingested through POST /v1/sync in batches, against the same records sent one
 * request each to their own routes (POST /v1/inspections and POST /v1/scans), as a device
 * without batching would. Both sets are fresh records (new clientIds) over the same movements and
 * lots, so both paths do the same writes: a row and an event per record.
 *
 * Where a record’s cost goes. One request each pays the request (HTTP, auth, JSON; under 1 ms
 * in-process), BEGIN/COMMIT and ~8 statements (the lot's or movement's state, the checkpoint,
 * the screening statement, the row, the event, the presentation of the lot or movement). A batch
 * commits by 100 records and applies a chunk by waves, a wave holding at most one record per lot
 * or movement: each wave's scans and inspections are read, screened (one statement running every
 * rule over all their facts), written and answered in three or four statements for the whole
 * set, and the chunk's events are appended in one. With this world (50 subjects, so lanes ten
 * records deep per batch of 500 and waves ~13 records wide) that is well under one statement per
 * record; a device's real batch, mostly one record per lot, makes waves as wide as a chunk.
 */

interface World {
  checkpointId: string;
  staff: string;
  movementQrs: string[];
  lotQrs: string[];
}

async function benchWorld(b: Bench, subjects: number): Promise<World> {
  const admin = await b.token('admin');
  const { actorId: minerId, concessionId } = await benchMiner(b);
  const supplier = await b.call('POST', '/v1/actors', admin, {
    taxId: `2${String(Math.random()).slice(2, 12).padEnd(10, '0')}`,
    name: 'Bench supplier',
    kinds: ['supplier'],
  });
  const route = `Bench route ${randomUUID()}`;
  const checkpoint = await b.call('POST', '/v1/checkpoints', admin, {
    code: `BENCH-${randomUUID()}`,
    name: 'Bench post',
    location: { type: 'Point', coordinates: [-70.373, -13.098] },
    routes: [route],
  });
  const miner = await b.token('exporter', { actor: minerId });
  const movementQrs: string[] = [];
  const lotQrs: string[] = [];
  for (let i = 0; i < subjects; i++) {
    const m = await b.call('POST', '/v1/movements', admin, {
      input: i % 2 ? 'diesel' : 'mercury',
      quantity: i % 2 ? '1500' : '34.5',
      unit: i % 2 ? 'L' : 'kg',
      consignorId: supplier.id,
      consigneeId: minerId,
      destination: { concessionId },
      vehicle: 'BENCH-1',
      route,
    });
    movementQrs.push(String(m.qrUrl));
    const lot = await b.call('POST', '/v1/lots', miner, {
      producerId: minerId,
      concessionId,
      origin: { type: 'Point', coordinates: [-70.1, -12.945] },
      extractedOn: '2026-10-01',
      grossWeightG: '1000.000',
      fineness: '870',
      form: 'dore',
    });
    lotQrs.push(String(lot.qrUrl));
  }
  const checkpointId = String(checkpoint.id);
  return {
    checkpointId,
    staff: await b.token('checkpoint', { checkpoint: checkpointId }),
    movementQrs,
    lotQrs,
  };
}

type Mix = 'inspections' | 'scans' | 'mixed';

/** `n` offline records as a device stores them: QR content, device time, its own client id. */
function offlineRecords(w: World, n: number, mix: Mix) {
  const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
  return Array.from({ length: n }, (_, i) => {
    const inspection = mix === 'inspections' || (mix === 'mixed' && i % 2 === 0);
    const clientId = randomUUID();
    return inspection
      ? {
          kind: 'inspection' as const,
          token: w.movementQrs[i % w.movementQrs.length] as string,
          checkpointId: w.checkpointId,
          observedQuantity: '34.500',
          outcome: 'passed',
          occurredAt,
          clientId,
        }
      : {
          kind: 'scan' as const,
          token: w.lotQrs[i % w.lotQrs.length] as string,
          checkpointId: w.checkpointId,
          observedGrossWeightG: '1000.000',
          occurredAt,
          clientId,
        };
  });
}
type OfflineRecord = ReturnType<typeof offlineRecords>[number];

async function sendBatched(b: Bench, w: World, records: OfflineRecord[], batchSize: number) {
  for (let i = 0; i < records.length; i += batchSize) {
    const batch = records.slice(i, i + batchSize);
    const res = await b.call('POST', '/v1/sync', w.staff, { records: batch });
    const counts = res.counts as { applied: number };
    if (counts.applied !== batch.length) throw new Error(`batch ${i}: ${JSON.stringify(res.counts)}`);
  }
}

async function sendOneByOne(b: Bench, w: World, records: OfflineRecord[]) {
  for (const { kind, ...record } of records) {
    await b.call('POST', kind === 'scan' ? '/v1/scans' : '/v1/inspections', w.staff, record);
  }
}

const perRecordMs = (ms: number, n: number) => ms / n;

/**
 * Batched against one request each, for one mix of records; then a third run sending one record
 * per /v1/sync request, to see where the difference goes: the same per-record work as a batch,
 * applied one at a time with a request each (HTTP, auth, JSON, a memo per request), against the
 * single-record routes that also answer the whole lot or movement.
 */
async function compare(b: Bench, w: World, n: number, batchSize: number, mix: Mix): Promise<Row[]> {
  const batched = await timed(() => sendBatched(b, w, offlineRecords(w, n, mix), batchSize));
  const single = await timed(() => sendOneByOne(b, w, offlineRecords(w, n, mix)));
  const m = Math.max(1, Math.round(n / 4));
  const syncOne = await timed(() => sendBatched(b, w, offlineRecords(w, m, mix), 1));
  const [perBatched, perSingle, perSyncOne] = [
    perRecordMs(batched.ms, n),
    perRecordMs(single.ms, n),
    perRecordMs(syncOne.ms, m),
  ];
  const what = mix === 'mixed' ? 'scans + inspections (1:1)' : mix;
  return [
    {
      figure: `${n} offline ${what} via /v1/sync × ${batchSize}`,
      value: `${Math.round(1000 / perBatched)} records/s`,
      baseline: `${Math.round(1000 / perSingle)} records/s one request each`,
      ratio: `${(perSingle / perBatched).toFixed(2)}×`,
      target: '≥ 5×',
    },
    {
      figure: `  ms/record, ${what}`,
      value: `batch ${perBatched.toFixed(2)}`,
      baseline: `1 per /v1/sync ${perSyncOne.toFixed(2)}, own route ${perSingle.toFixed(2)}`,
      ratio: '',
      target: '',
    },
  ];
}

export async function runSyncBenchmarks(b: Bench): Promise<void> {
  const n = Number(process.env.BENCH_SYNC_RECORDS ?? 10_000);
  const batchSize = Number(process.env.BENCH_SYNC_BATCH ?? 500);
  const w = await benchWorld(b, Number(process.env.BENCH_SYNC_SUBJECTS ?? 50));
  // Warm up every path (JIT, plans, PGlite's caches, the token cache).
  await sendBatched(b, w, offlineRecords(w, 200, 'mixed'), 100);
  await sendOneByOne(b, w, offlineRecords(w, 200, 'mixed'));
  // mixed, or any of mixed,inspections,scans to see each kind on its own.
  const mixes = (process.env.BENCH_SYNC_MIXES ?? 'mixed').split(',') as Mix[];
  const rows: Row[] = [];
  for (const mix of mixes) rows.push(...(await compare(b, w, n, batchSize, mix)));
  printTable(`Offline sync (${b.database.kind})`, rows);
}
