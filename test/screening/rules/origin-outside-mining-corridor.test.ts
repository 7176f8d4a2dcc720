/**
 * ORIGIN_OUTSIDE_MINING_CORRIDOR over the real INEI district limits of Madre de Dios
 * (../shared/data/peru-madre-de-dios-distritos.geojson): the region of a lot's origin is the
 * department of the district that covers it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { importDistricts } from '../../../src/domain/reference/detections.js';
import { readFeatureCollection } from '../../../src/domain/reference/import.js';
import type { TestContext } from '../../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { worldPerFile } from '../../helpers/world.js';

const data = (name: string) => JSON.parse(readFileSync(resolve('..', 'shared', 'data', name), 'utf8'));

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(async (t) => {
  const w = await goldWorld(t);
  await importDistricts(
    t.db,
    'distritos',
    readFeatureCollection(data('peru-madre-de-dios-distritos.geojson')),
  );
  return w;
});
beforeEach(async () => {
  ({ t, w } = await world());
});

const basis = 'D.U. N.° 012-2010, Anexo 1 (corredor minero de Madre de Dios)';
// A corridor over goldWorld's concession (box(-70.12, -12.96, -70.08, -12.93)) and its surroundings.
const corridorOverConcession = box(-70.2, -13.0, -70.0, -12.9);
// A corridor further east, near Puerto Maldonado: the concession lies ~60 km outside it.
const corridorElsewhere = box(-69.6, -12.8, -69.4, -12.6);
const corridor = (geometry: unknown, over: Record<string, unknown> = {}) =>
  t.call('POST', '/v1/zones', {
    token: w.admin,
    body: {
      name: 'Corredor minero de Madre de Dios',
      kind: 'mining_corridor',
      region: 'Madre de Dios',
      legalBasis: basis,
      validFrom: '2010-02-19',
      geometry,
      ...over,
    },
  });
type Flag = { rule: string; severity: string; evidence: Record<string, unknown> };
const corridorFlags = (lot: { flags: Flag[] }) =>
  lot.flags.filter((f) => f.rule === 'ORIGIN_OUTSIDE_MINING_CORRIDOR');
const flagsOf = async (id: string): Promise<Flag[]> =>
  (await t.call('GET', `/v1/lots/${id}`, { token: w.regulatorToken })).body.flags;

describe('ORIGIN_OUTSIDE_MINING_CORRIDOR', () => {
  it('no corridor defined for the region: no flag', async () => {
    expect(corridorFlags(await registerLot(t, w))).toEqual([]);
  });

  it('fires, high, for an origin in Madre de Dios outside the corridor in force there, citing its legal basis', async () => {
    expect((await corridor(corridorElsewhere)).status).toBe(201);
    const lot = await registerLot(t, w);
    const flags = corridorFlags(lot);
    expect(flags).toHaveLength(1);
    expect(flags[0]?.severity).toBe('high');
    expect(flags[0]?.evidence).toMatchObject({
      region: 'MADRE DE DIOS',
      legalBasis: basis,
      corridorNames: ['Corredor minero de Madre de Dios'],
      extractedOn: '2026-10-01',
    });
    // ~0.5° east of the origin at 12.9° S: over 50 km.
    expect(Number(flags[0]?.evidence.distanceM)).toBeGreaterThan(50_000);
  });

  it('near miss: an origin inside the corridor, a corridor of another region, or one not yet in force on the extraction date raise nothing', async () => {
    expect((await corridor(corridorOverConcession)).status).toBe(201);
    expect(corridorFlags(await registerLot(t, w))).toEqual([]);
  });

  it('near miss: a corridor declared for another department does not judge Madre de Dios', async () => {
    expect((await corridor(corridorElsewhere, { region: 'PUNO' })).status).toBe(201);
    expect(corridorFlags(await registerLot(t, w))).toEqual([]);
  });

  it('near miss: a corridor in force only from after the extraction date does not judge the lot', async () => {
    expect((await corridor(corridorElsewhere, { validFrom: '2026-10-02' })).status).toBe(201);
    expect(corridorFlags(await registerLot(t, w))).toEqual([]);
  });

  it('adding a corridor re-screens the lots of its region already registered', async () => {
    const lot = await registerLot(t, w);
    expect(corridorFlags(lot)).toEqual([]);
    expect((await corridor(corridorElsewhere)).status).toBe(201);
    expect(corridorFlags({ flags: await flagsOf(lot.id) })).toHaveLength(1);
  });

  it('a corridor permits: an origin inside it is never an exclusion zone', async () => {
    expect((await corridor(corridorOverConcession)).status).toBe(201);
    const lot = await registerLot(t, w);
    expect(lot.flags.filter((f: Flag) => f.rule === 'ORIGIN_IN_EXCLUSION_ZONE')).toEqual([]);
  });

  it('a corridor names its region, a micro-zoning unit its permitted uses; neither elsewhere, and only admins record them', async () => {
    const bad = [
      {
        name: 'c',
        kind: 'mining_corridor',
        legalBasis: basis,
        validFrom: '2010-02-19',
        geometry: corridorElsewhere,
      },
      {
        name: 'm',
        kind: 'micro_zoning',
        legalBasis: 'ZEE',
        validFrom: '2010-02-19',
        geometry: corridorElsewhere,
      },
      {
        name: 'p',
        kind: 'protected_area',
        region: 'MADRE DE DIOS',
        legalBasis: 'Ley 26834',
        validFrom: '2010-02-19',
        geometry: corridorElsewhere,
      },
      {
        name: 'm',
        kind: 'micro_zoning',
        permittedUses: ['mining', 'mining'],
        legalBasis: 'ZEE',
        validFrom: '2010-02-19',
        geometry: corridorElsewhere,
      },
      {
        name: 'm',
        kind: 'micro_zoning',
        permittedUses: ['gambling'],
        legalBasis: 'ZEE',
        validFrom: '2010-02-19',
        geometry: corridorElsewhere,
      },
    ];
    for (const body of bad) {
      const res = await t.call('POST', '/v1/zones', { token: w.admin, body });
      expect(res.status, res.text).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const unit = await t.call('POST', '/v1/zones', {
      token: w.admin,
      body: {
        name: 'UEE forestal-minera',
        kind: 'micro_zoning',
        permittedUses: ['forestry', 'mining'],
        legalBasis: 'Ordenanza Regional (ZEE Madre de Dios)',
        validFrom: '2010-02-19',
        geometry: corridorElsewhere,
      },
    });
    expect(unit.status, unit.text).toBe(201);
    expect(unit.body).toMatchObject({
      kind: 'micro_zoning',
      permittedUses: ['forestry', 'mining'],
      region: null,
    });
    const byRegulator = await t.call('POST', '/v1/zones', {
      token: w.regulatorToken,
      body: { ...bad[0], region: 'MADRE DE DIOS' },
    });
    expect(byRegulator.status).toBe(403);
  });
});

describe('micro-zoning units: what they permit', () => {
  const unit = (permittedUses: string[]) =>
    t.call('POST', '/v1/zones', {
      token: w.admin,
      body: {
        name: `UEE ${permittedUses.join('-')}`,
        kind: 'micro_zoning',
        permittedUses,
        legalBasis: 'Zonificación Ecológica y Económica de Madre de Dios (ordenanza regional)',
        validFrom: '2010-02-19',
        geometry: corridorOverConcession,
      },
    });
  const inZone = (lot: { flags: Flag[] }) => lot.flags.filter((f) => f.rule === 'ORIGIN_IN_EXCLUSION_ZONE');

  it('gold from a unit that does not permit mining is flagged as from a zone that forbids it (medium), re-screening the lots it covers', async () => {
    const lot = await registerLot(t, w);
    expect((await unit(['forestry', 'conservation'])).status).toBe(201);
    const flags = inZone({ flags: await flagsOf(lot.id) });
    expect(flags).toHaveLength(1);
    expect(flags[0]?.severity).toBe('medium');
    expect(flags[0]?.evidence).toMatchObject({ zoneKind: 'micro_zoning' });
  });

  it('near miss: a unit that permits mining among other uses raises nothing', async () => {
    expect((await unit(['forestry', 'mining'])).status).toBe(201);
    expect(inZone(await registerLot(t, w))).toEqual([]);
  });
});
