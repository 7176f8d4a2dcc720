import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { lotHoldReasons, reasonText } from '../../src/domain/screening/verdict.js';
import type { TestContext } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { insertFlag } from '../helpers/flags.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const watchlistOf = (checkpointId: string, token: string) =>
  t.call('GET', `/v1/checkpoints/${checkpointId}/watchlist`, { token });

describe('a checkpoint watchlist (what a device keeps to give a verdict offline)', () => {
  it('lists the lots to hold — flagged high or critical, or no longer active — and not clean ones', async () => {
    const clean = await registerLot(t, w);
    const flagged = await registerLot(t, w);
    const lowOnly = await registerLot(t, w);
    const dismissed = await registerLot(t, w);
    const seized = await registerLot(t, w);
    const flag = await insertFlag(t.db, { subjectId: flagged.id, severity: 'critical' });
    await insertFlag(t.db, { subjectId: lowOnly.id, severity: 'low' });
    await insertFlag(t.db, { subjectId: dismissed.id, severity: 'high', status: 'dismissed' });
    const seizure = await t.call('POST', `/v1/lots/${seized.id}/seize`, {
      token: w.regulatorToken,
      body: { reason: 'no papers' },
    });
    expect(seizure.status).toBeLessThan(300);

    const res = await watchlistOf(w.mazuko.id, w.mazukoToken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ checkpointId: w.mazuko.id });
    expect(Date.parse(res.body.generatedAt)).toBeGreaterThan(Date.now() - 60_000);
    const ids = res.body.lots.map((l: { id: string }) => l.id);
    expect(ids).toContain(flagged.id);
    expect(ids).toContain(seized.id);
    for (const absent of [clean.id, lowOnly.id, dismissed.id]) expect(ids).not.toContain(absent);
    expect(res.body.lots.find((l: { id: string }) => l.id === flagged.id)).toEqual({
      id: flagged.id,
      code: flagged.code,
      // The QR's own token, so that a code typed offline is recorded as a scan of it would be.
      token: flagged.qrUrl.split('/v/')[1],
      status: 'active',
      form: 'dore',
      grossWeightG: '1000.000',
      flags: [{ rule: flag.rule, severity: 'critical', status: 'open' }],
    });
    expect(res.body.lots.find((l: { id: string }) => l.id === seized.id)).toMatchObject({
      status: 'seized',
      flags: [],
    });
  });

  it("gives offline the verdict and reasons the server gives online, from the list's facts alone", async () => {
    const flagged = await registerLot(t, w, { grossWeightG: '500.000' });
    await insertFlag(t.db, { subjectId: flagged.id, severity: 'high', rule: 'ORIGIN_IN_EXCLUSION_ZONE' });
    const list = (await watchlistOf(w.mazuko.id, w.mazukoToken)).body;
    const entry = list.lots.find((l: { id: string }) => l.id === flagged.id);
    const offline = lotHoldReasons(entry, '480.000').map(reasonText);

    const online = await t.call('POST', '/v1/scans', {
      token: w.mazukoToken,
      body: {
        token: flagged.qrUrl,
        checkpointId: w.mazuko.id,
        observedGrossWeightG: '480.000',
        occurredAt: new Date().toISOString(),
        clientId: randomUUID(),
      },
    });
    expect(online.body.verdict).toBe('hold');
    // The server's scan also raises WEIGHT_DISCREPANCY, which the device cannot know of; every
    // reason the device gives is one the server gives too.
    expect(offline.length).toBeGreaterThan(0);
    for (const r of offline) expect(online.body.reasons).toContain(r);
  });

  it("lists the movements under way on the checkpoint's routes, with their declared quantities, and not on other routes", async () => {
    const elsewhere = await t.call('POST', '/v1/checkpoints', {
      token: w.admin,
      body: {
        code: 'PC-IBERIA',
        name: 'Iberia',
        location: { type: 'Point', coordinates: [-69.49, -11.41] },
        routes: ['Ruta Iberia'],
      },
    });
    const mine = await watchlistOf(w.mazuko.id, w.mazukoToken);
    expect(mine.body.movements).toHaveLength(2);
    expect(mine.body.movements[0]).toMatchObject({
      status: 'declared',
      route: 'Interoceánica Sur',
      flags: [],
    });
    expect(
      mine.body.movements.map((m: { quantity: string; unit: string }) => `${m.quantity} ${m.unit}`).sort(),
    ).toEqual(['20.000 kg', '20000.000 L']);
    const theirs = await watchlistOf(
      elsewhere.body.id,
      await t.token('checkpoint', { checkpoint: elsewhere.body.id }),
    );
    expect(theirs.status).toBe(200);
    expect(theirs.body.movements).toEqual([]);
  });

  it("refuses another checkpoint's staff and exporters (403), answers regulators and admins, 404 for no such checkpoint", async () => {
    const other = await watchlistOf(w.mazuko.id, await t.token('checkpoint', { checkpoint: w.maldonado.id }));
    expect(other.status).toBe(403);
    expect(other.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(other.body.detail).toMatch(/own checkpoint/);
    expect((await watchlistOf(w.mazuko.id, w.minerToken)).status).toBe(403);
    expect((await watchlistOf(w.mazuko.id, w.regulatorToken)).status).toBe(200);
    expect((await watchlistOf(w.mazuko.id, w.admin)).status).toBe(200);
    expect((await watchlistOf(randomUUID(), w.admin)).status).toBe(404);
    expect((await t.call('GET', `/v1/checkpoints/${w.mazuko.id}/watchlist`)).status).toBe(401);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    expect(doc.paths['/v1/checkpoints/{id}/watchlist'].get.responses['200']).toBeDefined();
  });
});
