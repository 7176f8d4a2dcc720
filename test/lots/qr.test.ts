import { CompactSign } from 'jose';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateJwk } from '../../src/keys/local.js';
import { signingKeyFromJwk } from '../../src/keys/signing.js';
import type { TestContext } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const jwsOf = (qrUrl: string) => qrUrl.split('/v/')[1] as string;

describe('QR codes', () => {
  it('the PNG is a real QR code that an independent decoder reads back as the lot’s qrUrl', async () => {
    const lot = await registerLot(t, w);
    const res = await t.app.request(`/v1/lots/${lot.id}/qr.png`, {
      headers: { authorization: `Bearer ${w.minerToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(lot.qrUrl);
  });

  it('the SVG and the printable label carry the QR and the lot’s facts', async () => {
    const lot = await registerLot(t, w, { grossWeightG: '812.250', fineness: '905' });
    const svg = await t.call('GET', `/v1/lots/${lot.id}/qr.svg`, { token: w.minerToken });
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.text).toMatch(/^<svg[^>]*viewBox/);
    const label = await t.call('GET', `/v1/lots/${lot.id}/label`, { token: w.minerToken });
    expect(label.status).toBe(200);
    // In Spanish words and es-PE numbers, without trailing zeros: read by eye at a checkpoint.
    for (const s of [lot.code, '812.25\u00a0g', '905\u00a0‰', 'doré', 'activo', '<svg'])
      expect(label.text).toContain(s);
    for (const s of ['812.250', '>dore<', '>active<']) expect(label.text).not.toContain(s);
  });

  it('the token names only the lot’s id and code, signed ES256 with the ledger key id', async () => {
    const lot = await registerLot(t, w);
    const [header, payload] = jwsOf(lot.qrUrl).split('.') as [string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
      alg: 'ES256',
      kid: t.ledgerKey.kid,
    });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual({
      t: 'lot',
      i: lot.id,
      c: lot.code,
    });
  });
});

describe('public verification at /v/:token', () => {
  it('a genuine QR shows code, form, status and whether it is flagged — nothing personal or commercial', async () => {
    const lot = await registerLot(t, w);
    const json = await t.call('GET', `/v/${jwsOf(lot.qrUrl)}`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(200);
    expect(json.body).toEqual({
      genuine: true,
      kind: 'lot',
      code: lot.code,
      form: 'dore',
      status: 'active',
      flagged: false,
      riskLevel: 'none',
    });
    const page = await t.call('GET', `/v/${jwsOf(lot.qrUrl)}`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('Código auténtico');
    expect(page.text).toContain(lot.code);
    for (const secret of [w.miner.name, w.miner.taxId, lot.grossWeightG, w.concession.code])
      expect(page.text).not.toContain(secret);
  });

  it('a forged, truncated or foreign-signed token is refused with a clear reason', async () => {
    const lot = await registerLot(t, w);
    const jws = jwsOf(lot.qrUrl);
    const [h, p, s] = jws.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ t: 'lot', i: lot.id, c: 'AU-2026-999999' })).toString(
      'base64url',
    );
    const stranger = await signingKeyFromJwk(await generateJwk('stranger'));
    const foreign = await new CompactSign(
      new TextEncoder().encode(JSON.stringify({ t: 'lot', i: lot.id, c: lot.code })),
    )
      .setProtectedHeader({ alg: 'ES256', kid: t.ledgerKey.kid })
      .sign(stranger.privateKey);
    const cases: [string, RegExp][] = [
      [`${h}.${forgedPayload}.${s}`, /signature does not verify/],
      [`${h}.${p}.${s.slice(0, 20)}`, /signature does not verify|malformed/],
      [`${h}.${p}`, /malformed or truncated/],
      [foreign, /signature does not verify/],
    ];
    for (const [token, reason] of cases) {
      const res = await t.call('GET', `/v/${token}`, { headers: { accept: 'application/json' } });
      expect(res.status, token).toBe(422);
      expect(res.body.genuine).toBe(false);
      expect(res.body.reason).toMatch(reason);
    }
    const page = await t.call('GET', `/v/${foreign}`);
    expect(page.text).toContain('Código falso o alterado');
  });
});
