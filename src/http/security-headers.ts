import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';

/**
 * The server's own HTML pages (the public /v/ page, /docs, a lot's label) are static: no script,
 * styles inline, images inline (the QR as SVG) or from here. Nothing may frame them.
 */
const htmlPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** JSON, images and problems are never documents: nothing runs in them and nothing frames them. */
const dataPolicy = "default-src 'none'; frame-ancestors 'none'";

/** A year, and the subdomains: the usual HSTS policy once a deployment is on https. */
const hsts = 'max-age=31536000; includeSubDomains';

/**
 * Headers every answer carries, whatever route or error produced it: no content sniffing, no
 * referrer, no framing, a CSP fitted to what the answer is, HSTS when the deployment is on https
 * (its BASE_URL, or the request itself when no services were set up), and `no-store` on answers
 * to an authenticated request, so that no shared cache or browser history keeps a lot, a flag or
 * a report. Headers a route set itself (the web apps' CSP, the JWKS's caching) are kept, except
 * `Cache-Control` on authenticated answers, which always wins.
 */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const headers = c.res.headers;
  const setDefault = (name: string, value: string) => {
    if (!headers.has(name)) headers.set(name, value);
  };
  setDefault('X-Content-Type-Options', 'nosniff');
  setDefault('Referrer-Policy', 'no-referrer');
  setDefault('X-Frame-Options', 'DENY');
  const isHtml = headers.get('content-type')?.startsWith('text/html') ?? false;
  setDefault('Content-Security-Policy', isHtml ? htmlPolicy : dataPolicy);
  const base = c.get('services')?.baseUrl ?? c.req.url;
  if (base.startsWith('https:')) setDefault('Strict-Transport-Security', hsts);
  if (c.req.header('authorization') !== undefined) headers.set('Cache-Control', 'no-store');
};
