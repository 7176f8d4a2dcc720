import { rectangle } from '../../src/domain/geojson.js';

export const box = rectangle;

import type { TestContext } from './app.js';

/** A small world: a formalized miner holding a mining concession, a trader, an exporter, a checkpoint. */
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
  return {
    admin,
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
