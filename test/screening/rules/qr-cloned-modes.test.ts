import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { qrCloned } from '../../../src/domain/screening/rules/qr-cloned.js';
import type { TestContext } from '../../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { worldPerFile } from '../../helpers/world.js';

/**
 * Impossible travel by mode: river posts at boat speed, airports through the known air links or,
 * where none is known that way, at airliner speed. Places (straight-line distances): Puerto Maldonado airport (PEM) to Lima's
 * Jorge Chávez (LIM) ~860 km, a routine ~1h35 flight; Boca Colorado to Laberinto, two river
 * ports on the Madre de Dios, ~103 km; Mazuko (road) to Laberinto ~96 km.
 */
const places = {
  pem: { code: 'AP-PEM', name: 'Aeropuerto Puerto Maldonado', at: [-69.2286, -12.6136], mode: 'air' },
  lim: { code: 'AP-LIM', name: 'Aeropuerto Jorge Chávez', at: [-77.1143, -12.0219], mode: 'air' },
  colorado: { code: 'PF-BCOLORADO', name: 'Boca Colorado', at: [-70.51, -12.53], mode: 'river' },
  laberinto: { code: 'PF-LABERINTO', name: 'Laberinto', at: [-69.58, -12.72], mode: 'river' },
} as const;
type Place = keyof typeof places;

async function modesWorld(t: TestContext) {
  const w = await goldWorld(t);
  const posts = {} as Record<Place, { id: string; token: string }>;
  for (const [key, p] of Object.entries(places) as [Place, (typeof places)[Place]][]) {
    const res = await t.call('POST', '/v1/checkpoints', {
      token: w.admin,
      body: {
        code: p.code,
        name: p.name,
        location: { type: 'Point', coordinates: p.at },
        routes: ['Madre de Dios'],
        mode: p.mode,
      },
    });
    if (res.status !== 201) throw new Error(res.text);
    posts[key] = { id: res.body.id, token: await t.token('checkpoint', { checkpoint: res.body.id }) };
  }
  return { w, posts };
}

