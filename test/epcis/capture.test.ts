import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { giai } from '../../src/domain/shared/gs1.js';
import type { TestContext } from '../helpers/app.js';
import { type GoldJourney, goldJourney } from '../helpers/dag.js';
import { type GoldWorld, goldWorld } from '../helpers/fixtures.js';
import { gs1EpcisSchema } from '../helpers/gs1-schema.js';
import { worldPerFile } from '../helpers/world.js';

// GS1's schema and the example documents, read where they live (../shared/data), never copied here.
const data = fileURLToPath(new URL('../../../shared/data/epcis/', import.meta.url));
const read = (path: string) => JSON.parse(readFileSync(join(data, path), 'utf8')) as Record<string, unknown>;
const validateEpcis = gs1EpcisSchema();
/** Every capture example GS1's schema accepts (capture-schema.test.ts says why four openEPCIS ones are not). */
const filesIn = (dir: string): string[] =>
  readdirSync(join(data, dir), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((f) => (f.isDirectory() ? filesIn(join(dir, f.name)) : [join(dir, f.name)]));
const roundTrip = [
  ...filesIn('openepcis/Capture/Documents'),
  ...filesIn('openepcis/Capture/Events'),
  ...filesIn('gs1/JSON').filter((f) => read(f).type !== 'EPCISQueryDocument'),
].filter((f) => gs1Accepts(read(f)));
function gs1Accepts(doc: unknown): boolean {
  return validateEpcis(doc) === true;
}

let t: TestContext;
let w: GoldWorld;
let j: GoldJourney;
let refinery: { id: string };
let refineryToken: string;
const world = worldPerFile(async (t) => {
  const w = await goldWorld(t);
  const j = await goldJourney(t, w);
  const res = await t.call('POST', '/v1/actors', {
    token: w.admin,
    body: { taxId: 'CHE-105934576', name: 'Affinerie du Jura SA', kinds: ['refiner'] },
  });
  if (res.status !== 201) throw new Error(res.text);
  return { w, j, refinery: res.body as { id: string } };
});
beforeEach(async () => {
  let built: { w: GoldWorld; j: GoldJourney; refinery: { id: string } };
  ({ t, w: built } = await world());
  ({ w, j, refinery } = built);
  // A foreign refinery: an exporter-role token bound to its actor.
  refineryToken = await t.token('exporter', { actor: refinery.id });
});

const prefix = '9520000';
const context = ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'];

interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered
  body: any;
  text: string;
}
const post = async (path: string, body: unknown, token = refineryToken, type = 'application/json') =>
  (await t.call('POST', path, { token, body, headers: { 'content-type': type } })) as Answer;
const document = (eventList: Record<string, unknown>[]) => ({
  '@context': context,
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-12-01T10:00:00Z',
  epcisBody: { eventList },
});
const receipt = (epc: string, over: Record<string, unknown> = {}) => ({
  type: 'ObjectEvent',
  eventTime: '2026-12-01T09:00:00+01:00',
  eventTimeZoneOffset: '+01:00',
  action: 'OBSERVE',
  bizStep: 'receiving',
  disposition: 'in_progress',
  epcList: [epc],
  readPoint: { id: 'urn:epc:id:sgln:7612345.00001.0' },
  ...over,
});
const grams = (g: number, epcClass = 'urn:epc:class:lgtin:7612345.00000.dore') => ({
  quantityList: [{ epcClass, quantity: g, uom: 'GRM' }],
});

async function query(q = '', token = w.regulatorToken) {
  const res = await t.call('GET', `/epcis/events${q}`, { token });
  return {
    ...res,
    events: (res.body?.epcisBody?.queryResults?.resultsBody?.eventList ?? []) as Record<string, unknown>[],
  };
}
const captured = async () =>
  rowsOf<{ n: number }>(
    await t.db.execute(sql`SELECT count(*)::int AS n FROM events WHERE type = 'epcis.captured'`),
  )[0]?.n;
async function flagsOf(lotId: string) {
  const res = await t.call(
    'GET',
    `/v1/flags?subjectType=lot&subjectId=${lotId}&rule=EXPORT_RECEIPT_MISMATCH`,
    {
      token: w.regulatorToken,
    },
  );
  return res.body.items as { rule: string; severity: string; evidence: Record<string, unknown> }[];
}
async function ledgerVerifies() {
  await t.call('GET', '/v1/ledger/head', { token: w.regulatorToken });
  const verified = await t.call('GET', '/v1/ledger/verify', { token: w.regulatorToken });
  expect(verified.status, verified.text).toBe(200);
  expect(verified.body.ok, verified.text).toBe(true);
}

