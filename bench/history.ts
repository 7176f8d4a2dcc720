import { sql } from 'drizzle-orm';
import { type Bench, benchMiner, printTable, type Row, timed } from './harness.js';

/**
 * Flat in history: the cost of registering a lot, and of declaring a movement, for an actor with a
 * short history (100 lots and 100 movements in its windows) against one with a long one (100,000
 * of each): the same producer, custodian (an exporter registering on the producer's behalf) and
 * concession windows, the same honest figures (inputs that support the gold, a concession that
 * can yield it), so both raise the same flags (none) and differ only by how much history the
 * screening windows hold. The windows read running totals (window_totals), not the rows.
 */

interface World {
  label: string;
  producerId: string;
  concessionId: string;
  exporterToken: string;
  adminToken: string;
  custodianId: string;
}

/** Fine gold per history lot: small enough that 100,000 of them in a month stay within capacity. */
const lotFineG = 5;

async function world(b: Bench, history: number): Promise<World> {
  const miner = await benchMiner(b);
  const admin = await b.token('admin');
  const exporter = await b.call('POST', '/v1/actors', admin, {
    taxId: `2${String(Math.random()).slice(2, 12).padEnd(10, '0')}`,
    name: 'Bench exporter',
    kinds: ['exporter'],
  });
  const exporterId = String(exporter.id);
  // Registered as an honest supply chain is: the producer formalized and authorized for inputs
  // (quotas no month here reaches), the exporter in the trader registry.
  const register = (actorId: string, body: Record<string, unknown>) =>
    b.call('POST', `/v1/actors/${actorId}/registrations`, admin, { validFrom: '2015-01-01', ...body });
  await register(miner.actorId, { registry: 'formalization', status: 'formalized' });
  await register(miner.actorId, {
    registry: 'controlled_inputs',
    status: 'authorized',
    quotas: [
      { input: 'mercury', monthly: '100000000.000', unit: 'kg' },
      { input: 'diesel', monthly: '100000000.000', unit: 'L' },
    ],
  });
  await register(exporterId, { registry: 'trader', status: 'registered' });
  // Movements need a checkpoint in service on their route.
  await b.call('POST', '/v1/checkpoints', admin, {
    code: `PC-${exporterId}`,
    name: 'Bench post',
    location: { type: 'Point', coordinates: [-70.373, -13.098] },
    routes: ['Interoceánica Sur'],
  });
  // `history` root lots registered and extracted over the last 29 days, custodian the exporter.
  await b.db.execute(sql`
    INSERT INTO lots (id, code, producer_id, concession_id, origin, extracted_on, gross_weight_g, fineness,
                      fine_weight_g, form, custodian_id, qr_token, created_at)
    SELECT orotrace_uuid_v7(), 'HIST-' || md5(random()::text), ${miner.actorId}, ${miner.concessionId},
           ST_SetSRID(ST_MakePoint(-70.1, -12.945), 4326), current_date - (i % 29), 5.000, 1000.000, 5.000,
           'dore', ${exporterId}, 'x', now() - make_interval(secs => (i % 29) * 86400 + 60 + i % 3600)
      FROM generate_series(1, ${history}) AS i`);
  // As many deliveries of mercury and diesel to the producer, supporting its gold 1.5 times over,
  // the lots the bench registers included.
  const totalFineKg = ((history + 1000) * lotFineG) / 1000;
  const mercuryEach = ((totalFineKg * 1.5) / history).toFixed(3);
  const dieselEach = (((history + 1000) * lotFineG * 1.5) / 2 / history).toFixed(3);
  await b.db.execute(sql`
    INSERT INTO movements (id, code, input, quantity, unit, consignor_id, consignee_id, destination_concession_id,
                           vehicle, route, status, qr_token, declared_at)
    SELECT orotrace_uuid_v7(), 'MVH-' || md5(random()::text),
           CASE WHEN i % 2 = 0 THEN 'mercury' ELSE 'diesel' END,
           CASE WHEN i % 2 = 0 THEN ${mercuryEach}::numeric * 2 ELSE ${dieselEach}::numeric * 2 END,
           CASE WHEN i % 2 = 0 THEN 'kg' ELSE 'L' END,
           ${exporterId}, ${miner.actorId}, ${miner.concessionId}, 'V1A-123', 'Interoceánica Sur', 'delivered', 'x',
           now() - make_interval(secs => (i % 29) * 86400 + 120 + i % 3600)
      FROM generate_series(1, ${history}) AS i`);
  await b.db.execute(sql`ANALYZE lots`);
  await b.db.execute(sql`ANALYZE movements`);
  return {
    label: history.toLocaleString('en'),
    producerId: miner.actorId,
    concessionId: miner.concessionId,
    exporterToken: await b.token('exporter', { actor: exporterId }),
    adminToken: admin,
    custodianId: exporterId,
  };
}

