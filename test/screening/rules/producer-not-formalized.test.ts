import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { producerNotFormalized } from '../../../src/domain/screening/rules/producer-not-formalized.js';
import type { TestContext } from '../../helpers/app.js';
import { asInsider } from '../../helpers/db.js';
import { type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const RULE = 'PRODUCER_NOT_FORMALIZED';
/** A UTC calendar day `n` days from today (negative: before), as the API dates things. */
const day = (n = 0) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

const flagsOf = async (lotId: string) => {
  const res = await t.call('GET', `/v1/flags?rule=${RULE}&subjectType=lot&subjectId=${lotId}`, {
    token: w.regulatorToken,
  });
  expect(res.status, res.text).toBe(200);
  return res.body.items;
};

const record = async (actorId: string, body: Record<string, unknown>) => {
  const res = await t.call('POST', `/v1/actors/${actorId}/registrations`, { token: w.admin, body });
  expect(res.status, res.text).toBe(201);
  return res.body;
};

/** A miner with its own titled concession (so only its formalization is at stake). */
async function miner(taxId: string, name: string) {
  const m = await t.call('POST', '/v1/actors', {
    token: w.admin,
    body: { taxId, name, kinds: ['miner'] },
  });
  expect(m.status, m.text).toBe(201);
  const c = await t.call('POST', '/v1/concessions', {
    token: w.admin,
    body: {
      // Rights of these tests may lie over others: filed under an exception.
      overlapException: { legalBasis: 'superposición admitida (prueba)' },
      code: `07-${taxId.slice(-6)}`,
      name: `Concesión ${name}`,
      kind: 'mining',
      holderId: m.body.id,
      status: 'titled',
      grantedOn: '2012-01-01',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [-70.3, -12.8],
            [-70.25, -12.8],
            [-70.25, -12.75],
            [-70.3, -12.75],
            [-70.3, -12.8],
          ],
        ],
      },
    },
  });
  expect(c.status, c.text).toBe(201);
  const token = await t.token('exporter', { actor: m.body.id });
  const register = (extractedOn = day(-30)) =>
    registerLot(
      t,
      w,
      {
        producerId: m.body.id,
        concessionId: c.body.id,
        origin: { type: 'Point', coordinates: [-70.27, -12.77] },
        extractedOn,
      },
      token,
    );
  return { id: m.body.id as string, register };
}

