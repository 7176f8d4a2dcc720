import { afterAll, beforeAll, describe, it } from 'vitest';
import { flags } from '../../src/db/schema/index.js';
import { loadDemo } from '../../src/demo/madre-de-dios.js';
import { newId } from '../../src/domain/shared/ids.js';
import type { RuleCode, Severity } from '../../src/domain/shared/vocabulary.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { launchBrowser, type LaunchedBrowser, openPage, serveApp, type WebServer } from './browser.js';

describe('walk', () => {
  let t: TestContext;
  let server: WebServer;
  let chrome: LaunchedBrowser;
  let token: string;
  beforeAll(async () => {
    t = await testApp({ webAssets: true });
    await loadDemo(t.db, undefined, { ledgerKey: t.ledgerKey, baseUrl: 'http://demo' });
    token = await t.token('regulator');
    const lots = (await t.call('GET', '/v1/lots?limit=200', { token })).body.items as { id: string }[];
    const mv = (await t.call('GET', '/v1/movements?limit=200', { token })).body.items as { id: string }[];
    const subjects = [...lots.map((l) => ({ t: 'lot' as const, id: l.id })), ...mv.map((m) => ({ t: 'movement' as const, id: m.id }))];
    console.log('subjects', lots.length, mv.length);
    const rules: RuleCode[] = ['STRUCTURING', 'PRODUCTION_OVER_CAPACITY', 'CUSTODIAN_NOT_REGISTERED', 'QR_CLONED', 'OVER_QUOTA'];
    const sev: Severity[] = ['low', 'medium', 'high', 'critical', 'medium'];
    await t.db.insert(flags).values(
      Array.from({ length: 400 }, (_, i) => {
        const id = newId();
        const s = subjects[i % subjects.length] as { t: 'lot' | 'movement'; id: string };
        return { id, fingerprint: id, subjectType: s.t, subjectId: s.id, rule: rules[i % 5] as RuleCode, severity: sev[i % 5] as Severity, evidence: { seeded: i }, createdAt: new Date(Date.now() - i * 3_600_000) };
      }),
    );
    server = await serveApp(t);
    chrome = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });
  for (const [w, h] of [[360, 740], [1280, 900]] as const) {
    it(`walk ${w}`, async () => {
      const { page, errors } = await openPage(chrome.browser, `${server.url}/app/regulator/#token=${token}`, { width: w, height: h });
      await page.getByRole('heading', { name: 'Mapa de riesgo' }).waitFor();
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `/tmp/walk/map-${w}.png` });
      await page.evaluate(() => { location.hash = '#/flags'; });
      await page.locator('#page-info').waitFor();
      await page.screenshot({ path: `/tmp/walk/flags-${w}.png` });
      await page.evaluate(() => window.scrollBy(0, 600));
      await page.screenshot({ path: `/tmp/walk/flags2-${w}.png` });
      await page.evaluate(() => { location.hash = '#/balances'; });
      await page.waitForTimeout(2500);
      await page.screenshot({ path: `/tmp/walk/balances-${w}.png`, fullPage: w === 1280 });
      await page.evaluate(() => { location.hash = '#/ledger'; });
      await page.waitForTimeout(2000);
      await page.screenshot({ path: `/tmp/walk/ledger-${w}.png` });
      console.log(errors);
    }, 120_000);
  }
});
