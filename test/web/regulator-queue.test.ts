/**
 * The regulator's flag queue at the size it reaches in the field: a few hundred flags on forty
 * lots, plus a real one — a lot registered inside a protected area, split in two, so its flag
 * has two inherited copies. The queue pages from the server, most severe first, grouped by lot,
 * every card collapsed; a bulk escalation shows the inherited copies it will touch before it is
 * confirmed; the filtered queue downloads as a CSV a spreadsheet reads; no two controls share a
 * name. At 360 px and on a desktop, with the axe audit.
 */
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { flags } from '../../src/db/schema/index.js';
import { newId } from '../../src/domain/shared/ids.js';
import type { RuleCode, Severity } from '../../src/domain/shared/vocabulary.js';
import { ruleWords } from '../../src/web/shared/words.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
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

const exclusion = ruleWords.es.ORIGIN_IN_EXCLUSION_ZONE;
const rank: Record<string, number> = { crítico: 4, alto: 3, medio: 2, bajo: 1 };

interface ApiLot {
  id: string;
  code: string;
  flags: { id: string; rule: string; status: string; inheritedFrom: string | null }[];
}

/** Every accessible name of the page's checkboxes and buttons, as the browser computes them. */
async function controlNames(page: Page): Promise<string[]> {
  const names: string[] = [];
  for (const role of ['checkbox', 'button'] as const) {
    const all = page.getByRole(role);
    const n = await all.count();
    for (let i = 0; i < n; i++) {
      const el = all.nth(i);
      if (!(await el.isVisible())) continue;
      names.push(
        await el.evaluate(
          (e) => e.getAttribute('aria-label') ?? e.closest('label')?.textContent ?? e.textContent ?? '',
        ),
      );
    }
  }
  return names.map((s) => s.trim().replace(/\s+/g, ' '));
}

const duplicates = (names: string[]) => names.filter((n, i) => names.indexOf(n) !== i);

