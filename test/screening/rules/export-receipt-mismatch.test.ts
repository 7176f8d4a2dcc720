import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/db/client.js';
import { ruleFor } from '../../../src/domain/screening/rules/index.js';
import { giai } from '../../../src/domain/shared/gs1.js';
import type { TestContext } from '../../helpers/app.js';
import { type GoldJourney, goldJourney } from '../../helpers/dag.js';
import { type GoldWorld, goldWorld } from '../../helpers/fixtures.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
let j: GoldJourney;
let refineryToken: string;
const world = worldPerFile(async (t) => {
  const w = await goldWorld(t);
  const j = await goldJourney(t, w);
  const res = await t.call('POST', '/v1/actors', {
    token: w.admin,
    body: { taxId: 'CHE105934576', name: 'Affinerie du Jura SA', kinds: ['refiner'] },
  });
  if (res.status !== 201) throw new Error(res.text);
  return { w, j, refineryId: res.body.id as string };
});
beforeEach(async () => {
  const built = await world();
  t = built.t;
  ({ w, j } = built.w);
  // A foreign refinery: an exporter-role token bound to its actor.
  refineryToken = await t.token('exporter', { actor: built.w.refineryId });
});

const prefix = '9520000';
const base = 'http://orotrace.test';

/** The refinery captures one receiving ObjectEvent naming `epc`; answers the API's answer. */
async function receive(epc: string, over: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/epcis/capture', {
    token: refineryToken,
    body: {
      '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2026-12-01T10:00:00Z',
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            eventTime: '2026-12-01T09:00:00+01:00',
            eventTimeZoneOffset: '+01:00',
            action: 'OBSERVE',
            bizStep: 'receiving',
            disposition: 'in_progress',
            epcList: [epc],
            readPoint: { id: 'urn:epc:id:sgln:7612345.00001.0' },
            ...over,
          },
        ],
      },
    },
  });
  expect(res.status, res.text).toBe(202);
  return res.body as { eventIDs: string[] };
}
const grams = (quantity: number, uom = 'GRM', epcClass = 'urn:epc:class:lgtin:7612345.00000.dore') => ({
  quantityList: [{ epcClass, quantity, uom }],
});

async function flagsOf(lotId: string) {
  const res = await t.call(
    'GET',
    `/v1/flags?subjectType=lot&subjectId=${lotId}&rule=EXPORT_RECEIPT_MISMATCH`,
    {
      token: w.regulatorToken,
    },
  );
  expect(res.status, res.text).toBe(200);
  return res.body.items as { rule: string; severity: string; evidence: Record<string, unknown> }[];
}
async function ledgerVerifies() {
  await t.call('GET', '/v1/ledger/head', { token: w.regulatorToken });
  const verified = await t.call('GET', '/v1/ledger/verify', { token: w.regulatorToken });
  expect(verified.status, verified.text).toBe(200);
  expect(verified.body.ok, verified.text).toBe(true);
}
const summarize = (evidence: Record<string, unknown>) =>
  ruleFor('EXPORT_RECEIPT_MISMATCH', 'lot')?.summarize(evidence) ?? '';

// The refined bar r left for Switzerland at 740.000 g gross; the tolerance is 0.1 % or 0.5 g,
// whichever is larger: 0.740 g.
describe('EXPORT_RECEIPT_MISMATCH', () => {
  it('a refinery’s receipt with the exported weight confirms it: recorded on the lot, nothing flagged', async () => {
    const { eventIDs } = await receive(giai(prefix, j.r.code), grams(740.6));
    const receipts = rowsOf<{ payload: Record<string, unknown> }>(
      await t.db.execute(
        sql`SELECT payload FROM events WHERE type = 'lot.receipt_reported' AND subject_id = ${j.r.id}::uuid`,
      ),
    );
    expect(receipts.map((r) => r.payload)).toEqual([
      expect.objectContaining({ receivedGrossWeightG: '740.6', bizStep: 'receiving', eventID: eventIDs[0] }),
    ]);
    expect(await flagsOf(j.r.id)).toEqual([]);
    await ledgerVerifies();
  });

  it('a short one (in kilograms, under the lot’s own class, named by EPC URN) is flagged with the numbers', async () => {
    await receive(giai(prefix, j.r.code, 'epc_urn'), {
      bizStep: 'arriving',
      ...grams(0.7351, 'KGM', `${base}/v1/lots/${j.r.id}`),
    });
    const flags = await flagsOf(j.r.id);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      rule: 'EXPORT_RECEIPT_MISMATCH',
      severity: 'high',
      evidence: {
        finding: 'weight',
        lotCode: j.r.code,
        exportedGrossWeightG: '740.000',
        receivedGrossWeightG: '735.100',
        difference: '-4.900',
        tolerance: '0.740',
        unit: 'g',
      },
    });
    expect(summarize(flags[0]?.evidence ?? {})).toBe(
      `lot ${j.r.code} received abroad weighing 735.100 g against 740.000 g exported: -4.900 g off, beyond the tolerance of 0.740 g`,
    );
    await ledgerVerifies();
  });

  it('judges the weight at the tolerance: 0.740 g off passes, 0.741 g does not', async () => {
    await receive(giai(prefix, j.r.code), grams(739.26));
    expect(await flagsOf(j.r.id)).toEqual([]);
    await receive(giai(prefix, j.r.code), grams(740.741));
    expect((await flagsOf(j.r.id)).map((f) => f.evidence.difference)).toEqual(['0.741']);
  });

  it('a receipt without a mass confirms arrival only; a count is not a mass', async () => {
    await receive(giai(prefix, j.r.code));
    await receive(giai(prefix, j.r.code), grams(1, 'H87'));
    expect(await flagsOf(j.r.id)).toEqual([]);
  });

  it('one naming a lot that was never exported is flagged', async () => {
    await receive(giai(prefix, j.p2.code), grams(290));
    const flags = await flagsOf(j.p2.id);
    expect(flags).toHaveLength(1);
    expect(flags[0]?.evidence).toMatchObject({
      finding: 'not_exported',
      lotCode: j.p2.code,
      lotStatus: 'active',
    });
    expect(summarize(flags[0]?.evidence ?? {})).toMatch(/never exported \(status active\)/);
  });

  it('one naming a GIAI that is no lot of ours is stored and flags nothing', async () => {
    const count = async (q: ReturnType<typeof sql>) => rowsOf<{ n: number }>(await t.db.execute(q))[0]?.n;
    const flagsBefore = await count(sql`SELECT count(*)::int AS n FROM flags`);
    await receive(giai(prefix, 'AU-2026-999999'), grams(1));
    await receive(giai('7612345', j.r.code), grams(1));
    expect(await count(sql`SELECT count(*)::int AS n FROM events WHERE type = 'epcis.captured'`)).toBe(2);
    expect(await count(sql`SELECT count(*)::int AS n FROM events WHERE type = 'lot.receipt_reported'`)).toBe(
      0,
    );
    expect(await count(sql`SELECT count(*)::int AS n FROM flags`)).toBe(flagsBefore);
  });

  it('a shipping event naming the bar is no receipt', async () => {
    await receive(giai(prefix, j.p2.code), { bizStep: 'shipping' });
    expect(await flagsOf(j.p2.id)).toEqual([]);
  });
});
