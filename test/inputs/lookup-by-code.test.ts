import { beforeEach, describe, expect, it } from 'vitest';
import { verifyQr } from '../../src/domain/lots/qr.js';
import type { TestContext } from '../helpers/app.js';
import { declareMovement, type InputsWorld, inputsWorld, inspectionBody } from '../helpers/inputs.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: InputsWorld;
const world = worldPerFile(inputsWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const ids = (body: { items: { id: string }[] }) => body.items.map((m) => m.id);
const byCode = (typed: string, token: string) =>
  t.call('GET', `/v1/movements?code=${encodeURIComponent(typed)}`, { token });

describe('GET /v1/movements?code= (a consignment checked by the code printed on its papers)', () => {
  it('finds the movement a typed code names, in any case, with or without dashes or leading zeros, for checkpoint staff and regulators', async () => {
    const m = await declareMovement(t, w);
    await declareMovement(t, w, { quantity: 10 });
    const [, year, n] = m.code.split('-') as [string, string, string];
    for (const typed of [m.code, m.code.toLowerCase().replaceAll('-', ''), `mv ${year} ${Number(n)}`]) {
      for (const token of [w.mazukoToken, w.regulatorToken]) {
        const res = await byCode(typed, token);
        expect(res.status, typed).toBe(200);
        expect(ids(res.body)).toEqual([m.id]);
        // A signed token travels with it: the device verifies its signature as for a scan. Checkpoint
        // staff get one signed as looked up (an inspection made with it is a typed one), not the papers'.
        if (token === w.regulatorToken) expect(res.body.items[0]).toEqual(m);
        else {
          expect({ ...res.body.items[0], qrUrl: m.qrUrl }).toEqual(m);
          expect(res.body.items[0].qrUrl).not.toBe(m.qrUrl);
          const subject = await verifyQr([t.ledgerKey.publicJwk], res.body.items[0].qrUrl);
          expect(subject).toEqual({ kind: 'movement', id: m.id, code: m.code, lookedUp: true });
        }
      }
    }
  });

  it('answers an empty page for a code that does not exist', async () => {
    await declareMovement(t, w);
    const res = await byCode('MV-2026-999999', w.mazukoToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });

  it('checkpoint staff may not browse movements, only check one by its code', async () => {
    await declareMovement(t, w);
    for (const path of ['/v1/movements', '/v1/movements?status=declared', '/v1/movements?input=mercury']) {
      const res = await t.call('GET', path, { token: w.mazukoToken });
      expect(res.status, path).toBe(403);
      expect(res.body.type).toBe('/problems/forbidden');
    }
  });

  it('an exporter finds by code only the movements it sends or receives', async () => {
    const m = await declareMovement(t, w);
    expect(ids((await byCode(m.code, w.supplierToken)).body)).toEqual([m.id]);
    expect(ids((await byCode(m.code, w.minerToken)).body)).toEqual([m.id]);
    expect(ids((await byCode(m.code, w.otherToken)).body)).toEqual([]);
  });

  it.each([
    ['a code that cannot be one', '12345'],
    ['a lot code', 'AU-2026-000001'],
    ['an injection attempt', "MV-2026-1' OR 1=1"],
    ['a code too long', `MV-2026-${'1'.repeat(80)}`],
  ])('refuses %s with a problem naming the field, and no token no answer', async (_, typed) => {
    const res = await byCode(typed, w.mazukoToken);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.type).toBe('/problems/validation');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('query.code');
    expect((await t.call('GET', `/v1/movements?code=${encodeURIComponent(typed)}`)).status).toBe(401);
  });

  it('is documented in the OpenAPI document, checkpoint staff included', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    const list = doc.paths['/v1/movements'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toContain('code');
    expect(list.description).toContain('checkpoint');
  });

  it('a token handed out by a lookup records only a typed inspection; the papers’ own QR records a scanned one', async () => {
    const m = await declareMovement(t, w);
    const found = (await byCode(m.code, w.mazukoToken)).body.items[0];
    const byId = await t.call('GET', `/v1/movements/${m.id}`, { token: w.mazukoToken });
    expect(byId.body.qrUrl).not.toBe(m.qrUrl);
    for (const qr of [found.qrUrl, byId.body.qrUrl]) {
      for (const entry of [undefined, 'scanned']) {
        const { movementId: _, ...body } = inspectionBody(w, m, { token: qr, ...(entry ? { entry } : {}) });
        const refused = await t.call('POST', '/v1/inspections', { token: w.mazukoToken, body });
        expect(refused.status, String(entry)).toBe(422);
        expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain('entry');
      }
    }
    const { movementId: _, ...typed } = inspectionBody(w, m, { token: found.qrUrl, entry: 'typed' });
    const ok = await t.call('POST', '/v1/inspections', { token: w.mazukoToken, body: typed });
    expect(ok.status).toBe(201);
    expect(ok.body.entry).toBe('typed');
    const { movementId: __, ...read } = inspectionBody(w, m, { token: m.qrUrl });
    expect((await t.call('POST', '/v1/inspections', { token: w.mazukoToken, body: read })).body.entry).toBe(
      'scanned',
    );
  });
});
