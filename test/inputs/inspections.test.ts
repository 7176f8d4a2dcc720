import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { newId } from '../../src/domain/shared/ids.js';
import type { TestContext } from '../helpers/app.js';
import {
  countRows,
  declareMovement,
  type InputsWorld,
  inputsWorld,
  inspectionBody,
} from '../helpers/inputs.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: InputsWorld;
const world = worldPerFile(inputsWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const inspect = (body: Record<string, unknown>, token = w.mazukoToken) =>
  t.call('POST', '/v1/inspections', { token, body });
const inspections = () => countRows(t, sql`SELECT count(*)::text AS n FROM inspections`);

describe('inspecting a movement at a checkpoint', () => {
  it('a clean consignment scanned by its QR URL passes, goes in transit, and the ledger keeps device time', async () => {
    const m = await declareMovement(t, w);
    const occurredAt = '2026-11-20T14:03:00.000Z';
    const { movementId: _, ...body } = inspectionBody(w, m, { token: m.qrUrl, occurredAt });
    const res = await inspect(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      movementId: m.id,
      checkpointId: w.mazuko.id,
      observedQuantity: '34.500',
      outcome: 'passed',
      verdict: 'pass',
      reasons: [],
      duplicate: false,
      occurredAt,
      flags: [],
    });
    expect(res.body.movement).toMatchObject({ id: m.id, code: m.code, status: 'in_transit' });
    expect(Date.parse(res.body.recordedAt)).toBeGreaterThan(Date.parse(occurredAt));
    const [event] = rowsOf<{ occurred_at: string; checkpoint_id: string; payload: { statusAfter: string } }>(
      await t.db.execute(sql`SELECT occurred_at::text, checkpoint_id, payload FROM events
        WHERE subject_id = ${m.id} AND type = 'movement.inspected'`),
    );
    expect(new Date(event?.occurred_at ?? '').toISOString()).toBe(occurredAt);
    expect(event?.checkpoint_id).toBe(w.mazuko.id);
    expect(event?.payload.statusAfter).toBe('in_transit');
  });

  it('the bare JWS works as well as the movement id', async () => {
    const m = await declareMovement(t, w);
    const { movementId: _, ...body } = inspectionBody(w, m, { token: m.qrUrl.split('/v/')[1] });
    expect((await inspect(body)).body.verdict).toBe('pass');
  });

  it('holds a quantity beyond tolerance (0.5 % of 34.5 kg = 0.172 kg), with the numbers in the reason', async () => {
    const m = await declareMovement(t, w);
    const within = await inspect(inspectionBody(w, m, { observedQuantity: '34.328' }));
    expect(within.body.verdict).toBe('pass');
    const beyond = await inspect(inspectionBody(w, m, { observedQuantity: '34.673' }));
    expect(beyond.body.verdict).toBe('hold');
    expect(beyond.body.reasons).toEqual([
      'open high flag WEIGHT_DISCREPANCY',
      'observed 34.673 kg differs from the declared 34.500 kg by more than 0.172 kg',
    ]);
  });

  it('fuel gets the wider volume tolerance: 2.5 % of 1,000 L', async () => {
    const m = await declareMovement(t, w, { input: 'diesel', quantity: '1000', unit: 'L' });
    expect((await inspect(inspectionBody(w, m, { observedQuantity: '1025' }))).body.verdict).toBe('pass');
    const res = await inspect(inspectionBody(w, m, { observedQuantity: '1025.001' }));
    expect(res.body.reasons).toEqual([
      'open high flag WEIGHT_DISCREPANCY',
      'observed 1025.001 L differs from the declared 1000.000 L by more than 25.000 L',
    ]);
  });

  it('holds a recorded discrepancy, an open high flag, and a movement already delivered', async () => {
    const m = await declareMovement(t, w);
    const discrepancy = await inspect(
      inspectionBody(w, m, { outcome: 'discrepancy', notes: 'precinto roto' }),
    );
    expect(discrepancy.body).toMatchObject({
      verdict: 'hold',
      reasons: ['the inspector recorded discrepancy'],
    });

    // Flags are raised by the screening rules (next issue); one is written here as they will be.
    const flagId = newId();
    await t.db.execute(sql`INSERT INTO flags (id, rule, severity, subject_type, subject_id, evidence)
      VALUES (${flagId}, 'CONSIGNEE_NOT_AUTHORIZED', 'high', 'movement', ${m.id}, '{"registration": null}'::jsonb)`);
    const flagged = await inspect(inspectionBody(w, m));
    expect(flagged.body.reasons).toEqual(['open high flag CONSIGNEE_NOT_AUTHORIZED']);
    expect(flagged.body.flags).toEqual([
      {
        id: flagId,
        rule: 'CONSIGNEE_NOT_AUTHORIZED',
        severity: 'high',
        status: 'open',
        evidence: { registration: null },
        inheritedFrom: null,
      },
    ]);
    expect(flagged.body.movement.riskLevel).toBe('high');

    const other = await declareMovement(t, w);
    await t.call('POST', `/v1/movements/${other.id}/deliver`, { token: w.minerToken });
    const late = await inspect(inspectionBody(w, other));
    expect(late.body).toMatchObject({ verdict: 'hold', reasons: ['movement is already delivered'] });
    expect(late.body.movement.status).toBe('delivered');
  });

  it('a retry with the same clientId is applied once; reusing it for another movement is a 409', async () => {
    const m = await declareMovement(t, w);
    const body = inspectionBody(w, m);
    const first = await inspect(body);
    const again = await inspect(body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, duplicate: true });
    const n = await declareMovement(t, w);
    const reused = await inspect({ ...body, movementId: n.id });
    expect(reused.status).toBe(409);
    expect(await inspections()).toBe(1);
    expect(
      await countRows(t, sql`SELECT count(*)::text AS n FROM events WHERE type = 'movement.inspected'`),
    ).toBe(1);
  });

  it('staff of another checkpoint are refused (403), as are other roles; nothing is written', async () => {
    const m = await declareMovement(t, w);
    expect((await inspect(inspectionBody(w, m), w.maldonadoToken)).status).toBe(403);
    expect((await inspect(inspectionBody(w, m), w.regulatorToken)).status).toBe(403);
    expect((await inspect(inspectionBody(w, m), w.supplierToken)).status).toBe(403);
    expect(await inspections()).toBe(0);
    const [row] = rowsOf<{ status: string }>(
      await t.db.execute(sql`SELECT status FROM movements WHERE id = ${m.id}`),
    );
    expect(row?.status).toBe('declared');
  });

  it('a forged QR is 422 invalid-qr; a lot’s QR is 422 telling to record a scan, and vice versa', async () => {
    const m = await declareMovement(t, w);
    const [h, , s] = m.qrUrl.split('/v/')[1].split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ t: 'movement', i: m.id, c: 'MV-2026-999999' }),
    ).toString('base64url');
    const forged = await inspect({
      ...inspectionBody(w, m),
      movementId: undefined,
      token: `${h}.${forgedPayload}.${s}`,
    });
    expect(forged.status).toBe(422);
    expect(forged.body.type).toBe('/problems/invalid-qr');

    const lot = await t.call('POST', '/v1/lots', {
      token: w.minerToken,
      body: {
        producerId: w.miner.id,
        concessionId: w.concession.id,
        origin: { type: 'Point', coordinates: [-70.52, -13.05] },
        extractedOn: '2026-10-01',
        grossWeightG: '100',
        fineness: '900',
        form: 'dore',
      },
    });
    const lotQr = await inspect({ ...inspectionBody(w, m), movementId: undefined, token: lot.body.qrUrl });
    expect(lotQr.status).toBe(422);
    expect(lotQr.body.detail).toMatch(/record a scan/);
    const scan = await t.call('POST', '/v1/scans', {
      token: w.mazukoToken,
      body: {
        token: m.qrUrl,
        checkpointId: w.mazuko.id,
        occurredAt: new Date().toISOString(),
        clientId: randomUUID(),
      },
    });
    expect(scan.status).toBe(422);
    expect(scan.body.detail).toMatch(/record an inspection/);
    expect(await inspections()).toBe(0);
  });

  it.each([
    ['both a movement id and a token', (m: { qrUrl: string }) => ({ token: m.qrUrl }), 'movementId'],
    ['neither a movement id nor a token', () => ({ movementId: undefined }), 'movementId'],
    [
      'a device clock a day ahead',
      () => ({ occurredAt: new Date(Date.now() + 86_400_000).toISOString() }),
      'occurredAt',
    ],
    ['a negative observed quantity', () => ({ observedQuantity: '-1' }), 'observedQuantity'],
    ['an unknown outcome', () => ({ outcome: 'confiscated' }), 'outcome'],
  ])('refuses %s with a 400 naming the field', async (_name, over, field) => {
    const m = await declareMovement(t, w);
    const res = await inspect(inspectionBody(w, m, over(m)));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await inspections()).toBe(0);
  });

  it('an unknown movement is a 404', async () => {
    const res = await inspect(inspectionBody(w, { id: newId() }));
    expect(res.status).toBe(404);
  });
});
