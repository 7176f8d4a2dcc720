import type { CallOptions, TestContext } from './app.js';
import { type GoldWorld, registerLot } from './fixtures.js';

/** Calls the API and fails loudly unless it answers the expected status. */
async function expectCall(t: TestContext, status: number, method: string, path: string, o: CallOptions) {
  const res = await t.call(method, path, o);
  if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.body;
}

/**
 * One lot's journey through the API, as it happens on the ground:
 *
 *   a (1000 g @ 870‰ = 870.000 g fine) ── split ──> p1, p2, p3 (289.999 g fine each)
 *   b (500 g @ 900‰ = 450.000 g fine, mined 1 km away)
 *   p1 + b ── merge ──> m (739.999 g fine; two origins, so no origin point of its own)
 *   m ── refine to 740 g @ 999.9‰ ──> r (739.926 g fine)
 *   r: scanned at Mazuko, transferred by the miner to the exporter, exported to Switzerland.
 */
export async function goldJourney(t: TestContext, w: GoldWorld) {
  const a = await registerLot(t, w, { grossWeightG: '1000.000', fineness: '870' });
  const b = await registerLot(t, w, {
    grossWeightG: '500.000',
    fineness: '900',
    origin: { type: 'Point', coordinates: [-70.09, -12.94] },
    extractedOn: '2026-10-03',
  });
  const split = await expectCall(t, 201, 'POST', `/v1/lots/${a.id}/split`, {
    token: w.minerToken,
    body: { parts: [{ grossWeightG: '333.333' }, { grossWeightG: '333.333' }, { grossWeightG: '333.333' }] },
  });
  const [p1, p2, p3] = split.children;
  const m = await expectCall(t, 201, 'POST', '/v1/lots/merge', {
    token: w.minerToken,
    body: { lotIds: [p1.id, b.id] },
  });
  const r = await expectCall(t, 201, 'POST', `/v1/lots/${m.id}/refine`, {
    token: w.minerToken,
    body: { grossWeightG: '740.000', fineness: '999.9' },
  });
  const scan = await expectCall(t, 201, 'POST', '/v1/scans', {
    token: w.mazukoToken,
    body: {
      token: r.qrUrl,
      checkpointId: w.mazuko.id,
      occurredAt: new Date().toISOString(),
      clientId: crypto.randomUUID(),
    },
  });
  await expectCall(t, 200, 'POST', `/v1/lots/${r.id}/transfers`, {
    token: w.minerToken,
    body: { toActorId: w.exporter.id },
  });
  const exported = await expectCall(t, 200, 'POST', `/v1/lots/${r.id}/export`, {
    token: w.exporterToken,
    body: {
      customsDeclaration: 'DAM 262-2026-40-012345',
      destinationCountry: 'CH',
      exportedOn: '2026-11-20',
    },
  });
  return { a, b, p1, p2, p3, m, r: exported, scan };
}

export type GoldJourney = Awaited<ReturnType<typeof goldJourney>>;

/**
 * A lot split in two and merged back, `rounds` times: a chain of diamonds with 2^rounds paths
 * from the last lot to the first. Returns every lot, first to last.
 */
export async function diamonds(t: TestContext, w: GoldWorld, rounds: number) {
  let lot = await registerLot(t, w, { grossWeightG: '1000.000', fineness: '870' });
  const lots: { id: string }[] = [lot];
  for (let i = 0; i < rounds; i++) {
    const split = await expectCall(t, 201, 'POST', `/v1/lots/${lot.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '500.000' }, { grossWeightG: '500.000' }] },
    });
    lot = await expectCall(t, 201, 'POST', '/v1/lots/merge', {
      token: w.minerToken,
      body: { lotIds: split.children.map((c: { id: string }) => c.id) },
    });
    lots.push(...split.children, lot);
  }
  return lots;
}
