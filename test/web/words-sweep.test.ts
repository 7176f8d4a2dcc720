/**
 * All three apps, every screen, as a Spanish reader sees them with the demo loaded: each role
 * signs in and visits every route of its app (the route tables of exporter/routes.ts,
 * regulator/main.tsx and checkpoint/screens.tsx, with the demo's lots and movements), every
 * folded detail opened; no visible text or accessible name may be a raw code of the vocabulary
 * (words.ts), an evidence key, a code-shaped word or English (raw-words.ts).
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
  serveApp,
  type WebServer,
} from './browser.js';
import { rawWordsOn } from './raw-words.js';

const sizes = [
  { name: 'phone', width: 360, height: 740 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

// The words on a screen do not depend on the database behind the API, and the sweep (two sizes,
// every route of three apps) is the longest browser test: it runs on the embedded database's leg
// only. The apps' own browser tests, which exercise behaviour, run on both.
describe.skipIf(!browserTests || Boolean(process.env.DATABASE_URL))(
  'no English or raw code on any screen of the three apps, with the demo',
  () => {
    let t: TestContext;
    let server: WebServer;
    let chrome: LaunchedBrowser;
    let cases: DemoCase[];
    const tokens: Record<'regulator' | 'exporter' | 'checkpoint', string> = {
      regulator: '',
      exporter: '',
      checkpoint: '',
    };
    const routes: Record<keyof typeof tokens, string[]> = { regulator: [], exporter: [], checkpoint: [] };

    beforeAll(async () => {
      t = await testApp({ webAssets: true });
      const demo = await loadDemo(t.db, undefined, { ledgerKey: t.ledgerKey, baseUrl: 'http://demo' });
      cases = demo.cases;
      tokens.regulator = await t.token('regulator');
      tokens.exporter = await t.token('exporter', { actor: demo.exporterActorId });
      tokens.checkpoint = await t.token('checkpoint', { checkpoint: demo.mazukoCheckpointId });
      const lotCases = cases.filter((c) => c.kind === 'lot');
      const movementCases = cases.filter((c) => c.kind === 'movement');
      const overlaps = await t.call('GET', '/v1/overlaps?limit=5', { token: tokens.regulator });
      routes.regulator = [
        '#/map',
        '#/flags',
        '#/flags?sort=severity',
        '#/lots',
        ...lotCases.map((c) => `#/lots/${c.id}`),
        '#/overlaps',
        ...((overlaps.body?.items ?? []) as { id: string }[]).slice(0, 2).map((o) => `#/overlaps/${o.id}`),
        '#/balances',
        '#/mining',
        '#/reports',
        '#/ledger',
      ];
      const own = await t.call('GET', '/v1/lots?limit=50', { token: tokens.exporter });
      expect(own.status, own.text).toBe(200);
      const ownLots = (own.body.items as { id: string; status: string }[]).filter(
        (l) => l.status === 'active',
      );
      expect(ownLots.length, 'the demo exporter holds lots').toBeGreaterThan(0);
      routes.exporter = [
        '#/lots',
        '#/register',
        ...ownLots.slice(0, 4).map((l) => `#/lots/${l.id}`),
        ...['split', 'transfer', 'refine', 'export', 'label'].map((op) => `#/lots/${ownLots[0]?.id}/${op}`),
        ...(ownLots.length > 1 ? [`#/merge?lots=${ownLots[0]?.id},${ownLots[1]?.id}`] : []),
      ];
      routes.checkpoint = [
        '#/scan',
        '#/code',
        '#/queue',
        ...lotCases.slice(0, 4).map((c) => `#/lots/${c.code}`),
        ...movementCases.slice(0, 4).map((c) => `#/movements/${c.code}`),
        '#/lots/AU-2099-999999',
      ];
      server = await serveApp(t);
      chrome = await launchBrowser();
    }, 240_000);

    afterAll(async () => {
      await chrome?.close();
      await server?.close();
    });

    /** Waits for the screen to settle: requests done, then folded details opened. */
    async function settle(page: Page) {
      await page.waitForLoadState('networkidle').catch(() => {});
      await page.waitForTimeout(400);
      await page.evaluate(() => {
        for (const d of document.querySelectorAll('details')) d.open = true;
      });
      await page.waitForTimeout(150);
    }

    it.each(sizes)(
      'at $width px every route of each app reads in Spanish, with no axe violations',
      async (size) => {
        const found: string[] = [];
        for (const app of ['regulator', 'exporter', 'checkpoint'] as const) {
          const [first = '#/', ...rest] = routes[app];
          const sep = first.includes('?') ? '&' : '?';
          const { page, context, errors } = await openPage(
            chrome.browser,
            `${server.url}/app/${app}/${first}${sep}token=${tokens[app]}`,
            size,
          );
          await page.getByRole('button', { name: 'Salir' }).waitFor();
          for (const route of [first, ...rest]) {
            if (route !== first) await page.evaluate((h) => (location.hash = h), route);
            await settle(page);
            expect(await page.evaluate(() => document.documentElement.lang), `${app} ${route}`).toBe('es');
            for (const why of await rawWordsOn(page)) found.push(`${app} ${route}: ${why}`);
            if (size.width === 360 || route === first) {
              const violations = await accessibilityViolations(page);
              for (const v of violations) found.push(`${app} ${route}: axe ${v.id} ${v.nodes.join(' ')}`);
              if (violations.length)
                found.push(
                  await page.evaluate(() =>
                    [...document.querySelectorAll('h1,h2,h3,h4')]
                      .map((h) => `${h.tagName}:${h.textContent?.slice(0, 30)}`)
                      .join(' | '),
                  ),
                );
            }
          }
          for (const e of errors.filter((x) => !/status of (404|422)/.test(x)))
            found.push(`${app}: console ${e}`);
          await context.close();
        }
        expect(found).toEqual([]);
      },
      900_000,
    );
  },
);
