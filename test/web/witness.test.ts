import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sequence } from '../../src/domain/ledger/store.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { restoreSnapshot, takeSnapshot, wipeLedger } from '../helpers/db.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { accessibilityViolations } from './axe.js';
import {
  browserTests,
  type LaunchedBrowser,
  launchBrowser,
  openPage,
  serveApp,
  type WebServer,
} from './browser.js';

/**
 * Every client is a witness: the checkpoint app and the regulator console keep the last ledger
 * head they verified, and when whoever runs the database wipes the log or restores an older
 * backup — as a superuser, past every trigger — the next sync raises an alarm on the client,
 * which stays. Its own file: these tests destroy the log the other browser tests build on.
 */
describe.skipIf(!browserTests)('every client is a witness of the ledger', () => {
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

  const grow = async (lots = 1) => {
    for (let i = 0; i < lots; i++) await registerLot(t, w);
    return (await sequence(t.db, t.ledgerKey)).head.treeSize;
  };

  /** The head the checkpoint device kept in IndexedDB (null before its first check). */
  const keptOnDevice = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<number | null>((resolve, reject) => {
          const open = indexedDB.open('orotrace-checkpoint');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const get = open.result.transaction('kv').objectStore('kv').get('ledger:ledgerHead');
            get.onerror = () => reject(get.error);
            get.onsuccess = () => resolve((get.result as { treeSize: number } | undefined)?.treeSize ?? null);
          };
        }),
    );

  /** A checkpoint device that synced once and kept the head of `size` leaves. */
  const deviceThatKept = async (size: number) => {
    chrome = await launchBrowser();
    const { page } = await openPage(chrome.browser, `${server.url}/app/checkpoint/#token=${w.mazukoToken}`);
    await page.getByTestId('checkpoint-name').filter({ hasText: 'PC-MAZUKO' }).waitFor();
    await expect.poll(() => keptOnDevice(page), { timeout: 15_000 }).toBe(size);
    expect(await page.getByTestId('ledger-alarm').count()).toBe(0);
    return page;
  };

  const alarmOn = async (page: Page) => {
    const alarm = page.getByTestId('ledger-alarm');
    await alarm.waitFor({ timeout: 15_000 });
    expect(await alarm.getAttribute('role')).toBe('alert');
    return alarm;
  };

  it('a device that synced raises the alarm after the log is wiped and written again, and keeps it', async () => {
    const kept = await grow(2);
    const page = await deviceThatKept(kept);

    // The insider empties the log and lets new writes build another history, longer than the kept one.
    await wipeLedger();
    let now = 0;
    while (now <= kept) now = await grow();
    // The device's next sync (at start, once the page is back).
    await page.reload();
    const alarm = await alarmOn(page);
    expect(['fork', 'rollback']).toContain(await alarm.getAttribute('data-outcome'));
    expect(await alarm.getAttribute('data-kept')).toBe(String(kept));
    expect(await alarm.getAttribute('data-seen')).toBe(String(now));
    const text = (await alarm.textContent()) ?? '';
    expect(text).toContain('el historial del registro cambió');
    expect(text).toContain(
      `Este equipo había verificado ${kept} asientos; el servidor ahora muestra ${now}.`,
    );
    // Readable by everyone: contrast, names and roles hold with the banner up (axe).
    expect(await accessibilityViolations(page)).toEqual([]);
    // The alarm stays, and the device still holds the head it verified, not the new one.
    await grow();
    await page.reload();
    await alarmOn(page);
    expect(await keptOnDevice(page)).toBe(kept);

    // Only a deliberate reset clears it; the device then trusts the current head afresh.
    page.once('dialog', (d) => void d.accept());
    await page.locator('[data-testid=ledger-alarm] summary').click();
    await page.getByRole('button', { name: 'Restablecer (solo administrador)' }).click();
    await page.getByTestId('ledger-alarm').waitFor({ state: 'detached' });
  }, 90_000);

  it('a device that synced raises the alarm when an older backup is restored', async () => {
    const owner = {};
    const backup = await grow();
    await takeSnapshot(owner);
    const kept = await grow(2);
    const page = await deviceThatKept(kept);

    await restoreSnapshot();
    await page.reload();
    const alarm = await alarmOn(page);
    expect(await alarm.getAttribute('data-outcome')).toBe('rollback');
    expect(await alarm.getAttribute('data-kept')).toBe(String(kept));
    expect(await alarm.getAttribute('data-seen')).toBe(String(backup));
    expect((await alarm.textContent()) ?? '').toContain('se restauró una copia antigua');
  }, 90_000);

  it('the regulator console raises the alarm at the top when an older backup is restored', async () => {
    const owner = {};
    const backup = await grow();
    await takeSnapshot(owner);
    const kept = await grow();
    chrome = await launchBrowser();
    const { page } = await openPage(
      chrome.browser,
      `${server.url}/app/regulator/#token=${w.regulatorToken}`,
      {
        width: 1280,
        height: 900,
      },
    );
    const keptInConsole = () =>
      page.evaluate(() => {
        const text = localStorage.getItem('orotrace.regulator.ledger.head');
        return text ? (JSON.parse(text) as { treeSize: number }).treeSize : null;
      });
    await expect.poll(keptInConsole, { timeout: 15_000 }).toBe(kept);
    expect(await page.getByTestId('ledger-alarm').count()).toBe(0);

    await restoreSnapshot();
    await page.reload();
    const alarm = await alarmOn(page);
    expect(await alarm.getAttribute('data-outcome')).toBe('rollback');
    expect((await alarm.textContent()) ?? '').toContain(
      `Esta consola había verificado ${kept} asientos; el servidor ahora muestra ${backup}.`,
    );
    // At the top: before the console's sections.
    const [alarmTop, navTop] = await Promise.all([
      alarm.evaluate((e) => e.getBoundingClientRect().top),
      page.locator('nav.tabs-nav').evaluate((e) => e.getBoundingClientRect().top),
    ]);
    expect(alarmTop).toBeLessThan(navTop);
  }, 90_000);
});
