import { beforeEach, describe, expect, it } from 'vitest';
import { giai } from '../../src/domain/shared/gs1.js';
import type { TestContext } from '../helpers/app.js';
import { type GoldJourney, goldJourney } from '../helpers/dag.js';
import { type GoldWorld, goldWorld } from '../helpers/fixtures.js';
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

interface EpcisEvent {
  eventID: string;
  type: string;
  bizStep: string;
  disposition?: string;
  epcList?: string[];
  inputEPCList?: string[];
  outputEPCList?: string[];
}
interface QueryDocument {
  type: string;
  epcisBody: { queryResults: { queryName: string; resultsBody: { eventList: EpcisEvent[] } } };
}

const prefix = '9520000';
const epcOf = (lot: { code: string }) => giai(prefix, lot.code);
const base = 'http://orotrace.test';

async function query(path: string, token = w.regulatorToken, headers: Record<string, string> = {}) {
  const res = await t.app.request(path, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const body = (await res.json()) as QueryDocument & { type: string; detail?: string };
  return { res, body, events: res.status === 200 ? body.epcisBody.queryResults.resultsBody.eventList : [] };
}
const steps = (events: EpcisEvent[]) => events.map((e) => e.bizStep);

describe('GET /epcis/events: the ledger as an EPCIS 2.0 repository', () => {
  it('answers a SimpleEventQuery document that GS1’s schema accepts, with the bindings’ headers', async () => {
    const { res, body, events } = await query('/epcis/events');
    expect(res.status).toBe(200);
    expect(validateEpcis(body), JSON.stringify(validateEpcis.errors)).toBe(true);
    expect(body.type).toBe('EPCISQueryDocument');
    expect(body.epcisBody.queryResults.queryName).toBe('SimpleEventQuery');
    expect(res.headers.get('GS1-EPCIS-Version')).toBe('2.0.0');
    expect(res.headers.get('GS1-CBV-Version')).toBe('2.0.0');
    expect(res.headers.get('GS1-EPC-Format')).toBe('Always_GS1_Digital_Link');
    // Two lots registered, split, merged, refined, scanned, handed on, exported: eight events.
    expect(steps(events)).toEqual([
      'commissioning',
      'commissioning',
      'creating_class_instance',
      'creating_class_instance',
      'creating_class_instance',
      'inspecting',
      'accepting',
      'departing',
    ]);
    // Each lot as the individual thing it is: its GIAI under the company prefix, as a Digital Link.
    const exported = events.find((e) => e.bizStep === 'departing');
    expect(exported?.epcList).toEqual([epcOf(j.r)]);
    expect(exported?.epcList?.[0]).toMatch(/^https:\/\/id\.gs1\.org\/8004\/9520000AU-\d{4}-\d{6}$/);
    const split = events.find((e) => e.type === 'TransformationEvent');
    expect(split?.inputEPCList).toEqual([epcOf(j.a)]);
    expect(split?.outputEPCList).toEqual([j.p1, j.p2, j.p3].map(epcOf));
  });

  it('filters by event type, time, business step, disposition, read point and location', async () => {
    const ids = async (q: string) => (await query(`/epcis/events?${q}`)).events.map((e) => e.eventID);
    const all = (await query('/epcis/events')).events;
    const byStep = (s: string) => all.filter((e) => e.bizStep === s).map((e) => e.eventID);
    expect(await ids('eventType=TransformationEvent')).toEqual(byStep('creating_class_instance'));
    expect(await ids('eventType=AggregationEvent')).toEqual([]);
    expect(await ids('eventType=ObjectEvent|TransformationEvent')).toHaveLength(8);
    // CBV words bare, as CBV 2.0 web URIs and as EPCIS 1.x URNs.
    for (const step of [
      'commissioning',
      'https://ref.gs1.org/cbv/BizStep-commissioning',
      'urn:epcglobal:cbv:bizstep:commissioning',
    ])
      expect(await ids(`EQ_bizStep=${encodeURIComponent(step)}`)).toEqual(byStep('commissioning'));
    expect(await ids('EQ_bizStep=inspecting&EQ_bizStep=departing')).toEqual([
      ...byStep('inspecting'),
      ...byStep('departing'),
    ]);
    expect(await ids('EQ_disposition=in_transit')).toEqual(byStep('departing'));
    expect(await ids('EQ_disposition=conformant')).toEqual(byStep('inspecting'));
    expect(await ids('EQ_action=ADD')).toEqual(byStep('commissioning'));
    expect(await ids(`EQ_readPoint=${encodeURIComponent(`${base}/v1/checkpoints/${w.mazuko.id}`)}`)).toEqual(
      byStep('inspecting'),
    );
    expect(
      await ids(`EQ_bizLocation=${encodeURIComponent(`${base}/v1/concessions/${w.concession.id}`)}`),
    ).toEqual(byStep('commissioning'));
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await ids(`GE_eventTime=${encodeURIComponent(future)}`)).toEqual([]);
    expect(await ids(`LT_recordTime=${encodeURIComponent(future)}`)).toHaveLength(8);
    const first = all[0];
    if (!first) throw new Error('no event');
    expect(await ids(`EQ_eventID=${encodeURIComponent(first.eventID)}`)).toEqual([first.eventID]);
  });

  it('matches lots by GIAI (Digital Link or EPC URN) and by class, where the event names them', async () => {
    const count = async (q: string, headers?: Record<string, string>) =>
      steps((await query(`/epcis/events?${q}`, w.regulatorToken, headers)).events);
    const r = encodeURIComponent(epcOf(j.r));
    // The refined bar: scanned, handed on, exported (its epcList), and the refining's output.
    expect(await count(`MATCH_epc=${r}`)).toEqual(['inspecting', 'accepting', 'departing']);
    expect(await count(`MATCH_anyEPC=${r}`)).toEqual([
      'creating_class_instance',
      'inspecting',
      'accepting',
      'departing',
    ]);
    expect(await count(`MATCH_outputEPC=${r}`)).toEqual(['creating_class_instance']);
    expect(await count(`MATCH_inputEPC=${r}`)).toEqual([]);
    // p1 is a split's output and a merge's input.
    expect(await count(`MATCH_inputEPC=${encodeURIComponent(epcOf(j.p1))}`)).toHaveLength(1);
    expect(
      await count(`MATCH_outputEPCClass=${encodeURIComponent(`${base}/v1/lots/${j.p1.id}`)}`),
    ).toHaveLength(1);
    expect(await count(`MATCH_anyEPCClass=${encodeURIComponent(`${base}/v1/lots/${j.p1.id}`)}`)).toHaveLength(
      2,
    );
    // The same lot as an EPC URN, written back as URNs when the client asks for them.
    const urn = giai(prefix, j.r.code, 'epc_urn');
    expect(urn).toBe(`urn:epc:id:giai:9520000.${j.r.code}`);
    const asUrn = await query(`/epcis/events?MATCH_epc=${encodeURIComponent(urn)}`, w.regulatorToken, {
      'GS1-EPC-Format': 'Always_EPC_URN',
    });
    expect(asUrn.res.headers.get('GS1-EPC-Format')).toBe('Always_EPC_URN');
    expect(asUrn.events.map((e) => e.epcList)).toEqual([[urn], [urn], [urn]]);
    expect(validateEpcis(asUrn.body)).toBe(true);
    // Another company's GIAI, or a URI that names nothing here, matches nothing.
    expect(await count(`MATCH_anyEPC=${encodeURIComponent(giai('0614141', j.r.code))}`)).toEqual([]);
    expect(await count(`MATCH_anyEPC=${encodeURIComponent('https://example.org/x')}`)).toEqual([]);
  });

  it('pages through nextPageToken and the Link header, in any order, without gaps or repeats', async () => {
    const all = (await query('/epcis/events')).events.map((e) => e.eventID);
    for (const order of ['', '&orderBy=eventTime&orderDirection=ASC', '&orderBy=recordTime']) {
      const seen: string[] = [];
      let next: string | null = `/epcis/events?perPage=3${order}`;
      let pages = 0;
      while (next) {
        const page = await query(next);
        expect(page.res.status).toBe(200);
        seen.push(...page.events.map((e) => e.eventID));
        const link = page.res.headers.get('link');
        next = link ? (/<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null) : null;
        if (next) expect(page.res.headers.get('GS1-Next-Page-Token-Expires')).toBeTruthy();
        pages++;
      }
      expect(pages, order).toBe(3);
      expect([...seen].sort(), order).toEqual([...all].sort());
      if (order.includes('recordTime')) expect(seen).toEqual([...all].reverse());
    }
    // eventCountLimit holds across pages.
    const limited: string[] = [];
    let next: string | null =
      '/epcis/events?orderBy=eventTime&orderDirection=ASC&eventCountLimit=5&perPage=2';
    while (next) {
      const page = await query(next);
      limited.push(...page.events.map((e) => e.eventID));
      const link = page.res.headers.get('link');
      next = link ? (/<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null) : null;
    }
    expect(limited).toHaveLength(5);
  });

  it('shows an exporter only the events of lots it may read, as far as it may read them', async () => {
    // The exporter received the refined bar: its scan, hand-over and export, not the miner's work.
    expect(steps((await query('/epcis/events', w.exporterToken)).events)).toEqual([
      'inspecting',
      'accepting',
      'departing',
    ]);
    // The miner handed the bar on: it sees up to the hand-over, not the export.
    const miner = steps((await query('/epcis/events', w.minerToken)).events);
    expect(miner).toContain('accepting');
    expect(miner).not.toContain('departing');
    // A trader that never held anything sees nothing, even naming the bar.
    const traderQuery = await query(
      `/epcis/events?MATCH_anyEPC=${encodeURIComponent(epcOf(j.r))}`,
      w.traderToken,
    );
    expect(traderQuery.events).toEqual([]);
    expect((await query('/epcis/events', w.mazukoToken)).res.status).toBe(403);
    expect((await t.app.request('/epcis/events')).status).toBe(401);
  });

  it.each([
    ['an unknown parameter', 'EQ_fooBar=1', /EQ_fooBar/, 400],
    ['a time without its offset', 'GE_eventTime=2026-01-01T00:00:00', /GE_eventTime/, 400],
    ['an unknown order', 'orderBy=quantity', /orderBy/, 400],
    ['eventCountLimit without orderBy', 'eventCountLimit=2', /eventCountLimit/, 400],
    ['a forged page token', 'nextPageToken=bm90LWEtdG9rZW4', /nextPageToken/, 400],
    ['an empty list element', 'EQ_bizStep=inspecting||x', /EQ_bizStep/, 400],
    ['more events than maxEventCount', 'maxEventCount=2', /maxEventCount/, 413],
    ['a NUL character', 'EQ_bizStep=in%00specting', /EQ_bizStep: a value must not contain the NUL/, 400],
    ['a count beyond an integer', 'maxEventCount=99999999999999999999', /maxEventCount/, 400],
    [
      'an instant before year 1',
      `GE_eventTime=${encodeURIComponent('0001-01-01T00:30:00+01:00')}`,
      /GE_eventTime/,
      400,
    ],
  ])('refuses %s with the standard’s exception', async (_, q, detail, status) => {
    const { res, body } = await query(`/epcis/events?${q}`);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(body.type).toBe(
      status === 413 ? 'epcisException:QueryTooLargeException' : 'epcisException:QueryParameterException',
    );
    expect(body.detail).toMatch(detail);
  });
});

describe('the bindings’ resource endpoints', () => {
  it('lists the event types, and the events of one type, one lot, one business step', async () => {
    const types = await t.app.request('/epcis/eventTypes', {
      headers: { authorization: `Bearer ${w.regulatorToken}` },
    });
    expect(((await types.json()) as { member: string[] }).member).toEqual([
      'ObjectEvent',
      'AggregationEvent',
      'TransactionEvent',
      'TransformationEvent',
      'AssociationEvent',
    ]);
    expect((await query('/epcis/eventTypes/TransformationEvent/events')).events).toHaveLength(3);
    const byLot = await query(`/epcis/epcs/${encodeURIComponent(epcOf(j.r))}/events`);
    expect(steps(byLot.events)).toEqual(['creating_class_instance', 'inspecting', 'accepting', 'departing']);
    expect(validateEpcis(byLot.body)).toBe(true);
    expect(steps((await query('/epcis/bizSteps/inspecting/events')).events)).toEqual(['inspecting']);
    // What the path fixes, a parameter may not widen.
    const widened = await query('/epcis/bizSteps/inspecting/events?EQ_bizStep=departing');
    expect(widened.res.status).toBe(400);
  });
});
