import { createRoute } from '@hono/zod-openapi';
import { declareAirLink, listAirLinks, newAirLinkSchema } from '../../domain/reference/air-links.js';
import {
  createCheckpoint,
  getCheckpoint,
  listCheckpoints,
  newCheckpointSchema,
  retireCheckpoint,
} from '../../domain/reference/checkpoints.js';
import { geoJsonPage, wantsGeoJson } from '../../http/lists.js';
import {
  access,
  errorResponses,
  jsonBody,
  jsonResponse,
  listResponse,
  retiredOnBody,
  uuidParam,
} from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { airLinksSchema, checkpointListQuery, checkpointSchema } from './schemas.js';

const tags = ['Checkpoints'];

const reader = access('admin', 'regulator', 'exporter', 'checkpoint');
const admin = access('admin');

const routes = {
  declareAirLink: createRoute({
    method: 'post',
    path: '/v1/checkpoints/air-links',
    tags,
    summary: 'Declare a scheduled air link between two airport checkpoints, or revise its minimum time',
    ...admin,
    description: `${admin.description} Both ends must be checkpoints of mode air (422 otherwise). A lot scanned at the departure airport and then at the arrival one at least minMinutes later is not taken for a cloned QR. Declaring a link again replaces its minMinutes and source.`,
    request: { body: jsonBody(newAirLinkSchema) },
    responses: {
      200: jsonResponse(airLinksSchema, 'The links declared, as they now stand'),
      ...errorResponses,
    },
  }),
  listAirLinks: createRoute({
    method: 'get',
    path: '/v1/checkpoints/air-links',
    tags,
    summary: 'The known air links between airport checkpoints',
    ...reader,
    responses: { 200: jsonResponse(airLinksSchema, 'Every known air link'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post',
    path: '/v1/checkpoints',
    tags,
    summary: 'Register a control post on a fiscal route',
    ...access('admin'),
    request: { body: jsonBody(newCheckpointSchema) },
    responses: { 201: jsonResponse(checkpointSchema, 'The checkpoint'), ...errorResponses },
  }),
  get: createRoute({
    method: 'get',
    path: '/v1/checkpoints/{id}',
    tags,
    summary: 'A checkpoint',
    ...reader,
    request: { params: uuidParam },
    responses: { 200: jsonResponse(checkpointSchema, 'The checkpoint'), ...errorResponses },
  }),
  list: createRoute({
    method: 'get',
    path: '/v1/checkpoints',
    tags,
    summary: 'Checkpoints; GeoJSON with Accept: application/geo+json',
    ...reader,
    request: { query: checkpointListQuery },
    responses: { 200: listResponse(checkpointSchema, 'A page of checkpoints'), ...errorResponses },
  }),
  retire: createRoute({
    method: 'post',
    path: '/v1/checkpoints/{id}/retire',
    tags,
    summary: 'Retire a checkpoint from a date on (reference data is never deleted)',
    ...access('admin'),
    request: { params: uuidParam, body: retiredOnBody },
    responses: { 200: jsonResponse(checkpointSchema, 'The checkpoint'), ...errorResponses },
  }),
};

export function registerCheckpointRoutes(app: Router) {
  // Before /v1/checkpoints/{id}, which would read "air-links" as an id.
  app.openapi(routes.declareAirLink, async (c) =>
    c.json({ items: await declareAirLink(c.var.services.db, c.var.principal, c.req.valid('json')) }, 200),
  );
  app.openapi(routes.listAirLinks, async (c) => c.json(await listAirLinks(c.var.services.db), 200));
  app.openapi(routes.create, async (c) =>
    c.json(await createCheckpoint(c.var.services.db, c.var.principal, c.req.valid('json')), 201),
  );
  app.openapi(routes.get, async (c) =>
    c.json(await getCheckpoint(c.var.services.db, c.req.valid('param').id), 200),
  );
  app.openapi(routes.list, async (c) => {
    const page = await listCheckpoints(c.var.services.db, c.req.valid('query'));
    return wantsGeoJson(c) ? geoJsonPage(c, page, 'location') : c.json(page, 200);
  });
  app.openapi(routes.retire, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(
      await retireCheckpoint(c.var.services.db, c.var.principal, id, c.req.valid('json').retiredOn),
      200,
    );
  });
}
