/**
 * Browser tests: Debian's Chromium driven by playwright-core (no browser download), against the
 * real app and database served on a loopback port. Without Chromium on the machine the browser
 * tests are skipped, except in CI (CI=true), where .ci/run installs it and a missing browser
 * is a failure.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { TestContext } from '../helpers/app.js';

const run = promisify(execFile);

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium && process.env.CI) {
  throw new Error(`browser tests need Chromium at ${chromiumPath} in CI (apt-get install chromium)`);
}
/** `describe.skipIf(!browserTests)`: Chromium is there (always in CI). */
export const browserTests = hasChromium;

/** Screenshots land here: CI keeps them as the run's artifacts. */
const artifactsDir = resolve('test-artifacts/screenshots');

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the test app (built with webAssets: true) on a free loopback port. */
export async function serveApp(ctx: TestContext): Promise<WebServer> {
  const server = await new Promise<ReturnType<typeof serve>>((done) => {
    const s = serve({ fetch: ctx.app.fetch, port: 0, hostname: '127.0.0.1' }, () => done(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const baseArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Chromium, with a fake camera showing `cameraPng` when given: the PNG becomes a short y4m
 * video (Debian's ffmpeg), which Chromium loops as the camera's picture.
 */
export async function launchBrowser(opts: { cameraPng?: Buffer } = {}): Promise<LaunchedBrowser> {
  const args = [...baseArgs];
  let tmp: string | undefined;
  if (opts.cameraPng) {
    tmp = await mkdtemp(join(tmpdir(), 'orotrace-camera-'));
    const png = join(tmp, 'qr.png');
    const y4m = join(tmp, 'qr.y4m');
    await writeFile(png, opts.cameraPng);
    await run('ffmpeg', [
      '-loglevel',
      'error',
      '-loop',
      '1',
      '-i',
      png,
      '-t',
      '2',
      '-r',
      '5',
      '-vf',
      'scale=400:400:flags=neighbor,pad=640:480:(ow-iw)/2:(oh-ih)/2:white',
      '-pix_fmt',
      'yuv420p',
      y4m,
    ]);
    args.push(
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${y4m}`,
    );
  }
  const browser = await chromium.launch({ executablePath: chromiumPath, args, headless: true });
  return {
    browser,
    close: async () => {
      await browser.close();
      if (tmp) await rm(tmp, { recursive: true, force: true });
    },
  };
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far (the tests expect none). */
  errors: string[];
}

/** A phone-sized page (360 × 740 by default) that records console errors and page errors. */
export async function openPage(
  browser: Browser,
  url: string,
  opts: { width?: number; height?: number; context?: BrowserContext; camera?: boolean } = {},
): Promise<WatchedPage> {
  const context =
    opts.context ??
    (await browser.newContext({
      viewport: { width: opts.width ?? 360, height: opts.height ?? 740 },
      deviceScaleFactor: 1,
      locale: 'es-PE',
      ...(opts.camera ? { permissions: ['camera'] } : {}),
    }));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  await page.goto(url);
  return { page, context, errors };
}

/** Saves a full-page screenshot as a test artifact; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
