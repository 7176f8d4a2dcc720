import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { flags } from '../../src/db/schema/index.js';
import { getProvenance } from '../../src/domain/lots/provenance.js';
import { provenanceJson } from '../../src/domain/lots/provenance-json.js';
import { compactLinks } from '../../src/domain/lots/qr.js';
import { toMilli } from '../../src/domain/shared/grams.js';
import { demonstrationCompanyPrefix } from '../../src/domain/shared/gs1.js';
import { newId } from '../../src/domain/shared/ids.js';
import type { TestContext } from '../helpers/app.js';
import { diamonds, type GoldJourney, goldJourney } from '../helpers/dag.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { gs1EpcisSchema } from '../helpers/gs1-schema.js';
import { worldPerFile } from '../helpers/world.js';

const validateEpcis = gs1EpcisSchema();

let t: TestContext;
let w: GoldWorld;
let j: GoldJourney;
const world = worldPerFile(async (t) => {
  const w = await goldWorld(t);
  return { w, j: await goldJourney(t, w) };
});
beforeEach(async () => {
  ({
    t,
    w: { w, j },
  } = await world());
});

const provenance = (id: string, format = 'json', token = w.regulatorToken) =>
  t.call('GET', `/v1/lots/${id}/provenance?format=${format}`, { token });
const idsAndDepths = (lots: { id: string; depth: number }[]) => lots.map((l) => [l.id, l.depth]);
const lotUri = (id: string) => `http://orotrace.test/v1/lots/${id}`;
const actorUri = (id: string) => `http://orotrace.test/v1/actors/${id}`;
// Ids compared as PostgreSQL orders uuids (byte order, which is the order of their hex text).
const byParent = (x: { parentId: string }, y: { parentId: string }) => (x.parentId < y.parentId ? -1 : 1);
const sortIds = (ids: string[]) => [...ids].sort();

