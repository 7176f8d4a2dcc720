import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';
import { packageRoot } from '../package-root.node.js';
import { assetHeaders } from './asset-headers.js';

/** Where `npm run build:web` (src/web/build.ts) writes the web apps. */
const webRoot = join(packageRoot, 'dist', 'web');

/**
 * The web apps under /app/ on Node, as Workers static assets serve them on the edge: files of
 * dist/web with the headers of asset-headers.ts, index.html for a folder, and a folder asked
 * for without its slash redirected to it (relative links in the pages need it).
 */
export function webAssets(root = webRoot): MiddlewareHandler {
  if (!existsSync(join(root, 'app', 'index.html'))) {
    console.warn(`web apps not built (no ${root}/app/index.html): run \`npm run build:web\``);
  }
  const files = serveStatic({ root });
  return async (c, next) => {
    const path = c.req.path;
    if (path === '/app' || /^\/app\/(checkpoint|exporter|regulator)$/.test(path)) {
      return c.redirect(`${path}/${new URL(c.req.url).search}`, 301);
    }
    let passedOn = false;
    const res = await files(c, async () => {
      passedOn = true;
      await next();
    });
    // A file was found: it gets the assets' headers (serveStatic builds its own response).
    if (!passedOn) for (const [k, v] of Object.entries(assetHeaders)) c.res.headers.set(k, v);
    return res;
  };
}
