/**
 * The server's own pages for people, in Chromium at 360 px and on a desktop, with the axe
 * audit: the public /v/ page a buyer opens from a QR code, and the API's /docs.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signQr } from '../../src/domain/lots/qr.js';
import { generateJwk } from '../../src/keys/local.js';
import { signingKeyFromJwk } from '../../src/keys/signing.js';
import type { TestContext } from '../helpers/app.js';
import { adminDb } from '../helpers/db.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { insertFlag } from '../helpers/flags.js';
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
import { rawWordsOn } from './raw-words.js';

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

  /**
   * Every state a label can be in when a buyer scans it: what the page must say (the verdict's
   * heading), how loud (red means do not buy and hold the load), through /v/ and the GS1 Digital
   * Links a label may carry instead.
   */
  interface PublicState {
    name: string;
    path: string;
    heading: string;
    tone: 'danger' | 'caution' | 'ok';
    status: number;
  }
  let states: PublicState[] = [];
  beforeAll(async () => {
    const db = await adminDb();
    const lotWith = async (severity?: 'low' | 'medium' | 'high' | 'critical', rule?: 'QR_CLONED') => {
      const lot = await registerLot(t, w);
      if (severity) await insertFlag(t.db, { subjectId: lot.id, severity, ...(rule ? { rule } : {}) });
      return { id: lot.id as string, code: lot.code as string, jws: jwsOf(lot.qrUrl) };
    };
    const clean = await lotWith();
    const low = await lotWith('low');
    const medium = await lotWith('medium');
    const high = await lotWith('high');
    const critical = await lotWith('critical');
    const cloned = await lotWith('critical', 'QR_CLONED');
    const seized = await lotWith();
    const seize = await t.call('POST', `/v1/lots/${seized.id}/seize`, {
      token: w.regulatorToken,
      body: { reason: 'oro sin documentos en Mazuko' },
    });
    expect(seize.status, seize.text).toBe(200);
    const exported = await lotWith();
    // The export itself is the exporter tests' subject; here only the state the label is in.
    await db.execute(sql`UPDATE lots SET status = 'exported' WHERE id = ${exported.id}`);
    const parent = await lotWith();
    const split = await t.call('POST', `/v1/lots/${parent.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '400.000' }, { grossWeightG: '600.000' }] },
    });
    expect(split.status, split.text).toBe(201);
    const movements = await t.call('GET', '/v1/movements?limit=10', { token: w.regulatorToken });
    const [diesel] = movements.body.items as { id: string; code: string; qrUrl: string }[];
    if (!diesel?.qrUrl) throw new Error('goldWorld declares movements with QR URLs');
    // A small, clean consignment of its own: the world's are over quota.
    const declared = await t.call('POST', '/v1/movements', {
      token: w.admin,
      body: {
        input: 'mercury',
        quantity: '1.000',
        unit: 'kg',
        consignorId: w.supplier.id,
        consigneeId: w.miner.id,
        // The clean lots' origin, away from the test reserve at the concession's corner.
        destination: { point: { type: 'Point', coordinates: [-70.1, -12.945] } },
        vehicle: 'V1A-123',
        route: 'Interoceánica Sur',
      },
    });
    expect(declared.status, declared.text).toBe(201);
    const mercury = declared.body as { id: string; code: string; qrUrl: string };
    expect(declared.body.flags ?? [], 'a clean consignment').toEqual([]);
    const movementIn = async (m: { id: string }, status: string) =>
      db.execute(sql`UPDATE movements SET status = ${status} WHERE id = ${m.id}`);
    const [h, , sig] = clean.jws.split('.') as [string, string, string];
    const altered = `${h}.${Buffer.from(`{"t":"lot","i":"${clean.id}","c":"AU-9"}`).toString('base64url')}.${sig}`;
    const forger = await signingKeyFromJwk(await generateJwk('forger'));
    const otherKey = await signQr(forger, { kind: 'lot', id: clean.id, code: clean.code });
    const unknown = await signQr(t.ledgerKey, {
      kind: 'lot',
      id: crypto.randomUUID(),
      code: 'AU-2026-999999',
    });
    const dl = (ai: string, code: string, jws: string) =>
      `/${ai}/9520000${encodeURIComponent(code)}?jws=${jws}`;
    const noBuy = 'No compre este oro';
    states = [
      {
        name: 'clean',
        path: `/v/${clean.jws}`,
        heading: 'Código auténtico: lote sin alertas',
        tone: 'ok',
        status: 200,
      },
      {
        name: 'low',
        path: `/v/${low.jws}`,
        heading: 'Código auténtico, con alertas de riesgo bajo',
        tone: 'caution',
        status: 200,
      },
      {
        name: 'medium',
        path: `/v/${medium.jws}`,
        heading: 'Código auténtico, con alertas de riesgo medio',
        tone: 'caution',
        status: 200,
      },
      { name: 'high', path: `/v/${high.jws}`, heading: noBuy, tone: 'danger', status: 200 },
      { name: 'critical', path: `/v/${critical.jws}`, heading: noBuy, tone: 'danger', status: 200 },
      { name: 'cloned', path: `/v/${cloned.jws}`, heading: noBuy, tone: 'danger', status: 200 },
      {
        name: 'seized',
        path: `/v/${seized.jws}`,
        heading: 'No compre este oro: el lote está incautado',
        tone: 'danger',
        status: 200,
      },
      {
        name: 'exported',
        path: `/v/${exported.jws}`,
        heading: 'No compre este oro: este código ya no circula',
        tone: 'danger',
        status: 200,
      },
      {
        name: 'consumed',
        path: `/v/${parent.jws}`,
        heading: 'No compre este oro: este código ya no circula',
        tone: 'danger',
        status: 200,
      },
      {
        name: 'altered',
        path: `/v/${altered}`,
        heading: 'Código falso o alterado',
        tone: 'danger',
        status: 422,
      },
      {
        name: 'other key',
        path: `/v/${otherKey}`,
        heading: 'Código falso o alterado',
        tone: 'danger',
        status: 422,
      },
      {
        name: 'truncated',
        path: `/v/${clean.jws.slice(0, 60)}`,
        heading: 'Código falso o alterado',
        tone: 'danger',
        status: 422,
      },
      { name: 'no code', path: '/v/', heading: 'Código falso o alterado', tone: 'danger', status: 422 },
      { name: 'unknown', path: `/v/${unknown}`, heading: 'Código desconocido', tone: 'danger', status: 422 },
      {
        name: 'digital link',
        path: dl('8004', clean.code, clean.jws),
        heading: 'Código auténtico: lote sin alertas',
        tone: 'ok',
        status: 200,
      },
      {
        name: 'digital link, critical',
        path: dl('8004', critical.code, critical.jws),
        heading: noBuy,
        tone: 'danger',
        status: 200,
      },
      {
        name: 'digital link, foreign prefix',
        path: `/8004/7612345${clean.code}?jws=${clean.jws}`,
        heading: 'Código desconocido',
        tone: 'danger',
        status: 404,
      },
    ];
    const walkMovement = async (
      status: string,
      name: string,
      heading: string,
      tone: PublicState['tone'],
      m = mercury,
    ) => {
      await movementIn(m, status);
      return { name, path: `/v/${jwsOf(m.qrUrl)}`, heading, tone, status: 200 };
    };
    movementStates = [
      () => walkMovement('in_transit', 'movement in transit', 'Código auténtico: envío sin alertas', 'ok'),
      () =>
        walkMovement('delivered', 'movement delivered', 'No reciba este envío: ya fue entregado', 'danger'),
      () => walkMovement('seized', 'movement seized', 'No reciba este envío: está incautado', 'danger'),
      async () => {
        await insertFlag(t.db, {
          subjectType: 'movement',
          subjectId: diesel.id,
          rule: 'OVER_QUOTA',
          severity: 'high',
        });
        const s = await walkMovement(
          'in_transit',
          'movement flagged, digital link',
          'No reciba este envío',
          'danger',
          diesel,
        );
        return { ...s, path: dl('401', diesel.code, jwsOf(diesel.qrUrl)) };
      },
    ];
  });
  let movementStates: (() => Promise<PublicState>)[] = [];

  /** Opens a state and checks what a buyer must be able to rely on; returns the page's texts. */
  async function walk(state: PublicState, size: (typeof sizes)[number]) {
    const res = await fetch(`${server.url}${state.path}`, { headers: { accept: 'text/html' } });
    expect(res.status, state.name).toBe(state.status);
    expect(res.headers.get('content-type'), state.name).toMatch(/text\/html/);
    const { page, context } = await openPage(chrome.browser, `${server.url}${state.path}`, size);
    const verdict = page.locator('section.verdict');
    await page.locator('#verdict').waitFor();
    expect(await page.locator('#verdict').textContent(), state.name).toBe(state.heading);
    expect(await verdict.getAttribute('class'), state.name).toContain(state.tone);
    const said = ((await verdict.textContent()) ?? '').toLowerCase();
    if (state.tone === 'danger') {
      // Red says both what not to do and what to do instead.
      expect(said, state.name).toMatch(/no compre|no reciba/);
      expect(said, state.name).toMatch(/retenga/);
      expect(said, state.name).toMatch(/avise a la autoridad/);
    } else {
      expect(said, state.name).toMatch(/compare el código/);
    }
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Idioma' }).count()).toBe(1);
    expect(await rawWordsOn(page), state.name).toEqual([]);
    expect(await accessibilityViolations(page), `${size.name} ${state.name}`).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), state.name).toBeLessThanOrEqual(
      size.width,
    );
    await screenshot(page, `public-state-${size.width}-${state.name.replaceAll(/[^a-z]+/g, '-')}`);
    // The switch keeps the code: the same verdict in English.
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en$/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await verdict.getAttribute('class'), state.name).toContain(state.tone);
    await context.close();
  }

  it.each(sizes)(
    'every state of a label at $width px says in Spanish what to do: clean, low to critical, cloned, seized, spent, forged, truncated, unknown, movements, Digital Links',
    async (size) => {
      for (const state of states) await walk(state, size);
      for (const next of movementStates) await walk(await next(), size);
    },
    300_000,
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
      // Parameters read as lines inside the page's width, each with its type in words, not a
      // table of raw JSON Schema whose description column sat off screen.
      const params = await page.evaluate(() =>
        [...document.querySelectorAll('ul.params li')].map((li) => ({
          right: li.getBoundingClientRect().right,
          text: li.textContent ?? '',
        })),
      );
      expect(params.length).toBeGreaterThan(50);
      expect(Math.max(...params.map((p) => p.right))).toBeLessThanOrEqual(size.width);
      expect(params.filter((p) => p.text.includes('{"'))).toEqual([]);
      expect(params.map((p) => p.text)).toContainEqual(
        expect.stringMatching(/^limit query, optional integer, 1 to \d+/),
      );
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
