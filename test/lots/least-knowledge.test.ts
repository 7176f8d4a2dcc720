import { beforeAll, describe, expect, it } from 'vitest';
import { getProvenance } from '../../src/domain/lots/provenance.js';
import { provenanceJson } from '../../src/domain/lots/provenance-json.js';
import { compactLinks } from '../../src/domain/lots/qr.js';
import { demonstrationCompanyPrefix } from '../../src/domain/shared/gs1.js';
import type { Principal } from '../../src/domain/shared/principal.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { insertFlag } from '../helpers/flags.js';

// What each actor may read of gold that passed through several hands: a past custodian sees the
// history up to and including the transfer by which it handed a lot on, never what the next
// custodians did with it; a current custodian sees the ancestry of what it holds; a regulator
// sees all. Checked in every format and in every read that names lots or events.

let t: TestContext;
let w: GoldWorld;
beforeAll(async () => {
  t = await testApp();
  w = await goldWorld(t);
});

const formats = ['json', 'geojson', 'epcis'] as const;

async function ok(method: string, path: string, token: string, body?: unknown) {
  const res = await t.call(method, path, { token, ...(body === undefined ? {} : { body }) });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.body;
}
const provenance = (id: string, token: string, format: (typeof formats)[number] = 'json') =>
  t.call('GET', `/v1/lots/${id}/provenance?format=${format}`, { token });

/** Lot ids and codes as they appear in a provenance answer, whatever its format. */
const mentions = (text: string, lot: { id: string; code: string }) =>
  text.includes(lot.id) || text.includes(lot.code);

async function expectHidden(id: string, token: string, hidden: { id: string; code: string }[]) {
  for (const format of formats) {
    const res = await provenance(id, token, format);
    expect(res.status, `${format}: ${res.text.slice(0, 300)}`).toBe(200);
    for (const lot of hidden) expect(mentions(res.text, lot), `${format} names ${lot.code}`).toBe(false);
  }
}
async function expectShown(id: string, token: string, shown: { id: string; code: string }[]) {
  for (const format of formats) {
    const res = await provenance(id, token, format);
    expect(res.status).toBe(200);
    for (const lot of shown) expect(mentions(res.text, lot), `${format} names ${lot.code}`).toBe(true);
  }
}

