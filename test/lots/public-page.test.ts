import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { renderVerification } from '../../src/routes/v/page.js';
import { pageLanguage } from '../../src/routes/v/words.js';
import type { TestContext } from '../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const jwsOf = (qrUrl: string) => qrUrl.split('/v/')[1] as string;
const page = (token: string, query = '', headers: Record<string, string> = {}) =>
  t.call('GET', `/v/${token}${query}`, { headers });
/** The words a person reads: the page without its tags, styles and attributes. */
const visible = (htmlText: string) =>
  htmlText
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

/** API codes that must never reach a Spanish reader. */
const englishCodes = [
  /\bactive\b/,
  /\bconsumed\b/,
  /\bexported\b/,
  /\bseized\b/,
  /\bmercury\b/,
  /\bdiesel\b/,
  /\bgasoline\b/,
  /\bin_transit\b/,
  /\bdeclared\b/,
  /\bdore\b/,
  /\bcritical\b/,
  /\bnone\b/,
  /not genuine/,
  /signature does not verify/,
  /\bgenuine\b/,
];

function expectLandmarks(htmlText: string, lang: 'es' | 'en') {
  expect(htmlText).toContain(`<html lang="${lang}">`);
  expect(htmlText).toMatch(/<header>/);
  expect(htmlText).toMatch(/<main>/);
  expect(htmlText.match(/<h1>/g)).toHaveLength(1);
  expect(htmlText).toMatch(/<nav aria-label="(Idioma|Language)">/);
  expect(htmlText).toContain('href="?lang=es"');
  expect(htmlText).toContain('href="?lang=en"');
}

/** A protected area around goldWorld's origin point [-70.1, -12.945]. */
async function addReserve() {
  const res = await t.call('POST', '/v1/zones', {
    token: w.admin,
    body: {
      name: 'Reserva de prueba',
      kind: 'protected_area',
      legalBasis: 'D.S. 048-2000-AG',
      validFrom: '2000-09-04',
      geometry: box(-70.105, -12.95, -70.095, -12.94),
    },
  });
  expect(res.status, res.text).toBe(201);
}

