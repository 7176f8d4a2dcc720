import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import type { TestContext } from '../helpers/app.js';
import { adminDb } from '../helpers/db.js';
import {
  backdateDeclaration,
  countRows,
  declareMovement,
  type InputsWorld,
  inputsWorld,
  inspectionBody,
  movementBody,
  route,
} from '../helpers/inputs.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: InputsWorld;
const world = worldPerFile(inputsWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const movementCount = () => countRows(t, sql`SELECT count(*)::text AS n FROM movements`);

describe('declaring a movement', () => {
  it('gives a code, the checkpoints on its route, a signed QR URL and the authorization in force', async () => {
    const m = await declareMovement(t, w);
    expect(m).toMatchObject({
      code: expect.stringMatching(/^MV-\d{4}-000001$/),
      status: 'declared',
      input: 'mercury',
      quantity: '34.500',
      unit: 'kg',
      consignorId: w.supplier.id,
      consigneeId: w.miner.id,
      destination: { concessionId: w.concession.id },
      vehicle: 'V1Q-123',
      route,
      authorizationId: w.minerRegistration.id,
      riskLevel: 'none',
      flags: [],
    });
    expect(m.checkpoints).toEqual([
      { id: w.mazuko.id, code: 'PC-MAZUKO', name: 'Mazuko' },
      { id: w.maldonado.id, code: 'PC-PM', name: 'Puerto Maldonado' },
    ]);
    expect(m.qrUrl).toMatch(/^http:\/\/orotrace\.test\/v\/[\w-]+\.[\w-]+\.[\w-]+$/);
    const [stored] = rowsOf<{ qr_token: string }>(
      await t.db.execute(sql`SELECT qr_token FROM movements WHERE id = ${m.id}`),
    );
    expect(m.qrUrl.split('/v/')[1]).toBe(stored?.qr_token);
    const events = rowsOf<{ type: string; subject_type: string }>(
      await t.db.execute(sql`SELECT type, subject_type FROM events WHERE subject_id = ${m.id}`),
    );
    expect(events).toEqual([{ type: 'movement.declared', subject_type: 'movement' }]);
    // What GET answers is what the declaration answered.
    const got = await t.call('GET', `/v1/movements/${m.id}`, { token: w.regulatorToken });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(m);
  });

  it('a destination may be a point; an admin may declare on the consignor’s behalf', async () => {
    const m = await declareMovement(
      t,
      w,
      {
        input: 'diesel',
        quantity: 1500,
        unit: 'L',
        destination: { point: { type: 'Point', coordinates: [-70.52, -13.05] } },
      },
      w.admin,
    );
    expect(m).toMatchObject({
      input: 'diesel',
      quantity: '1500.000',
      destination: { point: { type: 'Point', coordinates: [-70.52, -13.05] } },
    });
    const got = await t.call('GET', `/v1/movements/${m.id}`, { token: w.regulatorToken });
    expect(got.body.destination).toEqual({ point: { type: 'Point', coordinates: [-70.52, -13.05] } });
  });

  it.each([
    ['mercury in litres', { unit: 'L' }, 'unit'],
    ['diesel in kilograms', { input: 'diesel', unit: 'kg' }, 'unit'],
    ['a zero quantity', { quantity: '0' }, 'quantity'],
    ['a negative quantity', { quantity: '-3.5' }, 'quantity'],
    ['four decimals', { quantity: '1.2345' }, 'quantity'],
    ['an unknown input', { input: 'cyanide' }, 'input'],
    ['no vehicle', { vehicle: '' }, 'vehicle'],
  ])('refuses %s with a 400 naming the field, and writes nothing', async (_name, over, field) => {
    const res = await t.call('POST', '/v1/movements', {
      token: w.supplierToken,
      body: movementBody(w, over),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await movementCount()).toBe(0);
  });

  it('unknown parties, concession, route or a foreign authorization are a 422 naming each field', async () => {
    const unknown = '01936f4e-7d1a-7c3e-9f00-3a1b2c3d4e5f';
    const res = await t.call('POST', '/v1/movements', {
      token: w.admin,
      body: movementBody(w, {
        consigneeId: unknown,
        destination: { concessionId: unknown },
        route: 'Carretera Fantasma',
      }),
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'consigneeId',
      'destination.concessionId',
      'route',
    ]);
    // The supplier's own registration is not the consignee's authorization.
    const foreign = await t.call('POST', '/v1/movements', {
      token: w.supplierToken,
      body: movementBody(w, { authorization: w.supplierRegistration.id }),
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors).toEqual([{ field: 'authorization', message: expect.any(String) }]);
    expect(await movementCount()).toBe(0);
  });

  it('a named authorization of the consignee is recorded; none in force is recorded as null', async () => {
    const named = await declareMovement(t, w, { authorization: w.minerRegistration.id });
    expect(named.authorizationId).toBe(w.minerRegistration.id);
    const m = await declareMovement(t, w, { consigneeId: w.other.id });
    expect(m.authorizationId).toBeNull();
    // Declared all the same: that the consignee is not authorized is a flag, not a refusal.
    expect(m.flags).toEqual([
      expect.objectContaining({ rule: 'CONSIGNEE_NOT_AUTHORIZED', severity: 'critical', status: 'open' }),
    ]);
  });

  it('only the consignor (or an admin) declares: another exporter, a regulator, checkpoint staff get 403', async () => {
    for (const token of [w.minerToken, w.regulatorToken, w.mazukoToken]) {
      const res = await t.call('POST', '/v1/movements', { token, body: movementBody(w) });
      expect(res.status).toBe(403);
    }
    expect(await movementCount()).toBe(0);
  });
});

describe('the declaration time (declaredAt)', () => {
  it('is the server time, in the declaration answer, the movement and every list; a body carrying it is refused', async () => {
    const before = Date.now();
    const m = await declareMovement(t, w);
    const at = Date.parse(m.declaredAt);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
    const got = await t.call('GET', `/v1/movements/${m.id}`, { token: w.regulatorToken });
    expect(got.body.declaredAt).toBe(m.declaredAt);
    const list = await t.call('GET', '/v1/movements', { token: w.regulatorToken });
    expect(list.body.items.map((i: { declaredAt: string }) => i.declaredAt)).toEqual([m.declaredAt]);

    // A client that could date its declaration could date its mercury out of the diversion window.
    const res = await t.call('POST', '/v1/movements', {
      token: w.supplierToken,
      body: movementBody(w, { declaredAt: '2025-01-01T00:00:00Z' }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'declaredAt', message: 'is set by the server when the movement is declared; leave it out' },
    ]);
    expect(await movementCount()).toBe(1);

    const doc = await t.call('GET', '/openapi.json');
    expect(doc.body.components.schemas.Movement.properties.declaredAt).toMatchObject({ readOnly: true });
  });
});

describe('reading movements', () => {
  it('exporters read those they send or receive; for anyone else the movement does not exist', async () => {
    const m = await declareMovement(t, w);
    for (const token of [w.supplierToken, w.minerToken, w.mazukoToken, w.admin]) {
      expect((await t.call('GET', `/v1/movements/${m.id}`, { token })).status).toBe(200);
    }
    expect((await t.call('GET', `/v1/movements/${m.id}`, { token: w.otherToken })).status).toBe(404);
    expect((await t.call('GET', `/v1/movements/${m.id}/qr.svg`, { token: w.otherToken })).status).toBe(404);
    const svg = await t.call('GET', `/v1/movements/${m.id}/qr.svg`, { token: w.minerToken });
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.text).toMatch(/^<svg/);
    const list = await t.call('GET', '/v1/movements', { token: w.otherToken });
    expect(list.body.items).toEqual([]);
  });

  it('regulators filter by consignee, route, input, status, checkpoint of inspection and period', async () => {
    const a = await declareMovement(t, w);
    const b = await declareMovement(t, w, { input: 'diesel', quantity: '900', unit: 'L' });
    const c = await declareMovement(t, w, { consigneeId: w.other.id });
    await backdateDeclaration(c.id, '2026-03-15T12:00:00Z');
    const inspected = await t.call('POST', '/v1/inspections', {
      token: w.maldonadoToken,
      body: inspectionBody(w, b, { checkpointId: w.maldonado.id, observedQuantity: '900' }),
    });
    expect(inspected.status).toBe(201);
    const ids = async (query: string) => {
      const res = await t.call('GET', `/v1/movements?${query}`, { token: w.regulatorToken });
      expect(res.status).toBe(200);
      return res.body.items.map((m: { id: string }) => m.id);
    };
    expect(await ids(`consigneeId=${w.miner.id}`)).toEqual([a.id, b.id]);
    expect(await ids('input=diesel')).toEqual([b.id]);
    expect(await ids('status=in_transit')).toEqual([b.id]);
    expect(await ids(`checkpointId=${w.maldonado.id}`)).toEqual([b.id]);
    expect(await ids(`checkpointId=${w.mazuko.id}`)).toEqual([]);
    expect(await ids(`route=${encodeURIComponent(route)}`)).toEqual([a.id, b.id, c.id]);
    expect(await ids('from=2026-03-01&to=2026-03-15')).toEqual([c.id]);
    expect(await ids('from=2026-03-01&to=2026-03-14')).toEqual([]);
    expect(await ids('from=2026-03-15T12:00:01Z')).toEqual([a.id, b.id]);
    const page = await t.call('GET', '/v1/movements?limit=2', { token: w.regulatorToken });
    expect(page.body.items).toHaveLength(2);
    const next = await t.call('GET', `/v1/movements?limit=2&cursor=${page.body.nextCursor}`, {
      token: w.regulatorToken,
    });
    expect(next.body.items.map((m: { id: string }) => m.id)).toEqual([c.id]);
    expect(next.body.nextCursor).toBeNull();
  });
});

describe('delivery and seizure', () => {
  it('the consignee confirms delivery; the consignor gets 403, a stranger 404, a second delivery 409', async () => {
    const m = await declareMovement(t, w);
    const path = `/v1/movements/${m.id}/deliver`;
    expect((await t.call('POST', path, { token: w.supplierToken })).status).toBe(403);
    expect((await t.call('POST', path, { token: w.otherToken })).status).toBe(404);
    expect((await t.call('POST', path, { token: w.regulatorToken })).status).toBe(403);
    const done = await t.call('POST', path, { token: w.minerToken });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('delivered');
    expect(done.body.deliveredAt).toEqual(expect.any(String));
    const again = await t.call('POST', path, { token: w.minerToken });
    expect(again.status).toBe(409);
    const types = rowsOf<{ type: string }>(
      await t.db.execute(sql`SELECT type FROM events WHERE subject_id = ${m.id} ORDER BY seq`),
    ).map((e) => e.type);
    expect(types).toEqual(['movement.declared', 'movement.delivered']);
  });

  it('a seizure at a checkpoint seizes the movement in the same write; it can no longer be delivered', async () => {
    const m = await declareMovement(t, w);
    const res = await t.call('POST', '/v1/inspections', {
      token: w.mazukoToken,
      body: inspectionBody(w, m, { outcome: 'seized', observedQuantity: '40.000', notes: 'sin guía' }),
    });
    expect(res.status).toBe(201);
    expect(res.body.verdict).toBe('hold');
    expect(res.body.movement.status).toBe('seized');
    const [row] = rowsOf<{ status: string; inspections: string; events: string }>(
      await t.db.execute(sql`SELECT m.status,
          (SELECT count(*) FROM inspections WHERE movement_id = m.id)::text AS inspections,
          (SELECT count(*) FROM events WHERE subject_id = m.id AND type = 'movement.inspected')::text AS events
        FROM movements m WHERE m.id = ${m.id}`),
    );
    expect(row).toEqual({ status: 'seized', inspections: '1', events: '1' });
    const deliver = await t.call('POST', `/v1/movements/${m.id}/deliver`, { token: w.minerToken });
    expect(deliver.status).toBe(409);
    expect(deliver.body.movementStatus).toBe('seized');
  });

  it('a seizure whose event the ledger refuses leaves the movement as it was (one transaction)', async () => {
    const m = await declareMovement(t, w);
    // A trigger that refuses the inspection's event, after the status update has been made.
    await (await adminDb()).execute(
      sql.raw(`CREATE FUNCTION test_refuse_inspected() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.type = 'movement.inspected' THEN
          RAISE EXCEPTION 'refused for the test' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`),
    );
    await (await adminDb()).execute(
      sql.raw(`CREATE TRIGGER test_refuse_inspected BEFORE INSERT ON events
        FOR EACH ROW EXECUTE FUNCTION test_refuse_inspected()`),
    );
    try {
      const res = await t.call('POST', '/v1/inspections', {
        token: w.mazukoToken,
        body: inspectionBody(w, m, { outcome: 'seized' }),
      });
      expect(res.status).toBe(422);
    } finally {
      await (await adminDb()).execute(sql.raw('DROP TRIGGER test_refuse_inspected ON events'));
      await (await adminDb()).execute(sql.raw('DROP FUNCTION test_refuse_inspected()'));
    }
    const [row] = rowsOf<{ status: string; n: string }>(
      await t.db.execute(
        sql`SELECT status, (SELECT count(*) FROM inspections)::text AS n FROM movements WHERE id = ${m.id}`,
      ),
    );
    expect(row).toEqual({ status: 'declared', n: '0' });
  });
});

describe('public verification of a movement’s QR', () => {
  it('shows code, input, status and flags, and nothing about quantities, parties or vehicle', async () => {
    const m = await declareMovement(t, w);
    const token = m.qrUrl.split('/v/')[1];
    const res = await t.call('GET', `/v/${token}`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      genuine: true,
      kind: 'movement',
      code: m.code,
      input: 'mercury',
      status: 'declared',
      flagged: false,
      riskLevel: 'none',
    });
    const page = await t.call('GET', `/v/${token}`);
    expect(page.text).toContain(m.code);
    expect(page.text).toContain('mercurio');
    for (const secret of ['34.5', 'V1Q-123', w.miner.name, w.supplier.name, w.miner.id]) {
      expect(page.text).not.toContain(secret);
      expect(res.text).not.toContain(secret);
    }
  });
});
