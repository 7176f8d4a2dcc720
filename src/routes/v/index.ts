import type { Context } from 'hono';
import { verifyPublicly } from '../../domain/lots/public-verification.js';
import { jwsParameter } from '../../domain/lots/qr.js';
import { ApiError } from '../../domain/shared/errors.js';
import { acceptedPrefixesOf, gs1Id, subjectOfGs1Id } from '../../domain/shared/gs1.js';
import type { AppEnv } from '../../http/env.js';
import { qrLinks } from '../../http/gs1.js';
import { problemResponse } from '../../http/problem.js';
import type { Router } from '../../http/router.js';
import { renderVerification } from './page.js';
import { pageLanguage } from './words.js';

/**
 * The public verification of a scanned code: a page in Spanish or English (?lang=, else
 * Accept-Language) that says what to do; clients asking for JSON get the same facts. Only public
 * status is shown: no weights, owners or places.
 */
async function answerScan(c: Context<AppEnv>, token: string, keep?: string) {
  const { db, ledgerKey, reportContact } = c.var.services;
  const result = await verifyPublicly(db, [ledgerKey.publicJwk], token, qrLinks(c));
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
  return c.html(renderVerification(result, { lang, contact: reportContact, keep }), status);
}

/**
 * The links a GS1 resolver lists for an identifier (GS1 Digital Link: `linkType=all`, answered as
 * an RFC 9264 linkset): the verification page, the default link, and the identifier's events in
 * this ledger's EPCIS query interface (for those allowed to read them).
 */
function linkset(c: Context<AppEnv>, subject: 'lot' | 'movement', code: string) {
  const links = qrLinks(c);
  const jws = c.req.queries(jwsParameter);
  const anchor = gs1Id(subject, links.companyPrefix, code, 'digital_link', links.baseUrl);
  const page = {
    href: jws?.length === 1 ? `${anchor}?${jwsParameter}=${jws[0]}` : anchor,
    title: subject === 'lot' ? 'Verificar el lote de oro' : 'Verificar el envío de insumos',
    type: 'text/html',
    hreflang: ['es', 'en'],
  };
  const epc = gs1Id(subject, links.companyPrefix, code, 'epc_urn');
  return c.json(
    {
      linkset: [
        {
          anchor,
          'https://gs1.org/voc/defaultLink': [page],
          'https://gs1.org/voc/verificationService': [page],
          'https://gs1.org/voc/epcis': [
            {
              href: `${links.baseUrl}/epcis/epcs/${encodeURIComponent(epc)}/events`,
              title: 'EPCIS 2.0 events',
              type: 'application/ld+json',
            },
          ],
        },
      ],
    },
    200,
    { 'content-type': 'application/linkset+json', vary: 'Accept' },
  );
}

/**
 * A GS1 Digital Link of ours resolved (`/8004/<GIAI>` of a lot, `/401/<GINC>` of a movement, as
 * QR_FORMAT=digital-link prints them): the public verification, as `/v/` answers it, of the
 * signature the link carries — which must name the identifier in the path (domain/lots/qr.ts) —
 * or, asked with `linkType=all` or for a linkset, the identifier's links. An identifier that is
 * not under this ledger's company prefix is not ours: 404.
 */
async function resolveDigitalLink(c: Context<AppEnv>, ai: '8004' | '401') {
  const url = new URL(c.req.url);
  const jws = url.searchParams.getAll(jwsParameter);
  const keep = jws.length === 1 && jws[0] ? `${jwsParameter}=${encodeURIComponent(jws[0])}&` : undefined;
  const named = subjectOfGs1Id(
    `${qrLinks(c).baseUrl}/${ai}/${c.req.param('key')}`,
    acceptedPrefixesOf(qrLinks(c)),
  );
  if (!named) {
    const reason = `no ${ai === '8004' ? 'GIAI' : 'GINC'} of this ledger's company prefix`;
    // A person whose phone opened a label's link reads a page that says what to do, not JSON.
    if (/text\/html/i.test(c.req.header('accept') ?? '')) {
      const lang = pageLanguage(c.req.query('lang'), c.req.header('accept-language'));
      c.header('content-language', lang);
      c.header('vary', 'Accept, Accept-Language');
      const unknown = { genuine: false, reason, refusal: 'unknown' } as const;
      return c.html(renderVerification(unknown, { lang, contact: c.var.services.reportContact, keep }), 404);
    }
    return problemResponse(c, new ApiError('not_found', reason));
  }
  if (c.req.query('linkType') === 'all' || /application\/linkset\+json/i.test(c.req.header('accept') ?? ''))
    return linkset(c, named.subject, named.code);
  return answerScan(c, `${url.origin}${url.pathname}${url.search}`, keep);
}

/** GET /v/:token — the compact URL printed in QR codes — and the Digital Links of ours. */
export function registerVerifyRoutes(app: Router) {
  app.get('/v/:token', (c) => answerScan(c, c.req.param('token')));
  // A QR torn or a link cut right after "/v/": no code at all is a code that does not verify.
  app.get('/v/', (c) => answerScan(c, ''));
  app.get('/8004/:key', (c) => resolveDigitalLink(c, '8004'));
  app.get('/401/:key', (c) => resolveDigitalLink(c, '401'));
}