describe('provenance as JSON', () => {
  it('from the merged lot in the middle, ancestors and descendants are complete, nearest first', async () => {
    const res = await provenance(j.m.id);
    expect(res.status).toBe(200);
    expect(res.body.lot).toMatchObject({ id: j.m.id, status: 'consumed', fineWeightG: '739.999' });
    // Depth 1: both inputs of the merge (b then p1, by code); depth 2: the lot p1 was split from.
    expect(idsAndDepths(res.body.ancestors)).toEqual([
      [j.b.id, 1],
      [j.p1.id, 1],
      [j.a.id, 2],
    ]);
    expect(idsAndDepths(res.body.descendants)).toEqual([[j.r.id, 1]]);
    // Lots as the API presents them.
    const [r] = res.body.descendants;
    expect(r).toMatchObject({
      direction: 'descendant',
      depth: 1,
      code: j.r.code,
      status: 'exported',
      custodianId: w.exporter.id,
      fineWeightG: '739.926',
      parentIds: [j.m.id],
      qrUrl: j.r.qrUrl,
      riskLevel: 'none',
    });
    // p1's sisters are neither ancestors nor descendants of m, but the split's edges name them.
    expect(res.body.edges).toEqual([
      { parentId: j.a.id, childId: j.p1.id, operation: 'split', fineWeightG: '289.999' },
      { parentId: j.a.id, childId: j.p2.id, operation: 'split', fineWeightG: '289.999' },
      { parentId: j.a.id, childId: j.p3.id, operation: 'split', fineWeightG: '289.999' },
      ...[
        { parentId: j.p1.id, childId: j.m.id, operation: 'merge', fineWeightG: '289.999' },
        { parentId: j.b.id, childId: j.m.id, operation: 'merge', fineWeightG: '450.000' },
      ].sort(byParent),
      { parentId: j.m.id, childId: j.r.id, operation: 'refine', fineWeightG: '739.926' },
    ]);
    // Every lot exactly as GET /v1/lots/:id presents it, plus where it lies.
    for (const { direction, depth, ...l } of [res.body.lot, ...res.body.ancestors, ...res.body.descendants]) {
      expect(l).toEqual((await t.call('GET', `/v1/lots/${l.id}`, { token: w.regulatorToken })).body);
    }
  });

  it('a chain of diamonds (split in two, merged back, ten times: 1,024 paths) gives each lot once, at its distance', async () => {
    const lots = await diamonds(t, w, 10);
    const last = lots.at(-1) as { id: string };
    const res = await provenance(last.id);
    expect(res.body.ancestors).toHaveLength(30);
    const depthOf = new Map(res.body.ancestors.map((l: { id: string; depth: number }) => [l.id, l.depth]));
    // lots = [first, a1, b1, m1, a2, b2, m2, ...]: the parts of round k lie 2(10-k)+1 edges up.
    expect(depthOf.get(lots[0]?.id)).toBe(20);
    expect(depthOf.get(lots[28]?.id)).toBe(1);
    expect(depthOf.get(lots[27]?.id)).toBe(2);
    expect(depthOf.get(lots[1]?.id)).toBe(19);
    expect(res.body.edges).toHaveLength(40);
    const down = await provenance(lots[0]?.id as string);
    expect(down.body.descendants.map((l: { id: string }) => l.id).sort()).toEqual(
      lots
        .slice(1)
        .map((l) => l.id)
        .sort(),
    );
  });

  it('walks the whole way up from the exported lot and the whole way down from the first', async () => {
    const up = await provenance(j.r.id);
    expect(idsAndDepths(up.body.ancestors)).toEqual([
      [j.m.id, 1],
      [j.b.id, 2],
      [j.p1.id, 2],
      [j.a.id, 3],
    ]);
    expect(up.body.descendants).toEqual([]);
    const down = await provenance(j.a.id);
    expect(down.body.ancestors).toEqual([]);
    expect(idsAndDepths(down.body.descendants)).toEqual([
      [j.p1.id, 1],
      [j.p2.id, 1],
      [j.p3.id, 1],
      [j.m.id, 2],
      [j.r.id, 3],
    ]);
    // A sister part has the first lot as its only ancestor and nothing below it.
    const sister = await provenance(j.p2.id);
    expect(idsAndDepths(sister.body.ancestors)).toEqual([[j.a.id, 1]]);
    expect(sister.body.descendants).toEqual([]);
  });

  it('lists every event on the lots of the provenance, in ledger order', async () => {
    const res = await provenance(j.m.id);
    const seen = res.body.events.map((e: { type: string; subjectId: string }) => [e.type, e.subjectId]);
    expect(seen).toEqual([
      ['lot.registered', j.a.id],
      ['lot.registered', j.b.id],
      ['lot.split', j.a.id],
      ['lot.created_by_split', j.p1.id], // p2's and p3's are not on this provenance's lots
      ['lot.merged', j.p1.id],
      ['lot.merged', j.b.id],
      ['lot.created_by_merge', j.m.id],
      ['lot.refined', j.m.id],
      ['lot.created_by_refine', j.r.id],
      ['lot.scanned', j.r.id],
      ['lot.transferred', j.r.id],
      ['lot.exported', j.r.id],
    ]);
    const times = res.body.events.map((e: { recordedAt: string }) => Date.parse(e.recordedAt));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    const scan = res.body.events[9];
    expect(scan).toMatchObject({
      actorRole: 'checkpoint',
      payload: { checkpointId: w.mazuko.id, verdict: 'pass' },
    });
    expect(res.body.events[11]).toMatchObject({
      actorRole: 'exporter',
      actorId: w.exporter.id,
      payload: { customsDeclaration: 'DAM 262-2026-40-012345', destinationCountry: 'CH' },
    });
  });

  it('carries the flags of every lot on the way, an inherited one naming its source', async () => {
    const own = newId();
    const inherited = newId();
    await t.db.insert(flags).values([
      {
        id: own,
        rule: 'PRODUCER_NOT_FORMALIZED',
        severity: 'high',
        subjectType: 'lot',
        subjectId: j.b.id,
        evidence: { status: 'none' },
      },
      {
        id: inherited,
        rule: 'PRODUCER_NOT_FORMALIZED',
        severity: 'high',
        subjectType: 'lot',
        subjectId: j.m.id,
        evidence: { status: 'none' },
        inheritedFrom: own,
      },
    ]);
    const res = await provenance(j.r.id);
    expect(res.body.flags).toEqual([
      expect.objectContaining({ id: own, subjectId: j.b.id, inheritedFrom: null, status: 'open' }),
      expect.objectContaining({ id: inherited, subjectId: j.m.id, inheritedFrom: own }),
    ]);
    const m = res.body.ancestors.find((l: { id: string }) => l.id === j.m.id);
    expect(m).toMatchObject({ riskLevel: 'high', flags: [expect.objectContaining({ inheritedFrom: own })] });
    // A flag on a lot outside the provenance (p2 is m's aunt, not its ancestor) is not listed.
    const other = await provenance(j.p2.id);
    expect(other.body.flags).toEqual([]);
  });
});

