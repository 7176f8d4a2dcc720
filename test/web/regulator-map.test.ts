/**
 * The regulator's risk map in Chromium over the Madre de Dios demo (real protected areas and
 * buffer zone, invented concessions and lots): it opens on the concessions and lots, not on the
 * whole region; the districts, towns and the Interoceanic highway are drawn and named in the
 * legend with no basemap and no request to anywhere but the app; dense lot origins are clustered,
 * a cluster is a button that says what it holds and parts when activated; at 360 px and on a
 * desktop, with the axe audit.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/madre-de-dios.js';
import type { DemoCase } from '../../src/demo/scenario.js';
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

/** Kilometres of the scale bar (Leaflet writes "10 km" or "500 m"). */
async function scaleKm(page: Page): Promise<number> {
  const text = (await page.locator('.leaflet-control-scale-line').first().textContent()) ?? '';
  const [, n, unit] = /([\d.]+)\s*(km|m)/.exec(text) ?? [];
  return Number(n) / (unit === 'm' ? 1000 : 1);
}

/** What the map draws for lots: single markers, and clusters with the count they hold. */
async function lotMarkers(page: Page) {
  return page.evaluate(() => {
    const map = document.querySelector('.risk-map')?.getBoundingClientRect();
    const inside = (el: Element) => {
      const r = el.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      return !!map && x >= map.left && x <= map.right && y >= map.top && y <= map.bottom;
    };
    const singles = [...document.querySelectorAll('.risk-map path.lot-marker')];
    const clusters = [...document.querySelectorAll('.risk-map .map-cluster')];
    return {
      singles: singles.length,
      clusters: clusters.length,
      clustered: clusters.reduce((n, c) => n + Number(c.querySelector('.disc')?.textContent), 0),
      outside: [...singles, ...clusters].filter((el) => !inside(el)).length,
    };
  });
}