let t: TestContext;
let w: GoldWorld;
let posts: Record<Place | 'mazuko' | 'maldonado', { id: string; token: string }>;
const world = worldPerFile(modesWorld);
beforeEach(async () => {
  const built = await world();
  t = built.t;
  w = built.w.w;
  posts = {
    ...built.w.posts,
    mazuko: { id: w.mazuko.id, token: w.mazukoToken },
    maldonado: { id: w.maldonado.id, token: await t.token('checkpoint', { checkpoint: w.maldonado.id }) },
  };
});

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function scanAt(lot: { qrUrl: string }, at: keyof typeof posts, minutesAgo: number) {
  const res = await t.call('POST', '/v1/scans', {
    token: posts[at].token,
    body: {
      token: lot.qrUrl,
      checkpointId: posts[at].id,
      occurredAt: ago(minutesAgo),
      clientId: randomUUID(),
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

// biome-ignore lint/suspicious/noExplicitAny: the scan answer as JSON
const cloned = (scan: any) => scan.flags.filter((f: { rule: string }) => f.rule === 'QR_CLONED');

const declareLink = (body: Record<string, unknown>) =>
  t.call('POST', '/v1/checkpoints/air-links', {
    token: w.admin,
    body: { source: 'LATAM/Sky timetable, Nov 2026: 1h35 flight + handling', ...body },
  });

describe('QR_CLONED by travel mode: flights', () => {
  beforeEach(async () => {
    const res = await declareLink({
      fromCheckpointId: posts.pem.id,
      toCheckpointId: posts.lim.id,
      minMinutes: 105,
    });
    expect(res.status, res.text).toBe(200);
  });

  it('a lot seen at Puerto Maldonado airport and at Lima airport two hours later (a routine flight) is not flagged', async () => {
    const lot = await registerLot(t, w);
    await scanAt(lot, 'pem', 130);
    const atLima = await scanAt(lot, 'lim', 10);
    expect(atLima.verdict).toBe('pass');
    expect(cloned(atLima)).toEqual([]);
  });

  it('the same pair 40 minutes apart fires, naming the air link and the minimum time', async () => {
    const lot = await registerLot(t, w);
    await scanAt(lot, 'pem', 50);
    const atLima = await scanAt(lot, 'lim', 10);
    expect(atLima.verdict).toBe('hold');
    const [flag] = cloned(atLima);
    expect(flag.evidence).toMatchObject({
      finding: 'impossible_travel',
      fastestRoute: 'air_link',
      via: { fromCheckpointCode: 'AP-PEM', toCheckpointCode: 'AP-LIM', flightMin: 105 },
      minPlausibleMin: 105,
      elapsedMin: 40,
      scan: { checkpointMode: 'air' },
      otherScan: { checkpointMode: 'air' },
    });
    expect(flag.evidence.distanceKm).toBeGreaterThan(840);
    expect(flag.evidence.distanceKm).toBeLessThan(880);
    expect(qrCloned.summarize(flag.evidence)).toMatch(
      /AP-LIM .* AP-PEM .* in 40 min .*air link AP-PEM→AP-LIM \(105 min\).* at least 105 min/,
    );
  });

  it('near miss: the ground leg from the city checkpoint to the airport counts, a little more than the flight passes', async () => {
    const lot = await registerLot(t, w);
    // PC-PM sits ~4 km from the airport: ~2.5 min by road before the 105 min link.
    await scanAt(lot, 'maldonado', 120);
    expect(cloned(await scanAt(lot, 'lim', 10))).toEqual([]);
    const other = await registerLot(t, w);
    await scanAt(other, 'maldonado', 116);
    const [flag] = cloned(await scanAt(other, 'lim', 10));
    expect(flag.evidence).toMatchObject({ fastestRoute: 'air_link', elapsedMin: 106 });
    expect(flag.evidence.minPlausibleMin).toBeGreaterThan(106);
    expect(flag.evidence.via.groundKmBefore).toBeGreaterThan(2);
  });

  it('an airport pair with no link known that way is judged at airliner speed: two hours passes, forty minutes fires', async () => {
    // Only PEM→LIM is declared; Lima then Puerto Maldonado is an unlisted flight, ~860 km.
    const lot = await registerLot(t, w);
    await scanAt(lot, 'lim', 250);
    expect(cloned(await scanAt(lot, 'pem', 130))).toEqual([]);
    const other = await registerLot(t, w);
    await scanAt(other, 'lim', 60);
    const [flag] = cloned(await scanAt(other, 'pem', 20));
    // ~860 km at 900 km/h is ~57 min.
    expect(flag.evidence).toMatchObject({ fastestRoute: 'air', via: null, elapsedMin: 40 });
    expect(flag.evidence.minPlausibleMin).toBeGreaterThan(55);
    expect(qrCloned.summarize(flag.evidence)).toMatch(/by air at 900 km\/h/);
  });

  it('a known link binds the pair more sharply than airliner speed: 80 minutes on a 105-minute schedule fires', async () => {
    const lot = await registerLot(t, w);
    await scanAt(lot, 'pem', 90);
    const [flag] = cloned(await scanAt(lot, 'lim', 10));
    expect(flag.evidence).toMatchObject({ fastestRoute: 'air_link', elapsedMin: 80 });
    expect(flag.evidence.minPlausibleMin).toBeGreaterThanOrEqual(105);
  });
});

describe('QR_CLONED by travel mode: rivers and roads', () => {
  it('two river ports ~103 km apart in 75 minutes fire at boat speed (70 km/h), though a road would allow it', async () => {
    const lot = await registerLot(t, w);
    await scanAt(lot, 'colorado', 90);
    const [flag] = cloned(await scanAt(lot, 'laberinto', 15));
    expect(flag.evidence).toMatchObject({ fastestRoute: 'ground', maxKmh: 70, elapsedMin: 75 });
    expect(flag.evidence.minPlausibleMin).toBeGreaterThan(85);
    expect(qrCloned.summarize(flag.evidence)).toMatch(/over the ground at 70 km\/h/);
  });

  it('near miss: the same river ports 100 minutes apart raise nothing', async () => {
    const lot = await registerLot(t, w);
    await scanAt(lot, 'colorado', 115);
    expect(cloned(await scanAt(lot, 'laberinto', 15))).toEqual([]);
  });

  it('near miss: a road post and a river port ~96 km apart in 70 minutes are judged at road speed and raise nothing', async () => {
    const lot = await registerLot(t, w);
    await scanAt(lot, 'mazuko', 85);
    expect(cloned(await scanAt(lot, 'laberinto', 15))).toEqual([]);
  });

  it('road posts keep the road speed', async () => {
    const lot = await registerLot(t, w);
    await scanAt(lot, 'mazuko', 70);
    const [flag] = cloned(await scanAt(lot, 'maldonado', 10));
    expect(flag.evidence).toMatchObject({ fastestRoute: 'ground', maxKmh: 100, via: null, elapsedMin: 60 });
  });
});

describe('Air links: declared by admins between airports', () => {
  it('lists the links, revises a minimum when declared again, and names an end that is no airport', async () => {
    const first = await declareLink({
      fromCheckpointId: posts.pem.id,
      toCheckpointId: posts.lim.id,
      minMinutes: 110,
    });
    expect(first.body.items).toMatchObject([
      { fromCheckpointCode: 'AP-PEM', toCheckpointCode: 'AP-LIM', minMinutes: 110 },
    ]);
    const revised = await declareLink({
      fromCheckpointId: posts.pem.id,
      toCheckpointId: posts.lim.id,
      minMinutes: 100,
      source: 'revised timetable',
    });
    expect(revised.status, revised.text).toBe(200);
    const list = await t.call('GET', '/v1/checkpoints/air-links', { token: posts.pem.token });
    expect(list.status, list.text).toBe(200);
    expect(list.body.items).toMatchObject([{ minMinutes: 100, source: 'revised timetable' }]);
    expect(list.body.items).toHaveLength(1);

    const road = await declareLink({
      fromCheckpointId: posts.pem.id,
      toCheckpointId: w.mazuko.id,
      minMinutes: 60,
    });
    expect(road.status).toBe(422);
    expect(road.body.errors).toEqual([
      { field: 'toCheckpointId', message: 'checkpoint PC-MAZUKO is a road post, not an airport (mode air)' },
    ]);
    const missing = await declareLink({
      fromCheckpointId: randomUUID(),
      toCheckpointId: posts.lim.id,
      minMinutes: 60,
    });
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0].field).toBe('fromCheckpointId');
    const same = await declareLink({
      fromCheckpointId: posts.lim.id,
      toCheckpointId: posts.lim.id,
      minMinutes: 60,
    });
    expect(same.status).toBe(400);
    const byRegulator = await t.call('POST', '/v1/checkpoints/air-links', {
      token: w.regulatorToken,
      body: { fromCheckpointId: posts.pem.id, toCheckpointId: posts.lim.id, minMinutes: 1, source: 'x' },
    });
    expect(byRegulator.status).toBe(403);
    expect((await t.call('GET', '/v1/checkpoints/air-links', { token: w.admin })).body.items).toMatchObject([
      { minMinutes: 100 },
    ]);
  });

  it('a checkpoint carries its mode, road by default; an unknown mode is refused', async () => {
    const pem = await t.call('GET', `/v1/checkpoints/${posts.pem.id}`, { token: w.admin });
    expect(pem.body.mode).toBe('air');
    const mazuko = await t.call('GET', `/v1/checkpoints/${w.mazuko.id}`, { token: w.admin });
    expect(mazuko.body.mode).toBe('road');
    const bad = await t.call('POST', '/v1/checkpoints', {
      token: w.admin,
      body: {
        code: 'X',
        name: 'X',
        location: { type: 'Point', coordinates: [-70, -12] },
        routes: ['r'],
        mode: 'rail',
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('mode');
  });
});
