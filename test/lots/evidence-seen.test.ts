import { beforeAll, describe, expect, it } from 'vitest';
import { getProvenance } from '../../src/domain/lots/provenance.js';
import { provenanceJson } from '../../src/domain/lots/provenance-json.js';
import { compactLinks } from '../../src/domain/lots/qr.js';
import { demonstrationCompanyPrefix } from '../../src/domain/shared/gs1.js';
import type { Principal } from '../../src/domain/shared/principal.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { box, type GoldWorld, goldWorld, lotBody, registerLot } from '../helpers/fixtures.js';
import { type ApiFlag, flagsOf } from '../helpers/flags.js';

// What a party sees of a flag's evidence: STRUCTURING lists the other lots of its pattern, whoever
// holds them. An exporter must not learn of a competitor's lots from it — not by a dry run naming
// any producer with a weight just under the reporting threshold, nor by reading its own lots, their
// provenance or a write's answer; it sees its own lots in the list, the counts and totals, and how
// many entries were withheld. A regulator sees everything.

let t: TestContext;
let w: GoldWorld;
// 86 g of doré at 870 ‰: 74.820 g fine, just under the 78.125 g reporting threshold.
const justUnder = { grossWeightG: '86.000' };
type L = { id: string; code: string; qrUrl: string; flags: ApiFlag[] };
let minerLots: L[];
beforeAll(async () => {
  t = await testApp();
  w = await goldWorld(t);
  // The miner registers two lots just under the threshold and keeps them: its business only.
  minerLots = [await registerLot(t, w, justUnder), await registerLot(t, w, justUnder)];
});

/** Whether an answer names any of `lots` by id or code. */
const namesAny = (text: string, lots: { id: string; code: string }[]) =>
  lots.filter((l) => text.includes(l.id) || text.includes(l.code)).map((l) => l.code);

/** The ids a flag's evidence lists. */
const listedIds = (f: ApiFlag | undefined) => ((f?.evidence.lots ?? []) as { id: string }[]).map((l) => l.id);
const structuring = (lot: { flags: ApiFlag[] }) => flagsOf(lot, 'STRUCTURING');
const byPattern = (lot: { flags: ApiFlag[] }, fingerprintRole: 'producer' | 'custodian') =>
  structuring(lot).find((f) => f.evidence.actorRole === fingerprintRole);

