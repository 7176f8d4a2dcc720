import { verifyPublicly } from '../../domain/lots/public-verification.js';
import { ApiError } from '../../domain/shared/errors.js';
import { problemResponse } from '../../http/problem.js';
import type { Router } from '../../http/router.js';
import { renderVerification } from './page.js';
import { pageLanguage } from './words.js';

/**
 * GET /v/:token — the URL printed in every QR code. People get a page in Spanish or English
 * (?lang=, else Accept-Language) that says what to do; clients asking for JSON get the same
 * facts. Only public status is shown: no weights, owners or places.
 */
export function registerVerifyRoutes(app: Router) {
  app.get('/v/:token', async (c) => {
    const { db, ledgerKey, baseUrl, reportContact } = c.var.services;
    const result = await verifyPublicly(db, [ledgerKey.publicJwk], c.req.param('token'), baseUrl);
    const status = result.genuine ? 200 : 422;
    c.header('cache-control', 'no-store');
    c.header('vary', 'Accept, Accept-Language');
    if (/application\/json/i.test(c.req.header('accept') ?? '')) {
      if (result.genuine) return c.json(result, status);
      // A forged or garbled code is an error like any other: problem+json, with the verdict kept.
      return problemResponse(
        c,
        new ApiError('invalid_qr', result.reason ?? 'QR code not genuine', { extra: { ...result } }),
      );
    }
    const lang = pageLanguage(c.req.query('lang'), c.req.header('accept-language'));
    c.header('content-language', lang);
    return c.html(renderVerification(result, { lang, contact: reportContact }), status);
  });
}
