import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestContext, testApp } from '../helpers/app.js';
import { accessibilityViolations } from './axe.js';
import {
  browserTests,
  type LaunchedBrowser,
  launchBrowser,
  openPage,
  serveApp,
  type WebServer,
} from './browser.js';

describe('web apps are served under /app/ with the headers of src/http/asset-headers.ts', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await testApp({ webAssets: true });
  });

  it('serves each app page, its script and the landing page, with a CSP that loads nothing from elsewhere', async () => {
    for (const app of ['checkpoint', 'exporter', 'regulator']) {
      const page = await t.app.request(`/app/${app}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
      expect(await page.text()).toContain('<script type="module" src="app.js">');
      const script = await t.app.request(`/app/${app}/app.js`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toMatch(/javascript/);
    }
    expect((await t.app.request('/app/')).status).toBe(200);
  });

  it('redirects a folder asked for without its slash, and / to the apps', async () => {
    const res = await t.app.request('/app/checkpoint');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/app/checkpoint/');
    expect((await t.app.request('/')).headers.get('location')).toBe('/app/');
  });

  it('answers a missing file under /app/ with a problem, not a page', async () => {
    const res = await t.app.request('/app/checkpoint/nothing-here.js');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('the checkpoint app is an installable PWA: manifest and a service worker that precaches the shell', async () => {
    const manifest = await (await t.app.request('/app/checkpoint/manifest.webmanifest')).json();
    expect(manifest).toMatchObject({ lang: 'es', display: 'standalone', start_url: './' });
    const sw = await (await t.app.request('/app/checkpoint/sw.js')).text();
    expect(sw).toContain('app.js');
    expect(sw).toMatch(/orotrace-checkpoint-[0-9a-f]{16}/);
  });
});

describe.skipIf(!browserTests)(
  'every app opens in Chromium at 360 px, in Spanish, with no console errors',
  () => {
    let t: TestContext;
    let server: WebServer;
    let chrome: LaunchedBrowser;
    beforeAll(async () => {
      t = await testApp({ webAssets: true });
      server = await serveApp(t);
      chrome = await launchBrowser();
    });
    afterAll(async () => {
      await chrome?.close();
      await server?.close();
    });

    it('asks for a token, then refuses one of another role in plain Spanish', async () => {
      const { page, errors } = await openPage(chrome.browser, `${server.url}/app/regulator/`);
      await page.getByRole('heading', { name: 'Ingresar' }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('es');
      await page
        .getByLabel('Credencial de acceso')
        .fill(await t.token('checkpoint', { checkpoint: crypto.randomUUID() }));
      await page.getByRole('button', { name: 'Ingresar' }).click();
      await page.getByRole('alert').filter({ hasText: 'puesto de control' }).waitFor();
      // No page is wider than the phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    });

    it('a link that carries the token in a route signs in and keeps the route, without the token', async () => {
      const token = await t.token('regulator');
      const { page, errors } = await openPage(
        chrome.browser,
        `${server.url}/app/regulator/#/flags?token=${token}`,
      );
      await page.getByRole('button', { name: 'Salir' }).waitFor();
      expect(await page.evaluate(() => location.hash)).toBe('#/flags');
      expect(await page.evaluate(() => location.href)).not.toContain(token);
      expect(errors).toEqual([]);
    });

    it('the accessibility audit is real: an unlabelled input and mid-grey text (AA but not 7:1) are found', async () => {
      const { page } = await openPage(chrome.browser, `${server.url}/app/exporter/`);
      await page.getByRole('heading', { name: 'Ingresar' }).waitFor();
      await page.evaluate(() => {
        const main = document.querySelector('main');
        main?.insertAdjacentHTML('beforeend', '<input type="text"><p style="color:#666">gris</p>');
      });
      const ids = (await accessibilityViolations(page)).map((v) => v.id);
      expect(ids).toContain('label');
      expect(ids).toContain('color-contrast-enhanced');
    });
  },
);
