import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/db/client.js';
import type { TestContext } from './app.js';
import { asInsider } from './db.js';
import { box } from './fixtures.js';

export const route = 'Interoceánica Sur';

/**
 * Controlled inputs on the Interoceánica: a mercury and fuel supplier registered to trade them, a
 * miner whose controlled-inputs registration grants by default 200 kg of mercury (a few 34.5 kg
 * flasks, so that the tests' movements stay within quota and raise no OVER_QUOTA flag) and
 * 2,000 L of diesel a month, its mining concession, and the Mazuko and Puerto Maldonado posts on
 * the route.
 */
export async function inputsWorld(
  t: TestContext,
  opts: { quotas?: { input: string; monthly: string; unit: string }[] } = {},
) {
  const admin = await t.token('admin');
  const post = async (path: string, body: unknown) => {
    const res = await t.call('POST', path, { token: admin, body });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  const supplier = await post('/v1/actors', {
    taxId: '20500000077',
    name: 'Distribuidora Insumos del Sur',
    kinds: ['supplier'],
  });
  const supplierRegistration = await post(`/v1/actors/${supplier.id}/registrations`, {
    registry: 'controlled_inputs',
    status: 'authorized',
    validFrom: '2025-01-01',
    quotas: [],
  });
  const miner = await post('/v1/actors', {
    taxId: '20600000011',
    name: 'Minera Huaypetue',
    kinds: ['miner'],
  });
  const minerRegistration = await post(`/v1/actors/${miner.id}/registrations`, {
    registry: 'controlled_inputs',
    status: 'authorized',
    validFrom: '2025-01-01',
    quotas: opts.quotas ?? [
      { input: 'mercury', monthly: '200.000', unit: 'kg' },
      { input: 'diesel', monthly: '2000.000', unit: 'L' },
    ],
  });
  // Formalized, so that lots the tests register raise no PRODUCER_NOT_FORMALIZED flag.
  await post(`/v1/actors/${miner.id}/registrations`, {
    registry: 'formalization',
    status: 'formalized',
    validFrom: '2015-01-01',
  });
  const other = await post('/v1/actors', { taxId: '20600000099', name: 'Minera Colorado', kinds: ['miner'] });
  const concession = await post('/v1/concessions', {
    code: '07-000456',
    name: 'Huaypetue II',
    kind: 'mining',
    holderId: miner.id,
    status: 'titled',
    grantedOn: '2015-06-01',
    geometry: box(-70.55, -13.08, -70.5, -13.03),
  });
  const mazuko = await post('/v1/checkpoints', {
    code: 'PC-MAZUKO',
    name: 'Mazuko',
    location: { type: 'Point', coordinates: [-70.373, -13.098] },
    routes: [route],
  });
  const maldonado = await post('/v1/checkpoints', {
    code: 'PC-PM',
    name: 'Puerto Maldonado',
    location: { type: 'Point', coordinates: [-69.19, -12.6] },
    routes: [route],
  });
  return {
    admin,
    supplier,
    supplierRegistration,
    miner,
    minerRegistration,
    other,
    concession,
    mazuko,
    maldonado,
    supplierToken: await t.token('exporter', { actor: supplier.id }),
    minerToken: await t.token('exporter', { actor: miner.id }),
    otherToken: await t.token('exporter', { actor: other.id }),
    regulatorToken: await t.token('regulator'),
    mazukoToken: await t.token('checkpoint', { checkpoint: mazuko.id }),
    maldonadoToken: await t.token('checkpoint', { checkpoint: maldonado.id }),
  };
}

export type InputsWorld = Awaited<ReturnType<typeof inputsWorld>>;

/** 34.5 kg of mercury (one flask) from the supplier to the miner's concession. */
export const movementBody = (w: InputsWorld, over: Record<string, unknown> = {}) => ({
  input: 'mercury',
  quantity: '34.500',
  unit: 'kg',
  consignorId: w.supplier.id,
  consigneeId: w.miner.id,
  destination: { concessionId: w.concession.id },
  vehicle: 'v1q-123',
  route,
  ...over,
});

export async function declareMovement(
  t: TestContext,
  w: InputsWorld,
  over: Record<string, unknown> = {},
  token = w.supplierToken,
) {
  const res = await t.call('POST', '/v1/movements', { token, body: movementBody(w, over) });
  if (res.status !== 201) throw new Error(`declare movement: ${res.status} ${res.text}`);
  return res.body;
}

/** An inspection at Mazuko of what was declared, passed, with a fresh client id. */
export const inspectionBody = (
  w: InputsWorld,
  movement: { id: string },
  over: Record<string, unknown> = {},
) => ({
  movementId: movement.id,
  checkpointId: w.mazuko.id,
  observedQuantity: '34.500',
  outcome: 'passed',
  occurredAt: new Date().toISOString(),
  clientId: randomUUID(),
  ...over,
});

/**
 * Test-only: moves a movement's declaration time, for quota months in the past. The API never
 * lets a client choose it (it is the server's receipt time).
 */
export async function backdateDeclaration(movementId: string, declaredAt: string) {
  await asInsider(
    sql`UPDATE movements SET declared_at = ${declaredAt}::timestamptz WHERE id = ${movementId}`,
  );
}

export async function countRows(t: TestContext, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = rowsOf<{ n: string }>(await t.db.execute(query));
  return Number(row?.n ?? 0);
}
