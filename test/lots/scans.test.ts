import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { signQr } from '../../src/domain/lots/qr.js';
import type { TestContext } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const scan = (token: string, body: Record<string, unknown>, bearer = w.mazukoToken) =>
  t.call('POST', '/v1/scans', {
    token: bearer,
    body: {
      token,
      checkpointId: w.mazuko.id,
      occurredAt: new Date().toISOString(),
      clientId: randomUUID(),
      ...body,
    },
  });

describe('checkpoint scans', () => {
  it('a clean lot scanned with its whole QR URL passes, and the scan joins the lot’s history', async () => {
    const lot = await registerLot(t, w, { grossWeightG: '1000.000' });
    const res = await scan(lot.qrUrl, { observedGrossWeightG: '1000.300' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      verdict: 'pass',
      reasons: [],
      lotId: lot.id,
      checkpointId: w.mazuko.id,
      flags: [],
      duplicate: false,
    });
    expect(res.body.lot.code).toBe(lot.code);
    const events = rowsOf<{ type: string; checkpoint_id: string }>(
      await t.db.execute(
        sql`SELECT type, checkpoint_id FROM events WHERE subject_id = ${lot.id} ORDER BY seq`,
      ),
    );
    expect(events.map((e) => e.type)).toEqual(['lot.registered', 'lot.scanned']);
    expect(events[1]?.checkpoint_id).toBe(w.mazuko.id);
  });

  it('an unknown checkpoint is answered 404 before the lot is looked at, and nothing is written', async () => {
    const lot = await registerLot(t, w);
    const ghost = randomUUID();
    const bearer = await t.token('checkpoint', { checkpoint: ghost });
    const count = async () =>
      rowsOf<{ n: number }>(await t.db.execute(sql`SELECT count(*)::int AS n FROM scans`))[0]?.n;
    const before = await count();
    const known = await scan(lot.qrUrl, { checkpointId: ghost }, bearer);
    expect(known.status).toBe(404);
    expect(known.body.detail).toContain(ghost);
    // A genuine QR of a lot that does not exist, at a checkpoint that does not either: the
    // checkpoint is named, as when it was checked first on its own.
    const noLot = await signQr(t.ledgerKey, { kind: 'lot', id: randomUUID(), code: 'AU-2026-999999' });
    const unknown = await scan(noLot, { checkpointId: ghost }, bearer);
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain(ghost);
    const lotMissing = await scan(noLot, {});
    expect(lotMissing.status).toBe(404);
    expect(lotMissing.body.detail).toContain('lot');
    expect(await count()).toBe(before);
  });

  it('the bare JWS works as well as the URL', async () => {
    const lot = await registerLot(t, w);
    const res = await scan(lot.qrUrl.split('/v/')[1], {});
    expect(res.status).toBe(201);
    expect(res.body.verdict).toBe('pass');
  });

  it('a weight beyond tolerance is held, with the numbers in the reason', async () => {
    const lot = await registerLot(t, w, { grossWeightG: '1000.000' });
    const res = await scan(lot.qrUrl, { observedGrossWeightG: '985.000' });
    expect(res.body.verdict).toBe('hold');
    expect(res.body.reasons).toEqual([
      'open high flag WEIGHT_DISCREPANCY',
      'observed 985.000 g differs from the declared 1000.000 g by more than 5.000 g',
    ]);
    expect(res.body.flags).toEqual([
      expect.objectContaining({ rule: 'WEIGHT_DISCREPANCY', severity: 'high', status: 'open' }),
    ]);
  });

  it('a lot that is no longer active is held', async () => {
    const lot = await registerLot(t, w);
    await t.call('POST', `/v1/lots/${lot.id}/seize`, {
      token: w.regulatorToken,
      body: { reason: 'investigation' },
    });
    const res = await scan(lot.qrUrl, {});
    expect(res.body.verdict).toBe('hold');
    expect(res.body.reasons).toContain('lot is seized');
  });

  it('a retry with the same clientId is applied once and answers the first record', async () => {
    const lot = await registerLot(t, w);
    const clientId = randomUUID();
    const first = await scan(lot.qrUrl, { clientId });
    const again = await scan(lot.qrUrl, { clientId });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    expect(again.body.id).toBe(first.body.id);
    const [n] = rowsOf<{ n: string }>(
      await t.db.execute(sql`SELECT count(*)::text AS n FROM events WHERE type = 'lot.scanned'`),
    );
    expect(n?.n).toBe('1');
  });

  it('staff of another checkpoint cannot record at this one, and other roles cannot scan', async () => {
    const lot = await registerLot(t, w);
    const otherStaff = await t.token('checkpoint', { checkpoint: w.maldonado.id });
    expect((await scan(lot.qrUrl, {}, otherStaff)).status).toBe(403);
    expect((await scan(lot.qrUrl, {}, w.regulatorToken)).status).toBe(403);
  });

  it('a forged token and a device clock far in the future are refused, and nothing is recorded', async () => {
    const lot = await registerLot(t, w);
    const [h, , s] = lot.qrUrl.split('/v/')[1].split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ t: 'lot', i: lot.id, c: 'X' })).toString('base64url')}.${s}`;
    const bad = await scan(forged, {});
    expect(bad.status).toBe(422);
    expect(bad.body.type).toBe('/problems/invalid-qr');
    const future = await scan(lot.qrUrl, { occurredAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(future.status).toBe(400);
    expect(future.body.errors[0].field).toBe('occurredAt');
    const [n] = rowsOf<{ n: string }>(await t.db.execute(sql`SELECT count(*)::text AS n FROM scans`));
    expect(n?.n).toBe('0');
  });
});