describe.skipIf(!browserTests)('regulator console: the risk map over the Madre de Dios demo', () => {
  let t: TestContext;
  let cases: DemoCase[];
  let token: string;
  let server: WebServer;
  let chrome: LaunchedBrowser;
  /** Lots the map shows by default: every lot but the consumed one (the split reserve lot). */
  let shown: number;

  beforeAll(async () => {
    t = await testApp({ webAssets: true });
    ({ cases } = await loadDemo(t.db, undefined, { ledgerKey: t.ledgerKey, baseUrl: 'http://demo' }));
    token = await t.token('regulator');
    const lots = await t.call('GET', '/v1/lots?limit=200', { token });
    shown = lots.body.items.filter((l: { status: string }) => l.status !== 'consumed').length;
    server = await serveApp(t);
    chrome = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  const openMap = async (width: number, height: number) => {
    const watched = await openPage(chrome.browser, `${server.url}/app/regulator/#token=${token}`, {
      width,
      height,
    });
    const requests: string[] = [];
    watched.page.on('request', (r) => requests.push(r.url()));
    await watched.page.getByRole('heading', { name: 'Mapa de riesgo' }).waitFor();
    await watched.page
      .getByRole('button', { name: /^Abrir el lote / })
      .first()
      .waitFor();
    // The opening view is set once both the lots and the zones are in: the 7 zones, 8 concessions.
    await expect.poll(() => watched.page.locator('.risk-map path.zone').count()).toBe(7);
    await expect.poll(() => watched.page.locator('.risk-map path.concession').count()).toBe(8);
    await watched.page.locator('.risk-map .map-cluster').first().waitFor();
    return { ...watched, requests };
  };

  it('on a desktop: opens on the lots with the districts, towns and highway drawn and in the legend, dense lots clustered', async () => {
    const { page, errors, requests } = await openMap(1280, 900);
    expect(await page.getByRole('button', { name: /^Abrir el lote / }).count()).toBe(shown);

    // Fitted to the data: every lot is in view, at a scale of kilometres, not of the whole region.
    const drawn = await lotMarkers(page);
    expect(drawn.outside).toBe(0);
    expect(drawn.singles + drawn.clustered).toBe(shown);
    expect(await scaleKm(page)).toBeLessThanOrEqual(20);

    // Dense origins (the lots of Huaypetue Norte) are clustered: fewer markers than lots.
    expect(drawn.clusters).toBeGreaterThan(0);
    expect(drawn.singles + drawn.clusters).toBeLessThan(shown);

    // Reference layers with their names, and their legend entries (approximate ones say so).
    const districts = await page.locator('.district-label').allTextContents();
    expect(districts).toEqual(
      expect.arrayContaining(['Inambari', 'Tambopata', 'Madre de Dios', 'Huepetuhe']),
    );
    expect(districts).toHaveLength(11);
    expect(await page.locator('.town-label').allTextContents()).toEqual(
      expect.arrayContaining(['Puerto Maldonado', 'Mazuko', 'Huepetuhe', 'Iñapari']),
    );
    expect(await page.locator('path.highway-line').count()).toBe(1);
    await page.getByText('Un disco con un número agrupa lotes cercanos', { exact: false }).waitFor();
    const legend = page.locator('section.legend');
    await legend.getByRole('heading', { name: 'Referencia' }).waitFor();
    for (const entry of [
      'Distritos',
      'Ciudades (ubicación aproximada)',
      'Carretera Interoceánica (trazo aproximado)',
    ])
      await legend.getByText(entry, { exact: true }).waitFor();
    await page.getByRole('checkbox', { name: 'Distritos' }).waitFor();

    await screenshot(page, 'regulator-map-demo');
    expect(await accessibilityViolations(page), 'regulator-map-demo').toEqual([]);

    // A cluster is a button that says what it holds; Enter zooms in until its lots part.
    // The largest cluster: the lots around Huaypetue Norte, at distinct points.
    const counts = await page
      .locator('.risk-map .map-cluster .disc')
      .evaluateAll((discs) => discs.map((d) => Number(d.textContent)));
    const cluster = page.locator('.risk-map .map-cluster').nth(counts.indexOf(Math.max(...counts)));
    expect(await cluster.getAttribute('role')).toBe('button');
    const name = (await cluster.textContent()) ?? '';
    expect(name).toMatch(/AU-\d{4}-\d{6}/);
    const before = await lotMarkers(page);
    await cluster.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await lotMarkers(page)).singles).toBeGreaterThan(before.singles);

    // No basemap is configured: no tile is drawn, nothing is asked of any other host.
    expect(await page.locator('.leaflet-tile').count()).toBe(0);
    expect(requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('the two parts of the reserve lot share one origin: their cluster lists them, and a part opens from the list', async () => {
    const { page, errors } = await openMap(1280, 900);
    const parts = cases.filter((c) => c.story.startsWith('made from'));
    expect(parts).toHaveLength(2);
    const [a, b] = parts.map((p) => p.code).sort();
    const cluster = page.getByRole('button', { name: new RegExp(`^Grupo de 2 lotes.*${a}, ${b}`) });
    await cluster.click();
    const list = page.locator('.map-cluster-list');
    await list.getByRole('button', { name: `${a} · Crítico` }).waitFor();
    // The list takes the focus, so a keyboard user is in it.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('.map-cluster-list') !== null))
      .toBe(true);
    // Leaflet fades a popup in (0.2 s): contrast is judged once it is fully drawn, not half-faded.
    await expect
      .poll(() =>
        page.evaluate(() => getComputedStyle(document.querySelector('.leaflet-popup') as Element).opacity),
      )
      .toBe('1');
    expect(await accessibilityViolations(page), 'regulator-map-cluster-list').toEqual([]);
    await list.getByRole('button', { name: `${b} · Crítico` }).click();
    await page.getByRole('heading', { name: new RegExp(b ?? '') }).waitFor();
    expect(errors).toEqual([]);
  });

  it('with a tile URL configured on the device, the basemap is drawn from it, under the same layers', async () => {
    const { page, errors } = await openMap(1280, 900);
    const tiles: string[] = [];
    // A one-pixel PNG stands in for the tile server.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
      'base64',
    );
    await page.route('https://tiles.example/**', (route) => {
      tiles.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'image/png', body: png });
    });
    await page.getByText('Ajustes del mapa').click();
    await page
      .getByLabel('Dirección de teselas del mapa base (opcional)')
      .fill('https://tiles.example/{z}/{x}/{y}.png');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await expect.poll(() => tiles.length).toBeGreaterThan(0);
    await page.locator('.leaflet-tile').first().waitFor();
    expect(await page.locator('.district-label').count()).toBe(11);
    // Cleared, the map goes back to drawing no tile.
    await page.getByRole('button', { name: 'Quitar mapa base' }).click();
    await expect.poll(() => page.locator('.leaflet-tile').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('opened on another section, the map is fitted when it is first shown; in English the legend and clusters say it in English', async () => {
    const { page, errors } = await openPage(chrome.browser, `${server.url}/app/regulator/#token=${token}`, {
      width: 1280,
      height: 900,
    });
    await page.getByRole('heading', { name: 'Mapa de riesgo' }).waitFor();
    await page.getByRole('tab', { name: 'Alertas' }).click();
    await page.getByRole('heading', { name: 'Cola de alertas' }).waitFor();
    // Reloaded on the flag queue: the map is made hidden, with no size.
    await page.reload();
    await page.getByRole('heading', { name: 'Cola de alertas' }).waitFor();
    await page.getByRole('tab', { name: 'Mapa' }).click();
    await expect.poll(async () => (await lotMarkers(page)).outside).toBe(0);
    await expect.poll(() => scaleKm(page)).toBeLessThanOrEqual(20);

    await page.getByLabel('Idioma').selectOption('en');
    const legend = page.locator('section.legend');
    await legend.getByRole('heading', { name: 'Reference' }).waitFor();
    await legend.getByText('Interoceanic highway (approximate course)', { exact: true }).waitFor();
    await page
      .getByRole('button', { name: /^Group of \d+ lots, highest risk/ })
      .first()
      .waitFor();
    expect(errors).toEqual([]);
  });

  it('at 360 px: the lots in view, the reference layers named, clusters, no sideways scroll, no axe violation', async () => {
    const { page, errors, requests } = await openMap(360, 740);
    await screenshot(page, 'regulator-map-demo-360');
    const drawn = await lotMarkers(page);
    expect(drawn.outside).toBe(0);
    expect(drawn.singles + drawn.clustered).toBe(shown);
    expect(drawn.singles + drawn.clusters).toBeLessThan(shown);
    expect(await scaleKm(page)).toBeLessThanOrEqual(50);
    // No mark drawn over another: each cluster disc (with its 2 px outer ring) and lot circle can
    // be read and touched.
    const overlapping = await page.evaluate(() => {
      const marks = [
        ...document.querySelectorAll('.risk-map .map-cluster .disc, .risk-map path.lot-marker'),
      ].map((e) => ({ box: e.getBoundingClientRect(), ring: e.classList.contains('disc') ? 2 : 0 }));
      let n = 0;
      for (let i = 0; i < marks.length; i++)
        for (let j = i + 1; j < marks.length; j++) {
          const [a, b] = [marks[i], marks[j]] as [(typeof marks)[number], (typeof marks)[number]];
          const dx = a.box.left + a.box.width / 2 - (b.box.left + b.box.width / 2);
          const dy = a.box.top + a.box.height / 2 - (b.box.top + b.box.height / 2);
          if (Math.hypot(dx, dy) < (a.box.width + b.box.width) / 2 + a.ring + b.ring) n++;
        }
      return n;
    });
    expect(overlapping).toBe(0);
    expect(await page.locator('.district-label').count()).toBe(11);
    await page.locator('section.legend').getByText('Carretera Interoceánica (trazo aproximado)').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await accessibilityViolations(page), 'regulator-map-demo-360').toEqual([]);
    expect(await page.locator('.leaflet-tile').count()).toBe(0);
    expect(requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
