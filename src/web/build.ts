/**
 * The one build step of the web apps (esbuild): src/web/<app>/main.tsx → dist/web/app/<app>/,
 * served by Node (src/http/assets.node.ts) and by the Worker as static assets (wrangler.toml
 * [assets]). Run by `npm start`, `npm test`, `npm run worker:build` through their pre-scripts, so
 * a fresh clone needs no extra command. Nothing is loaded from the network at run time: every
 * library, stylesheet and icon is in the bundle.
 *
 *   npx tsx src/web/build.ts
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { headersFile } from '../http/asset-headers.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
export const webOut = join(root, 'dist/web');

interface WebApp {
  name: 'checkpoint' | 'exporter' | 'regulator';
  title: string;
  description: string;
  /** An installable PWA with a service worker (src/web/<name>/sw.ts) and a manifest. */
  pwa: boolean;
}

export const webApps: WebApp[] = [
  {
    name: 'checkpoint',
    title: 'orotrace · Puesto de control',
    description: 'Escanear lotes de oro e insumos controlados en un puesto de control, con o sin señal',
    pwa: true,
  },
  {
    name: 'exporter',
    title: 'orotrace · Mesa del exportador',
    description: 'Lotes, transferencias, divisiones, fusiones, refinación y exportación',
    pwa: false,
  },
  {
    name: 'regulator',
    title: 'orotrace · Consola del regulador',
    description: 'Mapa de riesgo, cola de alertas, procedencia, balances y reportes',
    pwa: false,
  },
];

const themeColor = '#0b3d2e';

const icon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="${themeColor}"/><circle cx="256" cy="256" r="150" fill="#f2c230"/><path d="M190 262l48 48 94-110" fill="none" stroke="${themeColor}" stroke-width="40" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] ?? ch);