/**
 * Writes a flag row straight into the flags table, as the screening rules would: no rule raises
 * one on the journey, and this test needs flags of several severities and statuses. createdAt
 * is given with microseconds so that both paths must cut it to milliseconds the same way.
 */
async function insertFlagRowDirectly(f: {
  subjectId: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  status?: 'open' | 'acknowledged' | 'escalated' | 'dismissed';
  inheritedFrom?: string;
  createdAt: string;
}): Promise<string> {
  const id = newId();
  await t.db.execute(sql`INSERT INTO flags (id, rule, severity, subject_type, subject_id, evidence, status,
      inherited_from, created_at, fingerprint)
    VALUES (${id}, 'PRODUCER_NOT_FORMALIZED', ${f.severity}, 'lot', ${f.subjectId},
      ${JSON.stringify({ status: 'none', share: 1.5, checks: [1, 2] })}::jsonb, ${f.status ?? 'open'},
      ${f.inheritedFrom ?? null}, ${f.createdAt}::timestamptz, ${id})`);
  return id;
}

/**
 * Overwrites a lot's customs declaration straight in the table with text that JSON must escape
 * (quotes, a backslash, a newline, a tab) and non-ASCII letters: the API's own validation may
 * never let such text in, but the document must stay valid JSON whatever a text column holds.
 */
async function setCustomsDeclarationDirectly(lotId: string, text: string): Promise<void> {
  await t.db.execute(sql`UPDATE lots SET customs_declaration = ${text} WHERE id = ${lotId}`);
}