describe('POST /epcis/capture and GET /epcis/capture/{captureID}', () => {
  it.each(roundTrip)('captures %s and GET /epcis/events returns it, valid by GS1’s schema', async (file) => {
    const doc = read(file);
    const isDocument = doc.type === 'EPCISDocument';
    const res = await post(
      isDocument ? '/epcis/capture' : '/epcis/events',
      doc,
      w.regulatorToken,
      'application/ld+json',
    );
    expect(res.status, res.text).toBe(isDocument ? 202 : 201);
    let ids: string[];
    if (isDocument) {
      const location = res.headers.get('location') ?? '';
      expect(location).toMatch(/^\/epcis\/capture\/[0-9a-f-]{36}$/);
      const job = await t.call('GET', location, { token: w.regulatorToken });
      expect(job.status).toBe(200);
      expect(job.body).toMatchObject({
        running: false,
        success: true,
        captureErrorBehaviour: 'rollback',
        errors: [],
      });
      const list = (doc.epcisBody as { eventList: { eventID?: string }[] }).eventList;
      expect(job.body.eventIDs).toHaveLength(list.length);
      // Given eventIDs are kept; the others get a urn:uuid.
      list.forEach((e, i) => {
        expect(job.body.eventIDs[i]).toEqual(e.eventID ?? expect.stringMatching(/^urn:uuid:[0-9a-f-]{36}$/));
      });
      ids = job.body.eventIDs;
    } else {
      const location = res.headers.get('location') ?? '';
      ids = [decodeURIComponent(location.slice('/epcis/events/'.length))];
      if (doc.eventID) expect(ids).toEqual([doc.eventID]);
    }
    const { status, body, events } = await query(
      `?EQ_eventID=${ids.map(encodeURIComponent).join('|')}&perPage=1000`,
    );
    expect(status).toBe(200);
    expect(validateEpcis(body), JSON.stringify(validateEpcis.errors)).toBe(true);
    expect(events.map((e) => e.eventID).sort()).toEqual([...ids].sort());
    for (const e of events) {
      // As captured, with the repository's recordTime and the @context it came with.
      expect(e.recordTime).toEqual(expect.any(String));
      // (In a document: the document's context, then the event's own where it has one.)
      const own = (
        isDocument
          ? (doc.epcisBody as { eventList: { eventID?: string; '@context'?: unknown }[] }).eventList
          : [doc]
      ).find((x, i) => (x.eventID ?? ids[i]) === e.eventID)?.['@context'];
      const asList = (c: unknown) => (c === undefined ? [] : Array.isArray(c) ? c : [c]);
      // (Items the event repeats from the document given once, as GS1's schema wants.)
      const merged = [...asList(doc['@context']), ...asList(own)].filter(
        (c, i, all) => all.findIndex((d) => JSON.stringify(d) === JSON.stringify(c)) === i,
      );
      expect(e['@context']).toEqual(isDocument ? merged : doc['@context']);
    }
    // Each alone at its own address.
    const one = await t.call('GET', `/epcis/events/${encodeURIComponent(ids[0] ?? '')}`, {
      token: w.regulatorToken,
    });
    expect(one.status, one.text).toBe(200);
    expect(one.body.eventID).toBe(ids[0]);
  });

  it('leaves the ledger verifiable after captures', async () => {
    for (const file of roundTrip.slice(0, 5)) {
      const doc = read(file);
      const res = await post(
        doc.type === 'EPCISDocument' ? '/epcis/capture' : '/epcis/events',
        doc,
        w.regulatorToken,
      );
      expect(res.status).toBeLessThan(300);
    }
    await ledgerVerifies();
  });

  it('refuses every invalid openEPCIS document with a ValidationException naming what is wrong, storing nothing', async () => {
    const before = await captured();
    for (const file of readdirSync(join(data, 'openepcis/Capture/Invalid'))) {
      const res = await post('/epcis/capture', read(`openepcis/Capture/Invalid/${file}`));
      expect(res.status, file).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.type).toBe('epcisException:ValidationException');
      expect(res.body.errors.length, file).toBeGreaterThan(0);
    }
    // All or nothing: a document whose second event is wrong stores not even the first.
    const res = await post(
      '/epcis/capture',
      document([
        receipt(giai(prefix, j.r.code), grams(740)),
        receipt(giai(prefix, j.r.code), { bizStep: 'receive' }),
      ]),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'epcisBody.eventList.1.bizStep', message: expect.any(String) }]);
    expect(await captured()).toBe(before);
    expect(await flagsOf(j.r.id)).toEqual([]);
  });

  it('refuses a wrong content type (415), more events than the capture limit (413), and names the limit', async () => {
    const wrongType = await post('/epcis/capture', '<epcis/>', refineryToken, 'application/xml');
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.type).toBe('epcisException:UnsupportedMediaTypeException');
    const many = Array.from({ length: 501 }, () => receipt('urn:epc:id:sgtin:7612345.00000.1'));
    const tooMany = await post('/epcis/capture', document(many));
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.type).toBe('epcisException:CaptureLimitExceededException');
    expect(tooMany.headers.get('GS1-EPCIS-Capture-Limit')).toBe('500');
    const proceed = await t.call('POST', '/epcis/capture', {
      token: refineryToken,
      body: document([receipt('urn:epc:id:sgtin:7612345.00000.1')]),
      headers: { 'GS1-Capture-Error-Behaviour': 'proceed' },
    });
    expect(proceed.status).toBe(400);
    expect(await captured()).toBe(0);
  });

  it('is for exporters, regulators and admins; a partner sees its own jobs only', async () => {
    const doc = document([receipt('urn:epc:id:sgtin:7612345.00000.2')]);
    expect((await post('/epcis/capture', doc, w.mazukoToken)).status).toBe(403);
    expect((await t.call('POST', '/epcis/capture', { body: doc })).status).toBe(401);
    const res = await post('/epcis/capture', doc);
    expect(res.status).toBe(202);
    const location = res.headers.get('location') ?? '';
    expect((await t.call('GET', location, { token: refineryToken })).status).toBe(200);
    expect((await t.call('GET', location, { token: w.regulatorToken })).status).toBe(200);
    const other = await t.call('GET', location, { token: w.traderToken });
    expect(other.status).toBe(404);
    expect(other.body.type).toBe('epcisException:NoSuchResourceException');
    expect((await t.call('GET', '/epcis/capture/not-a-job', { token: w.regulatorToken })).status).toBe(404);
  });
});

