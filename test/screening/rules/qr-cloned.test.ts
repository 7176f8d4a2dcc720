import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/db/client.js';
import { jsonColumn } from '../../../src/db/sql.js';
import { qrCloned } from '../../../src/domain/screening/rules/qr-cloned.js';
import type { TestContext } from '../../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
let maldonadoToken: string;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
  maldonadoToken = await t.token('checkpoint', { checkpoint: w.maldonado.id });
});

/** Device time `minutes` before now, as a checkpoint device stamps it. */
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

const scanBody = (lot: { qrUrl: string }, at: 'mazuko' | 'maldonado', occurredAt: string) => ({
  token: lot.qrUrl,
  checkpointId: at === 'mazuko' ? w.mazuko.id : w.maldonado.id,
  occurredAt,
  clientId: randomUUID(),
});

async function scanAt(lot: { qrUrl: string }, at: 'mazuko' | 'maldonado', occurredAt: string) {
  const res = await t.call('POST', '/v1/scans', {
    token: at === 'mazuko' ? w.mazukoToken : maldonadoToken,
    body: scanBody(lot, at, occurredAt),
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

const clonedFlags = async (lotId: string) =>
  rowsOf<{ severity: string; fingerprint: string; evidence: Record<string, unknown> }>(
    await t.db.execute(sql`SELECT severity, fingerprint, evidence FROM flags
      WHERE subject_type = 'lot' AND subject_id = ${lotId} AND rule = 'QR_CLONED' ORDER BY created_at, id`),
  ).map((f) => ({ ...f, evidence: jsonColumn<Record<string, unknown>>(f.evidence) }));

// Mazuko [-70.373, -13.098] and Puerto Maldonado [-69.19, -12.6] are ~139 km apart in a straight
// line: at 100 km/h, no lot goes from one to the other in less than ~84 minutes.
describe('QR_CLONED: impossible travel between checkpoints', () => {
  it('one QR at Mazuko and at Puerto Maldonado an hour apart fires, critical, and holds the lot', async () => {
    const lot = await registerLot(t, w);
    const first = await scanAt(lot, 'mazuko', ago(180));
    expect(first.verdict).toBe('pass');
    const second = await scanAt(lot, 'maldonado', ago(120));
    expect(second.verdict).toBe('hold');
    expect(second.reasons).toContain('open critical flag QR_CLONED');
    const flag = second.flags.find((f: { rule: string }) => f.rule === 'QR_CLONED');
    expect(flag).toMatchObject({ severity: 'critical', status: 'open', inheritedFrom: null });
    expect(flag.evidence).toMatchObject({
      finding: 'impossible_travel',
      scan: { id: second.id, checkpointId: w.maldonado.id, checkpointCode: 'PC-PM' },
      otherScan: { id: first.id, checkpointId: w.mazuko.id, checkpointCode: 'PC-MAZUKO' },
      elapsedMin: 60,
      maxKmh: 100,
    });
    expect(new Date(flag.evidence.otherScan.occurredAt).toISOString()).toBe(first.occurredAt);
    expect(flag.evidence.distanceKm).toBeGreaterThan(135);
    expect(flag.evidence.distanceKm).toBeLessThan(143);
    expect(flag.evidence.impliedKmh).toBeCloseTo(flag.evidence.distanceKm, 0);
    expect(qrCloned.summarize(flag.evidence)).toMatch(/PC-PM .* PC-MAZUKO .* km apart in 60 min/);
  });

  it('near miss: the same two checkpoints three hours apart (~46 km/h) raise nothing', async () => {
    const lot = await registerLot(t, w);
    await scanAt(lot, 'mazuko', ago(300));
    const later = await scanAt(lot, 'maldonado', ago(120));
    expect(later.verdict).toBe('pass');
    expect(later.flags).toEqual([]);
  });

  it('two scans at the same instant at different checkpoints fire, with no finite speed', async () => {
    const lot = await registerLot(t, w);
    const at = ago(30);
    await scanAt(lot, 'mazuko', at);
    await scanAt(lot, 'maldonado', at);
    const [flag] = await clonedFlags(lot.id);
    expect(flag?.evidence).toMatchObject({ elapsedMin: 0, impliedKmh: null });
  });

  it('an offline scan synced late is compared with its neighbours in device time, not in arrival', async () => {
    const lot = await registerLot(t, w);
    const atMaldonado = await scanAt(lot, 'maldonado', ago(60));
    // Mazuko five hours before Puerto Maldonado: feasible.
    await scanAt(lot, 'mazuko', ago(360));
    expect(await clonedFlags(lot.id)).toEqual([]);
    // Mazuko again, 30 minutes before Puerto Maldonado: its next scan in device time is the
    // Puerto Maldonado one, although that arrived first.
    const late = await scanAt(lot, 'mazuko', ago(90));
    const flags = await clonedFlags(lot.id);
    expect(flags).toHaveLength(1);
    expect(flags[0]?.evidence).toMatchObject({
      scan: { id: late.id, checkpointCode: 'PC-MAZUKO' },
      otherScan: { id: atMaldonado.id, checkpointCode: 'PC-PM' },
      elapsedMin: 30,
    });
  });

  it('an offline batch retried with the same clientIds raises nothing new', async () => {
    const lot = await registerLot(t, w);
    await scanAt(lot, 'mazuko', ago(120));
    const records = [{ kind: 'scan', ...scanBody(lot, 'maldonado', ago(100)) }];
    const first = await t.call('POST', '/v1/sync', { token: maldonadoToken, body: { records } });
    expect(first.body.counts).toEqual({ applied: 1, duplicate: 0, rejected: 0 });
    expect(first.body.results[0].verdict).toBe('hold');
    expect(await clonedFlags(lot.id)).toHaveLength(1);
    const again = await t.call('POST', '/v1/sync', { token: maldonadoToken, body: { records } });
    expect(again.body.counts).toEqual({ applied: 0, duplicate: 1, rejected: 0 });
    expect(await clonedFlags(lot.id)).toHaveLength(1);
    const [events] = rowsOf<{ n: number }>(
      await t.db.execute(sql`SELECT count(*)::int AS n FROM events WHERE type = 'flag.raised'`),
    );
    expect(events?.n).toBe(1);
  });
});

describe('QR_CLONED: a scan after the lot ended', () => {
  it('a lot scanned after it was split fires, critical, naming the split', async () => {
    const lot = await registerLot(t, w);
    const split = await t.call('POST', `/v1/lots/${lot.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '400' }, { grossWeightG: '600' }] },
    });
    expect(split.status, split.text).toBe(201);
    const res = await scanAt(lot, 'mazuko', new Date().toISOString());
    expect(res.verdict).toBe('hold');
    const flag = res.flags.find((f: { rule: string }) => f.rule === 'QR_CLONED');
    expect(flag).toMatchObject({ severity: 'critical' });
    expect(flag.evidence).toMatchObject({
      finding: 'scan_after_end',
      lotStatus: 'consumed',
      lotCode: lot.code,
      endedBy: 'lot.split',
      scan: { id: res.id, checkpointCode: 'PC-MAZUKO' },
    });
    expect(Date.parse(flag.evidence.endedAt)).toBeLessThan(Date.parse(res.occurredAt));
    expect(qrCloned.summarize(flag.evidence)).toMatch(/after it ended \(lot\.split/);
    // Not passed down: the children are genuine, the copy of the parent's QR is not theirs.
    const [child] = rowsOf<{ n: number }>(
      await t.db.execute(sql`SELECT count(*)::int AS n FROM flags f JOIN lot_edges e ON e.child_id = f.subject_id
        WHERE e.parent_id = ${lot.id}`),
    );
    expect(child?.n).toBe(0);
  });

  it('near miss: an offline scan made before the seizure and synced after it raises nothing', async () => {
    const lot = await registerLot(t, w);
    const madeAt = ago(10);
    const seized = await t.call('POST', `/v1/lots/${lot.id}/seize`, {
      token: w.regulatorToken,
      body: { reason: 'investigation' },
    });
    expect(seized.status, seized.text).toBe(200);
    const res = await scanAt(lot, 'mazuko', madeAt);
    // Held because it is seized, but no QR finding: the lot was where the scan says, then.
    expect(res.reasons).toEqual(['lot is seized']);
    expect(await clonedFlags(lot.id)).toEqual([]);
    // The same lot scanned now does fire.
    await scanAt(lot, 'mazuko', new Date().toISOString());
    expect((await clonedFlags(lot.id)).map((f) => f.evidence.endedBy)).toEqual(['lot.seized']);
  });
});
