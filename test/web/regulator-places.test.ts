/**
 * The regulator console's addresses and what a lot's neighbours show: a clean lot merged with a
 * lot from a protected area. The clean lot's page (#/lots/<id>) borders the flagged merge input in
 * red; the concession's balance counts the open flags on its lots; a lot's URL opened in a fresh
 * browser survives the sign-in; Back returns from a lot to the queue; a lot is found by a
 * fragment of its code typed any way, on the server. At 360 px and on a desktop, with axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

interface ApiLot {
  id: string;
  code: string;
  riskLevel: string;
}

describe.skipIf(!browserTests)('regulator console: addresses, graph borders, balances', () => {
  let t: TestContext;
  let w: GoldWorld;
  let server: WebServer;
  let chrome: LaunchedBrowser;
  let clean: ApiLot;
  let flagged: ApiLot;
  let merged: ApiLot;

  const signedIn = (route: string, width = 1280) =>
    openPage(
      chrome.browser,
      `${server.url}/app/regulator/${route}${route.includes('?') ? '&' : '?'}token=${w.regulatorToken}`,
      {
        width,
        height: 900,
      },
    );

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
    clean = await registerLot(t, w, { origin: { type: 'Point', coordinates: [-70.085, -12.935] } });
    expect(clean.riskLevel).toBe('none');
    flagged = await registerLot(t, w);
    expect(flagged.riskLevel).toBe('critical');
    const m = await t.call('POST', '/v1/lots/merge', {
      token: w.minerToken,
      body: { lotIds: [clean.id, flagged.id] },
    });
    expect(m.status, m.text).toBe(201);
    merged = m.body;
    server = await serveApp(t);
    chrome = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('a clean lot’s graph borders in red the flagged lot it was merged with, and the merged lot', async () => {
    const { page, errors } = await signedIn(`#/lots/${clean.id}`);
    await page.getByRole('heading', { name: new RegExp(clean.code) }).waitFor();
    const other = page.locator(`a.node[data-lot-id="${flagged.id}"]`);
    await other.waitFor();
    // The merge's other input is neither ancestor nor descendant of the clean lot: its flags come
    // with it, and it is drawn flagged.
    expect(await other.getAttribute('class')).toContain('flagged');
    expect(await other.locator('rect').first().getAttribute('stroke')).toBe('#d00000');
    expect(await other.locator('.flag-badge').count()).toBe(1);
    const child = page.locator(`a.node[data-lot-id="${merged.id}"]`);
    expect(await child.getAttribute('class')).toContain('flagged');
    const self = page.locator(`a.node[data-lot-id="${clean.id}"]`);
    expect(await self.getAttribute('class')).not.toContain('flagged');
    expect(await self.locator('rect').first().getAttribute('stroke')).toBe('#333');
    // Each node is a link to its lot's page, which a new tab can open.
    expect(await other.getAttribute('href')).toBe(`#/lots/${flagged.id}`);
    // The producer by name and RUC.
    await page
      .getByText(/\(RUC \d{11}\)/)
      .first()
      .waitFor();
    await screenshot(page, 'regulator-graph-merge-input');
    expect(await accessibilityViolations(page), 'regulator-graph').toEqual([]);
    expect(errors).toEqual([]);
  });

  it('the concession’s balance counts the open flags on its lots, and says so', async () => {
    const { page, errors } = await signedIn('#/balances');
    await page
      .getByLabel('Concesión', { exact: true })
      .selectOption({ label: '07-000123 · Guacamayo I (minera)' });
    await page.getByRole('button', { name: 'Calcular' }).first().click();
    const row = page.getByRole('row', {
      name: /Alertas sin resolver en los lotes declarados de esta concesión/,
    });
    await row.waitFor();
    // The flagged lot's own flag and its copy on the merged lot.
    expect(await row.locator('.flag-total').textContent()).toBe('2');
    await screenshot(page, 'regulator-balance-lot-flags');
    expect(await accessibilityViolations(page), 'regulator-balance').toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a lot’s URL opened in a fresh browser waits through the sign-in and lands on the lot', async () => {
    const { page, errors } = await openPage(
      chrome.browser,
      `${server.url}/app/regulator/#/lots/${flagged.id}`,
    );
    await page.getByRole('heading', { name: 'Ingresar' }).waitFor();
    await page.getByLabel('Credencial de acceso').fill(w.regulatorToken);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.getByRole('heading', { name: new RegExp(flagged.code) }).waitFor();
    expect(await page.evaluate(() => location.hash)).toBe(`#/lots/${flagged.id}`);
    expect(await page.getByRole('tab', { name: 'Lote' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'regulator-lot-360');
    expect(await accessibilityViolations(page), 'regulator-lot-360').toEqual([]);
    expect(errors).toEqual([]);
  });

  it('Back returns from a lot to the queue it was opened from; the old #lot=<id> address still opens the lot', async () => {
    const { page, errors } = await signedIn('#/map', 360);
    await page.getByRole('heading', { name: 'Mapa de riesgo' }).waitFor();
    await page.getByRole('tab', { name: 'Alertas' }).click();
    await page.getByRole('heading', { name: 'Cola de alertas' }).waitFor();
    await page.locator('.flag-group h3').getByRole('link', { name: flagged.code }).click();
    await page.getByRole('heading', { name: new RegExp(flagged.code) }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Cola de alertas' }).waitFor();
    expect(await page.evaluate(() => location.hash)).toBe('#/flags');
    await page.goBack();
    await page.getByRole('heading', { name: 'Mapa de riesgo' }).waitFor();
    await page.goForward();
    await page.getByRole('heading', { name: 'Cola de alertas' }).waitFor();
    await page.evaluate((id) => {
      location.hash = `lot=${id}`;
    }, merged.id);
    await page.getByRole('heading', { name: new RegExp(merged.code) }).waitFor();
    expect(errors).toEqual([]);
  });

  it('finds a lot by a fragment of its code typed without dashes, on the server, and opens it', async () => {
    const { page, errors } = await signedIn('#/lots');
    const typed = merged.code.toLowerCase().replaceAll('-', '').slice(-8); // "26000003"
    await page.getByLabel('Código o identificador del lote').fill(typed);
    const link = page.locator('.lot-found').getByRole('link', { name: merged.code });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`#/lots/${merged.id}`);
    await link.click();
    await page.getByRole('heading', { name: new RegExp(merged.code) }).waitFor();
    // A whole code, typed any way, opens its lot on Enter.
    await page.getByLabel('Código o identificador del lote').fill(clean.code.toLowerCase());
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: new RegExp(clean.code) }).waitFor();
    await page.getByLabel('Código o identificador del lote').fill('AU-1999-999999');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Ningún lote tiene ese código' }).waitFor();
    expect(await accessibilityViolations(page), 'regulator-lot-search').toEqual([]);
    expect(errors).toEqual([]);
  });
});
