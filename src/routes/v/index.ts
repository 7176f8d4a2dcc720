import { html } from 'hono/html';
import { verifyPublicly } from '../../domain/lots/public-verification.js';
import { ApiError } from '../../domain/shared/errors.js';
import { problemResponse } from '../../http/problem.js';
import type { Router } from '../../http/router.js';

/**
 * GET /v/:token — the URL printed in every QR code. People get a page; clients asking for
 * JSON get the same facts. Only public status is shown: no weights, owners or places.
 */
export function registerVerifyRoutes(app: Router) {
  app.get('/v/:token', async (c) => {
    const { db, ledgerKey, baseUrl } = c.var.services;
    const result = await verifyPublicly(db, [ledgerKey.publicJwk], c.req.param('token'), baseUrl);
    const status = result.genuine ? 200 : 422;
    c.header('cache-control', 'no-store');
    if (/application\/json/i.test(c.req.header('accept') ?? '')) {
      if (result.genuine) return c.json(result, status);
      // A forged or garbled code is an error like any other: problem+json, with the verdict kept.
      return problemResponse(
        c,
        new ApiError('invalid_qr', result.reason ?? 'QR code not genuine', { extra: { ...result } }),
      );
    }
    const verdict = result.genuine
      ? result.flagged
        ? { text: 'Auténtico — con alertas abiertas', color: '#b5830f' }
        : { text: 'Auténtico', color: '#2b7a4b' }
      : { text: 'NO auténtico', color: '#a83a3a' };
    return c.html(
      html`<!doctype html>
<html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>orotrace — ${verdict.text}</title>
<style>body{font:17px/1.5 system-ui,sans-serif;margin:0;padding:1.5rem;max-width:34rem}
.v{color:#fff;background:${verdict.color};padding:1rem;border-radius:8px;font-size:1.6rem;font-weight:700}
dt{font-weight:600}dd{margin:0 0 .5rem}</style></head>
<body>
<p class="v">${verdict.text}</p>
${
  result.genuine
    ? html`<dl><dt>Código</dt><dd>${result.code}</dd>
${result.form ? html`<dt>Forma</dt><dd>${result.form}</dd>` : ''}
${result.input ? html`<dt>Insumo</dt><dd>${result.input}</dd>` : ''}
${result.status ? html`<dt>Estado</dt><dd>${result.status}</dd>` : ''}
<dt>Alertas</dt><dd>${result.flagged ? `Sí: ${result.kind === 'movement' ? 'este envío' : 'este lote'} tiene alertas de riesgo abiertas` : 'Ninguna abierta'}</dd></dl>`
    : html`<p>Este código QR no fue emitido por orotrace o fue alterado: ${result.reason}.</p>`
}
<p><small>Verificado con la clave pública del libro: <a href="/.well-known/jwks.json">/.well-known/jwks.json</a></small></p>
</body></html>`,
      status,
    );
  });
}