describe('PRODUCER_NOT_FORMALIZED', () => {
  it('a revocation recorded later flags, critical, the lots registered from its date on and not those registered before', async () => {
    // D = today. A lot's registration date is its created_at, always now(): no API call can
    // register a lot on an earlier day. To have a lot registered BEFORE D, the test registers it
    // through the API and then moves its created_at 20 days back in SQL — the only setup done
    // outside the API, and it only says "this lot was registered 20 days ago".
    const old = await registerLot(t, w, { extractedOn: day(-40) });
    await asInsider(sql`UPDATE lots SET created_at = created_at - interval '20 days' WHERE id = ${old.id}`);
    // Registered today, before the revocation is recorded: on D, so the re-screening catches it.
    const sameDay = await registerLot(t, w, { extractedOn: day(-40) });
    expect(sameDay.flags.filter((f: { rule: string }) => f.rule === RULE)).toEqual([]);

    const revoked = await record(w.miner.id, {
      registry: 'formalization',
      status: 'revoked',
      validFrom: day(),
    });

    // Registered after the revocation was recorded: old gold (extracted while formalized) laundered
    // through a registration that no longer covers it.
    const after = await registerLot(t, w, { extractedOn: day(-40) });
    const [f] = after.flags.filter((x: { rule: string }) => x.rule === RULE);
    expect(f).toMatchObject({ severity: 'critical', status: 'open', inheritedFrom: null });
    const formalized = (
      await t.call('GET', `/v1/actors/${w.miner.id}`, { token: w.admin })
    ).body.registrations.find(
      (r: { registry: string; status: string }) =>
        r.registry === 'formalization' && r.status === 'formalized',
    );
    expect(f.evidence).toMatchObject({
      producerId: w.miner.id,
      taxId: '20600000011',
      name: 'Minera Guacamayo SAC',
      extractedOn: day(-40),
      registeredOn: day(),
      atExtraction: {
        status: 'formalized',
        registrationId: formalized.id,
        validFrom: '2015-01-01',
        validTo: day(),
      },
      atRegistration: { status: 'revoked', registrationId: revoked.id, validFrom: day(), validTo: null },
    });
    expect(producerNotFormalized.summarize(f.evidence)).toContain('revoked on the registration date');

    // The re-screening inside POST registrations flagged the lot registered on D before it.
    expect(await flagsOf(sameDay.id)).toMatchObject([{ severity: 'critical' }]);
    // Registered and extracted before D: clean.
    expect(await flagsOf(old.id)).toEqual([]);

    // The AML report of the day lists the two lots, by their producer's tax id, and not the old one.
    const report = await t.call('GET', `/v1/reports/aml?from=${day()}&to=${day()}`, {
      token: w.regulatorToken,
    });
    expect(report.status, report.text).toBe(200);
    const listed = report.body.items.filter((i: { flags: { rule: string }[] }) =>
      i.flags.some((f) => f.rule === RULE),
    );
    expect(listed.map((i: { id: string }) => i.id).sort()).toEqual([after.id, sameDay.id].sort());
    for (const i of listed)
      expect(i).toMatchObject({ riskLevel: 'critical', producer: { taxId: w.miner.taxId } });
    expect(report.body.items.map((i: { id: string }) => i.id)).not.toContain(old.id);
  });

  it('in process at extraction is medium and names the step', async () => {
    const m = await miner('20600000101', 'Minero en Proceso');
    const reg = await record(m.id, {
      registry: 'formalization',
      status: 'in_process',
      step: 3,
      validFrom: '2020-01-01',
    });
    const lot = await m.register();
    const [f] = lot.flags.filter((x: { rule: string }) => x.rule === RULE);
    expect(f).toMatchObject({ severity: 'medium' });
    expect(f.evidence.atExtraction).toEqual({
      status: 'in_process',
      step: 3,
      registrationId: reg.id,
      validFrom: '2020-01-01',
      validTo: null,
    });
    expect(producerNotFormalized.summarize(f.evidence)).toContain('in_process (step 3)');
  });

  it('no registration at all is high; formalized at both dates is the near miss', async () => {
    const none = await miner('20600000102', 'Minero Informal');
    const lot = await none.register();
    expect(lot.flags.filter((x: { rule: string }) => x.rule === RULE)).toMatchObject([
      {
        severity: 'high',
        evidence: {
          producerId: none.id,
          atExtraction: { status: 'none', registrationId: null },
          atRegistration: { status: 'none', registrationId: null },
        },
      },
    ]);
    // Formalized only after the extraction: still flagged (old gold registered once formalized).
    const late = await miner('20600000103', 'Minero Tardío');
    await record(late.id, { registry: 'formalization', status: 'formalized', validFrom: day(-10) });
    const oldGold = await late.register(day(-30));
    expect(oldGold.flags.filter((x: { rule: string }) => x.rule === RULE)).toMatchObject([
      {
        severity: 'high',
        evidence: { atExtraction: { status: 'none' }, atRegistration: { status: 'formalized' } },
      },
    ]);
    // Extracted after the formalization: clean.
    const newGold = await late.register(day(-5));
    expect(newGold.flags.filter((x: { rule: string }) => x.rule === RULE)).toEqual([]);
    expect((await registerLot(t, w)).flags).toEqual([]);
  });

  it('suspended is high; re-screening again on an unrelated registration raises nothing twice', async () => {
    const m = await miner('20600000104', 'Minero Suspendido');
    await record(m.id, { registry: 'formalization', status: 'formalized', validFrom: '2016-01-01' });
    const lot = await m.register(day(-30));
    expect(lot.flags.filter((x: { rule: string }) => x.rule === RULE)).toEqual([]);
    await record(m.id, { registry: 'formalization', status: 'suspended', validFrom: day(-35) });
    const flagged = await flagsOf(lot.id);
    expect(flagged).toMatchObject([
      {
        severity: 'high',
        evidence: { atExtraction: { status: 'suspended' }, atRegistration: { status: 'suspended' } },
      },
    ]);
    // Another registry's record re-screens the actor's lots: same registrations, same fingerprint.
    await record(m.id, { registry: 'trader', status: 'registered', validFrom: day(-1) });
    await record(m.id, {
      registry: 'controlled_inputs',
      status: 'authorized',
      validFrom: day(-1),
      quotas: [{ input: 'mercury', monthly: '1.000', unit: 'kg' }],
    });
    expect(await flagsOf(lot.id)).toEqual(flagged);
    // A later revocation is a new cause: a new flag, the first kept.
    await record(m.id, { registry: 'formalization', status: 'revoked', validFrom: day(-32) });
    const after = await flagsOf(lot.id);
    expect(after.map((f: { severity: string }) => f.severity).sort()).toEqual(['critical', 'high']);
  });
});
