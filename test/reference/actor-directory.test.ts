import { beforeEach, describe, expect, it } from 'vitest';
import type { TestContext } from '../helpers/app.js';
import { worldPerFile } from '../helpers/world.js';

interface World {
  admin: string;
  exporter: string;
  regulator: string;
  checkpoint: string;
  pena: string;
  guacamayo: string;
  unregistered: string;
  revoked: string;
  lapsed: string;
}

let t: TestContext;
let w: World;

const world = worldPerFile(async (t): Promise<World> => {
  const admin = await t.token('admin');
  const actor = async (taxId: string, name: string, kinds: string[]) => {
    const res = await t.call('POST', '/v1/actors', { token: admin, body: { taxId, name, kinds } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const register = async (id: string, body: Record<string, unknown>) => {
    const res = await t.call('POST', `/v1/actors/${id}/registrations`, { token: admin, body });
    expect(res.status).toBe(201);
  };
  const pena = await actor('20600000011', 'Comercializadora Peña Dorada S.A.C.', ['trader']);
  await register(pena, { registry: 'trader', status: 'registered', validFrom: '2024-01-01' });
  const guacamayo = await actor('10451234567', 'Minera ÁNGEL Guacamayo', ['miner']);
  await register(guacamayo, {
    registry: 'formalization',
    status: 'in_process',
    step: 3,
    validFrom: '2024-01-01',
  });
  const unregistered = await actor('20600000022', 'Peña Sin Registro E.I.R.L.', ['trader']);
  const revoked = await actor('20600000033', 'Peña Revocada SAC', ['trader']);
  await register(revoked, { registry: 'trader', status: 'registered', validFrom: '2023-01-01' });
  await register(revoked, { registry: 'trader', status: 'revoked', validFrom: '2024-06-01' });
  const lapsed = await actor('20600000044', 'Peña Vencida SAC', ['trader']);
  await register(lapsed, {
    registry: 'trader',
    status: 'registered',
    validFrom: '2023-01-01',
    validTo: '2024-01-01',
  });
  // The exporter's own actor, also registered (it finds itself too).
  const me = await actor('20100000001', 'Exportadora Madre de Dios', ['exporter']);
  await register(me, { registry: 'trader', status: 'registered', validFrom: '2024-01-01' });
  const post = await t.call('POST', '/v1/checkpoints', {
    token: admin,
    body: {
      code: 'PC-MAZUKO',
      name: 'Mazuko',
      location: { type: 'Point', coordinates: [-70.373, -13.098] },
      routes: ['Interoceánica Sur'],
    },
  });
  expect(post.status).toBe(201);
  return {
    admin,
    exporter: await t.token('exporter', { actor: me }),
    regulator: await t.token('regulator'),
    checkpoint: await t.token('checkpoint', { checkpoint: post.body.id }),
    pena,
    guacamayo,
    unregistered,
    revoked,
    lapsed,
  };
});

beforeEach(async () => {
  ({ t, w } = await world());
});

const names = (body: { items: { name: string }[] }) => body.items.map((a) => a.name);

describe('actor directory', () => {
  it('an exporter finds a registered counterpart by a part of its name, ignoring case and accents', async () => {
    const res = await t.call('GET', '/v1/actors/directory?q=pena%20DOR', { token: w.exporter });
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(['Comercializadora Peña Dorada S.A.C.']);
    const accented = await t.call('GET', `/v1/actors/directory?q=${encodeURIComponent('ángel')}`, {
      token: w.exporter,
    });
    expect(names(accented.body)).toEqual(['Minera ÁNGEL Guacamayo']);
    const plain = await t.call('GET', '/v1/actors/directory?q=angel', { token: w.exporter });
    expect(names(plain.body)).toEqual(['Minera ÁNGEL Guacamayo']);
  });

  it('a RUC prefix finds the actors whose RUC starts with it, not those that merely contain it', async () => {
    const res = await t.call('GET', '/v1/actors/directory?q=1045', { token: w.exporter });
    expect(names(res.body)).toEqual(['Minera ÁNGEL Guacamayo']);
    const inside = await t.call('GET', '/v1/actors/directory?q=451234', { token: w.exporter });
    expect(inside.body.items).toEqual([]);
  });

  it('answers registered counterparts only: unregistered, revoked and lapsed actors are absent', async () => {
    const res = await t.call('GET', '/v1/actors/directory?q=pe%C3%B1a', { token: w.exporter });
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(['Comercializadora Peña Dorada S.A.C.']);
    const byRuc = await t.call('GET', '/v1/actors/directory?q=206000000', { token: w.exporter });
    expect(byRuc.body.items.map((a: { id: string }) => a.id)).toEqual([w.pena]);
  });

  it('each entry carries only id, name, RUC, kinds and the registries in force today', async () => {
    const res = await t.call('GET', '/v1/actors/directory?q=guacamayo', { token: w.exporter });
    expect(res.body.items).toEqual([
      {
        id: w.guacamayo,
        name: 'Minera ÁNGEL Guacamayo',
        taxId: '10451234567',
        kinds: ['miner'],
        registeredFor: ['formalization'],
      },
    ]);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
  });

  it('ids name any actor to a regulator, registered or not, in the order given, with the same minimal fields', async () => {
    const ids = [w.unregistered, w.pena, '00000000-0000-4000-8000-000000000000'].join(',');
    const res = await t.call('GET', `/v1/actors/directory?ids=${ids}`, { token: w.regulator });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        id: w.unregistered,
        name: 'Peña Sin Registro E.I.R.L.',
        taxId: '20600000022',
        kinds: ['trader'],
        registeredFor: [],
      },
      {
        id: w.pena,
        name: 'Comercializadora Peña Dorada S.A.C.',
        taxId: '20600000011',
        kinds: ['trader'],
        registeredFor: ['trader'],
      },
    ]);
    expect(res.body.nextCursor).toBeNull();
  });

  it('ids name to an exporter or checkpoint only registered counterparts of actors it has no dealings with', async () => {
    const ids = [w.unregistered, w.revoked, w.lapsed, w.pena].join(',');
    for (const token of [w.exporter, w.checkpoint]) {
      const res = await t.call('GET', `/v1/actors/directory?ids=${ids}`, { token });
      expect(res.status).toBe(200);
      expect(res.body.items.map((a: { id: string }) => a.id)).toEqual([w.pena]);
    }
  });

  it('a page past the last is empty, and a cursor naming an actor the search would not answer reveals nothing', async () => {
    const last = await t.call('GET', '/v1/actors/directory?q=20&limit=50', { token: w.exporter });
    expect(last.body.nextCursor).toBeNull();
    const lastId = last.body.items.at(-1).id as string;
    const past = await t.call(
      'GET',
      `/v1/actors/directory?q=20&cursor=${Buffer.from(lastId).toString('base64url')}`,
      {
        token: w.exporter,
      },
    );
    expect(past.status).toBe(200);
    expect(past.body.items).toEqual([]);
    // A cursor at an unregistered actor pages on among registered ones only.
    const from = await t.call(
      'GET',
      `/v1/actors/directory?q=20&cursor=${Buffer.from(w.unregistered).toString('base64url')}`,
      { token: w.exporter },
    );
    expect(from.status).toBe(200);
    expect(from.body.items.map((a: { id: string }) => a.id)).not.toContain(w.unregistered);
    expect(from.body.items.map((a: { id: string }) => a.id)).not.toContain(w.revoked);
  });

  it('pages by name with a cursor', async () => {
    const first = await t.call('GET', '/v1/actors/directory?q=a&limit=1', { token: w.regulator });
    expect(first.status).toBe(400);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = cursor ? `&cursor=${cursor}` : '';
      const page = await t.call('GET', `/v1/actors/directory?q=20&limit=1${qs}`, { token: w.regulator });
      expect(page.status).toBe(200);
      seen.push(...names(page.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Comercializadora Peña Dorada S.A.C.', 'Exportadora Madre de Dios']);
  });

  it('is open to exporters, regulators, admins and checkpoint staff, and closed without a token', async () => {
    for (const token of [w.exporter, w.regulator, w.admin, w.checkpoint]) {
      const res = await t.call('GET', '/v1/actors/directory?q=pena', { token });
      expect(res.status).toBe(200);
    }
    const anonymous = await t.call('GET', '/v1/actors/directory?q=pena');
    expect(anonymous.status).toBe(401);
  });

  it.each([
    ['a one-letter query', 'q=p', 'q'],
    ['an empty query', 'q=', 'q'],
    ['a query that is no name or RUC', 'q=%3Cscript%3E', 'q'],
    ['neither q nor ids', '', 'q'],
    ['both q and ids', 'q=pena&ids=00000000-0000-4000-8000-000000000000', 'ids'],
    ['a malformed id', 'ids=abc,def', 'ids'],
    ['a LIKE wildcard %', 'q=pe%25a', 'q'],
    ['a LIKE wildcard _', 'q=pe_a', 'q'],
    ['a backslash', 'q=pe%5C%5Ca', 'q'],
    ['a NUL character', 'q=pe%00a', 'q'],
    ['a query of 101 characters', `q=${'a'.repeat(101)}`, 'q'],
    [
      '101 ids',
      `ids=${Array.from({ length: 101 }, () => '00000000-0000-4000-8000-000000000000').join(',')}`,
      'ids',
    ],
  ])('%s is a 400 problem naming the field', async (_, qs, field) => {
    const res = await t.call('GET', `/v1/actors/directory?${qs}`, { token: w.exporter });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.type).toBe('/problems/validation');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(`query.${field}`);
  });

  it('is documented in the OpenAPI document with what "registered" means', async () => {
    const res = await t.call('GET', '/openapi.json');
    const op = res.body.paths['/v1/actors/directory'].get;
    expect(op.description).toContain('in force today');
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'ids', 'cursor', 'limit']),
    );
  });
});