describe('provenance as JSON written by PostgreSQL', () => {
  it('says exactly what the Provenance object says (the one EPCIS and GeoJSON read), field by field', async () => {
    const own = await insertFlagRowDirectly({
      subjectId: j.b.id,
      severity: 'high',
      createdAt: '2026-11-26 15:00:00.123999+00',
    });
    await insertFlagRowDirectly({
      subjectId: j.m.id,
      severity: 'high',
      inheritedFrom: own,
      createdAt: '2026-11-26 15:00:01.000500+00',
    });
    // Only open flags count for riskLevel: p1 is 'low' despite a dismissed critical flag.
    await insertFlagRowDirectly({
      subjectId: j.p1.id,
      severity: 'low',
      createdAt: '2026-11-26 15:00:02.5+00',
    });
    await insertFlagRowDirectly({
      subjectId: j.p1.id,
      severity: 'critical',
      status: 'dismissed',
      createdAt: '2026-11-26 15:00:03+00',
    });
    await insertFlagRowDirectly({
      subjectId: j.r.id,
      severity: 'medium',
      status: 'acknowledged',
      createdAt: '2026-11-26 15:00:04.999999+00',
    });
    const awkward = 'DAM "262"\\2026\n\tAduana Marítima del Callao – ✓';
    await setCustomsDeclarationDirectly(j.r.id, awkward);
    const regulator = { sub: 'test', role: 'regulator' as const };
    const baseUrl = compactLinks('http://orotrace.test', demonstrationCompanyPrefix);
    // The merged lot (split and merge above, refine, scan, transfer and export below), the ends
    // of the journey, and a sister part; with QR URLs in either printed form.
    for (const links of [baseUrl, { ...baseUrl, format: 'digital-link' as const }])
      for (const lot of [j.m, j.a, j.r, j.p2]) {
        const text = await provenanceJson(t.db, regulator, lot.id, links);
        const fromSql = JSON.parse(text);
        // The object as the JSON format served it before (c.json: JSON.stringify).
        const fromObjects = JSON.parse(JSON.stringify(await getProvenance(t.db, regulator, lot.id, links)));
        expect(Object.keys(fromSql)).toEqual(Object.keys(fromObjects));
        const lotsOf = (p: typeof fromSql) => [p.lot, ...p.ancestors, ...p.descendants];
        expect(lotsOf(fromSql).map((l) => l.id)).toEqual(lotsOf(fromObjects).map((l) => l.id));
        lotsOf(fromObjects).forEach((expected, i) => {
          const got = lotsOf(fromSql)[i];
          expect(Object.keys(got), `members of lot ${expected.id}`).toEqual(Object.keys(expected));
          for (const field of Object.keys(expected)) {
            expect(got[field], `lot ${expected.id}: ${field}`).toEqual(expected[field]);
          }
        });
        for (const part of ['edges', 'events', 'flags'] as const) {
          expect(fromSql[part], part).toHaveLength(fromObjects[part].length);
          fromObjects[part].forEach((expected: Record<string, unknown>, i: number) => {
            expect(Object.keys(fromSql[part][i]), `members of ${part}[${i}]`).toEqual(Object.keys(expected));
            for (const field of Object.keys(expected)) {
              expect(fromSql[part][i][field], `${part}[${i}].${field}`).toEqual(expected[field]);
            }
          });
        }
        // Members in the same order throughout: the same text once whitespace inside jsonb is undone.
        expect(JSON.stringify(fromSql)).toBe(JSON.stringify(fromObjects));
        if (links.format === 'digital-link')
          expect(fromSql.lot.qrUrl).toMatch(
            /^http:\/\/orotrace\.test\/8004\/9520000AU-\d{4}-\d{6}\?jws=[\w-]+\.[\w-]+\.[\w-]+$/,
          );
      }
    const m = JSON.parse(await provenanceJson(t.db, regulator, j.m.id, baseUrl));
    // The cases the flags above set up, seen in the document itself.
    expect(m.flags.map((f: { createdAt: string }) => f.createdAt)).toEqual([
      '2026-11-26T15:00:00.123Z',
      '2026-11-26T15:00:01.000Z',
      '2026-11-26T15:00:02.500Z',
      '2026-11-26T15:00:03.000Z',
      '2026-11-26T15:00:04.999Z',
    ]);
    expect(m.descendants[0].customsDeclaration).toBe(awkward);
    const riskOf = (id: string) =>
      [m.lot, ...m.ancestors, ...m.descendants].find((l: { id: string }) => l.id === id).riskLevel;
    expect([j.b.id, j.m.id, j.p1.id, j.r.id, j.a.id].map(riskOf)).toEqual([
      'high',
      'high',
      'low',
      'none',
      'none',
    ]);
  });

  it('is sent as it comes: the body is the text PostgreSQL wrote, as application/json', async () => {
    const res = await provenance(j.m.id);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.text).toBe(
      await provenanceJson(
        t.db,
        { sub: 'test', role: 'regulator' },
        j.m.id,
        compactLinks('http://orotrace.test', demonstrationCompanyPrefix),
      ),
    );
  });
});

