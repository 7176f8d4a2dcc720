import { createRoute, z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import { epcisContextUrl, toEpcisDocument } from '../../domain/lots/epcis.js';
import { getProvenance, provenanceFeatures } from '../../domain/lots/provenance.js';
import { provenanceJson } from '../../domain/lots/provenance-json.js';
import { gs1Options, qrLinks } from '../../http/gs1.js';
import { access, errorResponses, uuidParam } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { provenanceSchema } from './schemas.js';

const featureCollection = z
  .object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) })
  .openapi({
    description:
      'Origin points of the lots (Point; lotId, code, extractedOn, producerId, concessionId) and their concessions (MultiPolygon; code, name, kind, status)',
  });

const epcisDocument = z
  .object({
    '@context': z.array(z.unknown()),
    type: z.literal('EPCISDocument'),
    schemaVersion: z.literal('2.0'),
    creationDate: z.string(),
    epcisBody: z.object({ eventList: z.array(z.record(z.string(), z.unknown())) }),
  })
  .openapi({
    description: `A GS1 EPCIS 2.0 JSON-LD document (${epcisContextUrl}); valid against GS1's EPCIS-JSON-Schema.json`,
  });

const route = createRoute({
  method: 'get',
  path: '/v1/lots/{id}/provenance',
  tags: ['Lots'],
  summary: 'Where a lot’s gold came from and where it went: as JSON, GeoJSON or GS1 EPCIS 2.0',
  ...access('exporter', 'regulator', 'admin'),
  request: {
    params: uuidParam,
    query: z.object({
      format: z
        .enum(['json', 'geojson', 'epcis'])
        .default('json')
        .openapi({ description: 'json (default), geojson (origins and concessions), epcis (GS1 EPCIS 2.0)' }),
    }),
  },
  responses: {
    200: {
      description: 'The provenance (exporters: of a lot they produced or hold)',
      content: {
        'application/json': { schema: provenanceSchema },
        'application/geo+json': { schema: featureCollection },
        'application/ld+json': { schema: epcisDocument },
      },
    },
    ...errorResponses,
  },
});

/**
 * Sends JSON text already written (by PostgreSQL) as the route's JSON response: c.json would
 * parse nothing but serialise again, so the text goes out as the body, typed as what it is.
 */
const asProvenanceJson = (c: Context, text: string) =>
  c.body(text, 200, { 'content-type': 'application/json' }) as unknown as TypedResponse<
    JSONParsed<z.infer<typeof provenanceSchema>>,
    200,
    'json'
  >;

export function registerProvenanceRoutes(app: Router) {
  app.openapi(route, async (c) => {
    const { db, baseUrl } = c.var.services;
    const id = c.req.valid('param').id;
    const format = c.req.valid('query').format;
    // JSON is written by PostgreSQL (domain/lots/provenance-json.ts) and sent as it comes.
    if (format === 'json') {
      return asProvenanceJson(c, await provenanceJson(db, c.var.principal, id, qrLinks(c)));
    }
    const p = await getProvenance(db, c.var.principal, id, qrLinks(c));
    // c.json keeps a content-type given in headers: GeoJSON and JSON-LD are served as such.
    if (format === 'geojson') {
      return c.json(await provenanceFeatures(db, p), 200, { 'content-type': 'application/geo+json' });
    }
    return c.json(toEpcisDocument(p, { baseUrl, now: new Date(), gs1: gs1Options(c) }), 200, {
      'content-type': 'application/ld+json',
    });
  });
}
