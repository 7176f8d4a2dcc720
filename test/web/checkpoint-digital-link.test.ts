import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
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
 * The checkpoint with a GS1 Digital Link (QR_FORMAT=digital-link) pasted or typed where a code
 * goes, at 360 px: verified on the device, with or without signal, and recorded; a link whose
 * identifier names another lot than its signature is refused, and nothing is recorded.
 */
const noServer = /\/(v1|health|\.well-known)(\/|$|\?)/;
const phone = { width: 360, height: 740 };

describe.skipIf(!browserTests)('the checkpoint, a GS1 Digital Link typed or pasted', () => {
  let t: TestContext;
  let w: GoldWorld;
  let server: WebServer;
  let chrome: LaunchedBrowser | undefined;

  beforeAll(async () => {
    t = await testApp({ webAssets: true, qrFormat: 'digital-link' });
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

  const open = async (size = phone) => {
    chrome = await launchBrowser();
    const watched = await openPage(
      chrome.browser,
      `${server.url}/app/checkpoint/#token=${w.mazukoToken}`,
      size,
    );
    await watched.page.getByTestId('checkpoint-name').filter({ hasText: 'PC-MAZUKO' }).waitFor();
    await watched.page.waitForLoadState('networkidle');
    return watched;
  };
  const typeCode = async (page: Page, text: string) => {
    await page.getByLabel('Código del lote o del envío').fill(text);
    await page.getByLabel('Código del lote o del envío').press('Enter');
  };
  const audit = async (page: Page, width = 360) => {
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  };
  const scansOf = async (lotId: string) =>
    rowsOf<{ verdict: string }>(await t.db.execute(sql`SELECT verdict FROM scans WHERE lot_id = ${lotId}`));
  const entriesOf = async (lotId: string) =>
    rowsOf<{ entry: string }>(await t.db.execute(sql`SELECT entry FROM scans WHERE lot_id = ${lotId}`));

  it('a genuine lot’s Digital Link is verified on the device and its scan recorded, offline then synced', async () => {
    const lot = await registerLot(t, w);
    expect(lot.qrUrl).toMatch(/^http:\/\/orotrace\.test\/8004\/9520000AU-\d{4}-\d{6}\?jws=/);
    const { page, context, errors } = await open();
    page.setDefaultTimeout(10_000);
    // No signal: the signature is checked on the device against the keys it keeps.
    await context.setOffline(true);
    await context.route(noServer, (route) => route.abort('internetdisconnected'));
    await page.getByTestId('status').filter({ hasText: 'Sin conexión' }).waitFor();
    await typeCode(page, lot.qrUrl);
    await page.getByTestId('genuine').filter({ hasText: lot.code }).waitFor();
    await screenshot(page, 'checkpoint-digital-link-genuine');
    await audit(page);
    await page.getByRole('button', { name: 'Registrar escaneo' }).click();
    await page.getByTestId('pending').filter({ hasText: 'Pendientes: 1' }).waitFor();
    // Back online, the queued scan goes up with the Digital Link as its token, and the server accepts it.
    await context.unroute(noServer);
    await context.setOffline(false);
    await expect.poll(() => scansOf(lot.id), { timeout: 20_000 }).toEqual([{ verdict: 'pass' }]);
    // The QR's own link: recorded as read from the label, not typed.
    expect(await entriesOf(lot.id)).toEqual([{ entry: 'scanned' }]);
    expect(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });

  it('a Digital Link carrying another lot’s signature is refused, in words, and nothing is recorded', async () => {
    const a = await registerLot(t, w);
    const b = await registerLot(t, w);
    const jwsOfA = new URL(a.qrUrl).searchParams.get('jws');
    const swapped = `http://orotrace.test/8004/9520000${b.code}?jws=${jwsOfA}`;
    const { page, errors } = await open();
    await typeCode(page, swapped);
    const refused = page.locator('.verdict.refused');
    await refused.waitFor();
    const text = await refused.textContent();
    expect(text).toContain('RECHAZADO');
    expect(text).toContain('no auténtico');
    expect(text).not.toContain(a.code);
    await screenshot(page, 'checkpoint-digital-link-refused');
    await audit(page);
    expect(await scansOf(a.id)).toEqual([]);
    expect(await scansOf(b.id)).toEqual([]);
    expect(errors).toEqual([]);
  });

  for (const [name, size] of [
    ['360 px', phone],
    ['a desktop', { width: 1280, height: 800 }],
  ] as const)
    it(`at ${name}: a genuine signature in a Digital Link under a company prefix the ledger does not accept is refused on the device at once, in words, even offline`, async () => {
      const lot = await registerLot(t, w);
      const foreign = lot.qrUrl.replace('/8004/9520000', '/8004/1234567');
      const { page, context, errors } = await open(size);
      page.setDefaultTimeout(10_000);
      // The prefixes came with the keys while online; the check needs no signal.
      await context.setOffline(true);
      await context.route(noServer, (route) => route.abort('internetdisconnected'));
      await page.getByTestId('status').filter({ hasText: 'Sin conexión' }).waitFor();
      await typeCode(page, foreign);
      const refused = page.locator('.verdict.refused');
      await refused.waitFor();
      expect(await refused.getAttribute('data-why')).toBe('prefix');
      const text = await refused.textContent();
      expect(text).toContain('RECHAZADO');
      expect(text).toContain(
        'el enlace GS1 lleva un prefijo de empresa que este registro no emite ni acepta',
      );
      await screenshot(page, `checkpoint-digital-link-foreign-prefix-${size.width}`);
      await audit(page, size.width);
      // Nothing was queued to be refused later at sync.
      await page.getByTestId('pending').filter({ hasText: 'Pendientes: 0' }).waitFor();
      expect(await scansOf(lot.id)).toEqual([]);
      expect(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
    });
});
