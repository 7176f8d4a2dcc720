/**
 * The server build (esbuild): the Node entry and the CLIs, each bundled into one ES module under
 * dist/server/ (src/node.ts → dist/server/node.js, src/cli/token.ts → dist/server/cli/token.js),
 * which `npm start` and a production image run with plain node: no TypeScript at run time.
 *
 * Bundled, with every package left external: our own modules become one file per entry, while
 * node_modules stay as they are and are resolved at run time from the package root (PGlite
 * loads its wasm from its own folder). Files that ship beside the code (drizzle/, dist/web/) are
 * found from the package root (src/package-root.node.ts), not from the module's own place.
 *
 *   npm run build:server        (npm run build: the web apps, then this)
 */
import { readdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { packageRoot } from './package-root.node.js';

export const serverOut = join(packageRoot, 'dist', 'server');

/** The entries: the server, and every CLI of src/cli/ (dist/server/cli/<name>.js). */
async function entryPoints(): Promise<string[]> {
  const cli = join(packageRoot, 'src', 'cli');
  const clis = (await readdir(cli)).filter((f) => f.endsWith('.ts')).map((f) => join(cli, f));
  return [join(packageRoot, 'src', 'node.ts'), ...clis];
}

export async function buildServer(): Promise<{ outDir: string; entries: number; ms: number }> {
  const started = performance.now();
  const entries = await entryPoints();
  // A CLI removed from src/ must not stay runnable from an old build.
  await rm(serverOut, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries,
    outbase: join(packageRoot, 'src'),
    outdir: serverOut,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // `node --enable-source-maps` (npm start) reports errors at their place in src/.
    sourcemap: true,
    logLevel: 'warning',
  });
  return { outDir: serverOut, entries: entries.length, ms: performance.now() - started };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await buildServer();
  console.log(
    `server built in ${Math.round(result.ms)} ms: ${result.entries} entries in ${relative(process.cwd(), result.outDir)}`,
  );
}
