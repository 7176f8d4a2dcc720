import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
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
 * The checkpoint with the printed code typed by hand (the label's AU-… or the papers' MV-…), at
 * 360 px and on a desktop: looked up online, found on the device offline, refused only when it
 * does not exist; flagged consignments with no outcome chosen; the camera's refusal in words; the
 * top bar's height; "Salir" with records still queued; addresses that survive Back and sign-in.
 */
const noServer = /\/(v1|health|\.well-known)(\/|$|\?)/;
const phone = { width: 360, height: 740 };
const desktop = { width: 1280, height: 800 };

describe.skipIf(!browserTests)('the checkpoint, a code typed from the label', () => {
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

  const open = async (size = phone) => {
    chrome = await launchBrowser();
    const watched = await openPage(chrome.browser, appUrl(), size);
    await watched.page.getByTestId('checkpoint-name').filter({ hasText: 'PC-MAZUKO' }).waitFor();
    await watched.page.waitForLoadState('networkidle');
    return watched;
  };

  const typeCode = async (page: Page, text: string) => {
    await page.getByLabel('Código del lote o del envío').fill(text);
    await page.getByLabel('Código del lote o del envío').press('Enter');
  };

  const audit = async (page: Page, width: number) => {
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  };

  /** The scans recorded of a lot: their verdict, and whether the code was typed or the QR read. */
  const scansOf = async (lotId: string) =>
    rowsOf<{ verdict: string; entry: string }>(
      await t.db.execute(sql`SELECT verdict, entry FROM scans WHERE lot_id = ${lotId} ORDER BY seq`),
    );

  /** "AU-2026-000012" as someone types it in a hurry: "au2026000012". */
  const sloppy = (code: string) => code.toLowerCase().replaceAll('-', '');

  for (const [name, size] of [
    ['360 px', phone],
    ['a desktop', desktop],
  ] as const) {
    it(`at ${name}: a genuine lot's code typed in lowercase without dashes gives an authentic "typed, compare the label" verdict, not RECHAZADO`, async () => {
      const lot = await registerLot(t, w);
      const { page, errors } = await open(size);
      await typeCode(page, sloppy(lot.code));
      const banner = page.getByTestId('genuine');
      await banner.filter({ hasText: lot.code }).waitFor();
      expect(await banner.getAttribute('data-how')).toBe('typed');
      expect(await banner.textContent()).toContain('Código escrito (no escaneado)');
      expect(await banner.textContent()).toContain('Compare la etiqueta');
      // What the label must match: the code, the form and the declared weight, in es-PE.
      const summary = await page.locator('.summary').textContent();
      expect(summary).toContain('doré');
      expect(summary).toContain('1,000\u00a0g');
      expect(page.url()).toContain(`#/lots/${lot.code}`);
      await screenshot(page, `checkpoint-typed-lot-${size.width}`);
      await audit(page, size.width);

      await page.getByLabel('Peso bruto observado en gramos (opcional)').fill('999,5');
      await page.getByRole('button', { name: 'Registrar escaneo' }).click();
      const verdict = page.locator('.verdict.pass');
      await verdict.waitFor();
      expect(await verdict.getAttribute('data-how')).toBe('typed');
      const text = await verdict.textContent();
      expect(text).toContain('PASA');
      expect(text).toContain('CÓDIGO ESCRITO, NO ESCANEADO');
      expect(text).not.toContain('RECHAZADO');
      expect(page.url()).toContain(`#/lots/${lot.code}/verdict`);
      await screenshot(page, `checkpoint-typed-verdict-${size.width}`);
      await audit(page, size.width);
      // English on request, the typed warning included.
      await page.getByLabel('Idioma').selectOption('en');
      await verdict.filter({ hasText: 'CODE TYPED, NOT SCANNED' }).waitFor();
      await page.getByLabel('Language').selectOption('es');
      // Recorded as a scan of the lot's own token, and as typed: an auditor tells it from a QR read.
      expect(await scansOf(lot.id)).toEqual([{ verdict: 'pass', entry: 'typed' }]);
      expect(errors).toEqual([]);
    });
  }

  it('a code typed with the letter O for a zero, with spaces and a newline, finds the lot', async () => {
    const lot = await registerLot(t, w);
    const { page, errors } = await open();
    const [, year, n] = lot.code.split('-') as [string, string, string];
    await typeCode(page, ` au ${year.replaceAll('0', 'O')} ${n.replaceAll('0', 'o')}\n`);
    await page.getByTestId('genuine').filter({ hasText: lot.code }).waitFor();
    expect(page.url()).toContain(`#/lots/${lot.code}`);
    expect(errors).toEqual([]);
  });

  it('an observed weight whose grouping is ambiguous ("1.250": 1250 g or 1,25 g?) is refused with both readings, and nothing is recorded', async () => {
    const lot = await registerLot(t, w);
    const { page, errors } = await open();
    await typeCode(page, lot.code);
    await page.getByTestId('genuine').filter({ hasText: lot.code }).waitFor();
    const weight = page.getByLabel('Peso bruto observado en gramos (opcional)');
    await weight.fill('1.250');
    await page.getByRole('button', { name: 'Registrar escaneo' }).click();
    const problem = page.getByRole('alert').filter({ hasText: '«1.250» puede leerse como 1250 o como 1,25' });
    await problem.waitFor();
    expect(await scansOf(lot.id)).toEqual([]);
    await audit(page, 360);
    // Written unambiguously, it is read as written.
    await weight.fill('1250');
    await page.getByRole('button', { name: 'Registrar escaneo' }).click();
    await page.locator('.verdict').waitFor();
    const [scan] = rowsOf<{ observed: string }>(
      await t.db.execute(
        sql`SELECT observed_gross_weight_g::text AS observed FROM scans WHERE lot_id = ${lot.id}`,
      ),
    );
    expect(scan?.observed).toBe('1250.000');
    expect(errors).toEqual([]);
  });

  it('refuses, in words, a code that does not exist, and one that cannot be a code; records nothing', async () => {
    const { page, errors } = await open();
    await typeCode(page, 'au 2026 999999');
    const refused = page.locator('.verdict.refused');
    await refused.waitFor();
    expect(await refused.getAttribute('data-why')).toBe('notFound');
    const text = await refused.textContent();
    expect(text).toContain('RECHAZADO');
    expect(text).toContain('El código AU-2026-999999 no existe en el registro');
    expect(text).not.toContain('no auténtico');
    await screenshot(page, 'checkpoint-typed-unknown');
    await audit(page, 360);
    await page.getByRole('button', { name: 'Escanear otro' }).click();
    await typeCode(page, 'hola');
    await page.getByRole('alert').filter({ hasText: 'No es un código de lote' }).waitFor();
    expect(await page.locator('.verdict').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('offline, a code the device kept still checks; one it never saw is "not checked", not refused', async () => {
    const lot = await registerLot(t, w);
    const held = await registerLot(t, w);
    await insertFlag(t.db, { subjectId: held.id, severity: 'high' });
    const { page, context, errors } = await open();
    // Looked up once with signal: the device keeps the code, its token and what the label says.
    await typeCode(page, lot.code);
    await page.getByTestId('genuine').filter({ hasText: lot.code }).waitFor();
    await page.getByRole('button', { name: 'Cancelar' }).click();

    await context.setOffline(true);
    await context.route(noServer, (route) => route.abort('internetdisconnected'));
    await page.getByTestId('status').filter({ hasText: 'Sin conexión' }).waitFor();
    const [, year, n] = lot.code.split('-') as [string, string, string];
    await typeCode(page, `AU ${year} ${Number(n)}`);
    await page.getByTestId('genuine').filter({ hasText: lot.code }).waitFor();
    expect(await page.locator('.summary').textContent()).toContain('1,000\u00a0g');
    await page.getByRole('button', { name: 'Registrar escaneo' }).click();
    const verdict = page.locator('.verdict.pass');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-mode')).toBe('offline');
    expect(await verdict.textContent()).toContain('CÓDIGO ESCRITO, NO ESCANEADO');
    expect(await verdict.textContent()).toContain('PROVISIONAL');
    await page.getByTestId('pending').filter({ hasText: 'Pendientes: 1' }).waitFor();
    // The queue says the record was typed, as the registry will record it.
    await page.locator('ul.queue li').filter({ hasText: 'código escrito' }).waitFor();
    await screenshot(page, 'checkpoint-typed-offline');
    await audit(page, 360);

    // A held lot this device never looked up: the watchlist kept its token and why it is held.
    await page.getByRole('button', { name: 'Escanear otro' }).click();
    await typeCode(page, sloppy(held.code));
    await page.getByTestId('genuine').filter({ hasText: held.code }).waitFor();
    // Its high flag is said before anything else, not only in the list of flags.
    expect(await page.getByTestId('severe-flags').textContent()).toContain('ALERTA ALTA');
    await page.getByRole('button', { name: 'Registrar escaneo' }).click();
    const hold = page.locator('.verdict.hold');
    await hold.waitFor();
    expect(await hold.textContent()).toContain('Figura en la lista de retención');
    expect(await hold.textContent()).toContain('zona de exclusión');
    await page.getByTestId('pending').filter({ hasText: 'Pendientes: 2' }).waitFor();

    await page.getByRole('button', { name: 'Escanear otro' }).click();
    await typeCode(page, 'AU-2026-777777');
    const unchecked = page.locator('.verdict.unchecked');
    await unchecked.waitFor();
    expect(await unchecked.textContent()).toContain('SIN VERIFICAR');
    expect(await unchecked.textContent()).not.toContain('RECHAZADO');
    await audit(page, 360);

    await context.unroute(noServer);
    await context.setOffline(false);
    await page.getByTestId('pending').filter({ hasText: 'Pendientes: 0' }).waitFor({ timeout: 15_000 });
    // Queued offline and synced, still recorded as typed.
    expect(await scansOf(lot.id)).toEqual([{ verdict: 'pass', entry: 'typed' }]);
    expect(await scansOf(held.id)).toEqual([{ verdict: 'hold', entry: 'typed' }]);
    expect(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });

  it('on a signal that never answers, a typed code the device kept is checked from the device within seconds, not a spinner', async () => {
    const lot = await registerLot(t, w);
    const { page, context, errors } = await open();
    await typeCode(page, lot.code);
    await page.getByTestId('genuine').filter({ hasText: lot.code }).waitFor();
    await page.getByRole('button', { name: 'Cancelar' }).click();
    // The device believes it is online, but the lookup hangs: the request is never answered.
    await context.route(/\/v1\/lots\?/, () => undefined);
    const started = Date.now();
    await typeCode(page, sloppy(lot.code));
    await page.getByTestId('genuine').filter({ hasText: lot.code }).waitFor({ timeout: 15_000 });
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(await page.getByTestId('genuine').getAttribute('data-how')).toBe('typed');
    expect(await page.locator('.summary').textContent()).toContain('1,000\u00a0g');
    await context.unroute(/\/v1\/lots\?/);
    expect(errors.filter((e) => !/ERR_|aborted|signal timed out|TimeoutError/i.test(e))).toEqual([]);
  });

  it('offline, a consignment bound along this checkpoint’s route is found by its typed code and weighed against what it declared', async () => {
    const list = await t.call('GET', '/v1/movements?input=diesel&limit=10', { token: w.regulatorToken });
    const diesel = list.body.items[0];
    const { page, context, errors } = await open();
    await context.setOffline(true);
    await context.route(noServer, (route) => route.abort('internetdisconnected'));
    await page.getByTestId('status').filter({ hasText: 'Sin conexión' }).waitFor();
    await typeCode(page, sloppy(diesel.code));
    const banner = page.getByTestId('genuine');
    await banner.filter({ hasText: diesel.code }).waitFor();
    expect(await banner.getAttribute('data-how')).toBe('typed');
    await page.locator('.summary').filter({ hasText: '20,000\u00a0L' }).waitFor();
    // A clean consignment starts at "Conforme".
    expect(await page.getByLabel('Conforme').isChecked()).toBe(true);
    await page.getByLabel('Cantidad observada, en litros (L)').fill('19.990,5');
    await page.getByRole('button', { name: 'Registrar inspección' }).click();
    const verdict = page.locator('.verdict.pass');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-mode')).toBe('offline');
    expect(await verdict.textContent()).toContain('CÓDIGO ESCRITO, NO ESCANEADO');
    await page.getByTestId('pending').filter({ hasText: 'Pendientes: 1' }).waitFor();
    await audit(page, 360);
    await context.unroute(noServer);
    await context.setOffline(false);
    await page.getByTestId('pending').filter({ hasText: 'Pendientes: 0' }).waitFor({ timeout: 15_000 });
    const rows = rowsOf<{ observed_quantity: string; outcome: string; entry: string }>(
      await t.db.execute(
        sql`SELECT observed_quantity, outcome, entry FROM inspections WHERE movement_id = ${diesel.id}`,
      ),
    );
    expect(rows).toEqual([{ observed_quantity: '19990.500', outcome: 'passed', entry: 'typed' }]);
    expect(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });

  for (const [name, size] of [
    ['360 px', phone],
    ['a desktop', desktop],
  ] as const) {
    it(`at ${name}: a mercury consignment under a critical flag has no outcome chosen, and shows its flags in words`, async () => {
      const list = await t.call('GET', '/v1/movements?input=mercury&limit=10', { token: w.regulatorToken });
      const mercury = list.body.items[0];
      if (
        !(await t.call('GET', `/v1/flags?subjectId=${mercury.id}`, { token: w.regulatorToken })).body.items
          .length
      )
        await insertFlag(t.db, {
          subjectId: mercury.id,
          subjectType: 'movement',
          rule: 'DESTINATION_IN_EXCLUSION_ZONE',
          severity: 'critical',
        });
      const { page, errors } = await open(size);
      await typeCode(page, sloppy(mercury.code));
      await page.getByTestId('genuine').filter({ hasText: mercury.code }).waitFor();
      // The critical flag is said first, on the first screen, before the code and the papers.
      const severe = page.getByTestId('severe-flags');
      await severe.waitFor();
      expect(await severe.getAttribute('data-severity')).toBe('critical');
      expect(await severe.textContent()).toContain('ALERTA CRÍTICA');
      expect(await severe.textContent()).toContain('retenga la carga');
      const box = await severe.boundingBox();
      const banner = await page.getByTestId('genuine').boundingBox();
      expect((box?.y ?? Number.POSITIVE_INFINITY) + (box?.height ?? 0)).toBeLessThanOrEqual(size.height);
      expect(box?.y ?? 0).toBeLessThan(banner?.y ?? 0);
      const flags = page.getByTestId('open-flags');
      await flags.waitFor();
      const text = await flags.textContent();
      expect(text).toContain('crítico');
      expect(text).toContain('El destino del insumo está en una zona de exclusión');
      for (const outcome of ['Conforme', 'Con diferencias', 'Incautado'])
        expect(await page.getByLabel(outcome).isChecked()).toBe(false);
      await page.getByLabel('Cantidad observada, en kilogramos (kg)').fill('20');
      await page.getByRole('button', { name: 'Registrar inspección' }).click();
      await page.getByRole('alert').filter({ hasText: 'Elija el resultado de la inspección' }).waitFor();
      await screenshot(page, `checkpoint-flagged-inspection-${size.width}`);
      await audit(page, size.width);
      const rows = rowsOf<{ n: number }>(
        await t.db.execute(sql`SELECT count(*)::int AS n FROM inspections WHERE movement_id = ${mercury.id}`),
      );
      expect(rows[0]?.n).toBe(0);
      expect(errors).toEqual([]);
    });
  }

  for (const [name, size] of [
    ['360 px', phone],
    ['a desktop', desktop],
  ] as const)
    it(`at ${name}: a camera permission refused is said in Spanish, with how to allow it again and the typed code instead`, async () => {
      chrome = await launchBrowser();
      const context = await chrome.browser.newContext({ viewport: size, locale: 'es-PE' });
      await context.addInitScript(() => {
        navigator.mediaDevices.getUserMedia = () =>
          Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
      });
      const { page, errors } = await openPage(chrome.browser, appUrl(), { context });
      await page.getByTestId('checkpoint-name').filter({ hasText: 'PC-MAZUKO' }).waitFor();
      await page.getByRole('button', { name: 'Escanear código QR' }).click();
      const problem = page.getByTestId('camera-problem');
      await problem.waitFor();
      const text = await problem.textContent();
      expect(text).toContain('El navegador no dio permiso para usar la cámara');
      expect(text).toContain('Configuración del sitio');
      expect(text).toContain('Permitir');
      expect(text).not.toContain('Permission denied');
      await screenshot(page, `checkpoint-camera-denied-${size.width}`);
      await audit(page, size.width);
      await problem.getByRole('link', { name: /escriba el código impreso/ }).click();
      expect(page.url()).toContain('#/code');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('typed-code');
      expect(errors).toEqual([]);
    });

  for (const [name, size] of [
    ['360 px', phone],
    ['a desktop', desktop],
  ] as const)
    it(`at ${name}: the top bar takes at most 12% of the screen; Salir with a queued record warns how many would stay unsent`, async () => {
      const lot = await registerLot(t, w);
      const { page, context, errors } = await open(size);
      page.setDefaultTimeout(10_000);
      await screenshot(page, `checkpoint-header-${size.width}`);
      const header = await page.locator('header.topbar').boundingBox();
      expect(header?.height).toBeLessThanOrEqual(size.height * 0.12);

      await context.setOffline(true);
      await context.route(noServer, (route) => route.abort('internetdisconnected'));
      await page.getByTestId('status').filter({ hasText: 'Sin conexión' }).waitFor();
      await page.getByLabel('Código del lote o del envío').fill(lot.qrUrl);
      await page.getByLabel('Código del lote o del envío').press('Enter');
      await page.getByRole('button', { name: 'Registrar escaneo' }).click();
      await page.getByTestId('pending').filter({ hasText: 'Pendientes: 1' }).waitFor();

      // The QR's link pasted is a read of the label: the record kept on the device says scanned.
      const kept = await page.evaluate(
        () =>
          new Promise<string[]>((resolve) => {
            const open = indexedDB.open('orotrace-checkpoint');
            open.onsuccess = () => {
              const all = open.result.transaction('queue').objectStore('queue').getAll();
              all.onsuccess = () =>
                resolve(all.result.map((r: { record: { entry: string } }) => r.record.entry));
            };
          }),
      );
      expect(kept).toEqual(['scanned']);

      await page.getByRole('button', { name: 'Salir' }).click();
      const leave = page.getByRole('alertdialog');
      await leave.filter({ hasText: '1 registro(s) quedarían sin enviar en este equipo' }).waitFor();
      await screenshot(page, `checkpoint-leave-warning-${size.width}`);
      await audit(page, size.width);
      await leave.getByRole('button', { name: 'Quedarme' }).click();
      expect(await page.getByRole('alertdialog').count()).toBe(0);
      // The keyboard alone: Escape stays too.
      await page.getByRole('button', { name: 'Salir' }).click();
      // The question takes the focus, so a screen reader reads it and Escape answers it.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
        .toBe('leave');
      await page.keyboard.press('Escape');
      await page.getByRole('alertdialog').waitFor({ state: 'detached' });
      await page.getByTestId('checkpoint-name').waitFor();

      await page.getByRole('button', { name: 'Salir' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Salir de todos modos' }).click();
      await page.getByLabel('Credencial de acceso').waitFor();
      expect(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
    });

  for (const [name, size] of [
    ['360 px', phone],
    ['a desktop', desktop],
  ] as const)
    it(`at ${name}: records left on a shared phone are sent only by the officer who made them, in their name`, async () => {
      const lot = await registerLot(t, w);
      const other = await t.token('checkpoint', {
        checkpoint: w.mazuko.id,
        sub: 'officer-of-the-next-shift',
      });
      const { page, context, errors } = await open(size);
      page.setDefaultTimeout(10_000);
      await context.setOffline(true);
      await context.route(noServer, (route) => route.abort('internetdisconnected'));
      await page.getByTestId('status').filter({ hasText: 'Sin conexión' }).waitFor();
      await typeCode(page, lot.qrUrl);
      await page.getByRole('button', { name: 'Registrar escaneo' }).click();
      await page.getByTestId('pending').filter({ hasText: 'Pendientes: 1' }).waitFor();
      await page.getByRole('button', { name: 'Salir' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Salir de todos modos' }).click();

      // The next shift signs in on the same phone, with signal: the record is not theirs to send.
      await context.unroute(noServer);
      await context.setOffline(false);
      await page.getByLabel('Credencial de acceso').fill(other);
      await page.getByRole('button', { name: 'Ingresar' }).click();
      await page.getByTestId('checkpoint-name').filter({ hasText: 'PC-MAZUKO' }).waitFor();
      // The next officer starts at the scanner, not on the lot the last one opened.
      await page.getByRole('button', { name: 'Escanear código QR' }).waitFor();
      expect(await page.getByTestId('genuine').count()).toBe(0);
      const waiting = page.getByTestId('others-waiting');
      await waiting.filter({ hasText: '1 registro(s) de otro usuario' }).waitFor();
      await page.getByTestId('pending').filter({ hasText: 'Pendientes: 0' }).waitFor();
      await page.waitForLoadState('networkidle');
      await screenshot(page, `checkpoint-others-waiting-${size.width}`);
      await audit(page, size.width);
      expect(await scansOf(lot.id)).toEqual([]);
      // Salir asks nothing: nothing of this officer's stays behind.
      await page.getByRole('button', { name: 'Salir' }).click();
      await page.getByLabel('Credencial de acceso').fill(w.mazukoToken);
      await page.getByRole('button', { name: 'Ingresar' }).click();
      await expect.poll(() => scansOf(lot.id), { timeout: 20_000 }).toHaveLength(1);
      const [by] = rowsOf<{ scanned_by: string }>(
        await t.db.execute(sql`SELECT scanned_by FROM scans WHERE lot_id = ${lot.id}`),
      );
      expect(by?.scanned_by).toBe(`checkpoint:${w.mazuko.id}`);
      await page.getByTestId('others-waiting').waitFor({ state: 'detached' });
      expect(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
    });

  for (const [name, size] of [
    ['360 px', phone],
    ['a desktop', desktop],
  ] as const)
    it(`at ${name}: every screen has an address: Back returns to the scanner, and a link to a lot survives sign-in`, async () => {
      const lot = await registerLot(t, w);
      const { page, errors } = await open(size);
      await typeCode(page, lot.code);
      await page.getByTestId('genuine').filter({ hasText: lot.code }).waitFor();
      await page.goBack();
      await page.getByRole('button', { name: 'Escanear código QR' }).waitFor();
      expect(page.url()).toContain('/app/checkpoint/');
      await page.goForward();
      await page.getByTestId('genuine').filter({ hasText: lot.code }).waitFor();

      // A fresh device, signed out, opening the lot's address: it asks for the token, then shows the lot.
      const fresh = await chrome?.browser.newContext({ viewport: size, locale: 'es-PE' });
      if (!fresh) throw new Error('no browser');
      const other = await fresh.newPage();
      await other.goto(`${server.url}/app/checkpoint/#/lots/${sloppy(lot.code)}`);
      await other.getByLabel('Credencial de acceso').fill(w.mazukoToken);
      await other.getByRole('button', { name: 'Ingresar' }).click();
      await other.getByTestId('genuine').filter({ hasText: lot.code }).waitFor({ timeout: 15_000 });
      expect(other.url()).toContain(`#/lots/${lot.code}`);
      // The queue has its own address too.
      await other.getByTestId('pending').click();
      await other.getByRole('heading', { name: 'Registros en el equipo' }).waitFor();
      expect(other.url()).toContain('#/queue');
      await audit(other, size.width);
      await fresh.close();
      expect(errors).toEqual([]);
    });
});
