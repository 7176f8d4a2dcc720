/**
 * QR codes in GS1 Digital Link form (QR_FORMAT=digital-link): the URL names the lot's GIAI or the
 * movement's GINC and carries the signature, so it verifies offline; the ledger resolves it as
 * the /v/ page does; a link whose identifier and signature disagree is refused; codes printed in
 * the compact form keep verifying.
 */
import { randomUUID } from 'node:crypto';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyQr } from '../../src/domain/lots/qr.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { gs1EpcisSchema } from '../helpers/gs1-schema.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
/** The same database and keys, served by a ledger that prints Digital Links. */
let dl: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
  dl = await testApp({ reset: false, qrFormat: 'digital-link' });
});

const lotLink = /^http:\/\/orotrace\.test\/8004\/9520000(AU-\d{4}-\d{6})\?jws=([\w-]+\.[\w-]+\.[\w-]+)$/;
const movementLink = /^http:\/\/orotrace\.test\/401\/9520000(MV-\d{4}-\d{6})\?jws=([\w-]+\.[\w-]+\.[\w-]+)$/;
/** The path and query of a link of ours, as the app is called. */
const local = (url: string) => url.replace('http://orotrace.test', '');
const jwsOf = (url: string) => new URL(url).searchParams.get('jws') ?? url.split('/v/')[1] ?? '';

async function movementOf(ctx: TestContext) {
  const res = await ctx.call('GET', '/v1/movements', { token: w.regulatorToken });
  return res.body.items[0] as {
    id: string;
    code: string;
    qrUrl: string;
    gs1: { epc: string; digitalLink: string };
  };
}