describe('POST /epcis/events', () => {
  it('captures one event with its @context: 201 and its Location; the same eventID again is refused (409)', async () => {
    const event = { ...read('openepcis/Capture/Events/ObjectEvent.json') };
    const res = await post('/epcis/events', event);
    expect(res.status, res.text).toBe(201);
    const eventID =
      (event.eventID as string | undefined) ??
      decodeURIComponent((res.headers.get('location') ?? '').slice('/epcis/events/'.length));
    expect(res.headers.get('location')).toBe(`/epcis/events/${encodeURIComponent(eventID)}`);
    // At its Location for the partner that sent it and for regulators; not for another partner.
    const location = res.headers.get('location') ?? '';
    expect((await t.call('GET', location, { token: refineryToken })).body.eventID).toBe(eventID);
    expect((await t.call('GET', location, { token: w.regulatorToken })).status).toBe(200);
    const hidden = await t.call('GET', location, { token: w.traderToken });
    expect(hidden.status).toBe(404);
    expect(hidden.body.type).toBe('epcisException:NoSuchResourceException');
    expect((await t.call('GET', '/epcis/events/a%7C%7Cb', { token: w.regulatorToken })).status).toBe(404);
    const again = await post('/epcis/events', { ...event, eventID });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('epcisException:ResourceAlreadyExistsException');
    // Twice in one document, or once more inside one: refused whole.
    const dup = await post(
      '/epcis/capture',
      document([
        receipt('urn:x:1', { eventID: 'urn:uuid:7c1a3b1e-0000-4000-8000-000000000001' }),
        receipt('urn:x:2', { eventID }),
      ]),
    );
    expect(dup.status).toBe(409);
    expect(await captured()).toBe(1);
    const found = await query(`?EQ_eventID=${encodeURIComponent(eventID)}`);
    expect(found.events.map((e) => e.eventID)).toEqual([eventID]);
    expect(validateEpcis(found.body)).toBe(true);
  });

  it('refuses text the database cannot store (NUL, a lone surrogate), in any member, naming where, storing nothing', async () => {
    const event = read('openepcis/Capture/Events/ObjectEvent.json');
    for (const [member, value, why] of [
      ['bizStep', 'urn:example:a\u0000b', /NUL/],
      ['example:note', 'half \ud800 of a character', /lone surrogate/],
    ] as const) {
      const res = await post('/epcis/events', { ...event, [member]: value });
      expect(res.status, member).toBe(400);
      expect(res.body.type).toBe('epcisException:ValidationException');
      expect(JSON.stringify(res.body)).toMatch(why);
      expect(JSON.stringify(res.body)).toContain(member);
    }
    const res = await post(
      '/epcis/capture',
      document([{ ...event, 'example:deep': { list: ['ok', 'x\u0000'] } }]),
    );
    expect(res.status).toBe(400);
    expect(await captured()).toBe(0);
  });

  it('refuses an event without @context, or that is not EPCIS', async () => {
    const { '@context': _, ...bare } = read('openepcis/Capture/Events/ObjectEvent.json');
    const res = await post('/epcis/events', bare);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: '@context', message: expect.any(String) }]);
    expect((await post('/epcis/events', { '@context': context, type: 'Shipment' })).status).toBe(400);
    expect((await post('/epcis/events', 'not json at all')).status).toBe(400);
  });
});