describe('provenance as GeoJSON', () => {
  it('holds the origin point of every lot that has one and the polygon of their concession', async () => {
    const res = await provenance(j.m.id, 'geojson');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    expect(res.body.type).toBe('FeatureCollection');
    const points = res.body.features.filter(
      (f: { geometry: { type: string } }) => f.geometry.type === 'Point',
    );
    // a and its part p1 share a's origin; b has its own; the merged lot, of two origins, has none.
    expect(sortIds(points.map((f: { properties: { lotId: string } }) => f.properties.lotId))).toEqual(
      sortIds([j.a.id, j.b.id, j.p1.id]),
    );
    const b = points.find((f: { properties: { lotId: string } }) => f.properties.lotId === j.b.id);
    expect(b).toEqual({
      type: 'Feature',
      id: j.b.id,
      geometry: { type: 'Point', coordinates: [-70.09, -12.94] },
      properties: {
        lotId: j.b.id,
        code: j.b.code,
        extractedOn: '2026-10-03',
        producerId: w.miner.id,
        concessionId: w.concession.id,
        geometryVersion: 1,
      },
    });
    const areas = res.body.features.filter(
      (f: { geometry: { type: string } }) => f.geometry.type === 'MultiPolygon',
    );
    expect(areas).toEqual([
      {
        type: 'Feature',
        id: w.concession.id,
        geometry: { type: 'MultiPolygon', coordinates: [box(-70.12, -12.96, -70.08, -12.93).coordinates] },
        properties: {
          concessionId: w.concession.id,
          code: '07-000123',
          name: 'Guacamayo I',
          kind: 'mining',
          status: 'titled',
          geometryVersion: 1,
          validFrom: null,
          validTo: null,
        },
      },
    ]);
  });
});

