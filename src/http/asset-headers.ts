/**
 * Response headers of the web apps' static files, written once: the web build (src/web/build.ts)
 * turns them into the `_headers` file of Workers static assets, and the Node server sets them
 * itself (assets.node.ts), so both runtimes answer alike. They are HTTP, so they live in http/:
 * the build script imports them from here, and the server never imports from src/web/.
 */
export const assetHeaders: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Everything is served from here; map tiles may come from a configured https server.
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; connect-src 'self'; media-src 'self' blob:; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
  'Permissions-Policy': 'camera=(self), geolocation=(self)',
  // Revalidated on every load, so a new deployment reaches devices at once; the checkpoint
  // app's service worker keeps the offline copy.
  'Cache-Control': 'no-cache',
};

/** The `_headers` file of Workers static assets for everything under /app/. */
export const headersFile = `/app/*\n${Object.entries(assetHeaders)
  .map(([k, v]) => `  ${k}: ${v}`)
  .join('\n')}\n`;
