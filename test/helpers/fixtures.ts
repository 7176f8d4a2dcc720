import { rectangle } from '../../src/domain/shared/geojson.js';

export const box = rectangle;

import type { TestContext } from './app.js';

/**
 * A small world: a formalized miner holding a mining concession and supplied with mercury and
 * diesel, a registered trader, a registered exporter, two checkpoints on the Interoceánica.
 */
export async function goldWorld(t: TestContext) {
  const admin = await t.token('admin');
  const post = async (path: string, body: unknown) => {
    const res = await t.call('POST', path, { token: admin, body });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  const miner = await post('/v1/actors', {
    taxId: '20600000011',
    name: 'Minera Guacamayo SAC',
    kinds: ['miner'],
  });
  const trader = await post('/v1/actors', {
    taxId: '20600000044',
    name: 'Acopiadora Inambari',
    kinds: ['trader'],
  });
  const exporter = await post('/v1/actors', {
    taxId: '20600000055',
    name: 'Oro del Sur',
    kinds: ['exporter'],
  });
  const concession = await post('/v1/concessions', {
    code: '07-000123',
    name: 'Guacamayo I',
    kind: 'mining',
    holderId: miner.id,
    status: 'titled',
    grantedOn: '2012-04-20',
    geometry: box(-70.12, -12.96, -70.08, -12.93),
  });
  const mazuko = await post('/v1/checkpoints', {
    code: 'PC-MAZUKO',
    name: 'Mazuko',
    location: { type: 'Point', coordinates: [-70.373, -13.098] },
    routes: ['Interoceánica Sur'],
  });
  const maldonado = await post('/v1/checkpoints', {
    code: 'PC-PM',
    name: 'Puerto Maldonado',
    location: { type: 'Point', coordinates: [-69.19, -12.6] },
    routes: ['Interoceánica Sur'],
  });
  // Registered as the rules expect of a clean supply chain (issue 5): the miner formalized and
  // authorized for controlled inputs, the buyers in the trader registry, and enough mercury and
  // fuel received for the gold the tests declare — so that the only flags a test sees are those
  // it provokes.
  await post(`/v1/actors/${miner.id}/registrations`, {
    registry: 'formalization',
    status: 'formalized',
    validFrom: '2015-01-01',
  });
  await post(`/v1/actors/${miner.id}/registrations`, {
    registry: 'controlled_inputs',
    status: 'authorized',
    validFrom: '2015-01-01',
    quotas: [
      { input: 'mercury', monthly: '50.000', unit: 'kg' },
      { input: 'diesel', monthly: '50000.000', unit: 'L' },
    ],
  });
  for (const buyer of [trader, exporter]) {
    await post(`/v1/actors/${buyer.id}/registrations`, {
      registry: 'trader',
      status: 'registered',
      validFrom: '2015-01-01',
    });
  }
  const supplier = await post('/v1/actors', {
    taxId: '20600000066',
    name: 'Distribuidora de Insumos Cusco',
    kinds: ['supplier'],
  });
  for (const [input, quantity, unit] of [
    ['mercury', '20.000', 'kg'],
    ['diesel', '20000.000', 'L'],
  ] as const) {
    await post('/v1/movements', {
      input,
      quantity,
      unit,
      consignorId: supplier.id,
      consigneeId: miner.id,
      destination: { concessionId: concession.id },
      vehicle: 'V1A-123',
      route: 'Interoceánica Sur',
    });
  }
  return {
    admin,
    supplier,
    miner,
    trader,
    exporter,
    concession,
    mazuko,
    maldonado,
    minerToken: await t.token('exporter', { actor: miner.id }),
    traderToken: await t.token('exporter', { actor: trader.id }),
    exporterToken: await t.token('exporter', { actor: exporter.id }),
    regulatorToken: await t.token('regulator'),
    mazukoToken: await t.token('checkpoint', { checkpoint: mazuko.id }),
  };
}

export type GoldWorld = Awaited<ReturnType<typeof goldWorld>>;

export const lotBody = (w: GoldWorld, over: Record<string, unknown> = {}) => ({
  producerId: w.miner.id,
  concessionId: w.concession.id,
  origin: { type: 'Point', coordinates: [-70.1, -12.945] },
  extractedOn: '2026-10-01',
  grossWeightG: '1000.000',
  fineness: '870',
  form: 'dore',
  ...over,
});

export async function registerLot(
  t: TestContext,
  w: GoldWorld,
  over: Record<string, unknown> = {},
  token = w.minerToken,
) {
  const res = await t.call('POST', '/v1/lots', { token, body: lotBody(w, over) });
  if (res.status !== 201) throw new Error(`register lot: ${res.status} ${res.text}`);
  return res.body;
}
