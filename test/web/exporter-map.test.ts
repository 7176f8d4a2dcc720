/**
 * The exporter's registration map over the Madre de Dios demo: it opens on the six mining
 * concessions, not on the whole region at 100 km scale, over the bundled districts, towns and
 * highway, and loads nothing from elsewhere (no basemap configured); at 360 px and on a desktop,
 * with the axe audit.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/madre-de-dios.js';
import { type TestContext, testApp } from '../helpers/app.js';
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

async function scaleKm(page: Page): Promise<number> {
  const text = (await page.locator('.leaflet-control-scale-line').first().textContent()) ?? '';
  const [, n, unit] = /([\d.]+)\s*(km|m)/.exec(text) ?? [];
  return Number(n) / (unit === 'm' ? 1000 : 1);
}

describe.skipIf(!browserTests)('exporter desk: the registration map opens on the concessions', () => {
  let t: TestContext;
  let token: string;
  let server: WebServer;
  let chrome: LaunchedBrowser;

  beforeAll(async () => {
    t = await testApp({ webAssets: true });
    const demo = await loadDemo(t.db, undefined, { ledgerKey: t.ledgerKey, baseUrl: 'http://demo' });
    token = await t.token('exporter', { actor: demo.exporterActorId });
    server = await serveApp(t);
    chrome = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  for (const [width, height, most] of [
    [1280, 900, 20],
    [360, 740, 50],
  ] as const) {
    it(`at ${width} px: every concession in view at a scale of at most ${most} km, then the chosen one`, async () => {
      const { page, errors } = await openPage(chrome.browser, `${server.url}/app/exporter/#token=${token}`, {
        width,
        height,
      });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.getByRole('link', { name: 'Registrar lote' }).click();
      await expect
        .poll(() => page.locator('.map path.leaflet-interactive').count())
        .toBeGreaterThanOrEqual(6);
      await expect.poll(() => scaleKm(page)).toBeLessThanOrEqual(most);
      const outside = await page.evaluate(() => {
        const map = document.querySelector('.map')?.getBoundingClientRect();
        return [...document.querySelectorAll('.map path.leaflet-interactive')].filter((p) => {
          const r = p.getBoundingClientRect();
          return !map || r.right < map.left || r.left > map.right || r.bottom < map.top || r.top > map.bottom;
        }).length;
      });
      expect(outside).toBe(0);
      // With context and no basemap: the districts named, the towns, the highway.
      expect(await page.locator('.map .district-label').count()).toBe(11);
      expect(await page.locator('.map .town-label').allTextContents()).toContain('Huepetuhe');
      expect(await page.locator('.map path.highway-line').count()).toBe(1);
      await screenshot(page, `exporter-register-map-${width}`);
      expect(await accessibilityViolations(page)).toEqual([]);

      // Choosing a concession brings it close.
      await page
        .getByLabel('Concesión declarada')
        .selectOption({ label: '07-DEMO-003 · Huaypetue Norte (demo)' });
      await expect.poll(() => scaleKm(page)).toBeLessThanOrEqual(2);

      expect(await page.locator('.leaflet-tile').count()).toBe(0);
      expect(requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:'))).toEqual([]);
      expect(errors).toEqual([]);
    });
  }
});
