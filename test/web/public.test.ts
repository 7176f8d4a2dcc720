/**
 * The server's own pages for people, in Chromium at 360 px and on a desktop, with the axe
 * audit: the public /v/ page a buyer opens from a QR code, and the API's /docs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';
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

const sizes = [
  { name: 'phone', width: 360, height: 740 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

const jwsOf = (qrUrl: string) => qrUrl.split('/v/')[1] as string;

describe.skipIf(!browserTests)('the public pages in Chromium, at 360 px and on a desktop', () => {
  let t: TestContext;
  let w: GoldWorld;
  let server: WebServer;
  let chrome: LaunchedBrowser;
  const world = worldPerFile(goldWorld);
  beforeAll(async () => {
    ({ t, w } = await world());
    server = await serveApp(t);
    chrome = await launchBrowser();
  });
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  let cases: { token: string; heading: string }[] = [];
  beforeAll(async () => {
    const clean = await registerLot(t, w);
    const zone = await t.call('POST', '/v1/zones', {
      token: w.admin,
      body: {
        name: 'Reserva de prueba',
        kind: 'protected_area',
        legalBasis: 'D.S. 048-2000-AG',
        validFrom: '2000-09-04',
        // A corner of the concession, away from the clean lot's origin (a new zone re-screens lots).
        geometry: box(-70.12, -12.96, -70.11, -12.95),
      },
    });
    expect(zone.status, zone.text).toBe(201);
    const tainted = await registerLot(t, w, { origin: { type: 'Point', coordinates: [-70.115, -12.955] } });
    const [h, , s] = jwsOf(clean.qrUrl).split('.') as [string, string, string];
    const forged = `${h}.${Buffer.from('{"t":"lot","i":"x","c":"AU-1"}').toString('base64url')}.${s}`;
    cases = [
      { token: jwsOf(clean.qrUrl), heading: 'Código auténtico: lote sin alertas' },
      { token: jwsOf(tainted.qrUrl), heading: 'No compre este oro' },
      { token: forged, heading: 'Código falso o alterado' },
    ];
  });

  it.each(sizes)(
    '/v/ at $width px: a clean lot, a lot from a protected area and a forged code, each readable, switching language, without axe violations',
    async (size) => {
      for (const c of cases) {
        const { page, context, errors } = await openPage(chrome.browser, `${server.url}/v/${c.token}`, size);
        await page.getByRole('heading', { level: 2, name: c.heading }).waitFor();
        expect(await page.getAttribute('html', 'lang')).toBe('es');
        expect(await page.getByRole('main').count()).toBe(1);
        expect(await page.getByRole('banner').count()).toBe(1);
        expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
        expect(await accessibilityViolations(page), `${size.name} ${c.heading}`).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          size.width,
        );
        await screenshot(page, `public-v-${size.width}-${cases.indexOf(c)}`);
        // The language switch is a link: English, then back to Spanish.
        await page.getByRole('link', { name: 'English' }).click();
        await page.waitForURL(/\?lang=en$/);
        expect(await page.getAttribute('html', 'lang')).toBe('en');
        expect(await accessibilityViolations(page), `${size.name} ${c.heading} (en)`).toEqual([]);
        await page.getByRole('link', { name: 'Español' }).click();
        await page.getByRole('heading', { level: 2, name: c.heading }).waitFor();
        expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
        await context.close();
      }
    },
    120_000,
  );

  it.each(sizes)(
    '/docs at $width px: no sideways scrolling of the page, index and code usable, without axe violations',
    async (size) => {
      const { page, context, errors } = await openPage(chrome.browser, `${server.url}/docs`, size);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.getByRole('main').count()).toBe(1);
      expect(await page.getByRole('navigation', { name: 'Operations' }).count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      // The content column is the page's width on a phone, not a sliver beside the index.
      const mainWidth = await page.evaluate(
        () => document.querySelector('main')?.getBoundingClientRect().width ?? 0,
      );
      expect(mainWidth).toBeGreaterThan(size.width < 600 ? 340 : 700);
      await page.getByRole('heading', { name: 'Getting a token' }).waitFor();
      // The index opens by tag and jumps to an operation, whose curl example scrolls in its own box.
      await page.locator('nav summary').first().click();
      const first = page.locator('nav li a').first();
      await first.click();
      const example = page.locator('pre[aria-label^="curl example of"]').first();
      expect(await example.evaluate((e) => getComputedStyle(e).overflowX)).toBe('auto');
      expect(await accessibilityViolations(page), size.name).toEqual([]);
      await screenshot(page, `docs-${size.width}`);
      expect(errors).toEqual([]);
      await context.close();
    },
    180_000,
  );
});
