import { completeOpenApi } from '../../http/openapi-document.js';
import type { Router } from '../../http/router.js';
import { renderDocs } from './page.js';

const apiInfo = {
  title: 'orotrace API',
  version: '0.1.0',
  description:
    'Gold-traceability and supply-control ledger: gold lots from extraction to export, controlled inputs on fiscal routes, risk flags and a tamper-evident event log.',
};

/** The OpenAPI document of the app's routes, complete (openapi-document.ts), for a deployment at `baseUrl`. */
export const openApiDocument = (app: Router, baseUrl: string) =>
  completeOpenApi(app.getOpenAPI31Document({ openapi: '3.1.0', info: apiInfo }), baseUrl);

/** The OpenAPI document of every route of the app (/openapi.json, built when asked) and its human page (/docs). */
export function registerDocsRoutes(app: Router) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A JWT with claims sub, role (checkpoint|exporter|regulator|admin), actor or checkpoint, iss, aud, exp.',
  });
  const document = (baseUrl: string) => openApiDocument(app, baseUrl);
  app.get('/openapi.json', (c) => c.json(document(c.var.services.baseUrl)));
  app.get('/docs', (c) =>
    c.html(
      renderDocs(
        document(c.var.services.baseUrl) as Parameters<typeof renderDocs>[0],
        c.var.services.baseUrl,
      ),
    ),
  );
}
