/**
 * The exporter desk in Chromium: an exporter registers lots through the
 * form (origin typed, then picked on the map), finds them in "my lots", prints a label, and
 * splits a lot seeing the arithmetic before confirming; a split that would create gold is
 * blocked before it reaches the server, and a refusal of the server is shown in its own words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grams from '../../src/domain/shared/grams.js';
import type { RuleCode } from '../../src/domain/shared/vocabulary.js';
import { ruleWords } from '../../src/web/shared/words.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
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

  const pageWidth = (page: import('playwright-core').Page) =>
    page.evaluate(() => document.documentElement.scrollWidth);

  it('registers a lot typed and one picked on the map, lists them, prints a label and splits one after seeing the arithmetic', async () => {
    const { page, errors } = await openPage(
      chrome.browser,
      `${server.url}/app/exporter/#token=${w.exporterToken}`,
    );
    await page.getByRole('heading', { name: 'Mis lotes' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await page.getByText('No hay lotes que mostrar').waitFor();

    // Register: origin typed.
    await page.getByRole('button', { name: 'Registrar lote' }).click();
    await page.getByLabel('Concesión declarada').selectOption({ label: '07-000123 · Guacamayo I' });
    // The holder of the concession (the miner) is proposed as producer.
    await expect.poll(() => page.getByLabel('Productor').inputValue()).toBe(w.miner.id);
    await page.getByLabel('Latitud').fill('-12.945');
    await page.getByLabel('Longitud').fill('-70.1');
    await page.getByLabel('Fecha de extracción').fill('2026-10-01');
    await page.getByLabel('Peso bruto (g)').fill('1000');
    await page.getByLabel('Ley (‰').fill('870');
    await page.locator('.computed').filter({ hasText: '870.000 g' }).waitFor();
    await page.locator('.leaflet-interactive').first().waitFor();
    await screenshot(page, 'exporter-register');
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Revisar' }).click();
    await expect.poll(() => page.getByTestId('register-fine').textContent()).toBe('870.000 g');
    await page.getByRole('button', { name: 'Confirmar registro' }).click();
    const first = await page.getByRole('heading', { name: /^Lote AU-\d{4}-\d{6} registrado$/ }).textContent();
    const firstCode = /AU-\d{4}-\d{6}/.exec(first ?? '')?.[0] as string;
    await page.getByText('sin riesgo').first().waitFor();

    // Register another: origin picked by clicking the map where the concession is drawn.
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
    await page.getByLabel('Peso bruto (g)').fill('500.25');
    await page.getByLabel('Ley (‰').fill('900');
    await page.getByRole('button', { name: 'Revisar' }).click();
    await expect.poll(() => page.getByTestId('register-fine').textContent()).toBe('450.225 g');
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
    const parent = mine.body.items.find((l: { code: string }) => l.code === firstCode);
    expect(parent).toMatchObject({ grossWeightG: '1000.000', fineness: '870.000', fineWeightG: '870.000' });

    // My lots: both, as cards on a phone.
    await page.getByRole('button', { name: 'Mis lotes' }).click();
    await page.getByRole('button', { name: firstCode }).waitFor();
    await page.getByRole('button', { name: secondCode }).waitFor();
    await page.getByLabel('Buscar por código').fill(secondCode.slice(-3));
    await expect.poll(() => page.getByRole('button', { name: firstCode }).count()).toBe(0);
    await page.getByLabel('Buscar por código').fill('');
    await screenshot(page, 'exporter-lots');
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    expect(await accessibilityViolations(page)).toEqual([]);

    // The lot: its QR, and its label in a print view.
    await page.getByRole('button', { name: firstCode }).click();
    await page.getByRole('heading', { name: firstCode }).waitFor();
    await page.getByRole('img', { name: `Código QR del lote ${firstCode}` }).waitFor();
    expect(
      await page
        .getByRole('img', { name: `Código QR del lote ${firstCode}` })
        .evaluate((i) => (i as HTMLImageElement).naturalWidth),
    ).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Imprimir etiqueta' }).click();
    const label = page.getByTestId('label');
    await label.locator('svg').waitFor();
    expect(await label.textContent()).toContain(firstCode);
    expect(await label.textContent()).toContain('870.000 g');
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
    await page.getByRole('button', { name: 'Dividir' }).click();
    await page.getByLabel('Peso bruto de la parte 1 (g)').fill('600');
    await page.getByLabel('Peso bruto de la parte 2 (g)').fill('500');
    await page.getByRole('alert').filter({ hasText: 'una división no puede crear oro' }).waitFor();
    expect(await page.getByRole('button', { name: 'Revisar' }).isDisabled()).toBe(true);
    // Then parts that leave half a gram over: each part's fine gold and the remainder are shown.
    await page.getByLabel('Peso bruto de la parte 2 (g)').fill('399.5');
    await page.getByRole('button', { name: 'Revisar' }).click();
    const arithmetic = page.getByTestId('split-arithmetic');
    await arithmetic.waitFor();
    const text = (await arithmetic.textContent()) ?? '';
    for (const shown of [
      '600.000 g',
      '522.000 g',
      '399.500 g',
      '347.565 g',
      '999.500 g',
      '869.565 g',
      '0.500 g',
      '0.435 g',
    ]) {
      expect(text).toContain(shown);
    }
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
    expect(children.map((c: { fineWeightG: string }) => c.fineWeightG).sort()).toEqual([
      '347.565',
      '522.000',
    ]);
    const fineSum = grams.sumGrams(children.map((c: { fineWeightG: string }) => c.fineWeightG));
    expect(grams.compareGrams(fineSum, parent.fineWeightG)).toBeLessThanOrEqual(0);
    for (const c of children) await page.getByRole('button', { name: c.code }).first().waitFor();
    // The consumed lot's provenance names its two parts.
    const provenance = page.getByRole('region', { name: 'Procedencia y destino del oro' });
    for (const c of children) await provenance.getByRole('button', { name: c.code }).waitFor();
    expect(await provenance.textContent()).toContain('resultado (nivel 1) · división');

    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    expect(errors).toEqual([]);
  }, 90_000);
  it('in English: filters flagged lots, merges two lots, refines and exports the result seeing fine gold in and out, and hands a lot over after the server refused an unknown recipient in its own words', async () => {
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
    const { page, errors } = await openPage(
      chrome.browser,
      `${server.url}/app/exporter/#token=${w.exporterToken}`,
      {
        width: 1024,
        height: 800,
      },
    );
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { name: 'My lots' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // Only the flagged lot, its flags in plain words.
    await page.getByRole('button', { name: c.code }).waitFor();
    await page.getByLabel('Only lots with open flags').check();
    await expect.poll(() => page.getByRole('button', { name: c.code }).count()).toBe(0);
    await page.getByRole('button', { name: far.code }).waitFor();
    await screenshot(page, 'exporter-lots-flagged-wide');
    for (const f of far.flags as { rule: RuleCode }[])
      await page.getByText(ruleWords.en[f.rule]).first().waitFor();
    await page.getByLabel('Only lots with open flags').uncheck();

    // Merge: the total gross and fine weight and the mixture's fineness, before confirming.
    await page.getByLabel(`Pick lot ${a.code} to merge`).check();
    await page.getByLabel(`Pick lot ${b.code} to merge`).check();
    await page.getByRole('button', { name: 'Merge selected' }).click();
    const merge = page.getByTestId('merge-arithmetic');
    for (const shown of ['400.000 g', '330.000 g', '825.000 ‰'])
      expect(await merge.textContent()).toContain(shown);
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Confirm merge' }).click();
    const merged = /AU-\d{4}-\d{6}/.exec(
      (await page.getByText(/^Lots merged into/).textContent()) ?? '',
    )?.[0] as string;
    const mergedLot = (
      await t.call('GET', `/v1/lots?custodianId=${w.exporter.id}&status=active`, { token: w.exporterToken })
    ).body.items.find((l: { code: string }) => l.code === merged);
    expect(mergedLot).toMatchObject({ grossWeightG: '400.000', fineWeightG: '330.000', fineness: '825.000' });
    expect([...mergedLot.parentIds].sort()).toEqual([a.id, b.id].sort());

    // Refine: more fine gold out than in is blocked; a loss is shown before confirming.
    await page.getByRole('button', { name: merged }).click();
    await page.getByRole('heading', { name: merged }).waitFor();
    await page.getByRole('button', { name: 'Refine', exact: true }).click();
    await page.getByLabel('Gross weight (g)').fill('340');
    await page.getByLabel('Fineness (‰').fill('999');
    await page.getByRole('alert').filter({ hasText: 'refining cannot create gold' }).waitFor();
    expect(await page.getByRole('button', { name: 'Review' }).isDisabled()).toBe(true);
    await page.getByLabel('Gross weight (g)').fill('330');
    await page.getByLabel('Fineness (‰').fill('995');
    await page.getByRole('button', { name: 'Review' }).click();
    const refine = (await page.getByTestId('refine-arithmetic').textContent()) ?? '';
    for (const shown of ['330.000 g', '328.350 g', '1.650 g']) expect(refine).toContain(shown);
    await page.getByRole('button', { name: 'Confirm refining' }).click();
    const refinedText = await page.getByText(new RegExp(`^Lot ${merged} refined into AU-`)).textContent();
    const refined = /into (AU-\d{4}-\d{6})/.exec(refinedText ?? '')?.[1] as string;

    // Export the refined bar.
    await page.getByRole('button', { name: refined }).first().click();
    await page.getByRole('heading', { name: refined }).waitFor();
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByLabel('Customs declaration').fill('118-2026-40-000123');
    await page.getByLabel('Destination country').fill('ch');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Confirm export' }).click();
    await page.getByText(`Lot ${refined} exported.`).waitFor();
    const exported = (
      await t.call('GET', `/v1/lots?custodianId=${w.exporter.id}&status=exported`, { token: w.exporterToken })
    ).body.items;
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({
      code: refined,
      destinationCountry: 'CH',
      customsDeclaration: '118-2026-40-000123',
      fineWeightG: '328.350',
      form: 'bar',
    });

    // Transfer: an unknown actor is refused by the server, whose detail and field are shown.
    await page.getByRole('button', { name: 'Back to my lots' }).first().click();
    await page.getByRole('button', { name: c.code }).click();
    await page.getByRole('button', { name: 'Transfer', exact: true }).click();
    const nobody = crypto.randomUUID();
    await page.getByLabel('Recipient id').fill(nobody);
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Confirm transfer' }).click();
    const problem = page.getByRole('alert').filter({ hasText: 'is not a registered actor' });
    await problem.waitFor();
    expect(await problem.textContent()).toContain('toActorId: no such actor');
    // Then the trader, kept in the desk's contacts and found again by searching them.
    await page.getByRole('button', { name: 'Back to editing' }).click();
    await page.getByLabel('Recipient id').fill(w.trader.id);
    await page.getByLabel('A name to remember it by').fill('Acopiadora Inambari');
    await page.getByRole('button', { name: 'Save to contacts' }).click();
    await page.getByLabel('Recipient id').fill('');
    await page.getByLabel('Search my contacts').fill('inamb');
    await page.getByRole('button', { name: /Acopiadora Inambari/ }).click();
    await page.getByRole('button', { name: 'Review' }).click();
    await page
      .getByText(`Lot ${c.code} (47.500 g of fine gold) will be handed to Acopiadora Inambari`)
      .waitFor();
    await page.getByRole('button', { name: 'Confirm transfer' }).click();
    await page.getByText(`Lot ${c.code} transferred.`).waitFor();
    // No longer ours to read: its code is no longer a link, and the operations are gone.
    expect(await page.getByRole('button', { name: c.code }).count()).toBe(0);
    await page.getByText('This lot is not in your custody').waitFor();
    expect(await page.getByRole('button', { name: 'Split' }).count()).toBe(0);
    const moved = await t.call('GET', `/v1/lots/${c.id}`, { token: w.traderToken });
    expect(moved.body.custodianId).toBe(w.trader.id);

    expect(await accessibilityViolations(page)).toEqual([]);
    // The one refusal asked for above is the only thing the console reports.
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
    expect(errors.length).toBeLessThanOrEqual(1);
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
    const { page, errors } = await openPage(
      chrome.browser,
      `${server.url}/app/exporter/#token=${w.exporterToken}`,
    );
    await page.getByRole('heading', { name: 'Mis lotes' }).waitFor();
    const codes = page.locator('table.lots tbody tr');
    await expect.poll(() => codes.count()).toBe(50);
    await page.getByRole('button', { name: 'Más' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => codes.count()).toBe(before + 55);
    expect(await page.getByRole('button', { name: 'Más' }).count()).toBe(0);
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    expect(errors).toEqual([]);
  }, 90_000);
});
