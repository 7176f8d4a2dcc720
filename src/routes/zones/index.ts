import { createRoute } from '@hono/zod-openapi';
import { createZone, getZone, listZones, newZoneSchema, retireZone } from '../../domain/reference/zones.js';
import { geoJsonPage, wantsGeoJson } from '../../http/lists.js';
import {
  access,
  errorResponses,
  jsonBody,
  jsonResponse,
  listResponse,
  uuidParam,
  validToBody,
} from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { zoneListQuery, zoneSchema } from './schemas.js';

const tags = ['Zones'];

const reader = access('admin', 'regulator', 'exporter', 'checkpoint');

const routes = {
  create: createRoute({
    method: 'post',
    path: '/v1/zones',
    tags,
    summary: 'Record an exclusion zone (protected area, buffer zone, mining exclusion…)',
    ...access('admin'),
    request: { body: jsonBody(newZoneSchema) },
    responses: { 201: jsonResponse(zoneSchema, 'The zone'), ...errorResponses },
  }),
  get: createRoute({
    method: 'get',
    path: '/v1/zones/{id}',
    tags,
    summary: 'A zone',
    ...reader,
    request: { params: uuidParam },
    responses: { 200: jsonResponse(zoneSchema, 'The zone'), ...errorResponses },
  }),
  list: createRoute({
    method: 'get',
    path: '/v1/zones',
    tags,
    summary: 'Zones by bounding box and kind; GeoJSON with Accept: application/geo+json',
    ...reader,
    request: { query: zoneListQuery },
    responses: { 200: listResponse(zoneSchema, 'A page of zones'), ...errorResponses },
  }),
  retire: createRoute({
    method: 'post',
    path: '/v1/zones/{id}/retire',
    tags,
    summary: "End a zone's validity (reference data is never deleted)",
    ...access('admin'),
    request: { params: uuidParam, body: validToBody },
    responses: { 200: jsonResponse(zoneSchema, 'The zone'), ...errorResponses },
  }),
};

export function registerZoneRoutes(app: Router) {
  app.openapi(routes.create, async (c) => {
    const { zone } = await createZone(c.var.services.db, c.var.principal, c.req.valid('json'));
    return c.json(zone, 201);
  });
  app.openapi(routes.get, async (c) =>
    c.json(await getZone(c.var.services.db, c.req.valid('param').id), 200),
  );
  app.openapi(routes.list, async (c) => {
    const page = await listZones(c.var.services.db, c.req.valid('query'));
    return wantsGeoJson(c) ? geoJsonPage(c, page, 'geometry') : c.json(page, 200);
  });
  app.openapi(routes.retire, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await retireZone(c.var.services.db, c.var.principal, id, c.req.valid('json').validTo), 200);
  });
}