const lotBody = (w: World) => ({
  producerId: w.producerId,
  concessionId: w.concessionId,
  origin: { type: 'Point', coordinates: [-70.1, -12.945] },
  extractedOn: new Date().toISOString().slice(0, 10),
  grossWeightG: '5.000',
  fineness: '1000',
  form: 'dore',
});

const movementBody = (w: World) => ({
  input: 'mercury',
  quantity: '0.010',
  unit: 'kg',
  consignorId: w.custodianId,
  consigneeId: w.producerId,
  destination: { concessionId: w.concessionId },
  vehicle: 'V1A-123',
  route: 'Interoceánica Sur',
});

interface Cost {
  msPerLot: number;
  lotFlags: number;
  msPerMovement: number;
  movementFlags: number;
}

async function measure(b: Bench, w: World, n: number, cost: Cost): Promise<void> {
  const lots = await timed(async () => {
    let flags = 0;
    for (let i = 0; i < n; i++) {
      const lot = await b.call('POST', '/v1/lots', w.exporterToken, lotBody(w));
      flags += (lot.flags as unknown[]).length;
    }
    return flags;
  });
  const movements = await timed(async () => {
    let flags = 0;
    for (let i = 0; i < n; i++) {
      const m = await b.call('POST', '/v1/movements', w.adminToken, movementBody(w));
      flags += ((m.flags as unknown[] | undefined) ?? []).length;
    }
    return flags;
  });
  cost.msPerLot += lots.ms;
  cost.lotFlags += lots.result;
  cost.msPerMovement += movements.ms;
  cost.movementFlags += movements.result;
}

export async function runHistoryBenchmarks(b: Bench): Promise<void> {
  const long = Number(process.env.BENCH_HISTORY ?? 100_000);
  const n = Number(process.env.BENCH_HISTORY_WRITES ?? 200);
  const worlds = [await world(b, 100), await world(b, long)];
  const costs = worlds.map(() => ({ msPerLot: 0, lotFlags: 0, msPerMovement: 0, movementFlags: 0 }));
  // Warm up both, then alternate rounds so that drift in the machine's load falls on both alike.
  for (const w of worlds)
    await measure(b, w, 10, { msPerLot: 0, lotFlags: 0, msPerMovement: 0, movementFlags: 0 });
  const rounds = 4;
  for (let r = 0; r < rounds; r++) {
    for (const [i, w] of worlds.entries()) {
      const cost = costs[i];
      if (cost) await measure(b, w, n / rounds, cost);
    }
  }
  const [short, longCost] = costs;
  if (!short || !longCost) return;
  const per = (ms: number) => ms / n;
  const [shortWorld, longWorld] = worlds;
  const rows: Row[] = [
    {
      figure: `lot registration via HTTP, ${longWorld?.label} lots in the windows (${n} lots)`,
      value: `${per(longCost.msPerLot).toFixed(2)} ms/lot (${longCost.lotFlags} flags)`,
      baseline: `${per(short.msPerLot).toFixed(2)} ms/lot with ${shortWorld?.label} (${short.lotFlags} flags)`,
      ratio: `${(longCost.msPerLot / short.msPerLot).toFixed(2)}×`,
      target: '≤ 1.25×',
    },
    {
      figure: `movement declaration via HTTP, ${longWorld?.label} movements in the windows (${n})`,
      value: `${per(longCost.msPerMovement).toFixed(2)} ms/movement (${longCost.movementFlags} flags)`,
      baseline: `${per(short.msPerMovement).toFixed(2)} ms/movement with ${shortWorld?.label} (${short.movementFlags} flags)`,
      ratio: `${(longCost.msPerMovement / short.msPerMovement).toFixed(2)}×`,
      target: '≤ 1.25×',
    },
  ];
  printTable(`Flat in history (${b.database.kind})`, rows);
}
