import { createRoute } from '@hono/zod-openapi';
import {
  detectionPeriodQuery,
  listDetections,
  miningByDistrict,
} from '../../domain/reports/mining-outside-concessions.js';
import { geoJsonPage, wantsGeoJson } from '../../http/lists.js';
import { access, errorResponses, jsonResponse, listResponse } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { detectionListQuery, detectionSchema, miningSummarySchema } from './schemas.js';

const tags = ['Remote sensing'];

const routes = {
  summary: createRoute({
    method: 'get',
    path: '/v1/detections/summary',
    tags,
    summary:
      'Per district: mining detected from space, inside valid mining concessions, outside any, and inside exclusion zones',
    // The regulator's measure of mining outside concessions (the brief's share).
    ...access('regulator'),
    request: {
      query: detectionPeriodQuery.openapi({
        description: 'from/to: days; footprints whose period overlaps them count (default: every period)',
      }),
    },
    responses: { 200: jsonResponse(miningSummarySchema, 'The figures per district'), ...errorResponses },
  }),
  list: createRoute({
    method: 'get',
    path: '/v1/detections',
    tags,
    summary:
      'Mining footprints and alerts by bounding box and period; GeoJSON with Accept: application/geo+json',
    ...access('regulator', 'admin'),
    request: { query: detectionListQuery },
    responses: { 200: listResponse(detectionSchema, 'A page of detections'), ...errorResponses },
  }),
};

export function registerDetectionRoutes(app: Router) {
  app.openapi(routes.summary, async (c) =>
    c.json(await miningByDistrict(c.var.services.db, c.req.valid('query')), 200),
  );
  app.openapi(routes.list, async (c) => {
    const page = await listDetections(c.var.services.db, c.req.valid('query'));
    return wantsGeoJson(c) ? geoJsonPage(c, page, 'geometry') : c.json(page, 200);
  });
}