describe('captured events in GET /epcis/events', () => {
  it('are filtered on their own members: type, step, disposition, read point, identifiers (our GIAIs in either form)', async () => {
    const urn = giai(prefix, j.r.code, 'epc_urn');
    const res = await post(
      '/epcis/capture',
      document([
        receipt(urn, { ...grams(740), eventID: 'urn:uuid:7c1a3b1e-0000-4000-8000-00000000000a' }),
        {
          type: 'AggregationEvent',
          eventTime: '2026-12-01T10:00:00+01:00',
          eventTimeZoneOffset: '+01:00',
          action: 'ADD',
          bizStep: 'https://ref.gs1.org/cbv/BizStep-packing',
          parentID: 'urn:epc:id:sscc:7612345.0000000001',
          childEPCs: ['urn:epc:id:sgtin:7612345.00000.77'],
          eventID: 'urn:uuid:7c1a3b1e-0000-4000-8000-00000000000b',
        },
      ]),
    );
    expect(res.status, res.text).toBe(202);
    const ids = async (q: string) =>
      (await query(`?${q}`)).events
        .map((e) => e.eventID)
        .filter((id) => String(id).startsWith('urn:uuid:7c1a3b1e'));
    const a = 'urn:uuid:7c1a3b1e-0000-4000-8000-00000000000a';
    const b = 'urn:uuid:7c1a3b1e-0000-4000-8000-00000000000b';
    expect(await ids('eventType=AggregationEvent')).toEqual([b]);
    expect(await ids('EQ_bizStep=receiving')).toEqual([a]);
    expect(await ids(`EQ_bizStep=${encodeURIComponent('urn:epcglobal:cbv:bizstep:packing')}`)).toEqual([b]);
    expect(await ids('EQ_disposition=in_progress')).toEqual([a]);
    expect(await ids('EQ_action=ADD')).toEqual([b]);
    expect(await ids(`EQ_readPoint=${encodeURIComponent('urn:epc:id:sgln:7612345.00001.0')}`)).toEqual([a]);
    // The refinery named the bar by its EPC URN; the Digital Link finds it too, beside the ledger's own events.
    const byLink = await query(`?MATCH_epc=${encodeURIComponent(giai(prefix, j.r.code))}`);
    expect(byLink.events.map((e) => e.bizStep)).toEqual([
      'inspecting',
      'accepting',
      'departing',
      'receiving',
    ]);
    expect(await ids(`MATCH_anyEPC=${encodeURIComponent('urn:epc:id:sscc:7612345.0000000001')}`)).toEqual([
      b,
    ]);
    expect(await ids(`MATCH_epc=${encodeURIComponent('urn:epc:id:sgtin:7612345.00000.77')}`)).toEqual([b]);
    expect(
      await ids(`MATCH_epcClass=${encodeURIComponent('urn:epc:class:lgtin:7612345.00000.dore')}`),
    ).toEqual([a]);
    expect(await ids(`GE_eventTime=${encodeURIComponent('2026-12-01T08:30:00Z')}`)).toEqual([b]);
    // Paged in the ledger's order with the rest: all events, three a page, none twice.
    const seen: unknown[] = [];
    let next: string | null = '/epcis/events?perPage=3';
    while (next) {
      const page = await t.call('GET', next, { token: w.regulatorToken });
      seen.push(
        ...page.body.epcisBody.queryResults.resultsBody.eventList.map((e: { eventID: string }) => e.eventID),
      );
      next = /<([^>]+)>;\s*rel="next"/.exec(page.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(seen, JSON.stringify(seen)).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
    expect(seen.slice(-2)).toEqual([a, b]);
  });

  it('an exporter sees what it captured and the receipts of lots it may read; nobody else does', async () => {
    await post(
      '/epcis/capture',
      document([receipt(giai(prefix, j.r.code), grams(740)), receipt('urn:epc:id:sgtin:7612345.00000.9')]),
    );
    const steps = async (token: string) => (await query('', token)).events.map((e) => e.bizStep);
    expect(await steps(refineryToken)).toEqual(['receiving', 'receiving']);
    // The exporter held and exported the bar: the receipt of it, not the refinery's other event.
    expect(await steps(w.exporterToken)).toEqual(['inspecting', 'accepting', 'departing', 'receiving']);
    expect(await steps(w.traderToken)).toEqual([]);
    expect(await steps(w.regulatorToken)).toHaveLength(10);
  });
});