describe('the public /v/ page says what a buyer must do, in Spanish by default', () => {
  it('a clean lot: green, genuine, every value in Spanish words, landmarks and a language switch', async () => {
    const lot = await registerLot(t, w);
    const res = await page(jwsOf(lot.qrUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-language')).toBe('es');
    expectLandmarks(res.text, 'es');
    expect(res.text).toContain('class="verdict ok"');
    const text = visible(res.text);
    for (const words of ['Código auténtico: lote sin alertas', lot.code, 'doré', 'activo', 'sin riesgo']) {
      expect(text).toContain(words);
    }
    for (const code of englishCodes) expect(text).not.toMatch(code);
    for (const secret of [w.miner.name, w.miner.taxId, lot.grossWeightG, w.concession.code]) {
      expect(res.text).not.toContain(secret);
    }
    const json = await page(jwsOf(lot.qrUrl), '', { accept: 'application/json' });
    expect(json.body).toEqual({
      genuine: true,
      kind: 'lot',
      code: lot.code,
      form: 'dore',
      status: 'active',
      flagged: false,
      riskLevel: 'none',
    });
  });

  it('a lot of gold from a protected area: red, "No compre este oro", hold the load and alert the authority', async () => {
    await addReserve();
    const lot = await registerLot(t, w);
    expect(lot.riskLevel).toBe('critical');
    const res = await page(jwsOf(lot.qrUrl));
    expect(res.status).toBe(200);
    expectLandmarks(res.text, 'es');
    expect(res.text).toContain('class="verdict danger"');
    const text = visible(res.text);
    for (const words of [
      'No compre este oro',
      'Retenga la carga y avise a la autoridad',
      'la Policía Nacional o la Fiscalía más cercana',
      'riesgo crítico',
      'Sí, alertas de riesgo sin resolver',
    ]) {
      expect(text).toContain(words);
    }
    for (const code of englishCodes) expect(text).not.toMatch(code);
    // Public: not which rule fired, nor the zone or the place.
    expect(res.text).not.toContain('Reserva de prueba');
    expect(res.text).not.toContain('ORIGIN_IN_EXCLUSION_ZONE');
    const json = await page(jwsOf(lot.qrUrl), '', { accept: 'application/json' });
    expect(json.body).toMatchObject({ genuine: true, flagged: true, riskLevel: 'critical' });

    const en = await page(jwsOf(lot.qrUrl), '?lang=en');
    expectLandmarks(en.text, 'en');
    expect(en.headers.get('content-language')).toBe('en');
    expect(visible(en.text)).toContain('Do not buy this gold');
    expect(en.text).toContain('aria-current="page">English');
  });

  it('a forged token: red, in Spanish words that the code is forged or altered and what to do', async () => {
    const lot = await registerLot(t, w);
    const [h, , s] = jwsOf(lot.qrUrl).split('.') as [string, string, string];
    const payload = Buffer.from(JSON.stringify({ t: 'lot', i: lot.id, c: 'AU-2026-999999' })).toString(
      'base64url',
    );
    const forged = `${h}.${payload}.${s}`;
    const res = await page(forged);
    expect(res.status).toBe(422);
    expectLandmarks(res.text, 'es');
    expect(res.text).toContain('class="verdict danger"');
    const text = visible(res.text);
    for (const words of ['Código falso o alterado', 'su firma no es válida', 'avise a la autoridad']) {
      expect(text).toContain(words);
    }
    for (const code of englishCodes) expect(text).not.toMatch(code);
    const json = await page(forged, '', { accept: 'application/json' });
    expect(json.status).toBe(422);
    expect(json.body).toMatchObject({ genuine: false, refusal: 'forged' });
    expect(json.body.reason).toMatch(/signature does not verify/);
    // In English the technical reason is shown too.
    expect(visible((await page(forged, '?lang=en')).text)).toContain('signature does not verify');
  });

  it('a movement in transit: its input, status and risk in Spanish words', async () => {
    const supplierToken = await t.token('exporter', { actor: w.supplier.id });
    const declared = await t.call('POST', '/v1/movements', {
      token: supplierToken,
      body: {
        input: 'mercury',
        quantity: '2.500',
        unit: 'kg',
        consignorId: w.supplier.id,
        consigneeId: w.miner.id,
        destination: { concessionId: w.concession.id },
        vehicle: 'V1A-123',
        route: 'Interoceánica Sur',
      },
    });
    expect(declared.status, declared.text).toBe(201);
    const m = declared.body;
    const inspected = await t.call('POST', '/v1/inspections', {
      token: w.mazukoToken,
      body: {
        movementId: m.id,
        checkpointId: w.mazuko.id,
        observedQuantity: '2.500',
        outcome: 'passed',
        occurredAt: new Date().toISOString(),
        clientId: randomUUID(),
      },
    });
    expect(inspected.status, inspected.text).toBe(201);
    const res = await page(jwsOf(m.qrUrl));
    expect(res.status).toBe(200);
    expectLandmarks(res.text, 'es');
    const text = visible(res.text);
    for (const words of ['Verificación de un envío de insumos', m.code, 'mercurio', 'en tránsito']) {
      expect(text).toContain(words);
    }
    for (const code of englishCodes) expect(text).not.toMatch(code);
    for (const secret of ['2.500', '2,5', 'V1A-123', w.miner.name, w.supplier.name]) {
      expect(res.text).not.toContain(secret);
    }
    const en = visible((await page(jwsOf(m.qrUrl), '?lang=en')).text);
    expect(en).toContain('mercury');
    expect(en).toContain('in transit');
  });

  it('a movement of mercury bound into a protected area: red, do not accept it, hold the load', async () => {
    await addReserve();
    const supplierToken = await t.token('exporter', { actor: w.supplier.id });
    const declared = await t.call('POST', '/v1/movements', {
      token: supplierToken,
      body: {
        input: 'mercury',
        quantity: '2.500',
        unit: 'kg',
        consignorId: w.supplier.id,
        consigneeId: w.miner.id,
        destination: { point: { type: 'Point', coordinates: [-70.1, -12.945] } },
        vehicle: 'V1A-123',
        route: 'Interoceánica Sur',
      },
    });
    expect(declared.status, declared.text).toBe(201);
    expect(['high', 'critical']).toContain(declared.body.riskLevel);
    const res = await page(jwsOf(declared.body.qrUrl));
    expect(res.text).toContain('class="verdict danger"');
    const text = visible(res.text);
    for (const words of [
      'No reciba este envío',
      'Este envío de mercurio tiene alertas de riesgo',
      'Retenga la carga',
    ]) {
      expect(text).toContain(words);
    }
    for (const code of englishCodes) expect(text).not.toMatch(code);
  });

  it('takes its language from Accept-Language when no ?lang= is given, Spanish when unknown', async () => {
    const lot = await registerLot(t, w);
    const jws = jwsOf(lot.qrUrl);
    const lang = async (accept: string) =>
      (await page(jws, '', { 'accept-language': accept })).headers.get('content-language');
    expect(await lang('en-GB,en;q=0.9')).toBe('en');
    expect(await lang('de-DE,en;q=0.5,es;q=0.8')).toBe('es');
    expect(await lang('fr-FR,de;q=0.7')).toBe('es');
    expect(await lang('qu-PE,en;q=0.8')).toBe('en');
    expect((await page(jws, '?lang=es', { 'accept-language': 'en' })).headers.get('content-language')).toBe(
      'es',
    );
    expect(pageLanguage('xx', undefined)).toBe('es');
  });
});

describe('the public page names the configured authority', () => {
  it('says whom to alert when PUBLIC_REPORT_CONTACT is set, and keeps it escaped', () => {
    const page = String(
      renderVerification(
        {
          genuine: true,
          kind: 'lot',
          code: 'AU-2026-000001',
          status: 'active',
          flagged: true,
          riskLevel: 'high',
        },
        { lang: 'es', contact: 'DREMAD Madre de Dios <tel. 082 000 000>' },
      ),
    );
    expect(page).toContain('avise a la autoridad: DREMAD Madre de Dios &lt;tel. 082 000 000&gt;');
    expect(page).toContain('riesgo alto');
  });

  it('a lot already exported whose code turns up again is not to be bought; medium risk asks for papers', () => {
    const exported = String(
      renderVerification(
        { genuine: true, kind: 'lot', code: 'AU-1', status: 'exported', flagged: false, riskLevel: 'none' },
        { lang: 'es' },
      ),
    );
    expect(exported).toContain('class="verdict danger"');
    expect(exported).toContain('ya fue exportado');
    const medium = String(
      renderVerification(
        { genuine: true, kind: 'lot', code: 'AU-1', status: 'active', flagged: true, riskLevel: 'medium' },
        { lang: 'es' },
      ),
    );
    const unknown = String(renderVerification({ genuine: false, refusal: 'unknown' }, { lang: 'es' }));
    expect(unknown).toContain('Código desconocido');
    expect(unknown).toContain('class="verdict danger"');
    const seized = String(
      renderVerification(
        {
          genuine: true,
          kind: 'movement',
          code: 'HG-1',
          input: 'mercury',
          status: 'seized',
          riskLevel: 'none',
        },
        { lang: 'es' },
      ),
    );
    expect(seized).toContain('No reciba este envío: está incautado');
    expect(seized).toContain('incautado');
    expect(medium).toContain('class="verdict caution"');
    expect(medium).toContain('Código auténtico, con alertas de riesgo medio');
  });
});
