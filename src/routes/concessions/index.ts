import { createRoute, z } from '@hono/zod-openapi';
import {
  addOperator,
  concessionChangeSchema,
  concessionOperatorsOf,
  createConcession,
  getConcession,
  listConcessions,
  newConcessionSchema,
  newOperatorSchema,
  retireConcession,
  updateConcession,
} from '../../domain/reference/concessions.js';
import { previewOverlaps } from '../../domain/reference/overlaps.js';
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
import {
  concessionDetailSchema,
  concessionListQuery,
  concessionSchema,
  operatorSchema,
  overlapConflictResponse,
  overlapDryRunQuery,
  overlapPreviewSchema,
} from './schemas.js';

const tags = ['Concessions'];

const reader = access('admin', 'regulator', 'exporter');

const routes = {
  create: createRoute({
    method: 'post',
    path: '/v1/concessions',
    tags,
    summary: 'Register a concession (mining, timber, chestnut…) with its MultiPolygon',
    ...access('admin'),
    description:
      'Roles: admin. The right is measured against every right in force: one it overlaps (beyond a sliver of 0.01 ha or 0.1 % of the smaller right) is refused with 409 naming each overlapped right, its holder and the overlap, unless `overlapException` gives the legal basis on which they may coexist — then each overlap is filed as an open overlap case. `?dryRun=true` answers the overlaps without filing.',
    request: { query: overlapDryRunQuery, body: jsonBody(newConcessionSchema) },
    responses: {
      200: jsonResponse(
        overlapPreviewSchema,
        'Dry run: the overlaps the registry would find; nothing written',
      ),
      201: jsonResponse(concessionSchema, 'The concession, with areaHa'),
      ...errorResponses,
      ...overlapConflictResponse,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/v1/concessions/{id}',
    tags,
    summary: 'A concession with its area and authorized operators',
    ...reader,
    request: { params: uuidParam },
    responses: { 200: jsonResponse(concessionDetailSchema, 'The concession'), ...errorResponses },
  }),
  list: createRoute({
    method: 'get',
    path: '/v1/concessions',
    tags,
    summary: 'Concessions by bounding box and kind; GeoJSON with Accept: application/geo+json',
    ...reader,
    request: { query: concessionListQuery },
    responses: { 200: listResponse(concessionSchema, 'A page of concessions'), ...errorResponses },
  }),
  addOperator: createRoute({
    method: 'post',
    path: '/v1/concessions/{id}/operators',
    tags,
    summary: 'Record a contract by which an actor may work a mining concession',
    ...access('admin'),
    request: { params: uuidParam, body: jsonBody(newOperatorSchema) },
    responses: { 201: jsonResponse(operatorSchema, 'The operator contract'), ...errorResponses },
  }),
  update: createRoute({
    method: 'patch',
    path: '/v1/concessions/{id}',
    tags,
    summary:
      'Change a concession’s kind, status, holder, grant date or geometry; its lots are screened again',
    ...access('admin'),
    description:
      'Roles: admin. A new geometry is checked against every other right in force as a registration is (409 naming the overlaps, unless `overlapException`); `?dryRun=true` answers the overlaps of the geometry given (or the stored one) without changing anything.',
    request: { params: uuidParam, query: overlapDryRunQuery, body: jsonBody(concessionChangeSchema) },
    responses: {
      200: {
        description: 'The concession as changed, or with `?dryRun=true` the overlaps the registry would find',
        content: { 'application/json': { schema: z.union([concessionSchema, overlapPreviewSchema]) } },
      },
      ...errorResponses,
      ...overlapConflictResponse,
    },
  }),
  retire: createRoute({
    method: 'post',
    path: '/v1/concessions/{id}/retire',
    tags,
    summary: 'Retire a concession from a date on (reference data is never deleted)',
    ...access('admin'),
    description:
      'Roles: admin. An earlier date retires it sooner; a later date than the one it is already retired on would put it back in force past the registry’s overlap check, and is refused with 409 (file the right again instead).',
    request: { params: uuidParam, body: retiredOnBody },
    responses: { 200: jsonResponse(concessionSchema, 'The retired concession'), ...errorResponses },
  }),
};

export function registerConcessionRoutes(app: Router) {
  app.openapi(routes.create, async (c) => {
    const input = c.req.valid('json');
    if (c.req.valid('query').dryRun) {
      const preview = await previewOverlaps(c.var.services.db, c.var.principal, {
        geometry: input.geometry,
        exception: input.overlapException,
      });
      return c.json(preview, 200);
    }
    return c.json(await createConcession(c.var.services.db, c.var.principal, input), 201);
  });
  app.openapi(routes.get, async (c) => {
    const { id } = c.req.valid('param');
    const db = c.var.services.db;
    const [concession, operators] = await Promise.all([getConcession(db, id), concessionOperatorsOf(db, id)]);
    return c.json({ ...concession, operators }, 200);
  });
  app.openapi(routes.list, async (c) => {
    const page = await listConcessions(c.var.services.db, c.req.valid('query'));
    return wantsGeoJson(c) ? geoJsonPage(c, page, 'geometry') : c.json(page, 200);
  });
  app.openapi(routes.addOperator, async (c) => {
    const row = await addOperator(
      c.var.services.db,
      c.var.principal,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json(row, 201);
  });
  app.openapi(routes.update, async (c) => {
    const { id } = c.req.valid('param');
    const change = c.req.valid('json');
    if (c.req.valid('query').dryRun) {
      await getConcession(c.var.services.db, id);
      const preview = await previewOverlaps(c.var.services.db, c.var.principal, {
        geometry: change.geometry,
        except: id,
        exception: change.overlapException,
      });
      return c.json(preview, 200);
    }
    return c.json(await updateConcession(c.var.services.db, c.var.principal, id, change), 200);
  });
  app.openapi(routes.retire, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(
      await retireConcession(c.var.services.db, c.var.principal, id, c.req.valid('json').retiredOn),
      200,
    );
  });
}
