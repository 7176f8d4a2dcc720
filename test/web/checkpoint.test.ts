import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { signQr } from '../../src/domain/lots/qr.js';
import { generateJwk } from '../../src/keys/local.js';
import { signingKeyFromJwk } from '../../src/keys/signing.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { insertFlag } from '../helpers/flags.js';
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
 * The checkpoint scanner in Chromium at 360 px, reading real QR codes through the fake camera
 * (jsQR: Chromium on Linux has no BarcodeDetector), online and offline.
 */
/** The server's own paths (API, health, keys); the app shell stays with the service worker. */
const noServer = /\/(v1|health|\.well-known)(\/|$|\?)/;

describe.skipIf(!browserTests)('the checkpoint scanner, in a phone-sized Chromium', () => {
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

  const appUrl = () => `${server.url}/app/checkpoint/#token=${w.mazukoToken}`;

  const qrPng = async (lotId: string): Promise<Buffer> => {
    const res = await t.app.request(`/v1/lots/${lotId}/qr.png`, {
      headers: { authorization: `Bearer ${w.regulatorToken}` },
    });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };

  /** Chromium whose camera shows `png`, on the signed-in app, ready (checkpoint and lists loaded). */
  const openWithCamera = async (png: Buffer) => {
    chrome = await launchBrowser({ cameraPng: png });
    const watched = await openPage(chrome.browser, appUrl(), { camera: true });
    await watched.page.getByTestId('checkpoint-name').filter({ hasText: 'PC-MAZUKO' }).waitFor();
    await watched.page.waitForLoadState('networkidle');
    return watched;
  };

  const scanWithCamera = async (page: Page) => {
    await page.getByRole('button', { name: 'Escanear código QR' }).click();
    await page.getByTestId('genuine').waitFor({ timeout: 15_000 });
  };

  const scansOf = async (lotId: string) =>
    rowsOf<{ client_id: string; verdict: string }>(
      await t.db.execute(sql`SELECT client_id, verdict FROM scans WHERE lot_id = ${lotId}`),
    );

  const pendingCount = (page: Page) => page.getByTestId('pending').getAttribute('data-count');

  it('reads a clean lot’s real QR through the camera, verifies it on the device and shows PASA', async () => {
    const lot = await registerLot(t, w);
    const { page, errors } = await openWithCamera(await qrPng(lot.id));
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await screenshot(page, 'checkpoint-home');
    expect(await accessibilityViolations(page)).toEqual([]);
    await scanWithCamera(page);
    await page.getByTestId('genuine').filter({ hasText: lot.code }).waitFor();
    await page.getByLabel('Peso bruto observado en gramos (opcional)').fill('1000,2');
    await page.getByRole('button', { name: 'Registrar escaneo' }).click();
    const verdict = page.locator('.verdict.pass');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-mode')).toBe('online');
    expect(await verdict.textContent()).toContain('PASA');
    expect(await page.locator('.summary').textContent()).toContain(lot.code);
    // es-PE: a comma groups thousands, a point marks decimals, no trailing zeros.
    expect(await page.locator('.summary').textContent()).toContain('1,000\u00a0g');
    expect(await page.locator('.summary').textContent()).toContain('1,000.2\u00a0g');
    await screenshot(page, 'checkpoint-pass');
    expect(await accessibilityViolations(page)).toEqual([]);
    const rows = await scansOf(lot.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.verdict).toBe('pass');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(errors).toEqual([]);
  });

  it('shows RETENER, with the reason in plain Spanish, for a lot under a critical flag', async () => {
    const lot = await registerLot(t, w);
    await insertFlag(t.db, { subjectId: lot.id, rule: 'ORIGIN_IN_EXCLUSION_ZONE', severity: 'critical' });
    const { page, errors } = await openWithCamera(await qrPng(lot.id));
    await scanWithCamera(page);
    await page.getByRole('button', { name: 'Registrar escaneo' }).click();
    const verdict = page.locator('.verdict.hold');
    await verdict.waitFor();
    const text = await verdict.textContent();
    expect(text).toContain('RETENER');
    expect(text).toContain('zona de exclusión');
    expect(text).toContain('crítico');
    await screenshot(page, 'checkpoint-hold');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect((await scansOf(lot.id))[0]?.verdict).toBe('hold');
    expect(errors).toEqual([]);
  });

  it('offline: the app reopens from the service worker, the scan queues with a provisional verdict, then reaches the ledger exactly once when the signal returns', async () => {
    const lot = await registerLot(t, w);
    const held = await registerLot(t, w);
    await insertFlag(t.db, { subjectId: held.id, severity: 'high' });
    const { page, context, errors } = await openWithCamera(await qrPng(lot.id));
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    // No signal: the browser's offline mode, and every request to the server unanswered besides
    // (Chromium does not keep the offline emulation across a reload, so a reloaded page would
    // otherwise reach the server; a device behind a dead uplink sees exactly this).
    await context.setOffline(true);
    await context.route(noServer, (route) => route.abort('internetdisconnected'));
    await page.reload();
    await page.getByTestId('checkpoint-name').filter({ hasText: 'PC-MAZUKO' }).waitFor();
    await page.getByTestId('status').filter({ hasText: 'Sin conexión' }).waitFor();

    await scanWithCamera(page);
    await page.getByRole('button', { name: 'Registrar escaneo' }).click();
    const verdict = page.locator('.verdict.pass');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-mode')).toBe('offline');
    const text = await verdict.textContent();
    expect(text).toContain('PROVISIONAL');
    expect(text).toContain('Firma del código verificada en el equipo');
    expect(text).toContain('No figura en la lista de retención');
    expect(text).toContain('Lista de retención actualizada hace');
    await page.getByTestId('pending').filter({ hasText: 'Pendientes: 1' }).waitFor();
    await screenshot(page, 'checkpoint-offline-queued');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const clientId = await page.locator('.queue li').first().getAttribute('data-client-id');
    expect(clientId).toBeTruthy();
    expect(await scansOf(lot.id)).toHaveLength(0);

    // The flagged lot, typed by hand offline: held from the watchlist kept on the device.
    await page.getByRole('button', { name: 'Escanear otro' }).click();
    await page.getByLabel('Código del lote o del envío').fill(held.qrUrl);
    await page.getByRole('button', { name: 'Verificar' }).click();
    await page.getByRole('button', { name: 'Registrar escaneo' }).click();
    const hold = page.locator('.verdict.hold');
    await hold.waitFor();
    expect(await hold.textContent()).toContain('Figura en la lista de retención');
    await page.getByTestId('pending').filter({ hasText: 'Pendientes: 2' }).waitFor();
    await screenshot(page, 'checkpoint-offline-hold');
    expect(await accessibilityViolations(page)).toEqual([]);

    await context.unroute(noServer);
    await context.setOffline(false);
    await page.getByTestId('pending').filter({ hasText: 'Pendientes: 0' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('last-sync').filter({ hasText: 'aplicados 2' }).waitFor();
    await screenshot(page, 'checkpoint-synced');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Sent again by hand (a device whose answer was lost on the way): still applied once.
    await page.getByRole('button', { name: 'Sincronizar' }).click();
    const resent = await t.call('POST', '/v1/sync', {
      token: w.mazukoToken,
      body: {
        records: [
          {
            kind: 'scan',
            token: lot.qrUrl,
            checkpointId: w.mazuko.id,
            occurredAt: new Date().toISOString(),
            clientId,
          },
        ],
      },
    });
    expect(resent.body.results[0].status).toBe('duplicate');

    const rows = await scansOf(lot.id);
    expect(rows).toEqual([{ client_id: clientId, verdict: 'pass' }]);
    const events = rowsOf<{ n: number }>(
      await t.db.execute(
        sql`SELECT count(*)::int AS n FROM events WHERE type = 'lot.scanned' AND subject_id = ${lot.id}`,
      ),
    );
    expect(events[0]?.n).toBe(1);
    expect((await scansOf(held.id))[0]?.verdict).toBe('hold');
    expect(await pendingCount(page)).toBe('0');
    // The requests the outage refused are the test's doing; the app itself logs no error.
    expect(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });

  it('refuses a QR signed with another key, offline, and records nothing', async () => {
    const lot = await registerLot(t, w);
    const forger = await signingKeyFromJwk(await generateJwk('forger'));
    const forged = await signQr(forger, { kind: 'lot', id: lot.id, code: lot.code });
    const png = await QRCode.toBuffer(`http://orotrace.test/v/${forged}`, {
      errorCorrectionLevel: 'M',
      margin: 2,
      scale: 8,
    });
    const { page, context, errors } = await openWithCamera(png);
    await context.setOffline(true);
    await page.getByTestId('status').filter({ hasText: 'Sin conexión' }).waitFor();
    await page.getByRole('button', { name: 'Escanear código QR' }).click();
    const refused = page.locator('.verdict.refused');
    await refused.waitFor({ timeout: 15_000 });
    const text = await refused.textContent();
    expect(text).toContain('RECHAZADO');
    expect(text).toContain('no auténtico');
    await screenshot(page, 'checkpoint-refused');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await pendingCount(page)).toBe('0');

    // A truncated code typed by hand is refused as well.
    await page.getByRole('button', { name: 'Escanear otro' }).click();
    await page.getByLabel('Código del lote o del envío').fill(lot.qrUrl.slice(0, -20));
    await page.getByRole('button', { name: 'Verificar' }).click();
    await refused.filter({ hasText: 'no auténtico' }).waitFor();
    expect(await pendingCount(page)).toBe('0');
    expect(
      await page.evaluate(async () => {
        const req = indexedDB.open('orotrace-checkpoint');
        const db = await new Promise<IDBDatabase>((ok) => {
          req.onsuccess = () => ok(req.result);
        });
        const count = db.transaction('queue').objectStore('queue').count();
        return new Promise<number>((ok) => {
          count.onsuccess = () => ok(count.result);
        });
      }),
    ).toBe(0);
    await context.setOffline(false);
    expect(await scansOf(lot.id)).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it('inspects a consignment of mercury: shows it, records the observed quantity and outcome, and shows the verdict', async () => {
    const list = await t.call('GET', '/v1/movements?limit=10', { token: w.regulatorToken });
    const mercury = list.body.items.find((m: { input: string }) => m.input === 'mercury');
    chrome = await launchBrowser();
    const { page, errors } = await openPage(chrome.browser, appUrl());
    await page.getByTestId('checkpoint-name').filter({ hasText: 'PC-MAZUKO' }).waitFor();
    await page.getByLabel('Código del lote o del envío').fill(mercury.qrUrl);
    await page.getByRole('button', { name: 'Verificar' }).click();
    await page.getByTestId('genuine').filter({ hasText: mercury.code }).waitFor();
    await page.locator('.summary').filter({ hasText: '20\u00a0kg' }).waitFor();
    await page.getByLabel('Cantidad observada, en kilogramos (kg)').fill('19,95');
    await page.getByLabel('Conforme').check();
    await page.getByLabel('Observaciones (opcional)').fill('Precintos intactos');
    await screenshot(page, 'checkpoint-inspection');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Registrar inspección' }).click();
    await page.locator('.verdict.pass').waitFor();
    await screenshot(page, 'checkpoint-inspection-pass');
    expect(await accessibilityViolations(page)).toEqual([]);
    // English on request, the verdict included.
    await page.getByLabel('Idioma').selectOption('en');
    await page.locator('.verdict.pass').filter({ hasText: 'PASS' }).waitFor();
    await page.getByRole('button', { name: 'Scan another' }).waitFor();
    // The keyboard alone: the typed code is verified with Enter.
    await page.getByRole('button', { name: 'Scan another' }).click();
    await page.getByLabel('Lot or consignment code').fill(mercury.qrUrl);
    await page.getByLabel('Lot or consignment code').press('Enter');
    await page.getByTestId('genuine').filter({ hasText: 'Genuine code' }).waitFor();
    await page.getByLabel('Observed quantity, in kilograms (kg)').waitFor();
    await page.getByLabel('Language').selectOption('es');
    const rows = rowsOf<{ observed_quantity: string; outcome: string; notes: string; verdict: string }>(
      await t.db.execute(
        sql`SELECT observed_quantity, outcome, notes, verdict FROM inspections WHERE movement_id = ${mercury.id}`,
      ),
    );
    expect(rows).toEqual([
      { observed_quantity: '19.950', outcome: 'passed', notes: 'Precintos intactos', verdict: 'pass' },
    ]);
    expect(errors).toEqual([]);
  });

  it('an inspection made offline is weighed against the declared quantity the device kept, queued, and synced once', async () => {
    const list = await t.call('GET', '/v1/movements?limit=10', { token: w.regulatorToken });
    const diesel = list.body.items.find((m: { input: string }) => m.input === 'diesel');
    chrome = await launchBrowser();
    const { page, context, errors } = await openPage(chrome.browser, appUrl());
    await page.getByTestId('checkpoint-name').filter({ hasText: 'PC-MAZUKO' }).waitFor();
    await page.waitForLoadState('networkidle');
    await context.setOffline(true);
    await page.getByTestId('status').filter({ hasText: 'Sin conexión' }).waitFor();
    await page.getByLabel('Código del lote o del envío').fill(diesel.qrUrl);
    await page.getByLabel('Código del lote o del envío').press('Enter');
    // What the watchlist kept of it: the declared 20000 L.
    await page.locator('.summary').filter({ hasText: '20,000\u00a0L' }).waitFor();
    await page.getByLabel('Cantidad observada, en litros (L)').fill('18500');
    await page.getByLabel('Con diferencias').check();
    await page.getByRole('button', { name: 'Registrar inspección' }).click();
    const hold = page.locator('.verdict.hold');
    await hold.waitFor();
    const text = await hold.textContent();
    expect(text).toContain('PROVISIONAL');
    expect(text).toContain('Con diferencias');
    expect(text).toContain('Observado 18,500\u00a0L, declarado 20,000\u00a0L');
    await page.getByTestId('pending').filter({ hasText: 'Pendientes: 1' }).waitFor();
    await screenshot(page, 'checkpoint-inspection-offline');
    expect(await accessibilityViolations(page)).toEqual([]);

    await context.setOffline(false);
    await page.getByTestId('pending').filter({ hasText: 'Pendientes: 0' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('last-sync').filter({ hasText: 'Inspección' }).waitFor();
    const rows = rowsOf<{ outcome: string; verdict: string }>(
      await t.db.execute(sql`SELECT outcome, verdict FROM inspections WHERE movement_id = ${diesel.id}`),
    );
    expect(rows).toEqual([{ outcome: 'discrepancy', verdict: 'hold' }]);
    expect(errors).toEqual([]);
  });

  it('a record the server refuses stays on the device with the server’s reason until the officer discards it', async () => {
    const lot = await registerLot(t, w);
    chrome = await launchBrowser();
    const { page, context, errors } = await openPage(chrome.browser, appUrl());
    await page.getByTestId('checkpoint-name').filter({ hasText: 'PC-MAZUKO' }).waitFor();
    await page.waitForLoadState('networkidle');
    // A phone whose clock runs 20 minutes fast records a time the server will not accept.
    await page.clock.setSystemTime(new Date(Date.now() + 20 * 60_000));
    await context.setOffline(true);
    await page.getByTestId('status').filter({ hasText: 'Sin conexión' }).waitFor();
    await page.getByLabel('Código del lote o del envío').fill(lot.qrUrl);
    await page.getByLabel('Código del lote o del envío').press('Enter');
    await page.getByRole('button', { name: 'Registrar escaneo' }).click();
    await page.locator('.verdict.pass').waitFor();
    await context.setOffline(false);
    await page.getByTestId('last-sync').filter({ hasText: 'rechazados 1' }).waitFor({ timeout: 15_000 });
    const kept = page.locator('.queue li').filter({ hasText: lot.code });
    // The server's problem worded by its type, the field in the officer's words.
    await kept.filter({ hasText: 'la hora del equipo' }).waitFor();
    expect(await pendingCount(page)).toBe('1');
    await screenshot(page, 'checkpoint-sync-rejected');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await scansOf(lot.id)).toHaveLength(0);

    page.once('dialog', (d) => void d.accept());
    await kept.getByRole('button', { name: `Descartar el registro de ${lot.code}` }).click();
    await page.getByTestId('pending').filter({ hasText: 'Pendientes: 0' }).waitFor();
    expect(errors).toEqual([]);
  });
});
