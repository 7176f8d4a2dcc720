/**
 * What an exporter is told of a flag before registering, in Chromium: a registration just under
 * the reporting threshold for a producer whose other lots are held by others is warned of as
 * STRUCTURING, with the count of the pattern and how many lots were not shown, and never the
 * codes of those lots (src/domain/screening/evidence-seen.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe.skipIf(!browserTests)('flag evidence an exporter is shown, in Chromium', () => {
  let t: TestContext;
  let w: GoldWorld;
  let server: WebServer;
  let chrome: LaunchedBrowser;
  let minerCodes: string[];
  beforeAll(async () => {
    t = await testApp({ webAssets: true });
    w = await goldWorld(t);
    server = await serveApp(t);
    chrome = await launchBrowser();
    // The miner's own two lots just under the threshold (86 g at 870 ‰: 74.82 g fine).
    minerCodes = [];
    for (let i = 0; i < 2; i++) minerCodes.push((await registerLot(t, w, { grossWeightG: '86.000' })).code);
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it.each([360, 1280])(
    'at %i px, the warning counts the producer’s other lots without naming them',
    async (width) => {
      const { page, errors } = await openPage(
        chrome.browser,
        `${server.url}/app/exporter/#token=${w.exporterToken}`,
        { width },
      );
      await page.getByRole('heading', { name: 'Mis lotes' }).waitFor();
      await page.getByRole('link', { name: 'Registrar lote' }).click();
      await page.getByLabel('Concesión declarada').selectOption({ label: '07-000123 · Guacamayo I' });
      await expect.poll(() => page.getByLabel('Productor').inputValue()).toBe(w.miner.id);
      await page.getByLabel('Latitud').fill('-12,945');
      await page.getByLabel('Longitud').fill('-70,1');
      await page.getByLabel('Fecha de extracción').fill('2026-10-01');
      await page.getByLabel('Peso bruto (g)').fill('86');
      await page.getByLabel('Ley (‰').fill('870');
      await page.getByRole('button', { name: 'Revisar' }).click();
      const warning = page.getByTestId('would-flag');
      await warning.waitFor();
      const warned = ((await warning.textContent()) ?? '').replace(/\u00a0/g, ' ');
      expect(warned).toContain(ruleWords.es.STRUCTURING);
      expect(warned).toContain('Lotes no mostrados (de otros titulares): 2');
      for (const code of minerCodes) expect(warned, code).not.toContain(code);
      expect(await page.content()).not.toMatch(new RegExp(minerCodes.join('|')));
      await screenshot(page, `evidence-seen-warning-${width}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await accessibilityViolations(page)).toEqual([]);
      // Nothing was registered by the review.
      await page.getByRole('button', { name: 'Cancelar' }).click();
      expect(errors).toEqual([]);
      await page.close();
    },
    120_000,
  );
});
