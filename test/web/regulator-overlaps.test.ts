/**
 * The regulator console's overlap cases in Chromium: the queue, a case's page with the map of the
 * two rights and their overlap, and a decision recorded through the form — in Spanish, accessible,
 * on a desktop and at 360 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestContext, testApp } from '../helpers/app.js';
import { box, type GoldWorld, goldWorld } from '../helpers/fixtures.js';
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

describe.skipIf(!browserTests)('regulator console: overlap cases', () => {
  let t: TestContext;
  let w: GoldWorld;
  let server: WebServer;
  let chrome: LaunchedBrowser;
  let caseId: string;

  beforeAll(async () => {
    t = await testApp({ webAssets: true });
    w = await goldWorld(t);
    // A chestnut right filed over a third of Guacamayo I under an exception: one open case.
    const res = await t.call('POST', '/v1/concessions', {
      token: w.admin,
      body: {
        code: 'CAST-0001',
        name: 'Castañal Tres Islas',
        kind: 'chestnut',
        status: 'titled',
        geometry: box(-70.1, -12.95, -70.06, -12.9),
        overlapException: { legalBasis: 'D.S. 014-92-EM art. 9' },
      },
    });
    expect(res.status, res.text).toBe(201);
    const list = await t.call('GET', '/v1/overlaps', { token: w.regulatorToken });
    caseId = list.body.items[0].id;
    server = await serveApp(t);
    chrome = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('on a desktop: the queue lists the open case; its page maps the two rights and the overlap; a coexistence decision resolves it', async () => {
    const { page, errors } = await openPage(
      chrome.browser,
      `${server.url}/app/regulator/#token=${w.regulatorToken}`,
      { width: 1280, height: 900 },
    );
    await page.getByRole('tab', { name: 'Superposiciones' }).click();
    const link = page.getByRole('link', { name: 'Abrir caso CAST-0001 / 07-000123' });
    await link.waitFor();
    expect(await accessibilityViolations(page), 'regulator-overlaps-queue').toEqual([]);
    await link.click();
    await page.getByRole('heading', { name: 'Superposición CAST-0001 / 07-000123' }).waitFor();
    // The map draws the two rights and the overlap as three shapes.
    await page.getByRole('application', { name: 'Mapa de los dos derechos y su superposición' }).waitFor();
    expect(await page.locator('.overlap-map path.leaflet-interactive').count()).toBe(3);
    await screenshot(page, 'regulator-overlap-case');
    expect(await accessibilityViolations(page), 'regulator-overlap-case').toEqual([]);

    await page.getByLabel('Autoridad', { exact: true }).fill('DREMH Madre de Dios');
    await page.getByLabel('Número de resolución', { exact: true }).fill('R.D. 045-2026');
    await page.getByLabel('Fecha de la decisión', { exact: true }).fill('2026-11-20');
    await page.getByRole('button', { name: 'Registrar decisión' }).click();
    await page.getByText('Este caso está cerrado.').waitFor();
    await page
      .getByText('coexistencia acordada — DREMH Madre de Dios, R.D. 045-2026', { exact: false })
      .waitFor();
    const stored = await t.call('GET', `/v1/overlaps/${caseId}`, { token: w.admin });
    expect(stored.body).toMatchObject({
      status: 'resolved',
      decision: { outcome: 'coexistence', resolution: 'R.D. 045-2026', decidedOn: '2026-11-20' },
    });
    expect(errors).toEqual([]);
  });

  it('at 360 px the case page does not scroll sideways and passes the audit', async () => {
    const { page, errors } = await openPage(
      chrome.browser,
      `${server.url}/app/regulator/#token=${w.regulatorToken}`,
    );
    await page.goto(`${server.url}/app/regulator/#/overlaps/${caseId}`);
    await page.getByRole('heading', { name: 'Superposición CAST-0001 / 07-000123' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await accessibilityViolations(page), 'regulator-overlap-case-360').toEqual([]);
    expect(errors).toEqual([]);
  });
});