describe('gold that passed from a miner to a trader to an exporter', () => {
  // The miner (A) splits L and hands L1 to the trader (B), who splits it and hands L1a to the
  // exporter (P), who exports it. Then B merges L2, which A also sold it, with gold of its own.
  type L = { id: string; code: string };
  let l: L, l1: L, l2: L, l1a: L, l1b: L, own: L, merged: L;
  let splitByTrader: string;
  let transferByMiner: string;
  beforeAll(async () => {
    const otherMiner = await ok('POST', '/v1/actors', w.admin, {
      taxId: '20600000099',
      name: 'Minera Otra',
      kinds: ['miner'],
    });
    l = await registerLot(t, w, { grossWeightG: '1000.000', fineness: '900' });
    const split = await ok('POST', `/v1/lots/${l.id}/split`, w.minerToken, {
      parts: [{ grossWeightG: '500.000' }, { grossWeightG: '500.000' }],
    });
    [l1, l2] = split.children;
    await ok('POST', `/v1/lots/${l1.id}/transfers`, w.minerToken, { toActorId: w.trader.id });
    const parts = await ok('POST', `/v1/lots/${l1.id}/split`, w.traderToken, {
      parts: [{ grossWeightG: '300.000' }, { grossWeightG: '200.000' }],
    });
    [l1a, l1b] = parts.children;
    await ok('POST', `/v1/lots/${l1a.id}/transfers`, w.traderToken, { toActorId: w.exporter.id });
    await ok('POST', `/v1/lots/${l1a.id}/export`, w.exporterToken, {
      customsDeclaration: 'DAM 262-2026-40-777777',
      destinationCountry: 'CH',
      exportedOn: '2026-11-20',
    });
    await ok('POST', `/v1/lots/${l2.id}/transfers`, w.minerToken, { toActorId: w.trader.id });
    own = await registerLot(t, w, { producerId: otherMiner.id, grossWeightG: '100.000' }, w.traderToken);
    merged = await ok('POST', '/v1/lots/merge', w.traderToken, { lotIds: [l2.id, own.id] });
    const events = (await provenance(l1.id, w.regulatorToken)).body.events as {
      id: string;
      type: string;
      subjectId: string;
    }[];
    splitByTrader = events.find((e) => e.type === 'lot.split' && e.subjectId === l1.id)?.id ?? '';
    transferByMiner = events.find((e) => e.type === 'lot.transferred' && e.subjectId === l1.id)?.id ?? '';
  });

  it('the miner sees its split and to whom it sold, not the trader’s split, merge, sale or the export', async () => {
    await expectHidden(l.id, w.minerToken, [l1a, l1b, own, merged]);
    await expectShown(l.id, w.minerToken, [l1, l2]);
    const p = (await provenance(l.id, w.minerToken)).body;
    const sold = p.descendants.find((d: L) => d.id === l1.id);
    // L1 as it left the miner's hands: active, with the trader, its later split unknown.
    expect(sold).toMatchObject({ status: 'active', custodianId: w.trader.id });
    const types = p.events
      .filter((e: { subjectId: string }) => e.subjectId === l1.id)
      .map((e: { type: string }) => e.type);
    expect(types).toEqual(['lot.created_by_split', 'lot.transferred']);
    expect(p.edges.some((e: { parentId: string }) => e.parentId === l1.id || e.parentId === l2.id)).toBe(
      false,
    );
    const epcis = (await provenance(l.id, w.minerToken, 'epcis')).text;
    expect(epcis).not.toContain('DAM 262-2026-40-777777');
  });

  it('the miner reads the lots it sold as it sold them, and no lot the trader made', async () => {
    expect((await t.call('GET', `/v1/lots/${l1.id}`, { token: w.minerToken })).body).toMatchObject({
      status: 'active',
      custodianId: w.trader.id,
      exportedOn: null,
    });
    for (const lot of [l1a, l1b, own, merged]) {
      expect((await t.call('GET', `/v1/lots/${lot.id}`, { token: w.minerToken })).status).toBe(404);
      expect((await t.call('GET', `/v1/lots/${lot.id}/label`, { token: w.minerToken })).status).toBe(404);
      expect((await t.call('GET', `/v1/lots/${lot.id}/qr.svg`, { token: w.minerToken })).status).toBe(404);
      expect((await provenance(lot.id, w.minerToken)).status).toBe(404);
    }
    const list = await t.call('GET', '/v1/lots?limit=100', { token: w.minerToken });
    const ids = list.body.items.map((i: L) => i.id);
    expect(ids).toEqual(expect.arrayContaining([l.id, l1.id, l2.id]));
    for (const lot of [l1a, l1b, own, merged]) expect(ids).not.toContain(lot.id);
    expect(list.body.items.find((i: L) => i.id === l1.id)).toMatchObject({ status: 'active' });
    const consumed = await t.call('GET', '/v1/lots?status=consumed&limit=100', { token: w.minerToken });
    expect(consumed.body.items.map((i: L) => i.id)).toEqual([l.id]);
  });

  it('event proofs follow the same line: the miner proves its sale, not the trader’s split', async () => {
    expect(
      (await t.call('GET', `/v1/ledger/events/${transferByMiner}/proof`, { token: w.minerToken })).status,
    ).toBe(200);
    expect(
      (await t.call('GET', `/v1/ledger/events/${splitByTrader}/proof`, { token: w.minerToken })).status,
    ).toBe(404);
    expect(
      (await t.call('GET', `/v1/ledger/events/${splitByTrader}/proof`, { token: w.traderToken })).status,
    ).toBe(200);
    // The exporter holds gold of L1: the trader's split is its ancestry.
    expect(
      (await t.call('GET', `/v1/ledger/events/${splitByTrader}/proof`, { token: w.exporterToken })).status,
    ).toBe(200);
  });

  it('the trader sees the ancestry of what it bought and what it made, not the exporter’s export', async () => {
    await expectShown(l1.id, w.traderToken, [l, l1a, l1b]);
    const p = (await provenance(l1.id, w.traderToken)).body;
    expect(p.descendants.find((d: L) => d.id === l1a.id)).toMatchObject({
      status: 'active',
      custodianId: w.exporter.id,
      exportedOn: null,
      customsDeclaration: null,
    });
    expect(p.events.some((e: { type: string }) => e.type === 'lot.exported')).toBe(false);
    // The miner's split of L is the ancestry of L1.
    expect(
      p.events.some(
        (e: { type: string; subjectId: string }) => e.type === 'lot.split' && e.subjectId === l.id,
      ),
    ).toBe(true);
    for (const format of formats) {
      expect((await provenance(l1.id, w.traderToken, format)).text).not.toContain('DAM 262-2026-40-777777');
    }
    // The merge variant: what the trader made of L2 with its own gold is its own; the miner's
    // other part (L2's sibling L1) is named in the ancestry's split, not described.
    await expectShown(merged.id, w.traderToken, [l2, own, l]);
  });

  it('the exporter sees the whole way its gold came, and its export', async () => {
    await expectShown(l1a.id, w.exporterToken, [l, l1]);
    const p = (await provenance(l1a.id, w.exporterToken)).body;
    expect(p.lot).toMatchObject({ status: 'exported', customsDeclaration: 'DAM 262-2026-40-777777' });
    expect(p.ancestors.map((a: L) => a.id).sort()).toEqual([l.id, l1.id].sort());
    // Nothing of the trader's other business with the miner's gold.
    await expectHidden(l1a.id, w.exporterToken, [merged, own]);
  });

  it('a regulator sees all of it, in every format', async () => {
    await expectShown(l.id, w.regulatorToken, [l1, l2, l1a, l1b, merged]);
    const p = (await provenance(l.id, w.regulatorToken)).body;
    expect(p.descendants.find((d: L) => d.id === l1a.id)).toMatchObject({ status: 'exported' });
    expect(p.events.some((e: { type: string }) => e.type === 'lot.exported')).toBe(true);
  });

  it('the JSON written by PostgreSQL says what the Provenance object says, for every reader and lot', async () => {
    // The object (getProvenance, which GeoJSON and EPCIS map) is the path the JSON format was
    // served from before PostgreSQL wrote it: the two must agree to the byte for every reader,
    // on every lot of a DAG with splits, a merge, a refine, sales, an export and flags (one
    // raised after the miner sold the lot, which the miner must not see).
    const refined = await ok('POST', `/v1/lots/${merged.id}/refine`, w.traderToken, {
      grossWeightG: '100.000',
      fineness: '999.9',
    });
    await insertFlag(t.db, { subjectId: l1.id, severity: 'medium' });
    await insertFlag(t.db, { subjectId: merged.id, severity: 'critical', status: 'dismissed' });
    await insertFlag(t.db, { subjectId: l.id, severity: 'low', evidence: { note: 'a "quoted" \\ word' } });
    const readers: Principal[] = [
      { sub: 'regulator', role: 'regulator' },
      { sub: 'miner', role: 'exporter', actorId: w.miner.id },
      { sub: 'trader', role: 'exporter', actorId: w.trader.id },
      { sub: 'exporter', role: 'exporter', actorId: w.exporter.id },
    ];
    const answer = (p: Promise<unknown>) =>
      p.then(
        (v) => JSON.stringify(typeof v === 'string' ? JSON.parse(v) : v),
        (e: Error) => `${e.constructor.name}: ${e.message}`,
      );
    let answered = 0;
    const links = compactLinks('http://orotrace.test', demonstrationCompanyPrefix);
    for (const by of readers) {
      for (const lot of [l, l1, l2, l1a, l1b, own, merged, refined]) {
        const fromObjects = await answer(getProvenance(t.db, by, lot.id, links));
        const fromSql = await answer(provenanceJson(t.db, by, lot.id, links));
        expect(fromSql, `${by.sub} reading ${lot.code}`).toBe(fromObjects);
        if (fromObjects.startsWith('{')) answered++;
      }
    }
    // Not only 404s on both sides: most readers see most of these lots.
    expect(answered).toBeGreaterThan(16);
  });
});