describe('STRUCTURING evidence as an exporter sees it', () => {
  it('a dry run naming another producer does not list that producer’s lots, only counts them', async () => {
    const res = await t.call('POST', '/v1/lots?dryRun=true', {
      token: w.exporterToken,
      body: lotBody(w, justUnder),
    });
    expect(res.status, res.text).toBe(200);
    expect(namesAny(res.text, minerLots)).toEqual([]);
    const flag = res.body.flags.find(
      (f: ApiFlag) => f.rule === 'STRUCTURING' && f.evidence.actorRole === 'producer',
    );
    expect(flag.evidence).toMatchObject({ actorId: w.miner.id, lotCount: 3, lotsWithheld: 2 });
    // The lot the dry run would register is the exporter's own: it stays listed.
    const [dryLot] = res.body.lots;
    expect(flag.evidence.lots).toEqual([expect.objectContaining({ id: dryLot.id, fineWeightG: '74.820' })]);
    expect(byPattern(dryLot, 'producer')?.evidence).toEqual(flag.evidence);
  });

  describe('once the exporter registered lots of the same producer', () => {
    let own: L[];
    beforeAll(async () => {
      own = [];
      for (let i = 0; i < 3; i++) own.push(await registerLot(t, w, justUnder, w.exporterToken));
    });

    it('the write’s answer lists its own lots only, with the counts of all', () => {
      const last = own[2] as L;
      const text = JSON.stringify(last);
      expect(namesAny(text, minerLots)).toEqual([]);
      // The producer's pattern: five lots, two of them the miner's.
      const producer = byPattern(last, 'producer');
      expect(producer?.evidence).toMatchObject({ lotCount: 5, lotsWithheld: 2 });
      expect(listedIds(producer)).toEqual(own.map((l) => l.id));
      // Its own pattern as registering custodian: all its own, nothing withheld.
      const custodian = byPattern(last, 'custodian');
      expect(custodian?.evidence.lotCount).toBe(3);
      expect(custodian?.evidence).not.toHaveProperty('lotsWithheld');
      expect(listedIds(custodian)).toEqual(own.map((l) => l.id));
    });

    it('lot reads, lists and provenance in every format never name the miner’s lots', async () => {
      const last = own[2] as L;
      const paths = [
        `/v1/lots/${last.id}`,
        '/v1/lots?limit=200',
        `/v1/lots?code=${last.code}`,
        ...['json', 'geojson', 'epcis'].map((f) => `/v1/lots/${last.id}/provenance?format=${f}`),
      ];
      for (const path of paths) {
        const res = await t.call('GET', path, { token: w.exporterToken });
        expect(res.status, path).toBe(200);
        expect(namesAny(res.text, minerLots), path).toEqual([]);
      }
      const read = (await t.call('GET', `/v1/lots/${last.id}`, { token: w.exporterToken })).body;
      expect(byPattern(read, 'producer')?.evidence).toMatchObject({ lotCount: 5, lotsWithheld: 2 });
      const prov = (await t.call('GET', `/v1/lots/${last.id}/provenance`, { token: w.exporterToken })).body;
      expect(byPattern(prov.lot, 'producer')?.evidence).toMatchObject({ lotCount: 5, lotsWithheld: 2 });
    });

    it('a regulator sees every lot of the pattern', async () => {
      const last = own[2] as L;
      for (const path of [`/v1/lots/${last.id}`, `/v1/lots/${last.id}/provenance`]) {
        const res = await t.call('GET', path, { token: w.regulatorToken });
        const lot = 'lot' in res.body ? res.body.lot : res.body;
        const producer = byPattern(lot, 'producer');
        expect(producer?.evidence.lotCount, path).toBe(5);
        expect(producer?.evidence, path).not.toHaveProperty('lotsWithheld');
        expect(listedIds(producer), path).toEqual([...minerLots, ...own].map((l) => l.id));
      }
    });

    it('the miner sees the lots registered on its behalf: it may read them (access.ts)', async () => {
      const third = await registerLot(t, w, justUnder);
      const producer = byPattern(third, 'producer');
      expect(producer?.evidence.lotCount).toBe(6);
      expect(producer?.evidence).not.toHaveProperty('lotsWithheld');
      expect(namesAny(JSON.stringify(third), own)).toHaveLength(3);
    });

    it('checkpoint staff scanning a lot see no lot of the pattern but its own count', async () => {
      const last = own[2] as L;
      const res = await t.call('POST', '/v1/scans', {
        token: w.mazukoToken,
        body: {
          token: last.qrUrl,
          checkpointId: w.mazuko.id,
          occurredAt: new Date().toISOString(),
          clientId: crypto.randomUUID(),
        },
      });
      expect(res.status, res.text).toBe(201);
      expect(namesAny(res.text, [...minerLots, ...own.slice(0, 2)])).toEqual([]);
    });

    it('the provenance PostgreSQL writes equals the object path for every reader', async () => {
      const links = compactLinks('http://orotrace.test', demonstrationCompanyPrefix);
      const readers: Principal[] = [
        { sub: 'regulator', role: 'regulator' },
        { sub: 'miner', role: 'exporter', actorId: w.miner.id },
        { sub: 'exporter', role: 'exporter', actorId: w.exporter.id },
      ];
      const answer = (p: Promise<unknown>) =>
        p.then(
          (v) => JSON.stringify(typeof v === 'string' ? JSON.parse(v) : v),
          (e: Error) => `${e.constructor.name}: ${e.message}`,
        );
      let withheld = 0;
      for (const by of readers) {
        for (const lot of [...minerLots, ...own]) {
          const fromObjects = await answer(getProvenance(t.db, by, lot.id, links));
          const fromSql = await answer(provenanceJson(t.db, by, lot.id, links));
          expect(fromSql, `${by.sub} reading ${lot.code}`).toBe(fromObjects);
          if (fromObjects.includes('"lotsWithheld"')) withheld++;
        }
      }
      // Not trivially equal: the exporter's lots carry lists it sees cut.
      expect(withheld).toBeGreaterThan(0);
    });
  });
});

