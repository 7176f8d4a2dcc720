import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

/**
 * What an auditor sees of the checks made at a checkpoint, at 360 px and on a desktop: a lot's
 * events tell a check whose code was typed from one whose QR was read, in words.
 */
describe.skipIf(!browserTests)('checkpoint checks in a lot’s events', () => {
  let t: TestContext;
  let w: GoldWorld;
  let server: WebServer;
  let chrome: LaunchedBrowser | undefined;

  beforeAll(async () => {
    t = await testApp({ webAssets: true });
    w = await goldWorld(t);
    server = await serveApp(t);
  });
  afterEach(async () => {
    await chrome?.close();
    chrome = undefined;
  });
  afterAll(async () => {
    await server?.close();
  });

  const scan = async (token: string, entry: 'scanned' | 'typed') => {
    const res = await t.call('POST', '/v1/scans', {
      token: w.mazukoToken,
      body: {
        token,
        entry,
        checkpointId: w.mazuko.id,
        occurredAt: new Date().toISOString(),
        clientId: randomUUID(),
      },
    });
    expect(res.status, res.text).toBe(201);
  };

  for (const [name, size] of [
    ['360 px', { width: 360, height: 740 }],
    ['a desktop', { width: 1280, height: 800 }],
  ] as const)
    it(`at ${name}: a scan whose code was typed says so; one whose QR was read does not`, async () => {
      const lot = await registerLot(t, w);
      await scan(lot.qrUrl, 'scanned');
      await scan(lot.qrUrl, 'typed');
      chrome = await launchBrowser();
      const { page, errors } = await openPage(
        chrome.browser,
        `${server.url}/app/regulator/#/lots/${lot.id}?token=${w.regulatorToken}`,
        size,
      );
      const scans = page.locator('.event-list li').filter({ hasText: 'Escaneado en un puesto de control' });
      await expect.poll(() => scans.count(), { timeout: 20_000 }).toBe(2);
      const texts = await scans.allTextContents();
      expect(texts.filter((s) => s.includes('código escrito, etiqueta no leída'))).toHaveLength(1);
      await screenshot(page, `checkpoint-audit-events-${size.width}`);
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      expect(errors).toEqual([]);
    });
});