describe.skipIf(!browserTests)('the flag queue at scale, in Chromium', () => {
  let t: TestContext;
  let w: GoldWorld;
  let server: WebServer;
  let chrome: LaunchedBrowser;
  let flagged: ApiLot;
  let parts: ApiLot[];
  let other: ApiLot;
  const seededCount = 300;

  const consoleAt = (route: string, width = 1280) =>
    openPage(chrome.browser, `${server.url}/app/regulator/#token=${w.regulatorToken}`, {
      width,
      height: 900,
    }).then(async (p) => {
      await p.page.getByRole('heading', { name: 'Mapa de riesgo' }).waitFor();
      await p.page.evaluate((r) => {
        location.hash = r;
      }, route);
      return p;
    });

  beforeAll(async () => {
    t = await testApp({ webAssets: true });
    w = await goldWorld(t);
    const zone = await t.call('POST', '/v1/zones', {
      token: w.admin,
      body: {
        name: 'Reserva de prueba',
        kind: 'protected_area',
        legalBasis: 'D.S. 048-2000-AG',
        validFrom: '2000-09-04',
        geometry: box(-70.105, -12.95, -70.095, -12.94),
      },
    });
    expect(zone.status, zone.text).toBe(201);
    flagged = await registerLot(t, w);
    const split = await t.call('POST', `/v1/lots/${flagged.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '600.000' }, { grossWeightG: '400.000' }] },
    });
    expect(split.status, split.text).toBe(201);
    parts = split.body.children;
    other = await registerLot(t, w, {
      origin: { type: 'Point', coordinates: [-70.097, -12.942] },
      grossWeightG: '500.000',
    });
    // Forty clean lots, then three hundred flags on them written straight into the table.
    const lots: ApiLot[] = [];
    for (let i = 0; i < 40; i++) {
      lots.push(
        await registerLot(t, w, {
          origin: { type: 'Point', coordinates: [-70.085 + i * 0.0001, -12.935] },
          grossWeightG: `${100 + i}.000`,
        }),
      );
    }
    const rules: RuleCode[] = [
      'STRUCTURING',
      'PRODUCTION_OVER_CAPACITY',
      'CUSTODIAN_NOT_REGISTERED',
      'QR_CLONED',
    ];
    const severities: Severity[] = ['low', 'medium', 'high', 'critical', 'medium', 'low', 'high'];
    const now = Date.now();
    await t.db.insert(flags).values(
      Array.from({ length: seededCount }, (_, i) => {
        const id = newId();
        return {
          id,
          fingerprint: id,
          subjectType: 'lot' as const,
          subjectId: (lots[i % lots.length] as ApiLot).id,
          rule: rules[i % rules.length] as RuleCode,
          severity: severities[i % severities.length] as Severity,
          evidence: { seeded: i },
          createdAt: new Date(now - (i % 60) * 86_400_000 - i * 1000),
        };
      }),
    );
    server = await serveApp(t);
    chrome = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('pages from the server, most severe first, grouped by lot, every card collapsed; Back returns to the previous page; no two controls share a name', async () => {
    const { page, errors } = await consoleAt('#/flags');
    await page.getByRole('heading', { name: 'Cola de alertas' }).waitFor();
    await page
      .locator('#page-info')
      .getByText(/^Página 1: 50 alertas de \d+ lotes o movimientos/)
      .waitFor();
    expect(await page.locator('.flag-card').count()).toBe(50);
    // Collapsed: no card is open.
    expect(await page.locator('details.flag-details[open]').count()).toBe(0);
    // Most severe first: each group sits where its most urgent flag falls in the server's order,
    // so the groups' first cards never rise in severity down the page.
    const firsts = (
      await page
        .locator('.flag-group .flag-list > li:first-child .flag-meta .badge:first-child')
        .allTextContents()
    ).map((s) => rank[s] ?? 0);
    expect(firsts[0]).toBe(4);
    expect(firsts).toEqual([...firsts].sort((x, y) => y - x));
    // Each group is a lot, by code, with its count; the code is a link to the lot's page.
    const group = page.locator('.flag-group').first();
    const link = group.locator('h3 a');
    expect(await link.getAttribute('href')).toMatch(/^#\/lots\/[0-9a-f-]{36}$/);
    await group
      .locator('h3')
      .getByText(/alertas? en esta página/)
      .waitFor();
    const names = await controlNames(page);
    expect(names.length).toBeGreaterThan(50);
    expect(duplicates(names)).toEqual([]);
    await screenshot(page, 'regulator-queue-desktop');
    expect(await accessibilityViolations(page), 'regulator-queue-desktop').toEqual([]);

    // Page 2 is another page of the server's queue; Back returns to page 1.
    const firstOnPage1 = await page.locator('.flag-card').first().getAttribute('data-flag-id');
    await page.getByRole('link', { name: 'Página siguiente' }).click();
    await page
      .locator('#page-info')
      .getByText(/^Página 2: 50 alertas/)
      .waitFor();
    expect(page.url()).toMatch(/#\/flags\?.*cursor=/);
    const onPage2 = await page
      .locator('.flag-card')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-flag-id')));
    expect(onPage2).not.toContain(firstOnPage1);
    await page.goBack();
    await page
      .locator('#page-info')
      .getByText(/^Página 1:/)
      .waitFor();
    expect(await page.locator('.flag-card').first().getAttribute('data-flag-id')).toBe(firstOnPage1);
    // Sorted by age instead: the oldest flag first, whatever its severity.
    await page.getByLabel('Orden').selectOption('age');
    await page
      .locator('#page-info')
      .getByText(/ordenadas por antigüedad/)
      .waitFor();
    expect(page.url()).toContain('sort=age');
    expect(errors).toEqual([]);
  });

  it('bulk-escalates selected flags after a preview that lists the inherited copies it also escalates', async () => {
    const { page, errors } = await consoleAt(`#/flags?rule=ORIGIN_IN_EXCLUSION_ZONE`);
    await page.getByRole('heading', { name: 'Cola de alertas' }).waitFor();
    await page
      .locator('#page-info')
      .getByText(/^Página 1: 4 alertas de 4 lotes/)
      .waitFor();
    const [a, b] = parts as [ApiLot, ApiLot];
    for (const lot of [flagged, a, b, other]) {
      await page.getByRole('checkbox', { name: `Seleccionar alerta ${exclusion} de ${lot.code}` }).check();
    }
    await page.getByRole('status').getByText('4 alertas seleccionadas').waitFor();
    await page.getByLabel('Motivo de la decisión').fill('Derivado a la UIF-Perú con el expediente');
    await page.getByRole('button', { name: 'Escalar 4 alertas seleccionadas' }).click();
    const preview = page.locator('.review-preview');
    await preview
      .getByRole('heading', { name: 'Antes de confirmar: esta decisión cambiará 4 alertas' })
      .waitFor();
    for (const lot of [a, b]) {
      await preview
        .getByText(`Lote ${lot.code} (copia heredada): abierta → escalada`, { exact: false })
        .waitFor();
    }
    expect(await preview.locator('li.touch-reviewed').count()).toBe(2);
    // Nothing written yet.
    const before = await t.call('GET', `/v1/flags/${flagged.flags[0]?.id}`, { token: w.regulatorToken });
    expect(before.body.status).toBe('open');
    await screenshot(page, 'regulator-queue-preview');
    expect(await accessibilityViolations(page), 'regulator-queue-preview').toEqual([]);
    await preview.getByRole('button', { name: 'Confirmar: escalar 4 alertas' }).click();
    await page.getByRole('status').filter({ hasText: '4 alertas revisadas: escalada' }).waitFor();
    for (const lot of [a, b]) {
      const res = await t.call('GET', `/v1/lots/${lot.id}`, { token: w.regulatorToken });
      expect(res.body.flags).toEqual([expect.objectContaining({ status: 'escalated' })]);
    }
    // The queue shows open flags by default: the four have left it.
    await page.getByText('No hay alertas con estos filtros.').waitFor();
    expect(errors).toEqual([]);
  });

  it('downloads the filtered queue as CSV: byte-order mark, Spanish headers, one row per flag', async () => {
    const { page, errors } = await consoleAt('#/flags?severity=critical&status=any');
    await page.locator('#page-info').waitFor();
    await page.getByRole('button', { name: 'Descargar CSV de la cola filtrada' }).click();
    const link = page.getByRole('link', { name: /^Guardar alertas-\d{4}-\d\d-\d\d\.csv$/ });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const bytes = await readFile(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^Gravedad,Regla,Tipo de sujeto,Código del lote o movimiento,Estado,/);
    const critical = await t.call('GET', '/v1/flags?severity=critical&limit=500', {
      token: w.regulatorToken,
    });
    expect(lines.length - 1).toBe(critical.body.items.length);
    expect(lines.slice(1).every((l) => l.startsWith('crítico,'))).toBe(true);
    // Another filter: the file made for the critical flags is no longer offered.
    await page.getByLabel('Gravedad').selectOption('low');
    await page
      .locator('#page-info')
      .getByText(/^Página 1:/)
      .waitFor();
    await expect.poll(() => link.count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('at 360 px: no horizontal scroll, cards collapsed, the panel and the next page reachable; axe clean', async () => {
    const { page, errors } = await consoleAt('#/flags', 360);
    await page
      .locator('#page-info')
      .getByText(/^Página 1: 50 alertas/)
      .waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const card = page.locator('.flag-card').first();
    await card.locator('.flag-details > summary').click();
    await card.getByRole('button', { name: /^Revisar alerta / }).click();
    await page
      .getByRole('status')
      .getByText(/^1 alerta seleccionada: /)
      .waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'regulator-queue-360');
    expect(await accessibilityViolations(page), 'regulator-queue-360').toEqual([]);
    await page.getByRole('link', { name: 'Página siguiente' }).click();
    await page
      .locator('#page-info')
      .getByText(/^Página 2:/)
      .waitFor();
    expect(errors).toEqual([]);
  });
  it('a subject’s flags counted on every page by the server; selecting the subject takes them all; a review raced by another regulator is refused, not doubled; Previous and Next are links', async () => {
    const { page, errors } = await consoleAt('#/flags');
    await page
      .locator('#page-info')
      .getByText(/^Página 1: 50 alertas/)
      .waitFor();
    // A lot whose flags do not all fit on page 1: its group says how many it has in all.
    const group = page
      .locator('.flag-group')
      .filter({ hasText: /de sus \d+ alertas en esta página/ })
      .first();
    const lotId = ((await group.locator('h3 a').getAttribute('href')) ?? '').split('/').at(-1) ?? '';
    const code = (await group.locator('h3 a').textContent()) ?? '';
    const all = await t.call('GET', `/v1/flags?status=open&subjectId=${lotId}&limit=500`, {
      token: w.regulatorToken,
    });
    const total = all.body.items.length as number;
    const onPage = await group.locator('.flag-card').count();
    expect(total).toBeGreaterThan(onPage);
    await group.locator('h3').getByText(`${onPage} de sus ${total} alertas en esta página`).waitFor();
    await screenshot(page, 'regulator-queue-group-desktop');
    await page
      .getByRole('checkbox', {
        name: `Seleccionar las ${total} alertas de ${code} (también las de otras páginas)`,
      })
      .check();
    await page.getByRole('status').getByText(`${total} alertas seleccionadas`).waitFor();
    await page.getByLabel('Motivo de la decisión').fill('Revisado con la DREMH: lote conocido');
    await page.getByRole('button', { name: `Reconocer ${total} alertas seleccionadas` }).click();
    const preview = page.locator('.review-preview');
    await preview
      .getByRole('heading', { name: `Antes de confirmar: esta decisión cambiará ${total} alertas` })
      .waitFor();
    expect(await accessibilityViolations(page), 'regulator-queue-group').toEqual([]);
    // Another regulator decides one of them meanwhile.
    const [first, ...rest] = all.body.items as { id: string }[];
    const other = await t.call('POST', `/v1/flags/${first?.id}/review`, {
      token: w.regulatorToken,
      body: { decision: 'escalate', reason: 'otro regulador: derivado a la UIF' },
    });
    expect(other.status, other.text).toBe(200);
    await preview.getByRole('button', { name: `Confirmar: reconocer ${total} alertas` }).click();
    await page
      .getByRole('alert')
      .getByText(/vea de nuevo qué cambiará antes de confirmar/)
      .waitFor();
    // The one decided meanwhile kept the other regulator’s decision; the rest were reviewed as
    // shown, once each (a flag.reviewed event per flag, none twice).
    const after = await t.call('GET', `/v1/flags?subjectId=${lotId}&limit=500`, { token: w.regulatorToken });
    const statuses = new Map(after.body.items.map((f: { id: string; status: string }) => [f.id, f.status]));
    expect(statuses.get(first?.id ?? '')).toBe('escalated');
    for (const f of rest) expect(statuses.get(f.id)).toBe('acknowledged');
    const reviews = await t.db.execute(
      sql`SELECT subject_id, count(*)::int AS n FROM events WHERE type = 'flag.reviewed' AND subject_id IN (SELECT id FROM flags WHERE subject_id = ${lotId}) GROUP BY subject_id`,
    );
    const perFlag = rowsOf<{ subject_id: string; n: number }>(reviews);
    expect(perFlag).toHaveLength(total);
    expect(perFlag.every((r) => r.n === 1)).toBe(true);
    // The refused review is the browser's one failed request, answered 409.
    expect(errors).toEqual([expect.stringMatching(/status of 409 \(Conflict\)/)]);
    errors.length = 0;

    // Next, then Previous: both links to addresses, and Back still works.
    await page.getByRole('link', { name: 'Página siguiente' }).click();
    await page
      .locator('#page-info')
      .getByText(/^Página 2:/)
      .waitFor();
    await page.getByRole('link', { name: 'Página siguiente' }).click();
    await page
      .locator('#page-info')
      .getByText(/^Página 3:/)
      .waitFor();
    const third = page.url();
    await page.getByRole('link', { name: 'Página anterior' }).click();
    await page
      .locator('#page-info')
      .getByText(/^Página 2:/)
      .waitFor();
    await page.getByRole('link', { name: 'Página anterior' }).click();
    await page
      .locator('#page-info')
      .getByText(/^Página 1:/)
      .waitFor();
    expect(await page.getByRole('link', { name: 'Página anterior' }).count()).toBe(0);
    await page.goto(third);
    await page
      .locator('#page-info')
      .getByText(/^Página 3:/)
      .waitFor();
    expect(errors).toEqual([]);
  });

  it('at 360 px, by keyboard alone: open a card, review it, and the focus lands on what was decided', async () => {
    const { page, errors } = await consoleAt('#/flags', 360);
    await page
      .locator('#page-info')
      .getByText(/^Página 1: 50 alertas/)
      .waitFor();
    // The section tabs leave the phone's screen to the queue: one row that scrolls sideways (it
    // wrapped to six), with the selected tab in view.
    const tabs = await page.getByRole('tablist').boundingBox();
    expect(tabs?.height).toBeLessThanOrEqual(60);
    const selected = await page.getByRole('tab', { name: 'Alertas' }).boundingBox();
    expect(selected?.x).toBeGreaterThanOrEqual(0);
    expect((selected?.x ?? 0) + (selected?.width ?? 0)).toBeLessThanOrEqual(360);
    const card = page.locator('.flag-card').first();
    const id = (await card.getAttribute('data-flag-id')) ?? '';
    await card.locator('.flag-details > summary').focus();
    await page.keyboard.press('Enter');
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    for (let i = 0; i < 8 && !(await focused()).startsWith('Revisar alerta'); i++)
      await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^Revisar alerta /);
    await page.keyboard.press('Enter');
    // Focus is moved once the panel has rendered (an effect after the frame): polled, not read at once.
    const focusedId = () => page.evaluate(() => document.activeElement?.id);
    await expect.poll(focusedId).toBe('review-panel');
    for (let i = 0; i < 4 && (await page.evaluate(() => document.activeElement?.id)) !== 'review-reason'; i++)
      await page.keyboard.press('Tab');
    await page.keyboard.type('Conocido: concesión en regla');
    for (let i = 0; i < 4 && !(await focused()).startsWith('Reconocer alerta'); i++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#preview-title').waitFor();
    await expect.poll(focusedId).toBe('preview-title');
    await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^Confirmar: reconocer 1 alerta/);
    await page.keyboard.press('Enter');
    await page.locator('p.notice').getByText('1 alerta revisada: reconocida.').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe('notice');
    const res = await t.call('GET', `/v1/flags/${id}`, { token: w.regulatorToken });
    expect(res.body.status).toBe('acknowledged');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'regulator-queue-keyboard-360');
    expect(await accessibilityViolations(page), 'regulator-queue-keyboard-360').toEqual([]);
    expect(errors).toEqual([]);
  });
  it('at 360 px, a card ticked far down the list: a bar at the bottom of the screen leads back to the review panel', async () => {
    const { page, errors } = await consoleAt('#/flags', 360);
    await page
      .locator('#page-info')
      .getByText(/^Página 1: 50 alertas/)
      .waitFor();
    // A whole subject's box is as easy to touch as a card's.
    const groupBox = await page.locator('.select-group input').first().boundingBox();
    expect(groupBox?.width).toBeGreaterThanOrEqual(24);
    const far = page.locator('.flag-card').nth(30).locator('input.flag-select');
    await far.check();
    const bar = page.getByRole('button', { name: 'Ir a la revisión: 1 alerta seleccionada' });
    const inView = (box: { y: number; height: number } | null) =>
      box !== null && box.y >= 0 && box.y + box.height <= 900;
    expect(inView(await bar.boundingBox())).toBe(true);
    expect(inView(await page.locator('#review-panel').boundingBox())).toBe(false);
    await bar.click();
    // Focus and scroll follow the panel's render: polled, not read at once.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('review-panel');
    await expect.poll(async () => inView(await page.locator('#review-title').boundingBox())).toBe(true);
    await page
      .getByRole('status')
      .getByText(/^1 alerta seleccionada: /)
      .waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await accessibilityViolations(page), 'regulator-queue-bar-360').toEqual([]);
    expect(errors).toEqual([]);
  });
});