describe('STRUCTURING hand-overs as the last recipient sees them', () => {
  it('the lots an actor handed to others, and to whom, are withheld; the count stays', async () => {
    // The miner hands three lots just under the threshold on within days: two to the trader, the
    // last to the exporter, whose lot carries the hand-over pattern.
    const handed: L[] = [];
    for (let i = 0; i < 3; i++) handed.push(await registerLot(t, w, justUnder));
    const [a, b, c] = handed as [L, L, L];
    for (const [lot, to] of [
      [a, w.trader.id],
      [b, w.trader.id],
    ] as const) {
      const res = await t.call('POST', `/v1/lots/${lot.id}/transfers`, {
        token: w.minerToken,
        body: { toActorId: to },
      });
      expect(res.status, res.text).toBe(200);
    }
    const res = await t.call('POST', `/v1/lots/${c.id}/transfers`, {
      token: w.minerToken,
      body: { toActorId: w.exporter.id },
    });
    expect(res.status, res.text).toBe(200);
    const flagOf = (lot: { flags: ApiFlag[] }) =>
      structuring(lot).find((f) => f.evidence.pattern === 'handovers');
    // The miner, who made all three hand-overs, sees them all.
    expect(listedIds(flagOf(res.body))).toEqual(handed.map((l) => l.id));
    const paths = [
      `/v1/lots/${c.id}`,
      ...['json', 'geojson', 'epcis'].map((f) => `/v1/lots/${c.id}/provenance?format=${f}`),
    ];
    for (const path of paths) {
      const read = await t.call('GET', path, { token: w.exporterToken });
      expect(read.status, path).toBe(200);
      expect(namesAny(read.text, [a, b]), path).toEqual([]);
      expect(read.text.includes(w.trader.id), `${path} names the trader`).toBe(false);
    }
    const seen = flagOf((await t.call('GET', `/v1/lots/${c.id}`, { token: w.exporterToken })).body);
    expect(seen?.evidence).toMatchObject({ lotCount: 3, lotsWithheld: 2 });
    expect(listedIds(seen)).toEqual([c.id]);
    const regulator = flagOf((await t.call('GET', `/v1/lots/${c.id}`, { token: w.regulatorToken })).body);
    expect(regulator?.evidence.lots).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: a.id, toActorId: w.trader.id })]),
    );
  });
});

describe('flags a write raises on lots of others', () => {
  it('a dry run does not tell of them, and the write confirmed from it is made', async () => {
    // A concession of ~0.3 ha held by the miner: ~450 g of fine gold a year (A). The miner
    // registered five lots of 24 % of A, 60 days apart, from the second date on (1.2 A in a year);
    // a lot dated before them, registered by the exporter, brings their year to 1.44 A and flags
    // the miner's two latest lots — none of the exporter's business.
    const concession = await t.call('POST', '/v1/concessions', {
      token: w.admin,
      body: {
        overlapException: { legalBasis: 'superposición admitida (prueba)' },
        code: '07-000995',
        name: 'Guacamayo Chico 07-000995',
        kind: 'mining',
        holderId: w.miner.id,
        status: 'titled',
        grantedOn: '2012-04-20',
        geometry: box(-70.0945, -12.9455, -70.094, -12.945),
      },
    });
    expect(concession.status, concession.text).toBe(201);
    const annual = Number(concession.body.areaHa) * 1500;
    const day = (n: number) => new Date(Date.parse('2025-12-05') + n * 86_400_000).toISOString().slice(0, 10);
    const body = (n: number) => ({
      concessionId: concession.body.id,
      origin: { type: 'Point', coordinates: [-70.09425, -12.94525] },
      grossWeightG: ((annual * 0.24) / 0.87).toFixed(3),
      extractedOn: day(n),
    });
    const minerLots: L[] = [];
    for (const n of [300, 240, 180, 120, 60]) minerLots.push(await registerLot(t, w, body(n)));
    const preview = await t.call('POST', '/v1/lots?dryRun=true', {
      token: w.exporterToken,
      body: lotBody(w, body(0)),
    });
    expect(preview.status, preview.text).toBe(200);
    expect(namesAny(preview.text, minerLots)).toEqual([]);
    // The keys the desk confirms with: every flag shown, raised or carried.
    const shown = [
      ...preview.body.flags,
      ...preview.body.lots.flatMap((l: { flags: ApiFlag[] }) => l.flags),
    ].map((f: ApiFlag) => `${f.rule}:${f.severity}`);
    const made = await t.call('POST', `/v1/lots?expectFlags=${[...new Set(shown)].join(',')}`, {
      token: w.exporterToken,
      body: lotBody(w, body(0)),
    });
    expect(made.status, made.text).toBe(201);
    expect(namesAny(made.text, minerLots)).toEqual([]);
    // The flags were raised: the regulator sees them on the miner's two latest lots.
    for (const lot of minerLots.slice(0, 2)) {
      const read = await t.call('GET', `/v1/lots/${lot.id}`, { token: w.regulatorToken });
      expect(flagsOf(read.body, 'PRODUCTION_OVER_CAPACITY'), lot.code).toHaveLength(1);
    }
  });
});