describe('a producer that sold everything, and a lot that came back', () => {
  it('a producer that sold its lot sees it as sold: not the buyer’s export, nor flags raised after', async () => {
    const lot = await registerLot(t, w, { grossWeightG: '640.000' });
    await ok('POST', `/v1/lots/${lot.id}/transfers`, w.minerToken, { toActorId: w.trader.id });
    await ok('POST', `/v1/lots/${lot.id}/export`, w.traderToken, {
      customsDeclaration: 'DAM 262-2026-40-888888',
      destinationCountry: 'AE',
      exportedOn: '2026-11-21',
    });
    // A scan after the export raises QR_CLONED on the lot: the trader's business, not the miner's.
    await ok('POST', '/v1/scans', w.mazukoToken, {
      token: lot.qrUrl,
      checkpointId: w.mazuko.id,
      occurredAt: new Date().toISOString(),
      clientId: crypto.randomUUID(),
    });
    const asRegulator = (await t.call('GET', `/v1/lots/${lot.id}`, { token: w.regulatorToken })).body;
    expect(asRegulator.flags.map((f: { rule: string }) => f.rule)).toContain('QR_CLONED');
    const seen = (await t.call('GET', `/v1/lots/${lot.id}`, { token: w.minerToken })).body;
    expect(seen).toMatchObject({
      status: 'active',
      custodianId: w.trader.id,
      exportedOn: null,
      customsDeclaration: null,
      destinationCountry: null,
      flags: [],
      riskLevel: 'none',
    });
    const flagged = await t.call('GET', '/v1/lots?flagged=true&limit=100', { token: w.minerToken });
    expect(flagged.body.items.map((i: { id: string }) => i.id)).not.toContain(lot.id);
    for (const format of formats) {
      const res = await provenance(lot.id, w.minerToken, format);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('DAM 262-2026-40-888888');
      expect(res.text).not.toContain('QR_CLONED');
    }
    const p = (await provenance(lot.id, w.minerToken)).body;
    expect(p.events.map((e: { type: string }) => e.type)).toEqual(['lot.registered', 'lot.transferred']);
  });

  it('a producer whose lot a trader registered sees the registration, and nothing the trader did after', async () => {
    const lot = await registerLot(t, w, { grossWeightG: '320.000' }, w.traderToken);
    await ok('POST', `/v1/lots/${lot.id}/split`, w.traderToken, {
      parts: [{ grossWeightG: '160.000' }, { grossWeightG: '160.000' }],
    });
    const seen = (await t.call('GET', `/v1/lots/${lot.id}`, { token: w.minerToken })).body;
    expect(seen).toMatchObject({ status: 'active', custodianId: w.trader.id });
    const p = (await provenance(lot.id, w.minerToken)).body;
    expect(p.events.map((e: { type: string }) => e.type)).toEqual(['lot.registered']);
    expect(p.descendants).toEqual([]);
    expect(p.edges).toEqual([]);
    // The parts carry the miner as producer, but the miner never held them.
    const parts = (await provenance(lot.id, w.traderToken)).body.descendants as { id: string }[];
    expect(parts).toHaveLength(2);
    for (const part of parts) {
      expect((await t.call('GET', `/v1/lots/${part.id}`, { token: w.minerToken })).status).toBe(404);
    }
  });

  it('a lot that came back (miner → trader → miner) is read whole by the miner, as sold by the trader', async () => {
    const lot = await registerLot(t, w, { grossWeightG: '450.000' });
    await ok('POST', `/v1/lots/${lot.id}/transfers`, w.minerToken, { toActorId: w.trader.id });
    await ok('POST', `/v1/lots/${lot.id}/transfers`, w.traderToken, { toActorId: w.miner.id });
    const split = await ok('POST', `/v1/lots/${lot.id}/split`, w.minerToken, {
      parts: [{ grossWeightG: '200.000' }, { grossWeightG: '250.000' }],
    });
    const asMiner = (await provenance(lot.id, w.minerToken)).body;
    expect(asMiner.lot).toMatchObject({ status: 'consumed', custodianId: w.miner.id });
    const on = (events: { type: string; subjectId: string }[]) =>
      events.filter((e) => e.subjectId === lot.id).map((e) => e.type);
    expect(on(asMiner.events)).toEqual(['lot.registered', 'lot.transferred', 'lot.transferred', 'lot.split']);
    expect(asMiner.descendants).toHaveLength(2);
    // The trader handed it back: it knows that, not what the miner did next.
    const asTrader = (await provenance(lot.id, w.traderToken)).body;
    expect(asTrader.lot).toMatchObject({ status: 'active', custodianId: w.miner.id });
    expect(asTrader.events.map((e: { type: string }) => e.type)).toEqual([
      'lot.registered',
      'lot.transferred',
      'lot.transferred',
    ]);
    expect(asTrader.descendants).toEqual([]);
    await expectHidden(lot.id, w.traderToken, split.children);
  });
});