function page(app: WebApp): string {
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="${themeColor}">
<meta name="description" content="${escapeHtml(app.description)}">
<title>${escapeHtml(app.title)}</title>
<link rel="icon" href="../icon.svg" type="image/svg+xml">
${app.pwa ? '<link rel="manifest" href="manifest.webmanifest">\n' : ''}<link rel="stylesheet" href="app.css">
<script type="module" src="app.js"></script>
</head>
<body>
<div id="root"><noscript>Esta aplicación necesita JavaScript. / This app needs JavaScript.</noscript></div>
</body>
</html>
`;
}

function home(): string {
  const items = webApps
    .map(
      (a) =>
        `<li><a href="${a.name}/">${escapeHtml(a.title.replace('orotrace · ', ''))}</a><p>${escapeHtml(a.description)}</p></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="${themeColor}">
<title>orotrace</title>
<link rel="icon" href="icon.svg" type="image/svg+xml">
<style>
body{font:18px/1.5 system-ui,sans-serif;margin:0;background:#fff;color:#111}
header{background:${themeColor};color:#fff;padding:1rem 1.25rem}
h1{margin:0;font-size:1.5rem}
ul{list-style:none;margin:0;padding:1rem 1.25rem;display:grid;gap:1rem;max-width:40rem}
li a{display:block;padding:1rem;border:3px solid ${themeColor};border-radius:.5rem;color:${themeColor};font-weight:700;font-size:1.25rem;text-decoration:none}
li a:focus-visible,li a:hover{background:${themeColor};color:#fff;outline:4px solid #f2c230}
li p{margin:.25rem 0 0}
</style>
</head>
<body>
<header><h1>orotrace</h1></header>
<main><ul>
${items}
</ul>
<p style="padding:0 1.25rem"><a href="/docs">API</a></p></main>
</body>
</html>
`;
}

function manifest(app: WebApp): string {
  return `${JSON.stringify(
    {
      name: app.title,
      short_name: 'orotrace',
      description: app.description,
      lang: 'es',
      start_url: './',
      scope: './',
      display: 'standalone',
      orientation: 'portrait',
      background_color: '#ffffff',
      theme_color: themeColor,
      icons: [{ src: '../icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any maskable' }],
    },
    null,
    2,
  )}\n`;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else out.push(full);
  }
  return out;
}

export interface BuildResult {
  outDir: string;
  files: number;
  bytes: number;
  ms: number;
}

/**
 * Modules with a browser twin: the server and the Worker hash with the platform's native SHA-256
 * (`node:crypto`), which a browser lacks, so the apps bundle the pure-JS twin instead — same
 * exports, same results (both are tested against the same vectors). An import of a module listed
 * here resolves to its twin.
 */
const browserTwins = new Map([
  [join(root, 'src/domain/ledger/sha256.ts'), join(root, 'src/domain/ledger/sha256.browser.ts')],
]);

const browserTwinsPlugin: esbuild.Plugin = {
  name: 'browser-twins',
  setup(build) {
    build.onResolve({ filter: /^\.{1,2}\/.*\.js$/ }, (args) => {
      const twin = browserTwins.get(resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')));
      return twin ? { path: twin } : undefined;
    });
  },
};

export async function buildWeb(opts: { minify?: boolean } = {}): Promise<BuildResult> {
  const started = performance.now();
  const minify = opts.minify ?? true;
  // Built beside the served folder and swapped in at the end, so that a server (or another
  // build) never sees half of one.
  const staging = `${webOut}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  const appDir = join(staging, 'app');
  await mkdir(appDir, { recursive: true });

  await esbuild.build({
    entryPoints: Object.fromEntries(webApps.map((a) => [`${a.name}/app`, join(here, a.name, 'main.tsx')])),
    outdir: appDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify,
    sourcemap: true,
    legalComments: 'linked',
    loader: { '.png': 'dataurl', '.svg': 'dataurl' },
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [browserTwinsPlugin],
    logLevel: 'warning',
  });

  for (const app of webApps) {
    const dir = join(appDir, app.name);
    await writeFile(join(dir, 'index.html'), page(app));
    if (app.pwa) await writeFile(join(dir, 'manifest.webmanifest'), manifest(app));
  }
  await writeFile(join(appDir, 'icon.svg'), icon);
  await writeFile(join(appDir, 'index.html'), home());
  await writeFile(join(staging, '_headers'), headersFile);

  // Service workers last: each precaches its app's files, named with a version made of their bytes.
  for (const app of webApps.filter((a) => a.pwa)) {
    const dir = join(appDir, app.name);
    const files = (await filesUnder(dir)).filter((f) => !f.endsWith('.map') && !f.endsWith('.LEGAL.txt'));
    const hash = createHash('sha256');
    for (const f of files.sort()) hash.update(relative(dir, f)).update(await readFile(f));
    const precache = ['./', ...files.map((f) => `./${relative(dir, f)}`), '../icon.svg'];
    await esbuild.build({
      entryPoints: [join(here, app.name, 'sw.ts')],
      outfile: join(dir, 'sw.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: ['chrome100', 'firefox100', 'safari15'],
      minify,
      define: {
        __SW_VERSION__: JSON.stringify(hash.digest('hex').slice(0, 16)),
        __SW_PRECACHE__: JSON.stringify(precache),
      },
      plugins: [browserTwinsPlugin],
      logLevel: 'warning',
    });
  }

  let bytes = 0;
  const all = await filesUnder(staging);
  for (const f of all) bytes += (await stat(f)).size;
  const old = `${webOut}.${process.pid}.old`;
  await rename(webOut, old).catch(() => undefined);
  await rename(staging, webOut);
  await rm(old, { recursive: true, force: true });
  return { outDir: webOut, files: all.length, bytes, ms: performance.now() - started };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await buildWeb();
  console.log(
    `web apps built in ${Math.round(result.ms)} ms: ${result.files} files, ${Math.round(result.bytes / 1024)} KiB in ${relative(process.cwd(), result.outDir)}`,
  );
}