describe('provenance as GS1 EPCIS 2.0', () => {
  const epcis = async (id: string) => {
    const res = await provenance(id, 'epcis');
    expect(res.status).toBe(200);
    return res;
  };

  it('is a document that validates against GS1’s EPCIS JSON Schema', async () => {
    const res = await epcis(j.m.id);
    expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    const doc = res.body;
    const valid = validateEpcis(doc);
    expect(validateEpcis.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(doc).toMatchObject({
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', expect.any(Object)],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
    });
    expect(Date.parse(doc.creationDate)).not.toBeNaN();
    // Every lot's journey, upstream and downstream, validates too.
    for (const id of [j.a.id, j.p2.id, j.r.id]) {
      expect(validateEpcis((await epcis(id)).body), `provenance of ${id}`).toBe(true);
    }
  });

  it('maps registrations, operations, the scan, the transfer and the export to CBV events', async () => {
    const [doc, json] = [(await epcis(j.m.id)).body, (await provenance(j.m.id)).body];
    const events = doc.epcisBody.eventList;
    expect(events.map((e: { type: string; bizStep: string }) => [e.type, e.bizStep])).toEqual([
      ['ObjectEvent', 'commissioning'],
      ['ObjectEvent', 'commissioning'],
      ['TransformationEvent', 'creating_class_instance'],
      ['TransformationEvent', 'creating_class_instance'],
      ['TransformationEvent', 'creating_class_instance'],
      ['ObjectEvent', 'inspecting'],
      ['ObjectEvent', 'accepting'],
      ['ObjectEvent', 'departing'],
    ]);
    const [regA, , split, merge, refine, scan, transfer, exported] = events;
    const byType = (type: string) => json.events.find((e: { type: string }) => e.type === type);
    expect(regA).toMatchObject({
      eventID: `urn:uuid:${json.events[0].id}`,
      eventTime: json.events[0].occurredAt,
      eventTimeZoneOffset: '+00:00',
      action: 'ADD',
      disposition: 'active',
      readPoint: { id: 'geo:-12.945,-70.1' },
      bizLocation: { id: `http://orotrace.test/v1/concessions/${w.concession.id}` },
      ilmd: { 'orotrace:code': j.a.code, 'orotrace:producer': actorUri(w.miner.id) },
    });
    expect(split).toMatchObject({
      eventID: `urn:uuid:${byType('lot.split').id}`,
      'orotrace:operation': 'split',
    });
    expect(split.transformationID).toBe(split.eventID);
    expect(merge['orotrace:operation']).toBe('merge');
    expect(refine['orotrace:operation']).toBe('refine');
    expect(scan).toMatchObject({
      action: 'OBSERVE',
      readPoint: { id: `http://orotrace.test/v1/checkpoints/${w.mazuko.id}` },
      disposition: 'conformant',
      'orotrace:verdict': 'pass',
      eventTime: byType('lot.scanned').occurredAt,
    });
    expect(transfer).toMatchObject({
      sourceList: [
        { type: 'owning_party', source: actorUri(w.miner.id) },
        { type: 'possessing_party', source: actorUri(w.miner.id) },
      ],
      destinationList: [
        { type: 'owning_party', destination: actorUri(w.exporter.id) },
        { type: 'possessing_party', destination: actorUri(w.exporter.id) },
      ],
    });
    expect(exported).toMatchObject({
      disposition: 'in_transit',
      'orotrace:destinationCountry': 'CH',
      sourceList: [{ type: 'owning_party', source: actorUri(w.exporter.id) }, expect.any(Object)],
    });
  });

  it('balances the fine grams: no transformation makes gold, and every lot keeps its quantity', async () => {
    const events = (await epcis(j.m.id)).body.epcisBody.eventList;
    type Q = { epcClass: string; quantity: number; uom: string };
    const mg = (q: Q) => toMilli(q.quantity.toFixed(3));
    const sum = (qs: Q[]) => qs.reduce((s, q) => s + mg(q), 0n);
    const all: Q[] = events.flatMap((e: Record<string, Q[]>) => [
      ...(e.quantityList ?? []),
      ...(e.inputQuantityList ?? []),
      ...(e.outputQuantityList ?? []),
    ]);
    expect(new Set(all.map((q) => q.uom))).toEqual(new Set(['GRM']));

    const [regA, regB, split, merge, refine, ...observed] = events;
    expect(regA.quantityList).toEqual([{ epcClass: lotUri(j.a.id), quantity: 870, uom: 'GRM' }]);
    expect(regB.quantityList).toEqual([{ epcClass: lotUri(j.b.id), quantity: 450, uom: 'GRM' }]);
    expect(split.inputQuantityList).toEqual([{ epcClass: lotUri(j.a.id), quantity: 870, uom: 'GRM' }]);
    expect(split.outputQuantityList).toEqual(
      [j.p1, j.p2, j.p3].map((p) => ({ epcClass: lotUri(p.id), quantity: 289.999, uom: 'GRM' })),
    );
    expect(sum(merge.inputQuantityList)).toBe(739_999n);
    expect(merge.outputQuantityList).toEqual([{ epcClass: lotUri(j.m.id), quantity: 739.999, uom: 'GRM' }]);
    expect(refine.outputQuantityList).toEqual([{ epcClass: lotUri(j.r.id), quantity: 739.926, uom: 'GRM' }]);
    for (const e of observed) {
      expect(e.quantityList).toEqual([{ epcClass: lotUri(j.r.id), quantity: 739.926, uom: 'GRM' }]);
    }

    // The law itself: outputs never outweigh inputs (split and refine lose a little: 3 mg, 73 mg),
    // and a lot enters every later event with the grams it came into being with.
    const known = new Map<string, bigint>();
    for (const e of events) {
      if (e.type === 'ObjectEvent' && e.action === 'ADD')
        for (const q of e.quantityList) known.set(q.epcClass, mg(q));
      if (e.type === 'TransformationEvent') {
        expect(sum(e.outputQuantityList)).toBeLessThanOrEqual(sum(e.inputQuantityList));
        for (const q of e.inputQuantityList) expect(known.get(q.epcClass), q.epcClass).toBe(mg(q));
        for (const q of e.outputQuantityList) known.set(q.epcClass, mg(q));
      }
      if (e.type === 'ObjectEvent' && e.action === 'OBSERVE') {
        for (const q of e.quantityList) expect(known.get(q.epcClass)).toBe(mg(q));
      }
    }
    expect(sum(split.inputQuantityList) - sum(split.outputQuantityList)).toBe(3n);
    expect(sum(refine.inputQuantityList) - sum(refine.outputQuantityList)).toBe(73n);
  });

  it('a seized lot held at a checkpoint: holding / non_sellable_other, then inspecting / non_conformant', async () => {
    const lot = await registerLot(t, w);
    const seized = await t.call('POST', `/v1/lots/${lot.id}/seize`, {
      token: w.regulatorToken,
      body: { reason: 'origin in RN Tambopata' },
    });
    expect(seized.status).toBe(200);
    const scan = await t.call('POST', '/v1/scans', {
      token: w.mazukoToken,
      body: {
        token: lot.qrUrl,
        checkpointId: w.mazuko.id,
        occurredAt: new Date().toISOString(),
        clientId: crypto.randomUUID(),
      },
    });
    expect(scan.body.verdict).toBe('hold');
    const doc = (await epcis(lot.id)).body;
    expect(validateEpcis(doc)).toBe(true);
    expect(
      doc.epcisBody.eventList.map((e: { bizStep: string; disposition: string }) => [
        e.bizStep,
        e.disposition,
      ]),
    ).toEqual([
      ['commissioning', 'active'],
      ['holding', 'non_sellable_other'],
      ['inspecting', 'non_conformant'],
    ]);
    expect(doc.epcisBody.eventList[1]['orotrace:seizureReason']).toBe('origin in RN Tambopata');
    // Its QR seen after the seizure (the regulator holds the gold) is also a QR_CLONED finding.
    expect(doc.epcisBody.eventList[2]['orotrace:reasons']).toEqual([
      'lot is seized',
      'open critical flag QR_CLONED',
    ]);
  });

  it('the validation can fail: a broken document does not pass GS1’s schema', async () => {
    const doc = (await epcis(j.m.id)).body;
    expect(validateEpcis(doc)).toBe(true);
    const broken = (edit: (d: typeof doc) => void) => {
      const copy = structuredClone(doc);
      edit(copy);
      return validateEpcis(copy);
    };
    expect(broken((d) => delete d.epcisBody.eventList[0].type)).toBe(false);
    expect(JSON.stringify(validateEpcis.errors)).toContain('type');
    expect(broken((d) => (d.epcisBody.eventList[2].bizStep = 'refining'))).toBe(false);
    expect(broken((d) => (d.epcisBody.eventList[3].inputQuantityList[0].uom = 'grams'))).toBe(false);
    // Formats are asserted: a time that is not an RFC 3339 date-time, an id that is not a URI.
    expect(broken((d) => (d.epcisBody.eventList[5].eventTime = '20/11/2026 10:00'))).toBe(false);
    expect(broken((d) => (d.epcisBody.eventList[5].readPoint.id = 'Mazuko checkpoint'))).toBe(false);
    expect(broken((d) => delete d.schemaVersion)).toBe(false);
  });
});

describe('who may read a provenance', () => {
  it('an exporter who neither produced nor holds the lot gets 404, in every format', async () => {
    const other = await registerLot(t, w);
    for (const format of ['json', 'geojson', 'epcis']) {
      const res = await provenance(other.id, format, w.exporterToken);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    // m was never the exporter's either, though the exporter now holds gold made from it.
    expect((await provenance(j.m.id, 'json', w.exporterToken)).status).toBe(404);
  });

  it('the exporter holding a lot reads its whole provenance; its producer, up to its sale', async () => {
    const held = await provenance(j.r.id, 'json', w.exporterToken);
    expect(held.status).toBe(200);
    expect(held.body.ancestors).toHaveLength(4);
    const sold = await provenance(j.r.id, 'epcis', w.minerToken);
    expect(sold.status).toBe(200);
    // The export is the exporter's business, not the miner's who sold it the gold.
    expect(sold.text).not.toContain('DAM 262-2026-40-012345');
    expect((await provenance(j.r.id, 'epcis', w.exporterToken)).text).toContain('DAM 262-2026-40-012345');
  });

  it('checkpoint staff may not (403); an unknown lot is 404; an unknown format is 400', async () => {
    expect((await provenance(j.r.id, 'json', w.mazukoToken)).status).toBe(403);
    expect((await provenance('01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f')).status).toBe(404);
    const bad = await provenance(j.r.id, 'xml');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('query.format');
  });

  it('is in the OpenAPI document with its three media types', async () => {
    const res = await t.call('GET', '/openapi.json');
    const op = res.body.paths['/v1/lots/{id}/provenance'].get;
    expect(Object.keys(op.responses['200'].content)).toEqual([
      'application/json',
      'application/geo+json',
      'application/ld+json',
    ]);
  });
});
