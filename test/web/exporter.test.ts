/**
 * The exporter desk in Chromium: an exporter registers lots through the
 * form (origin typed, then picked on the map), finds them in "my lots", prints a label, and
 * splits a lot seeing the arithmetic before confirming; a split that would create gold is
 * blocked before it reaches the server. Before every permanent write the server's screening
 * says what it would flag; counterparts are found by name or RUC; every screen and lot has an
 * address.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grams from '../../src/domain/shared/grams.js';
import type { RuleCode } from '../../src/domain/shared/vocabulary.js';
import { typedFineness, typedGrams } from '../../src/web/exporter/amounts.js';
import { ambiguousGrouping } from '../../src/web/shared/numbers.js';
import { ruleWords } from '../../src/web/shared/words.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { accessibilityViolations } from './axe.js';
import {
  browserTests,
  type LaunchedBrowser,
  launchBrowser,
  openPage,
  screenshot,
  serveApp,
  type WebServer,
} from './browser.js';

describe('weights as people type and read them (src/domain/shared/grams.ts)', () => {
  it('reads a decimal point only, refuses zero grams and a fineness over 1000 ‰, and groups thousands', () => {
    expect(grams.parseGrams('1250.5')).toBe('1250.500');
    expect(grams.parseGrams('1250,5')).toBeNull();
    expect(grams.parseGrams('0')).toBeNull();
    expect(grams.parseFineness('1000.001')).toBeNull();
    expect(grams.parseFineness('1000')).toBe('1000.000');
    expect(grams.showGrams('1234567.500')).toBe('1,234,567.500');
    expect(grams.showGrams(grams.subtractGrams('1.000', '1.500'))).toBe('−0.500');
  });

  it('refuses an amount whose grouping is ambiguous ("1.250": 1250 or 1.25?) and reads every unambiguous one', () => {
    for (const ambiguous of ['1.250', '1,250', '500.000', ' 12,500 ', '-1.250'])
      expect(ambiguousGrouping(ambiguous), ambiguous).toBe(true);
    for (const clear of ['1250', '1,25', '1.250,5', '1,250.5', '0,125', '1250.500', '1.250.000'])
      expect(ambiguousGrouping(clear), clear).toBe(false);
    expect(typedGrams('1.250')).toBeNull();
    expect(typedGrams('1,250')).toBeNull();
    expect(typedGrams('1.250,5')).toBe('1250.500');
    expect(typedGrams('1,250.5')).toBe('1250.500');
    expect(typedGrams('0,125')).toBe('0.125');
    expect(typedFineness('999,9')).toBe('999.900');
  });
});

describe.skipIf(!browserTests)('exporter desk in Chromium', () => {
  let t: TestContext;
  let w: GoldWorld;
  let server: WebServer;
  let chrome: LaunchedBrowser;
  beforeAll(async () => {
    t = await testApp({ webAssets: true });
    w = await goldWorld(t);
    server = await serveApp(t);
    chrome = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
  /** Text as read, the no-break space between a number and its unit read as a space. */
  const textOf = async (page: Page, testId: string) =>
    ((await page.getByTestId(testId).textContent()) ?? '').replace(/\u00a0/g, ' ');
  const desk = (hash = '') => `${server.url}/app/exporter/${hash}`;
  /** Every lot in the ledger, whoever holds it: what a cancelled step must leave unchanged. */
  const countLots = async () =>
    (await t.call('GET', '/v1/lots?limit=500', { token: w.regulatorToken })).body.items.length as number;

  it('registers a lot typed and one picked on the map, lists them, prints a Spanish label and splits one after seeing the arithmetic', async () => {
    const { page, errors } = await openPage(chrome.browser, desk(`#token=${w.exporterToken}`));
    await page.getByRole('heading', { name: 'Mis lotes' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await page.getByText('No hay lotes que mostrar').waitFor();

    // Register: origin typed.
    await page.getByRole('link', { name: 'Registrar lote' }).click();
    expect(new URL(page.url()).hash).toBe('#/register');
    await page.getByLabel('Concesión declarada').selectOption({ label: '07-000123 · Guacamayo I' });
    // The holder of the concession (the miner) is proposed as producer, by name and RUC.
    await expect.poll(() => page.getByLabel('Productor').inputValue()).toBe(w.miner.id);
    await page
      .getByRole('option', { name: 'Titular de la concesión — Minera Guacamayo SAC (RUC 20600000011)' })
      .waitFor({ state: 'attached' });
    await page.getByLabel('Latitud').fill('-12.945');
    // Typed as a person types: "-7" on the way to "-70.1" must not leave the concession a speck.
    await page.getByLabel('Longitud').fill('-7');
    await page.getByLabel('Longitud').fill('-70.1');
    const chosenArea = page.locator('path.leaflet-interactive[fill="#f2c230"]');
    await expect.poll(async () => (await chosenArea.boundingBox())?.width ?? 0).toBeGreaterThan(100);
    await page.getByLabel('Fecha de extracción').fill('2026-10-01');
    await page.getByLabel('Peso bruto (g)').fill('1000');
    await page.getByLabel('Ley (‰').fill('870');
    // "870 g", never "870.000 g".
    await page
      .locator('.computed')
      .filter({ hasText: /^Oro fino: 870\sg$/ })
      .waitFor();
    await page.locator('.leaflet-interactive').first().waitFor();
    await screenshot(page, 'exporter-register');
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Revisar' }).click();
    await expect.poll(() => textOf(page, 'register-fine')).toBe('870 g');
    // Nothing to flag: the step still says what becomes permanent.
    await page.getByText('El control del sistema no levantaría ninguna alerta.').waitFor();
    await page.getByText('queda registrado en el libro para siempre').waitFor();
    await page.getByRole('button', { name: 'Confirmar registro' }).click();
    const first = await page.getByRole('heading', { name: /^Lote AU-\d{4}-\d{6} registrado$/ }).textContent();
    const firstCode = /AU-\d{4}-\d{6}/.exec(first ?? '')?.[0] as string;
    await page.getByText('sin riesgo').first().waitFor();

    // Register another: origin picked on the map, the weight typed with a decimal comma.
    await page.getByRole('button', { name: 'Registrar otro lote' }).click();
    await page.getByLabel('Latitud').fill('');
    await page.getByLabel('Longitud').fill('');
    await page.locator('.leaflet-interactive').first().waitFor();
    await page.locator('.map').click();
    await expect.poll(() => page.getByLabel('Latitud').inputValue()).toMatch(/^-12\.9\d{4}/);
    const lat = Number(await page.getByLabel('Latitud').inputValue());
    const lon = Number(await page.getByLabel('Longitud').inputValue());
    expect(lat).toBeGreaterThan(-12.96);
    expect(lat).toBeLessThan(-12.93);
    expect(lon).toBeGreaterThan(-70.12);
    expect(lon).toBeLessThan(-70.08);
    await page.getByLabel('Peso bruto (g)').fill('500,25');
    await page.getByLabel('Ley (‰').fill('900');
    await page.getByRole('button', { name: 'Revisar' }).click();
    await expect.poll(() => textOf(page, 'register-fine')).toBe('450.225 g');
    await page.getByRole('button', { name: 'Confirmar registro' }).click();
    const second = await page
      .getByRole('heading', { name: /^Lote AU-\d{4}-\d{6} registrado$/ })
      .textContent();
    const secondCode = /AU-\d{4}-\d{6}/.exec(second ?? '')?.[0] as string;

    const mine = await t.call('GET', `/v1/lots?custodianId=${w.exporter.id}`, { token: w.exporterToken });
    expect(mine.body.items.map((l: { code: string }) => l.code).sort()).toEqual(
      [firstCode, secondCode].sort(),
    );
    const picked = mine.body.items.find((l: { code: string }) => l.code === secondCode);
    expect(picked.origin.coordinates[0]).toBeCloseTo(lon, 5);
    expect(picked.origin.coordinates[1]).toBeCloseTo(lat, 5);
    expect(picked.producerId).toBe(w.miner.id);
    expect(picked.grossWeightG).toBe('500.250');
    const parent = mine.body.items.find((l: { code: string }) => l.code === firstCode);
    expect(parent).toMatchObject({ grossWeightG: '1000.000', fineness: '870.000', fineWeightG: '870.000' });

    // My lots: both, as cards on a phone; their codes are links to their addresses.
    await page.getByRole('link', { name: 'Mis lotes', exact: true }).click();
    await page.getByRole('link', { name: firstCode }).waitFor();
    await page.getByRole('link', { name: secondCode }).waitFor();
    expect(await page.getByRole('link', { name: firstCode }).getAttribute('href')).toBe(
      `#/lots/${parent.id}`,
    );
    expect(await page.locator('table.lots').textContent()).not.toContain('.000');
    await page.getByLabel('Buscar por código').fill(secondCode.slice(-3));
    await expect.poll(() => page.getByRole('link', { name: firstCode }).count()).toBe(0);
    expect(new URL(page.url()).hash).toBe(`#/lots?q=${secondCode.slice(-3)}`);
    await page.getByLabel('Buscar por código').fill('');
    await page.getByRole('link', { name: firstCode }).waitFor();
    await screenshot(page, 'exporter-lots');
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    expect(await accessibilityViolations(page)).toEqual([]);

    // The lot: its people by name, its QR, and its label in Spanish words.
    await page.getByRole('link', { name: firstCode }).click();
    await page.getByRole('heading', { name: firstCode }).waitFor();
    await expect
      .poll(() => page.getByTestId('lot-producer').textContent())
      .toBe('Minera Guacamayo SAC (RUC 20600000011) — titular de la concesión');
    await page.getByRole('img', { name: `Código QR del lote ${firstCode}` }).waitFor();
    expect(
      await page
        .getByRole('img', { name: `Código QR del lote ${firstCode}` })
        .evaluate((i) => (i as HTMLImageElement).naturalWidth),
    ).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Imprimir etiqueta' }).click();
    const label = page.getByTestId('label');
    await label.locator('svg').waitFor();
    const labelText = ((await label.textContent()) ?? '').replace(/\u00a0/g, ' ');
    for (const shown of [firstCode, '870 g', '1,000 g', 'doré', 'activo']) expect(labelText).toContain(shown);
    for (const code of ['dore', 'active', '.000']) expect(labelText).not.toContain(code);
    await label.scrollIntoViewIfNeeded();
    await screenshot(page, 'exporter-label');
    // The label alone in a window of its own, as the server renders it, ready to print.
    const [alone] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('button', { name: 'Abrir en ventana aparte' }).click(),
    ]);
    await alone.locator('.label svg').waitFor();
    expect(await alone.locator('h1').textContent()).toBe(firstCode);
    await alone.close();
    await page.getByRole('button', { name: 'Cerrar' }).click();

    // Split: first parts that would create gold — blocked before anything is sent.
    await page.getByRole('link', { name: 'Dividir' }).click();
    expect(new URL(page.url()).hash).toBe(`#/lots/${parent.id}/split`);
    await page.getByLabel('Peso bruto de la parte 1 (g)').fill('600');
    await page.getByLabel('Peso bruto de la parte 2 (g)').fill('500');
    await page.getByRole('alert').filter({ hasText: 'una división no puede crear oro' }).waitFor();
    expect(await page.getByRole('button', { name: 'Revisar' }).isDisabled()).toBe(true);
    // Then parts that leave half a gram over, typed with a decimal comma.
    await page.getByLabel('Peso bruto de la parte 2 (g)').fill('399,5');
    await page.getByRole('button', { name: 'Revisar' }).click();
    await page.getByTestId('split-arithmetic').waitFor();
    const text = await textOf(page, 'split-arithmetic');
    for (const shown of [
      '600 g',
      '522 g',
      '399.5 g',
      '347.565 g',
      '999.5 g',
      '869.565 g',
      '0.5 g',
      '0.435 g',
    ]) {
      expect(text).toContain(shown);
    }
    await page.getByText('El control del sistema no levantaría ninguna alerta.').waitFor();
    await screenshot(page, 'exporter-split-preview');
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Confirmar división' }).click();
    await page.getByText(`Lote ${firstCode} dividido en 2 partes.`).waitFor();
    await page.getByText('consumido').first().waitFor();

    // The API agrees: the parent consumed, two children that carry no more gold than it did.
    const after = await t.call('GET', `/v1/lots/${parent.id}`, { token: w.exporterToken });
    expect(after.body.status).toBe('consumed');
    const active = await t.call('GET', `/v1/lots?custodianId=${w.exporter.id}&status=active`, {
      token: w.exporterToken,
    });
    const children = active.body.items.filter((l: { parentIds: string[] }) =>
      l.parentIds.includes(parent.id),
    );
    expect(children.map((c: { grossWeightG: string }) => c.grossWeightG).sort()).toEqual([
      '399.500',
      '600.000',
    ]);
    const fineSum = grams.sumGrams(children.map((c: { fineWeightG: string }) => c.fineWeightG));
    expect(grams.compareGrams(fineSum, parent.fineWeightG)).toBeLessThanOrEqual(0);
    for (const c of children) await page.getByRole('link', { name: c.code }).first().waitFor();
    // The consumed lot's provenance names its two parts.
    const provenance = page.getByRole('region', { name: 'Procedencia y destino del oro' });
    for (const c of children) await provenance.getByRole('link', { name: c.code }).waitFor();
    expect(await provenance.textContent()).toContain('resultado (nivel 1) · división');
    // Each related lot with its form, weights and holder by name: one part handed to a buyer
    // shows the buyer by name and RUC, the other this desk.
    const [sold, kept] = children;
    const handed = await t.call('POST', `/v1/lots/${sold.id}/transfers`, {
      token: w.exporterToken,
      body: { toActorId: w.trader.id },
    });
    expect(handed.status).toBe(200);
    await page.reload();
    await expect
      .poll(async () =>
        ((await page.getByTestId(`related-${sold.code}`).textContent()) ?? '').replace(/\u00a0/g, ' '),
      )
      .toBe(
        `resultado (nivel 1) · división${sold.code}doré${sold.grossWeightG === '600.000' ? '600 g522 g' : '399.5 g347.565 g'}Acopiadora Inambari (RUC 20600000044)activo Riesgo: sin riesgo`,
      );
    expect(await page.getByTestId(`related-${kept.code}`).textContent()).toContain(
      'Mi empresa (esta cuenta)',
    );
    await provenance.scrollIntoViewIfNeeded();
    await screenshot(page, 'exporter-provenance');
    expect(await accessibilityViolations(page)).toEqual([]);

    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    expect(errors).toEqual([]);
  }, 120_000);

  it('warns before registering an origin outside the concession, exporting a lot with an open high flag and merging clean with tainted gold; cancel writes nothing, confirm writes', async () => {
    const { page, errors } = await openPage(chrome.browser, desk(`#token=${w.exporterToken}`));
    await page.getByRole('heading', { name: 'Mis lotes' }).waitFor();
    const before = await countLots();

    // Registering gold whose origin lies ~20 km from the concession it declares.
    await page.getByRole('link', { name: 'Registrar lote' }).click();
    await page.getByLabel('Concesión declarada').selectOption({ label: '07-000123 · Guacamayo I' });
    await expect.poll(() => page.getByLabel('Productor').inputValue()).toBe(w.miner.id);
    await page.getByLabel('Latitud').fill('-12,8');
    await page.getByLabel('Longitud').fill('-70,0');
    await page.getByLabel('Fecha de extracción').fill('2026-10-01');
    await page.getByLabel('Peso bruto (g)').fill('80');
    await page.getByLabel('Ley (‰').fill('850');
    await page.getByRole('button', { name: 'Revisar' }).click();
    const warning = page.getByTestId('would-flag');
    await warning.waitFor();
    const warned = (await warning.textContent()) ?? '';
    expect(warned).toContain(ruleWords.es.ORIGIN_OUTSIDE_CONCESSION);
    expect(warned).toContain('alto');
    expect(warned).toContain('fuera de la concesión declarada 07-000123');
    await screenshot(page, 'exporter-register-warning');
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    expect(await accessibilityViolations(page)).toEqual([]);
    // Cancel: back to the form as typed, nothing written.
    await page.getByRole('button', { name: 'Cancelar' }).click();
    expect(await page.getByLabel('Peso bruto (g)').inputValue()).toBe('80');
    expect(await countLots()).toBe(before);
    // Confirm anyway: written, with its flag.
    await page.getByRole('button', { name: 'Revisar' }).click();
    await page.getByRole('button', { name: 'Registrar de todos modos' }).click();
    const heading = await page
      .getByRole('heading', { name: /^Lote AU-\d{4}-\d{6} registrado$/ })
      .textContent();
    const farCode = /AU-\d{4}-\d{6}/.exec(heading ?? '')?.[0] as string;
    expect(await countLots()).toBe(before + 1);

    // Exporting it: its open high flag is shown before the export is made.
    await page.getByRole('link', { name: 'Ver el lote' }).click();
    await page.getByRole('heading', { name: farCode }).waitFor();
    await page.getByRole('link', { name: 'Exportar' }).click();
    await page.getByLabel('Declaración aduanera').fill('118-2026-40-000999');
    await page.getByLabel('País de destino').fill('ch');
    await page.getByRole('button', { name: 'Revisar' }).click();
    const carried = page.getByTestId('carried-flags');
    await carried.waitFor();
    expect(await carried.textContent()).toContain(ruleWords.es.ORIGIN_OUTSIDE_CONCESSION);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Cancelar' }).click();
    const far = (
      await t.call('GET', `/v1/lots?custodianId=${w.exporter.id}&q=${farCode}`, { token: w.exporterToken })
    ).body.items[0];
    expect(far.status).toBe('active');
    await page.getByRole('button', { name: 'Revisar' }).click();
    await page.getByRole('button', { name: 'Exportar de todos modos' }).click();
    await page.getByText(`Lote ${farCode} exportado.`).waitFor();
    expect((await t.call('GET', `/v1/lots/${far.id}`, { token: w.exporterToken })).body.status).toBe(
      'exported',
    );

    // Merging clean gold with tainted gold: the clean gold would inherit the flag.
    const clean = await registerLot(t, w, { grossWeightG: '100', fineness: '900' }, w.exporterToken);
    const tainted = await registerLot(
      t,
      w,
      { grossWeightG: '60', fineness: '850', origin: { type: 'Point', coordinates: [-70.0, -12.8] } },
      w.exporterToken,
    );
    const beforeMerge = await countLots();
    await page.goto(desk(`#/merge?lots=${clean.id},${tainted.id}`));
    await page.getByTestId('merge-arithmetic').waitFor();
    await page.getByRole('button', { name: 'Revisar' }).click();
    const inherited = page.getByTestId('would-flag');
    await inherited.waitFor();
    expect(await inherited.textContent()).toContain('heredada');
    await page.getByRole('button', { name: 'Fusionar de todos modos' }).waitFor();
    await page.getByRole('button', { name: 'Cancelar' }).click();
    expect(await countLots()).toBe(beforeMerge);
    expect((await t.call('GET', `/v1/lots/${clean.id}`, { token: w.exporterToken })).body.status).toBe(
      'active',
    );
    expect(errors).toEqual([]);
  }, 120_000);

  it.each([
    [360, -12.5],
    [1280, -12.45],
  ])(
    'at %i px, a confirmation after the world changed since the review is refused in words and reviewed again',
    async (width, lat) => {
      const { page, errors } = await openPage(chrome.browser, desk(`#token=${w.exporterToken}`), { width });
      await page.getByRole('heading', { name: 'Mis lotes' }).waitFor();
      const before = await countLots();
      await page.getByRole('link', { name: 'Registrar lote' }).click();
      await page.getByLabel('Concesión declarada').selectOption({ label: '07-000123 · Guacamayo I' });
      await expect.poll(() => page.getByLabel('Productor').inputValue()).toBe(w.miner.id);
      await page.getByLabel('Latitud').fill(String(lat));
      await page.getByLabel('Longitud').fill('-69.5');
      // The point, some 65 km from the concession, is drawn in the map's view with it (Leaflet
      // leaves a marker outside the view undrawn: a few pixels in a corner).
      const inside = async () => {
        const map = await page.locator('.map').boundingBox();
        const dot = await page.locator('path.leaflet-interactive[fill="#d00000"]').boundingBox();
        return (
          !!map &&
          !!dot &&
          dot.width >= 10 &&
          dot.x >= map.x &&
          dot.x + dot.width <= map.x + map.width &&
          dot.y >= map.y &&
          dot.y + dot.height <= map.y + map.height
        );
      };
      await expect.poll(inside).toBe(true);
      await page.getByLabel('Fecha de extracción').fill('2026-10-01');
      // "1.250" is 1250 g to one reader and 1.25 g to another: refused in words, never guessed.
      await page.getByLabel('Peso bruto (g)').fill('1.250');
      await page.getByLabel('Ley (‰').fill('850');
      await page
        .getByRole('alert')
        .filter({ hasText: 'Peso bruto (g): «1.250» puede leerse como 1250 o como 1,25.' })
        .waitFor();
      await page.getByLabel('Peso bruto (g)').fill('1.250,5');
      await expect.poll(() => page.getByRole('alert').count()).toBe(0);
      await page
        .locator('.computed')
        .filter({ hasText: /^Oro fino: 1,062\.925\sg$/ })
        .waitFor();
      await page.getByLabel('Peso bruto (g)').fill('75');
      await page.getByRole('button', { name: 'Revisar' }).click();
      const warning = page.getByTestId('would-flag');
      await warning.waitFor();
      expect(await warning.textContent()).not.toContain(ruleWords.es.ORIGIN_IN_EXCLUSION_ZONE);
      // Between the review and the confirmation, a reserve is declared over the origin.
      const zone = await t.call('POST', '/v1/zones', {
        token: w.admin,
        body: {
          name: `Reserva declarada ${width}`,
          kind: 'protected_area',
          legalBasis: 'D.S. de prueba',
          validFrom: '2000-01-01',
          geometry: box(-69.52, lat - 0.02, -69.48, lat + 0.02),
        },
      });
      expect(zone.status, zone.text).toBe(201);
      await page.getByRole('button', { name: 'Registrar de todos modos' }).click();
      await page.getByRole('alert').filter({ hasText: 'Algo cambió desde la revisión' }).waitFor();
      // Nothing was written; the review now names the new flag, and the person confirms again.
      expect(await countLots()).toBe(before);
      await expect
        .poll(async () => (await warning.textContent()) ?? '')
        .toContain(ruleWords.es.ORIGIN_IN_EXCLUSION_ZONE);
      await screenshot(page, `exporter-preview-outdated-${width}`);
      expect(await pageWidth(page)).toBeLessThanOrEqual(width);
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Registrar de todos modos' }).click();
      await page.getByRole('heading', { name: /^Lote AU-\d{4}-\d{6} registrado$/ }).waitFor();
      expect(await countLots()).toBe(before + 1);
      // The refused confirmation is the one failed request the browser logs.
      expect(errors).toEqual([
        'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
      ]);
    },
    120_000,
  );

  it('in English: filters flagged lots, merges two lots, refines and exports the result, and hands a lot to a buyer found by part of its name or RUC', async () => {
    const a = await registerLot(t, w, { grossWeightG: '100', fineness: '900' }, w.exporterToken);
    const b = await registerLot(t, w, { grossWeightG: '300', fineness: '800' }, w.exporterToken);
    const c = await registerLot(t, w, { grossWeightG: '50', fineness: '950' }, w.exporterToken);
    // Mined 20 km away from the concession it declares: the server flags it.
    const far = await registerLot(
      t,
      w,
      { grossWeightG: '80', fineness: '850', origin: { type: 'Point', coordinates: [-70.0, -12.8] } },
      w.exporterToken,
    );
    expect(far.flags.length).toBeGreaterThan(0);
    const { page, errors } = await openPage(chrome.browser, desk(`#token=${w.exporterToken}`), {
      width: 1024,
      height: 800,
    });
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { name: 'My lots' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // Only the flagged lots, their flags in plain words.
    await page.getByRole('link', { name: c.code }).waitFor();
    await page.getByLabel('Only lots with open flags').check();
    await expect.poll(() => page.getByRole('link', { name: c.code }).count()).toBe(0);
    await page.getByRole('link', { name: far.code }).waitFor();
    await screenshot(page, 'exporter-lots-flagged-wide');
    for (const f of far.flags as { rule: RuleCode }[])
      await page.getByText(ruleWords.en[f.rule]).first().waitFor();
    await page.getByLabel('Only lots with open flags').uncheck();

    // Merge: the total gross and fine weight and the mixture's fineness, before confirming.
    await page.getByLabel(`Pick lot ${a.code} to merge`).check();
    await page.getByLabel(`Pick lot ${b.code} to merge`).check();
    await page.getByRole('button', { name: 'Merge selected' }).click();
    await page.getByTestId('merge-arithmetic').waitFor();
    const merge = await textOf(page, 'merge-arithmetic');
    for (const shown of ['400 g', '330 g', '825 ‰']) expect(merge).toContain(shown);
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByText("The system's screening would raise no flag.").waitFor();
    await page.getByRole('button', { name: 'Confirm merge' }).click();
    const merged = /AU-\d{4}-\d{6}/.exec(
      (await page.getByText(/^Lots merged into/).textContent()) ?? '',
    )?.[0] as string;
    const mergedLot = (
      await t.call('GET', `/v1/lots?custodianId=${w.exporter.id}&status=active`, { token: w.exporterToken })
    ).body.items.find((l: { code: string }) => l.code === merged);
    expect(mergedLot).toMatchObject({ grossWeightG: '400.000', fineWeightG: '330.000', fineness: '825.000' });

    // Refine: more fine gold out than in is blocked; a loss is shown before confirming.
    await page.getByRole('link', { name: merged }).click();
    await page.getByRole('heading', { name: merged }).waitFor();
    await page.getByRole('link', { name: 'Refine', exact: true }).click();
    await page.getByLabel('Gross weight (g)').fill('340');
    await page.getByLabel('Fineness (‰').fill('999');
    await page.getByRole('alert').filter({ hasText: 'refining cannot create gold' }).waitFor();
    expect(await page.getByRole('button', { name: 'Review' }).isDisabled()).toBe(true);
    await page.getByLabel('Gross weight (g)').fill('330');
    await page.getByLabel('Fineness (‰').fill('995');
    await page.getByRole('button', { name: 'Review' }).click();
    const refine = await textOf(page, 'refine-arithmetic');
    for (const shown of ['330 g', '328.35 g', '1.65 g']) expect(refine).toContain(shown);
    await page.getByRole('button', { name: 'Confirm refining' }).click();
    const refinedText = await page.getByText(new RegExp(`^Lot ${merged} refined into AU-`)).textContent();
    const refined = /into (AU-\d{4}-\d{6})/.exec(refinedText ?? '')?.[1] as string;

    // Export the refined bar.
    await page.getByRole('link', { name: refined }).first().click();
    await page.getByRole('heading', { name: refined }).waitFor();
    await page.getByRole('link', { name: 'Export', exact: true }).click();
    await page.getByLabel('Customs declaration').fill('118-2026-40-000123');
    await page.getByLabel('Destination country').fill('ch');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Confirm export' }).click();
    await page.getByText(`Lot ${refined} exported.`).waitFor();

    // Transfer: a name no registered actor has finds nobody, and nothing can be chosen.
    await page.getByRole('link', { name: 'Back to my lots' }).first().click();
    await page.getByRole('link', { name: c.code }).click();
    await page.getByRole('link', { name: 'Transfer', exact: true }).click();
    const search = page.getByLabel('Recipient (registered actor)');
    // A word that more counterparts share than one page holds: the picker says so and asks for more.
    for (let i = 10; i < 31; i++) {
      const buyer = await t.call('POST', '/v1/actors', {
        token: w.admin,
        body: { taxId: `205000000${i}`, name: `Comprador de Oro ${i}`, kinds: ['trader'] },
      });
      const reg = await t.call('POST', `/v1/actors/${buyer.body.id}/registrations`, {
        token: w.admin,
        body: { registry: 'trader', status: 'registered', validFrom: '2024-01-01' },
      });
      expect(reg.status).toBe(201);
    }
    await search.fill('comprador de oro');
    await page
      .getByText('More than 20 results for “comprador de oro”: the first 20 by name are shown.', {
        exact: false,
      })
      .waitFor();
    expect(await page.getByRole('radio').count()).toBe(20);
    await search.fill('zzz');
    await page.getByText('No registered actor matches “zzz”.').waitFor();
    expect(await page.getByRole('radio').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Review' }).isDisabled()).toBe(true);
    // By the first digits of its RUC…
    await search.fill('2060000004');
    await page.getByRole('radio', { name: 'Acopiadora Inambari (RUC 20600000044)' }).waitFor();
    // …or by a part of its name, in any case.
    await search.fill('INAMB');
    await page.getByText('1 result(s) for “INAMB”. Pick one.').waitFor();
    // Chosen by keyboard: from the search box to the result, and Space.
    await search.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.getByRole('radio', { name: 'Acopiadora Inambari (RUC 20600000044)' }).isChecked()).toBe(
      true,
    );
    await screenshot(page, 'exporter-transfer-picker-wide');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Review' }).click();
    await page
      .getByText(
        /^Lot AU-\d{4}-\d{6} \(47\.5\sg of fine gold\) will be handed to Acopiadora Inambari \(RUC 20600000044\)/,
      )
      .waitFor();
    await page.getByRole('button', { name: 'Confirm transfer' }).click();
    await page.getByText(`Lot ${c.code} transferred.`).waitFor();
    // No longer ours: the operations are gone, and the custodian is named.
    await page.getByText('This lot is not in your custody').waitFor();
    expect(await page.getByRole('link', { name: 'Split' }).count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('lot-custodian').textContent())
      .toBe('Acopiadora Inambari (RUC 20600000044)');
    const moved = await t.call('GET', `/v1/lots/${c.id}`, { token: w.traderToken });
    expect(moved.body.custodianId).toBe(w.trader.id);

    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('a lot URL opened directly shows that lot after sign-in, and Back returns to the list', async () => {
    const lot = await registerLot(t, w, { grossWeightG: '500', fineness: '900' }, w.exporterToken);
    const context = await chrome.browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'es-PE',
    });
    // Nobody signed in on this browser yet: the sign-in form, the address kept.
    const { page, errors } = await openPage(chrome.browser, desk(`#/lots/${lot.id}`), { context });
    await page.getByLabel('Credencial de acceso').fill(w.exporterToken);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.getByRole('heading', { name: lot.code }).waitFor();
    // "500 g", never "500.000 g".
    await page
      .getByText(/^500\sg$/)
      .first()
      .waitFor();
    expect(await page.locator('main').textContent()).not.toContain('500.000');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The same address in a new tab opens the same lot, an operation's address that operation.
    const tab = await context.newPage();
    await tab.goto(desk(`#/lots/${lot.id}/split`));
    await tab.getByRole('heading', { name: `Dividir el lote ${lot.code}` }).waitFor();
    await tab.close();

    // Back: from the list to the lot and back to the list.
    await page.getByRole('link', { name: 'Mis lotes', exact: true }).click();
    await page.getByRole('link', { name: lot.code }).click();
    await page.getByRole('heading', { name: lot.code }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Mis lotes' }).waitFor();
    await page.getByRole('link', { name: lot.code }).waitFor();
    await page.goForward();
    await page.getByRole('heading', { name: lot.code }).waitFor();
    await screenshot(page, 'exporter-deep-link-wide');

    // A write the server refuses is told in Spanish words, from the problem's type, before anything
    // is confirmed: the lot was handed over elsewhere while its split was being typed.
    await page.goto(desk(`#/lots/${lot.id}/split`));
    await page.getByLabel('Peso bruto de la parte 1 (g)').fill('200');
    await page.getByLabel('Peso bruto de la parte 2 (g)').fill('300');
    const gone = await t.call('POST', `/v1/lots/${lot.id}/transfers`, {
      token: w.exporterToken,
      body: { toActorId: w.trader.id },
    });
    expect(gone.status).toBeLessThan(300);
    await page.getByRole('button', { name: 'Revisar' }).click();
    const refused = page.getByTestId('preflight').getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(
      /^(Su rol no permite|No se puede hacer|No existe|La operación no es posible)/,
    );
    expect(await page.getByRole('button', { name: /Confirmar división|de todos modos/ }).count()).toBe(0);

    // The producer at registration: someone else, found by name, shown by name and RUC.
    await page.getByRole('link', { name: 'Registrar lote' }).click();
    await page
      .getByLabel('Productor', { exact: true })
      .selectOption({ label: 'Otro productor (buscar por nombre o RUC)' });
    await page.getByLabel('Buscar al productor').fill('guacamayo');
    await page.getByRole('radio', { name: 'Minera Guacamayo SAC (RUC 20600000011)' }).check();
    await page.getByText('Elegido: Minera Guacamayo SAC (RUC 20600000011)').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
    // The refusal asked for above is the only thing the console reports.
    expect(errors.filter((e) => !/status of 40[39]/.test(e))).toEqual([]);
  }, 90_000);

  it('pages through many lots with "Más", fifty at a time, by keyboard', async () => {
    const before = (
      await t.call('GET', `/v1/lots?custodianId=${w.exporter.id}&status=active&limit=500`, {
        token: w.exporterToken,
      })
    ).body.items.length;
    for (let i = 0; i < 55; i++) {
      await registerLot(t, w, { grossWeightG: `${10 + i}` }, w.exporterToken);
    }
    const { page, errors } = await openPage(chrome.browser, desk(`#token=${w.exporterToken}`));
    await page.getByRole('heading', { name: 'Mis lotes' }).waitFor();
    const codes = page.locator('table.lots tbody tr');
    await expect.poll(() => codes.count()).toBe(50);
    await page.getByRole('button', { name: 'Más' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => codes.count()).toBe(before + 55);
    expect(await page.getByRole('button', { name: 'Más' }).count()).toBe(0);
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    expect(errors).toEqual([]);
  }, 120_000);
});
