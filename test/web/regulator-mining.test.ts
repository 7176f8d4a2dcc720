/**
 * The regulator console's "detected mining" section in Chromium, over the real Amazon Mining
 * Watch layer and INEI districts: the table per district, in Spanish, accessible, and readable
 * at 360 px without scrolling the page sideways (the table scrolls within its frame).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageOf, importDetections, importDistricts } from '../../src/domain/reference/detections.js';
import { readFeatureCollection } from '../../src/domain/reference/import.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { type GoldWorld, goldWorld } from '../helpers/fixtures.js';
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

const data = (name: string) => JSON.parse(readFileSync(resolve('..', 'shared', 'data', name), 'utf8'));

describe.skipIf(!browserTests)('regulator console: detected mining per district', () => {
  let t: TestContext;
  let w: GoldWorld;
  let server: WebServer;
  let chrome: LaunchedBrowser;

  beforeAll(async () => {
    t = await testApp({ webAssets: true });
    w = await goldWorld(t);
    await importDistricts(
      t.db,
      'distritos',
      readFeatureCollection(data('peru-madre-de-dios-distritos.geojson')),
    );
    await importDetections(
      t.db,
      'amw',
      readFeatureCollection(data('amw-mining-detections-madre-de-dios.geojson')),
      {
        source: 'amw',
        name: 'Amazon Mining Watch',
        attribution: 'Earth Genome / Amazon Mining Watch, CC BY 4.0',
        kind: 'footprint',
        coverage: coverageOf(data('peru-madre-de-dios-departamento.geojson'), 'departamento'),
      },
    );
    server = await serveApp(t);
    chrome = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('shows the table of mined hectares, inside and outside concessions, per district', async () => {
    const { page, errors } = await openPage(
      chrome.browser,
      `${server.url}/app/regulator/#token=${w.regulatorToken}`,
      {
        width: 1280,
        height: 900,
      },
    );
    await page.getByRole('tab', { name: 'Minería detectada' }).click();
    await page.getByLabel('Desde').fill('2019-01-01');
    await page.getByLabel('Hasta').fill('2023-12-31');
    await page.getByRole('button', { name: 'Mostrar' }).click();
    const table = page.locator('table.balance');
    await table.getByRole('rowheader', { name: 'HUEPETUHE (MANU)' }).waitFor();
    await table.getByRole('columnheader', { name: 'Fuera de concesiones (ha)' }).waitFor();
    await table.getByRole('rowheader', { name: 'Total' }).waitFor();
    await screenshot(page, 'regulator-mining');
    expect(await accessibilityViolations(page), 'regulator-mining').toEqual([]);
    expect(errors).toEqual([]);
  });

  it('at 360 px the page does not scroll sideways', async () => {
    const { page, errors } = await openPage(
      chrome.browser,
      `${server.url}/app/regulator/#token=${w.regulatorToken}`,
    );
    await page.getByRole('tab', { name: 'Minería detectada' }).click();
    await page.getByRole('button', { name: 'Mostrar' }).click();
    await page.locator('table.balance').getByRole('rowheader', { name: 'Total' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(errors).toEqual([]);
  });
});
