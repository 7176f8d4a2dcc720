/**
 * The regulator console in Chromium: a world with a lot flagged by a real rule (its origin in a
 * protected area: ORIGIN_IN_EXCLUSION_ZONE, critical) that was split and merged back — so its
 * provenance is a diamond and the lot on the map carries inherited copies of the flag — and a
 * clean lot. The regulator finds the flagged lot on the map, opens its provenance, is told why
 * an inherited copy cannot be reviewed, goes to the source lot in the graph and dismisses its
 * flag; a keyboard-only pass acknowledges another flag; the AML report downloads as CSV; the
 * ledger verifies.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { riskColours } from '../../src/web/shared/risk.js';
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

const exclusion = ruleWords.es.ORIGIN_IN_EXCLUSION_ZONE;

interface ApiLot {
  id: string;
  code: string;
  riskLevel: string;
  flags: { id: string; rule: string; status: string; inheritedFrom: string | null }[];
}

describe.skipIf(!browserTests)('regulator console (/app/regulator) in Chromium', () => {
  let t: TestContext;
  let w: GoldWorld;
  let server: WebServer;
  let chrome: LaunchedBrowser;
  let flagged: ApiLot; // registered inside the reserve, then split and merged back
  let merged: ApiLot; // the lot on the map: made of the flagged lot's gold
  let clean: ApiLot;
  let other: ApiLot; // another lot in the reserve, for the keyboard pass

  const call = async (method: string, path: string, body?: unknown, expected = 200) => {
    const res = await t.call(method, path, { token: w.regulatorToken, ...(body ? { body } : {}) });
    expect(res.status, res.text).toBe(expected);
    return res.body;
  };
  const console1280 = async () =>
    openPage(chrome.browser, `${server.url}/app/regulator/#token=${w.regulatorToken}`, {
      width: 1280,
      height: 900,
    });

  beforeAll(async () => {
    t = await testApp({ webAssets: true });
    w = await goldWorld(t);
    const zone = await t.call('POST', '/v1/zones', {
      token: w.admin,
      body: {
        name: 'Reserva de prueba',
        kind: 'protected_area',
        legalBasis: 'D.S. 048-2000-AG',
        validFrom: '2000-09-04',
        geometry: box(-70.105, -12.95, -70.095, -12.94),
      },
    });
    expect(zone.status, zone.text).toBe(201);
    flagged = await registerLot(t, w); // origin [-70.1, -12.945], inside the reserve
    expect(flagged.riskLevel).toBe('critical');
    clean = await registerLot(t, w, {
      origin: { type: 'Point', coordinates: [-70.085, -12.935] },
      grossWeightG: '800.000',
    });
    expect(clean.riskLevel).toBe('none');
    other = await registerLot(t, w, {
      origin: { type: 'Point', coordinates: [-70.097, -12.942] },
      grossWeightG: '500.000',
    });
    expect(other.riskLevel).toBe('critical');
    const split = await t.call('POST', `/v1/lots/${flagged.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '600.000' }, { grossWeightG: '400.000' }] },
    });
    expect(split.status, split.text).toBe(201);
    const m = await t.call('POST', '/v1/lots/merge', {
      token: w.minerToken,
      body: { lotIds: split.body.children.map((c: ApiLot) => c.id) },
    });
    expect(m.status, m.text).toBe(201);
    merged = m.body;
    expect(merged.flags).toEqual([
      expect.objectContaining({ rule: 'ORIGIN_IN_EXCLUSION_ZONE', status: 'open' }),
    ]);
    expect(merged.flags[0]?.inheritedFrom).toBe(flagged.flags[0]?.id);
    server = await serveApp(t);
    chrome = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  const fillOf = (page: Page, lotId: string) => page.locator(`path.lot-${lotId}`).getAttribute('fill');

  it('shows the flagged lot on the map in the critical colour; clicking it opens the lot, whose provenance graph marks the flagged source; its flags collapsed; the source flag is dismissed with a reason after a preview of the three inherited copies it also dismisses', async () => {
    const { page, errors } = await console1280();
    await page.getByRole('heading', { name: 'Mapa de riesgo' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    // The lot made of the flagged gold, and the clean lot, at their origins.
    await page.locator(`path.lot-${merged.id}`).waitFor();
    await page.locator(`path.lot-${clean.id}`).waitFor();
    expect(await fillOf(page, merged.id)).toBe(riskColours.critical);
    expect(await fillOf(page, clean.id)).toBe(riskColours.none);
    // Consumed lots (the split and the merged-away parts) are not drawn by default.
    expect(await page.locator(`path.lot-${flagged.id}`).count()).toBe(0);
    // The zone and the concession are drawn too, and the same lots are listed for the keyboard.
    expect(await page.locator('.risk-map path.leaflet-interactive').count()).toBeGreaterThanOrEqual(5);
    await page.getByRole('button', { name: `Abrir el lote ${clean.code}` }).waitFor();
    await screenshot(page, 'regulator-map');
    expect(await accessibilityViolations(page), 'regulator-map').toEqual([]);

    await page.locator(`path.lot-${merged.id}`).click();
    await page.getByRole('heading', { name: new RegExp(merged.code) }).waitFor();
    // The provenance: the flagged lot, its two parts and the merged lot, each with the flag.
    const node = page.locator(`a.node[data-lot-id="${flagged.id}"]`);
    await node.waitFor();
    expect(await page.locator('a.node').count()).toBe(4);
    expect(await node.getAttribute('class')).toContain('flagged');
    expect(await node.locator('.flag-badge').count()).toBe(1);
    expect(await page.locator('g.edge-split').count()).toBe(2);
    expect(await page.locator('g.edge-merge').count()).toBe(2);
    // Events beside the graph, in plain words.
    await page.locator('.event-list').getByText('Creado por fusión').first().waitFor();
    // Each event's inclusion in the signed ledger, on demand.
    await t.sequencingIdle();
    await page.getByRole('button', { name: 'Prueba de inclusión del evento Lote registrado' }).click();
    await page.getByRole('status').filter({ hasText: 'Incluido en el libro mayor: hoja' }).waitFor();
    await screenshot(page, 'regulator-provenance');
    expect(await accessibilityViolations(page), 'regulator-provenance').toEqual([]);

    // The merged lot's flag is an inherited copy, collapsed: its rule, severity, lot and age.
    const copyCard = page.locator(`[data-flag-id="${merged.flags[0]?.id}"]`);
    await copyCard.locator('.flag-details > summary').getByText(exclusion).waitFor();
    expect(await copyCard.locator('details.flag-details').getAttribute('open')).toBeNull();

    // To the source lot, from its node in the graph: a link named by its visible text.
    await page.getByRole('link', { name: new RegExp(`^${flagged.code} 870\\s?g · consumido$`) }).click();
    await page.getByRole('heading', { name: new RegExp(flagged.code) }).waitFor();
    const reason =
      'Coordenadas corregidas tras verificación de campo: el punto declarado fue un error de digitación';
    const card = page.locator(`[data-flag-id="${flagged.flags[0]?.id}"]`);
    await card.locator('.flag-details > summary').click();
    await card.getByText('está 5').first().waitFor(); // the evidence sentence: "…está 5xx m dentro de…"
    await page.getByRole('checkbox', { name: `Seleccionar alerta ${exclusion} de ${flagged.code}` }).check();
    await page.getByLabel('Motivo de la decisión').fill(reason);
    await page.getByRole('button', { name: `Descartar alerta ${exclusion} de ${flagged.code}` }).click();
    // Before anything is written: the flag and its three inherited copies, by lot code.
    const preview = page.locator('.review-preview');
    await preview
      .getByRole('heading', { name: 'Antes de confirmar: esta decisión cambiará 4 alertas' })
      .waitFor();
    expect(await preview.locator('li.touch-copy').count()).toBe(3);
    await preview
      .getByText(new RegExp(`Lote ${merged.code} \\(copia heredada\\): abierta → descartada`))
      .waitFor();
    expect(await call('GET', `/v1/flags/${flagged.flags[0]?.id}`)).toMatchObject({ status: 'open' });
    await preview.getByRole('button', { name: 'Confirmar: descartar 4 alertas' }).click();
    await page.getByRole('status').filter({ hasText: '4 alertas revisadas: descartada' }).waitFor();

    const source = await call('GET', `/v1/flags/${flagged.flags[0]?.id}`);
    expect(source).toMatchObject({ status: 'dismissed', reviewReason: reason });
    const copyNow = await call('GET', `/v1/flags/${merged.flags[0]?.id}`);
    expect(copyNow).toMatchObject({ status: 'dismissed', reviewReason: reason });
    // The provenance's origins ringed on the map, where the merged lot is no longer at risk.
    await page.getByRole('button', { name: 'Ver los orígenes en el mapa' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Resaltando la procedencia del lote ${flagged.code}` })
      .waitFor();
    expect(await page.getByRole('tab', { name: 'Mapa' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('path.provenance-marker').count()).toBeGreaterThanOrEqual(1);
    await expect.poll(() => fillOf(page, merged.id)).toBe(riskColours.none);
    expect(errors).toEqual([]);
  });

  it('keyboard only: reaches the flag queue and acknowledges a flag with Tab, typing and Enter', async () => {
    const { page, errors } = await console1280();
    await page.getByRole('heading', { name: 'Mapa de riesgo' }).waitFor();
    const tabTo = async (selector: string, max = 120) => {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      }
      throw new Error(`${selector} not reached with Tab`);
    };
    await tabTo('#tab-flags');
    // Focus is visible.
    expect(
      await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle),
    ).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Cola de alertas' }).waitFor();
    const flagId = other.flags[0]?.id as string;
    const card = `[data-flag-id="${flagId}"]`;
    await page.locator(card).waitFor();
    await screenshot(page, 'regulator-flags');
    expect(await accessibilityViolations(page), 'regulator-flags').toEqual([]);
    // Open the collapsed card, ask to review it: the focus moves to the one review panel.
    await tabTo(`${card} .flag-details > summary`);
    await page.keyboard.press('Enter');
    await tabTo(`${card} .actions button`);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      `Revisar alerta ${exclusion} de ${other.code}`,
    );
    await page.keyboard.press('Enter');
    await tabTo('#review-reason');
    await page.keyboard.type('Revisado con la autoridad ambiental; se abre expediente');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      `Reconocer alerta ${exclusion} de ${other.code}`,
    );
    await page.keyboard.press('Enter');
    // The preview takes the focus; the confirmation is the next stop.
    await page.locator('#preview-title:focus').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Confirmar: reconocer 1 alerta',
    );
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'reconocida' }).waitFor();
    expect(await call('GET', `/v1/flags/${flagId}`)).toMatchObject({
      status: 'acknowledged',
      reviewReason: 'Revisado con la autoridad ambiental; se abre expediente',
    });
    // The queue shows open flags by default: the acknowledged one has left it.
    await expect.poll(() => page.locator(card).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('escalates a flag with a reason: it stays unresolved, so the lot is still held and its risk stays critical', async () => {
    const lot = await registerLot(t, w, {
      origin: { type: 'Point', coordinates: [-70.099, -12.948] },
      grossWeightG: '300.000',
    });
    const flagId = lot.flags[0]?.id as string;
    expect(lot.flags[0]).toMatchObject({ rule: 'ORIGIN_IN_EXCLUSION_ZONE', status: 'open' });
    const { page, errors } = await console1280();
    await page.getByRole('tab', { name: 'Alertas' }).click();
    await page.getByRole('checkbox', { name: `Seleccionar alerta ${exclusion} de ${lot.code}` }).check();
    await page
      .getByLabel('Motivo de la decisión')
      .fill('Derivado a la Fiscalía Especializada en Materia Ambiental');
    await page.getByRole('button', { name: `Escalar alerta ${exclusion} de ${lot.code}` }).click();
    await page.getByRole('button', { name: 'Confirmar: escalar 1 alerta' }).click();
    await page.getByRole('status').filter({ hasText: 'escalada' }).waitFor();
    expect(await call('GET', `/v1/flags/${flagId}`)).toMatchObject({
      status: 'escalated',
      reviewReason: 'Derivado a la Fiscalía Especializada en Materia Ambiental',
    });
    // An escalated flag is unresolved: the lot keeps its critical risk.
    expect(await call('GET', `/v1/lots/${lot.id}`)).toMatchObject({ riskLevel: 'critical' });
    expect(errors).toEqual([]);
  });

  it('balances per concession and per actor, in tables', async () => {
    const { page, errors } = await console1280();
    await page.getByRole('tab', { name: 'Balances' }).click();
    await page
      .getByLabel('Concesión', { exact: true })
      .selectOption({ label: '07-000123 · Guacamayo I (minera)' });
    await page.getByRole('button', { name: 'Calcular' }).first().click();
    const table = page.locator('table.balance').first();
    await table.getByText('07-000123 · Guacamayo I').waitFor();
    await table.getByRole('rowheader', { name: 'Oro fino declarado' }).waitFor();
    await page.getByLabel('Buscar actor por nombre o RUC').fill('Guacamayo');
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.getByLabel('Actor', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Calcular' }).nth(1).click();
    await page.getByText('Minera Guacamayo SAC (RUC 20600000011) · Producción e insumos').waitFor();
    await page.getByRole('rowheader', { name: 'Mercurio recibido' }).first().waitFor();
    await screenshot(page, 'regulator-balances');
    expect(await accessibilityViolations(page), 'regulator-balances').toEqual([]);
    expect(errors).toEqual([]);
  });

  it('downloads the AML report as CSV, with the flagged lot in it', async () => {
    const { page, errors } = await console1280();
    await page.getByRole('tab', { name: 'Informe LA/FT' }).click();
    await page.getByRole('button', { name: 'Generar informe' }).click();
    const link = page.getByRole('link', { name: /Descargar informe-LAFT-.*\.csv/ });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^informe-LAFT-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    // Spanish headers after the UTF-8 byte order mark that lets Excel read the accents.
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.split('\r\n')[0]).toContain('Nivel de riesgo');
    expect(csv).toContain(flagged.code);
    expect(csv).toContain(other.code);
    expect(csv).not.toContain(clean.code);
    expect(errors).toEqual([]);
  });

  it('shows the ledger head and its verification: verified, and when', async () => {
    const { page, errors } = await console1280();
    await page.getByRole('tab', { name: 'Libro mayor' }).click();
    await page.locator('.verdict[data-verified="true"]').getByText('VERIFICADO').waitFor();
    await page.getByText(/^Comprobado el /).waitFor();
    const size = Number(await page.locator('.tree-size').textContent());
    expect(size).toBeGreaterThan(0);
    await screenshot(page, 'regulator-ledger');
    expect(await accessibilityViolations(page), 'regulator-ledger').toEqual([]);
    expect(errors).toEqual([]);
  });

  it('at 360 px: no horizontal scroll, every section reachable; English on request', async () => {
    const { page, errors } = await openPage(
      chrome.browser,
      `${server.url}/app/regulator/#token=${w.regulatorToken}`,
    );
    await page.getByRole('heading', { name: 'Mapa de riesgo' }).waitFor();
    await page.locator(`path.lot-${clean.id}`).waitFor();
    for (const name of ['Mapa', 'Alertas', 'Lote', 'Balances', 'Informe LA/FT', 'Libro mayor']) {
      await page.getByRole('tab', { name }).click();
      expect(await page.getByRole('tab', { name }).getAttribute('aria-selected')).toBe('true');
      if (name === 'Libro mayor') await page.getByText('VERIFICADO').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(360);
    }
    // The basemap setting takes only an https tile template (none is set: no network needed).
    await page.getByRole('tab', { name: 'Mapa' }).click();
    await page.getByText('Ajustes del mapa').click();
    await page
      .getByLabel('Dirección de teselas del mapa base (opcional)')
      .fill('http://tiles.example/{z}/{x}/{y}.png');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByRole('alert').filter({ hasText: 'debe empezar con https://' }).waitFor();
    expect(await page.locator('.leaflet-tile-pane img').count()).toBe(0);
    // A lot and its provenance graph (which scrolls within its frame).
    await page.getByRole('button', { name: `Abrir el lote ${other.code}` }).click();
    await page.locator(`a.node[data-lot-id="${other.id}"]`).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('tab', { name: 'Flags' }).click();
    await page.getByRole('heading', { name: 'Flag queue' }).waitFor();
    await screenshot(page, 'regulator-360-en');
    expect(await accessibilityViolations(page), 'regulator-360-en').toEqual([]);
    expect(errors).toEqual([]);
  });
});
