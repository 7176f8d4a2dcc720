import { beforeEach, describe, expect, it } from 'vitest';
import type { TestContext } from '../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

/*
 * `GET /v1/actors/directory?ids=` turns ids into names and RUCs. An exporter or checkpoint may
 * have it only for actors it has a reason to know — a party to its own dealings, a registered
 * counterpart, a concession holder in the public cadastre — never for any id it sends.
 */

interface World {
  g: GoldWorld;
  /** Unregistered buyers: the lot goes miner → first → second. */
  first: string;
  second: string;
  firstToken: string;
  secondToken: string;
  /** An unregistered actor nobody dealt with. */
  stranger: string;
  /** The unregistered holder of a concession. */
  holder: string;
}

let t: TestContext;
let w: World;

const world = worldPerFile(async (t): Promise<World> => {
  const g = await goldWorld(t);
  const actor = async (taxId: string, name: string) => {
    const res = await t.call('POST', '/v1/actors', {
      token: g.admin,
      body: { taxId, name, kinds: ['trader'] },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const first = await actor('20700000011', 'Acopio Informal Uno');
  const second = await actor('20700000022', 'Acopio Informal Dos');
  const stranger = await actor('20700000033', 'Desconocido SAC');
  const holder = await actor('20700000044', 'Titular Sin Registro');
  const concession = await t.call('POST', '/v1/concessions', {
    token: g.admin,
    body: {
      code: '07-000999',
      name: 'Otra concesión',
      kind: 'mining',
      holderId: holder,
      status: 'titled',
      grantedOn: '2015-01-01',
      geometry: box(-70.3, -12.96, -70.25, -12.93),
    },
  });
  expect(concession.status).toBe(201);
  const firstToken = await t.token('exporter', { actor: first });
  const lot = await registerLot(t, g);
  for (const [token, to] of [
    [g.minerToken, first],
    [firstToken, second],
  ] as const) {
    const res = await t.call('POST', `/v1/lots/${lot.id}/transfers`, { token, body: { toActorId: to } });
    expect(res.status).toBe(200);
  }
  return {
    g,
    first,
    second,
    firstToken,
    secondToken: await t.token('exporter', { actor: second }),
    stranger,
    holder,
  };
});

beforeEach(async () => {
  ({ t, w } = await world());
});

const named = async (token: string, ids: string[]) => {
  const res = await t.call('GET', `/v1/actors/directory?ids=${ids.join(',')}`, { token });
  expect(res.status).toBe(200);
  return res.body.items.map((a: { id: string }) => a.id);
};

describe('actor directory by ids', () => {
  it('names to an exporter the one it handed a lot to, but not who held it afterwards, nor a stranger', async () => {
    const ids = [w.first, w.second, w.stranger];
    expect(await named(w.g.minerToken, ids)).toEqual([w.first]);
  });

  it('names to a custodian both parties of the transfers of the lot it holds', async () => {
    expect(await named(w.secondToken, [w.first, w.g.miner.id, w.stranger])).toEqual([w.first, w.g.miner.id]);
    expect(await named(w.firstToken, [w.first, w.second, w.stranger])).toEqual([w.first, w.second]);
  });

  it('names the supplier of an exporter’s inputs to it, and to no exporter without dealings with it', async () => {
    expect(await named(w.g.minerToken, [w.g.supplier.id])).toEqual([w.g.supplier.id]);
    expect(await named(w.g.traderToken, [w.g.supplier.id])).toEqual([]);
  });

  it('names the holder of a concession (the public cadastre) to every role', async () => {
    for (const token of [w.g.traderToken, w.g.mazukoToken, w.g.regulatorToken]) {
      expect(await named(token, [w.holder])).toEqual([w.holder]);
    }
  });

  it('names to checkpoint staff the custodian of a lot, not an actor with no lot or movement', async () => {
    expect(await named(w.g.mazukoToken, [w.second, w.stranger])).toEqual([w.second]);
  });

  it('names every actor to a regulator', async () => {
    expect(await named(w.g.regulatorToken, [w.stranger, w.first])).toEqual([w.stranger, w.first]);
  });
});
