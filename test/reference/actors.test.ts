import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import type { TestContext } from '../helpers/app.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let admin: string;
// No world but an admin's token: restoring the empty tables costs less than emptying them.
const world = worldPerFile((t) => t.token('admin'));
beforeEach(async () => {
  ({ t, w: admin } = await world());
});

const countEvents = async () =>
  Number(rowsOf<{ n: string }>(await t.db.execute(sql`SELECT count(*)::text AS n FROM events`))[0]?.n);

async function newActor(body: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/v1/actors', {
    token: admin,
    body: { taxId: '20600000011', name: 'Minera Guacamayo SAC', kinds: ['miner'], ...body },
  });
  expect(res.status).toBe(201);
  return res.body;
}

describe('actors', () => {
  it('an admin registers an actor, and the change is an event of the ledger', async () => {
    const actor = await newActor();
    expect(actor).toMatchObject({ taxId: '20600000011', name: 'Minera Guacamayo SAC', kinds: ['miner'] });
    expect(actor.id).toMatch(/^[0-9a-f-]{36}$/);
    const [event] = rowsOf<{ type: string; subject_id: string; actor_role: string }>(
      await t.db.execute(sql`SELECT type, subject_id, actor_role FROM events`),
    );
    expect(event).toEqual({ type: 'actor.registered', subject_id: actor.id, actor_role: 'admin' });
  });

  it('a second actor with the same tax id is a 409 conflict and writes nothing', async () => {
    await newActor();
    const before = await countEvents();
    const res = await t.call('POST', '/v1/actors', {
      token: admin,
      body: { taxId: '20600000011', name: 'Someone else', kinds: ['trader'] },
    });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('/problems/conflict');
    expect(await countEvents()).toBe(before);
  });

  it('bad input is a 400 naming each failing field', async () => {
    const res = await t.call('POST', '/v1/actors', { token: admin, body: { taxId: '1', kinds: ['wizard'] } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['taxId', 'name', 'kinds.0']));
    expect(await countEvents()).toBe(0);
  });

  it('malformed JSON is a 400 problem, not a crash', async () => {
    const res = await t.call('POST', '/v1/actors', { token: admin, body: '{"taxId": ' });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('/problems/validation');
  });

  it('lists filter by kind and text, and paginate with a cursor', async () => {
    for (let i = 0; i < 5; i++) {
      await newActor({
        taxId: `2060000010${i}`,
        name: `Acopiadora ${i}`,
        kinds: i % 2 ? ['trader'] : ['miner'],
      });
    }
    const reg = await t.token('regulator');
    const traders = await t.call('GET', '/v1/actors?kind=trader', { token: reg });
    expect(traders.body.items.map((a: { name: string }) => a.name)).toEqual(['Acopiadora 1', 'Acopiadora 3']);
    const byText = await t.call('GET', '/v1/actors?q=dora%204', { token: reg });
    expect(byText.body.items).toHaveLength(1);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<ReturnType<TestContext['call']>> = await t.call(
        'GET',
        `/v1/actors?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: reg },
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((a: { name: string }) => a.name));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(['Acopiadora 0', 'Acopiadora 1', 'Acopiadora 2', 'Acopiadora 3', 'Acopiadora 4']);

    const bad = await t.call('GET', '/v1/actors?cursor=not-a-cursor', { token: reg });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('cursor');
  });

  it('an unknown actor is 404 problem+json', async () => {
    const res = await t.call('GET', '/v1/actors/01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f', { token: admin });
    expect(res.status).toBe(404);
    expect(res.body.type).toBe('/problems/not-found');
  });
});

describe('registrations', () => {
  it('keep their history: a revocation closes the formalization in force, and today shows the new status', async () => {
    const actor = await newActor();
    const path = `/v1/actors/${actor.id}/registrations`;
    const first = await t.call('POST', path, {
      token: admin,
      body: { registry: 'formalization', status: 'in_process', step: 3, validFrom: '2020-01-01' },
    });
    expect(first.status).toBe(201);
    const second = await t.call('POST', path, {
      token: admin,
      body: { registry: 'formalization', status: 'formalized', validFrom: '2022-06-01' },
    });
    expect(second.status).toBe(201);
    const third = await t.call('POST', path, {
      token: admin,
      body: { registry: 'formalization', status: 'revoked', validFrom: '2024-02-01' },
    });
    expect(third.status).toBe(201);

    const res = await t.call('GET', `/v1/actors/${actor.id}`, { token: await t.token('regulator') });
    expect(res.status).toBe(200);
    expect(
      res.body.registrations.map((r: { status: string; validFrom: string; validTo: string | null }) => [
        r.status,
        r.validFrom,
        r.validTo,
      ]),
    ).toEqual([
      ['in_process', '2020-01-01', '2022-06-01'],
      ['formalized', '2022-06-01', '2024-02-01'],
      ['revoked', '2024-02-01', null],
    ]);
    expect(res.body.current.formalization.status).toBe('revoked');
    expect(res.body.current.trader).toBeNull();
  });

  it('a registration dated before the latest one is refused: history is appended in order', async () => {
    const actor = await newActor();
    const path = `/v1/actors/${actor.id}/registrations`;
    await t.call('POST', path, {
      token: admin,
      body: { registry: 'trader', status: 'registered', validFrom: '2023-01-01' },
    });
    const res = await t.call('POST', path, {
      token: admin,
      body: { registry: 'trader', status: 'suspended', validFrom: '2022-01-01' },
    });
    expect(res.status).toBe(409);
  });

  it('controlled-inputs quotas are exact decimals in the right unit', async () => {
    const actor = await newActor({ kinds: ['supplier'] });
    const path = `/v1/actors/${actor.id}/registrations`;
    const ok = await t.call('POST', path, {
      token: admin,
      body: {
        registry: 'controlled_inputs',
        status: 'authorized',
        validFrom: '2024-01-01',
        quotas: [
          { input: 'mercury', monthly: '10.5', unit: 'kg' },
          { input: 'diesel', monthly: 12000, unit: 'L' },
        ],
      },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.quotas).toEqual([
      { input: 'mercury', monthly: '10.500', unit: 'kg' },
      { input: 'diesel', monthly: '12000.000', unit: 'L' },
    ]);

    const bad = await t.call('POST', path, {
      token: admin,
      body: {
        registry: 'controlled_inputs',
        status: 'authorized',
        validFrom: '2025-01-01',
        quotas: [
          { input: 'mercury', monthly: '1', unit: 'L' },
          { input: 'diesel', monthly: '-5', unit: 'L' },
          { input: 'gasoline', monthly: '1.0001', unit: 'L' },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['quotas.0.unit', 'quotas.1.monthly', 'quotas.2.monthly']),
    );
  });

  it('statuses are those of their registry, and step belongs to in_process only', async () => {
    const actor = await newActor();
    const path = `/v1/actors/${actor.id}/registrations`;
    const wrongStatus = await t.call('POST', path, {
      token: admin,
      body: { registry: 'trader', status: 'formalized', validFrom: '2024-01-01' },
    });
    expect(wrongStatus.status).toBe(400);
    const noStep = await t.call('POST', path, {
      token: admin,
      body: { registry: 'formalization', status: 'in_process', validFrom: '2024-01-01' },
    });
    expect(noStep.status).toBe(400);
    expect(noStep.body.errors[0].field).toBe('step');
    const reversed = await t.call('POST', path, {
      token: admin,
      body: { registry: 'trader', status: 'registered', validFrom: '2024-01-01', validTo: '2023-01-01' },
    });
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors[0].field).toBe('validTo');
  });

  it('a registration for an unknown actor is 404', async () => {
    const res = await t.call('POST', '/v1/actors/01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f/registrations', {
      token: admin,
      body: { registry: 'trader', status: 'registered', validFrom: '2024-01-01' },
    });
    expect(res.status).toBe(404);
  });
});