describe('the URL printed in a QR code as a GS1 Digital Link', () => {
  it('names the lot’s GIAI and carries its signature; the PNG is a QR an independent decoder reads back', async () => {
    const lot = await registerLot(dl, w);
    const m = lotLink.exec(lot.qrUrl);
    expect(m?.[1]).toBe(lot.code);
    expect(lot.gs1).toEqual({
      epc: `urn:epc:id:giai:9520000.${lot.code}`,
      digitalLink: `https://id.gs1.org/8004/9520000${lot.code}`,
    });
    // The same lot read from the ledger that prints compact codes: same signature, other form.
    const compact = (await t.call('GET', `/v1/lots/${lot.id}`, { token: w.minerToken })).body;
    expect(compact.qrUrl).toBe(`http://orotrace.test/v/${m?.[2]}`);
    expect(compact.gs1).toEqual(lot.gs1);
    const res = await dl.app.request(`/v1/lots/${lot.id}/qr.png`, {
      headers: { authorization: `Bearer ${w.minerToken}` },
    });
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(lot.qrUrl);
    const label = await dl.call('GET', `/v1/lots/${lot.id}/label`, { token: w.minerToken });
    expect(label.status).toBe(200);
    // One QR version more than the compact form at the labels' error correction, no more.
    const size = (url: string) => QRCode.create(url, { errorCorrectionLevel: 'M' }).modules.size;
    const sizes = { compact: size(compact.qrUrl), digitalLink: size(lot.qrUrl) };
    console.info('QR modules a side (level M):', sizes);
    expect(sizes.digitalLink - sizes.compact).toBeLessThanOrEqual(4);
  });

  it('names a movement’s GINC (a consignment, AI 401), shown beside its code', async () => {
    const movement = await movementOf(dl);
    expect(movementLink.exec(movement.qrUrl)?.[1]).toBe(movement.code);
    expect(movement.gs1).toEqual({
      epc: `urn:epc:id:ginc:9520000.${movement.code}`,
      digitalLink: `https://id.gs1.org/401/9520000${movement.code}`,
    });
  });

  it('resolves as /v/ does: the public page, the same facts as JSON, and a linkset for linkType=all', async () => {
    const lot = await registerLot(dl, w);
    const page = await dl.call('GET', local(lot.qrUrl));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain(lot.code);
    // The language links keep the signature, or the page in English would be a forged code.
    expect(page.text).toContain(`href="?jws=${jwsOf(lot.qrUrl)}&amp;lang=en"`);
    const english = await dl.call('GET', `${local(lot.qrUrl)}&lang=en`);
    expect(english.status).toBe(200);
    expect(english.headers.get('content-language')).toBe('en');
    const json = await dl.call('GET', local(lot.qrUrl), { headers: { accept: 'application/json' } });
    const viaV = await t.call('GET', `/v/${jwsOf(lot.qrUrl)}`, { headers: { accept: 'application/json' } });
    expect(json.body).toEqual(viaV.body);
    expect(json.body).toMatchObject({ genuine: true, kind: 'lot', code: lot.code });
    const links = await dl.call('GET', `${local(lot.qrUrl)}&linkType=all`);
    expect(links.status).toBe(200);
    expect(links.headers.get('content-type')).toBe('application/linkset+json');
    const [set] = links.body.linkset;
    expect(set.anchor).toBe(`http://orotrace.test/8004/9520000${lot.code}`);
    expect(set['https://gs1.org/voc/verificationService'][0].href).toBe(lot.qrUrl);
    expect(set['https://gs1.org/voc/epcis'][0].href).toBe(
      `http://orotrace.test/epcis/epcs/${encodeURIComponent(lot.gs1.epc)}/events`,
    );
    const movement = await movementOf(dl);
    const m = await dl.call('GET', local(movement.qrUrl), { headers: { accept: 'application/json' } });
    expect(m.body).toMatchObject({ genuine: true, kind: 'movement', code: movement.code });
  });

  it('refuses a link whose identifier was swapped, that carries another lot’s signature, or two signatures', async () => {
    const a = await registerLot(dl, w);
    const b = await registerLot(dl, w);
    const movement = await movementOf(dl);
    const [, codeA, jwsA] = lotLink.exec(a.qrUrl) ?? [];
    const [, codeB, jwsB] = lotLink.exec(b.qrUrl) ?? [];
    const forged = [
      // A's signature under B's GIAI, and B's under A's.
      `/8004/9520000${codeB}?jws=${jwsA}`,
      `/8004/9520000${codeA}?jws=${jwsB}`,
      // A lot's signature under a movement's key, and the movement's under a GIAI.
      `/401/9520000${codeA}?jws=${jwsA}`,
      `/8004/9520000${movement.code}?jws=${jwsOf(movement.qrUrl)}`,
      // Two signatures, or none; a /v/ link smuggled into the query.
      `/8004/9520000${codeA}?jws=${jwsA}&jws=${jwsB}`,
      `/8004/9520000${codeA}`,
      `/8004/9520000${codeB}?jws=${jwsA}&x=/v/${jwsA}`,
      // The right signature, its bytes altered.
      `/8004/9520000${codeA}?jws=${jwsA?.slice(0, -2)}AA`,
    ];
    for (const path of forged) {
      const res = await dl.call('GET', path, { headers: { accept: 'application/json' } });
      expect(res.status, path).toBe(422);
      expect(res.body.genuine, path).toBe(false);
      const html = await dl.call('GET', path);
      expect(html.status, path).toBe(422);
      expect(html.text, path).not.toContain(codeA);
    }
    // Under another company prefix the identifier is not ours.
    const foreign = await dl.call('GET', `/8004/7612345${codeA}?jws=${jwsA}`, {
      headers: { accept: 'application/json' },
    });
    expect(foreign.status).toBe(404);
    // The device's check (no prefix known): the same links refused, the genuine one accepted.
    const keys = [t.ledgerKey.publicJwk];
    for (const path of forged.slice(0, 5))
      await expect(verifyQr(keys, `https://any.resolver.example${path}`), path).rejects.toThrow(
        /not genuine/,
      );
    await expect(verifyQr(keys, a.qrUrl)).resolves.toMatchObject({ kind: 'lot', code: codeA });
    // On any resolver's domain and path, as Digital Links may be written.
    await expect(
      verifyQr(keys, `https://id.gs1.org/some/path/8004/9520000${codeA}?jws=${jwsA}`),
    ).resolves.toMatchObject({ code: codeA });
    // The server knows its prefix: the right code under another prefix is refused there.
    await expect(
      verifyQr(keys, `https://x.example/8004/7612345${codeA}?jws=${jwsA}`, ['9520000']),
    ).rejects.toThrow();
  });

  it('hostile links are refused as not ours (404) or not genuine (422), never a server error', async () => {
    const lot = await registerLot(dl, w);
    const jws = jwsOf(lot.qrUrl);
    for (const path of [
      '/8004/%ZZ',
      `/8004/9520000%E0%A4%A?jws=${jws}`,
      `/8004/9520000?jws=${jws}`,
      `/401/9520000${'A'.repeat(5000)}?jws=${jws}`,
      `/8004/9520000${lot.code}?jws=%00`,
      `/8004/9520000${lot.code}?jws=${'a.'.repeat(3000)}a`,
      `/8004/9520000${lot.code}%3Cscript%3E?jws=${jws}`,
    ]) {
      const res = await dl.call('GET', path, { headers: { accept: 'application/json' } });
      expect([404, 422], `${path.slice(0, 60)}: ${res.status}`).toContain(res.status);
      const html = await dl.call('GET', path);
      expect(html.text).not.toContain('<script>');
    }
    // A link type this ledger does not list is answered with its default link: the page.
    const odd = await dl.call('GET', `/8004/9520000${lot.code}?jws=${jws}&linkType=%ZZ`);
    expect(odd.status).toBe(200);
    expect(odd.text).toContain(lot.code);
  });

  it('a code printed in the compact form keeps verifying, on both ledgers', async () => {
    const lot = await registerLot(t, w);
    expect(lot.qrUrl).toMatch(/^http:\/\/orotrace\.test\/v\//);
    for (const ctx of [t, dl]) {
      const res = await ctx.call('GET', local(lot.qrUrl), { headers: { accept: 'application/json' } });
      expect(res.body).toMatchObject({ genuine: true, code: lot.code });
    }
  });

  it('checkpoints scan and inspect by the Digital Link as by the compact URL', async () => {
    const lot = await registerLot(dl, w);
    const scan = await dl.call('POST', '/v1/scans', {
      token: w.mazukoToken,
      body: {
        token: lot.qrUrl,
        checkpointId: w.mazuko.id,
        occurredAt: new Date().toISOString(),
        clientId: randomUUID(),
      },
    });
    expect(scan.status, scan.text).toBe(201);
    const movement = await movementOf(dl);
    const inspection = await dl.call('POST', '/v1/inspections', {
      token: w.mazukoToken,
      body: {
        token: movement.qrUrl,
        checkpointId: w.mazuko.id,
        observedQuantity: '20.000',
        outcome: 'passed',
        occurredAt: new Date().toISOString(),
        clientId: randomUUID(),
      },
    });
    expect(inspection.status, inspection.text).toBe(201);
    expect(inspection.body.movement.id).toBe(movement.id);
    // A swapped identifier is refused there too, and nothing is recorded.
    const [, , jws] = lotLink.exec(lot.qrUrl) ?? [];
    const swapped = await dl.call('POST', '/v1/scans', {
      token: w.mazukoToken,
      body: {
        token: `http://orotrace.test/8004/9520000AU-2020-000001?jws=${jws}`,
        checkpointId: w.mazuko.id,
        occurredAt: new Date().toISOString(),
        clientId: randomUUID(),
      },
    });
    expect(swapped.status).toBe(422);
  });
});

describe('a movement’s GINC in EPCIS', () => {
  it('an event a partner captured naming a consignment is found by its GINC in either form', async () => {
    const movement = await movementOf(dl);
    const event = {
      type: 'ObjectEvent',
      eventTime: '2026-12-01T09:00:00-05:00',
      eventTimeZoneOffset: '-05:00',
      action: 'OBSERVE',
      bizStep: 'arriving',
      epcList: [movement.gs1.epc],
      readPoint: { id: 'urn:epc:id:sgln:9520000.00001.0' },
    };
    const captured = await dl.call('POST', '/epcis/events', {
      token: w.minerToken,
      body: { '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'], ...event },
    });
    expect(captured.status, captured.text).toBe(201);
    const validate = gs1EpcisSchema();
    for (const epc of [
      movement.gs1.epc,
      movement.gs1.digitalLink,
      `https://resolver.example/401/9520000${movement.code}`,
    ]) {
      const byMatch = await dl.call('GET', `/epcis/events?MATCH_epc=${encodeURIComponent(epc)}`, {
        token: w.regulatorToken,
      });
      expect(byMatch.status, byMatch.text).toBe(200);
      const events = byMatch.body.epcisBody.queryResults.resultsBody.eventList;
      expect(
        events.map((e: { epcList: string[] }) => e.epcList),
        epc,
      ).toEqual([[movement.gs1.epc]]);
      expect(validate(byMatch.body)).toBe(true);
      const byPath = await dl.call('GET', `/epcis/epcs/${encodeURIComponent(epc)}/events`, {
        token: w.regulatorToken,
      });
      expect(byPath.body.epcisBody.queryResults.resultsBody.eventList, epc).toHaveLength(1);
    }
    // Another consignment's GINC finds nothing.
    const other = await dl.call(
      'GET',
      `/epcis/events?MATCH_epc=${encodeURIComponent('urn:epc:id:ginc:9520000.MV-2020-000001')}`,
      {
        token: w.regulatorToken,
      },
    );
    expect(other.body.epcisBody.queryResults.resultsBody.eventList).toEqual([]);
  });
});
