import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/db/client.js';
import {
  weightDiscrepancyAtInspection,
  weightDiscrepancyAtScan,
} from '../../../src/domain/screening/rules/weight-discrepancy.js';
import { type TestContext, testApp } from '../../helpers/app.js';
import { goldWorld, registerLot } from '../../helpers/fixtures.js';
import { declareMovement, inputsWorld, inspectionBody } from '../../helpers/inputs.js';

let t: TestContext;
// The database boots in a hook (it may take longer than a test's timeout); each test makes its world.
beforeEach(async () => {
  t = await testApp();
});

const discrepancies = async (subjectId: string) =>
  rowsOf<{ severity: string; fingerprint: string }>(
    await t.db.execute(sql`SELECT severity, fingerprint FROM flags
      WHERE subject_id = ${subjectId} AND rule = 'WEIGHT_DISCREPANCY' ORDER BY created_at, id`),
  );

describe('WEIGHT_DISCREPANCY at a scan (tolerance max(0.5 %, 0.5 g): 5.000 g on 1,000 g)', () => {
  const scan = async (w: Awaited<ReturnType<typeof goldWorld>>, qrUrl: string, observed: string) => {
    const res = await t.call('POST', '/v1/scans', {
      token: w.mazukoToken,
      body: {
        token: qrUrl,
        checkpointId: w.mazuko.id,
        observedGrossWeightG: observed,
        occurredAt: new Date().toISOString(),
        clientId: randomUUID(),
      },
    });
    expect(res.status, res.text).toBe(201);
    return res.body;
  };

  it('5.001 g over fires, high, with the numbers; the scan is held', async () => {
    const w = await goldWorld(t);
    const lot = await registerLot(t, w, { grossWeightG: '1000.000' });
    const res = await scan(w, lot.qrUrl, '1005.001');
    expect(res.verdict).toBe('hold');
    expect(res.reasons).toContain('open high flag WEIGHT_DISCREPANCY');
    expect(res.flags).toHaveLength(1);
    const [flag] = res.flags;
    expect(flag).toMatchObject({ rule: 'WEIGHT_DISCREPANCY', severity: 'high' });
    expect(flag.evidence).toMatchObject({
      record: 'scan',
      scanId: res.id,
      lotCode: lot.code,
      declared: '1000.000',
      observed: '1005.001',
      difference: '5.001',
      tolerance: '5.000',
      unit: 'g',
      checkpointId: w.mazuko.id,
      checkpointCode: 'PC-MAZUKO',
    });
    expect(await discrepancies(lot.id)).toEqual([{ severity: 'high', fingerprint: res.id }]);
    expect(weightDiscrepancyAtScan.summarize(flag.evidence)).toBe(
      `lot ${lot.code} weighed at PC-MAZUKO 1005.001 g against 1000.000 g declared: 5.001 g off, beyond the tolerance of 5.000 g`,
    );
  });

  it('near miss: exactly the tolerance (995.000 g), or no weighing, raises nothing', async () => {
    const w = await goldWorld(t);
    const lot = await registerLot(t, w, { grossWeightG: '1000.000' });
    expect((await scan(w, lot.qrUrl, '995.000')).verdict).toBe('pass');
    const unweighed = await t.call('POST', '/v1/scans', {
      token: w.mazukoToken,
      body: {
        token: lot.qrUrl,
        checkpointId: w.mazuko.id,
        occurredAt: new Date().toISOString(),
        clientId: randomUUID(),
      },
    });
    expect(unweighed.body.verdict).toBe('pass');
    expect(await discrepancies(lot.id)).toEqual([]);
  });

  it('the minimum applies to small lots: 0.5 g on 20 g; beyond ten tolerances is critical', async () => {
    const w = await goldWorld(t);
    const small = await registerLot(t, w, { grossWeightG: '20.000' });
    expect((await scan(w, small.qrUrl, '20.500')).verdict).toBe('pass');
    const off = await scan(w, small.qrUrl, '19.499');
    expect(off.flags[0].evidence).toMatchObject({ difference: '-0.501', tolerance: '0.500' });
    const big = await registerLot(t, w, { grossWeightG: '1000.000' });
    const tenfold = await scan(w, big.qrUrl, '1050.000');
    expect(tenfold.flags[0].severity).toBe('high');
    const beyond = await scan(w, big.qrUrl, '949.999');
    expect(beyond.flags.map((f: { severity: string }) => f.severity)).toEqual(['high', 'critical']);
  });

  it('found on a lot already split, it passes to the parts', async () => {
    const w = await goldWorld(t);
    const lot = await registerLot(t, w, { grossWeightG: '1000.000' });
    const split = await t.call('POST', `/v1/lots/${lot.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '500' }, { grossWeightG: '500' }] },
    });
    expect(split.status, split.text).toBe(201);
    const res = await scan(w, lot.qrUrl, '900.000');
    const flag = res.flags.find((f: { rule: string }) => f.rule === 'WEIGHT_DISCREPANCY');
    const inherited = rowsOf<{ n: number }>(
      await t.db.execute(sql`SELECT count(*)::int AS n FROM flags
        WHERE rule = 'WEIGHT_DISCREPANCY' AND inherited_from = ${flag.id}`),
    );
    expect(inherited[0]?.n).toBe(2);
  });
});

describe('WEIGHT_DISCREPANCY at an inspection', () => {
  it('mercury 0.173 kg off 34.5 kg (tolerance 0.172 kg) fires, high, on the movement; 0.172 does not', async () => {
    const w = await inputsWorld(t);
    const m = await declareMovement(t, w);
    const inspect = (observedQuantity: string) =>
      t.call('POST', '/v1/inspections', {
        token: w.mazukoToken,
        body: inspectionBody(w, m, { observedQuantity }),
      });
    const within = await inspect('34.328');
    expect(within.body.verdict).toBe('pass');
    expect(await discrepancies(m.id)).toEqual([]);
    const beyond = await inspect('34.327');
    expect(beyond.status, beyond.text).toBe(201);
    const flag = beyond.body.flags.find((f: { rule: string }) => f.rule === 'WEIGHT_DISCREPANCY');
    expect(flag).toMatchObject({ severity: 'high', status: 'open' });
    expect(flag.evidence).toMatchObject({
      record: 'inspection',
      inspectionId: beyond.body.id,
      movementCode: m.code,
      input: 'mercury',
      declared: '34.500',
      observed: '34.327',
      difference: '-0.173',
      tolerance: '0.172',
      unit: 'kg',
      checkpointCode: 'PC-MAZUKO',
    });
    expect(beyond.body.reasons).toContain('open high flag WEIGHT_DISCREPANCY');
    expect(weightDiscrepancyAtInspection.summarize(flag.evidence)).toMatch(
      new RegExp(`^movement ${m.code} weighed at PC-MAZUKO 34.327 kg against 34.500 kg declared`),
    );
  });

  it('fuel: 2.5 % of 1,000 L; beyond 250 L is critical', async () => {
    const w = await inputsWorld(t);
    const m = await declareMovement(t, w, { input: 'diesel', quantity: '1000', unit: 'L' });
    const inspect = async (observedQuantity: string) =>
      (
        await t.call('POST', '/v1/inspections', {
          token: w.mazukoToken,
          body: inspectionBody(w, m, { observedQuantity }),
        })
      ).body;
    expect((await inspect('1025.000')).flags).toEqual([]);
    expect((await inspect('1025.001')).flags[0]).toMatchObject({
      severity: 'high',
      evidence: { tolerance: '25.000', unit: 'L' },
    });
    expect(await discrepancies(m.id)).toHaveLength(1);
    await inspect('700.000');
    expect((await discrepancies(m.id)).map((f) => f.severity)).toEqual(['high', 'critical']);
  });
});
