import { createRoute } from '@hono/zod-openapi';
import { assertMayReadQuotas, currentMonth, quotaReport } from '../../domain/inputs/quotas.js';
import {
  addRegistration,
  createActor,
  getActor,
  listActors,
  newActorSchema,
  newRegistrationSchema,
} from '../../domain/reference/actors.js';
import { access, errorResponses, jsonBody, jsonResponse, pageOf, uuidParam } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { quotaReportSchema } from '../movements/schemas.js';
import { registerActorDirectoryRoutes } from './directory.js';
import {
  actorDetailSchema,
  actorListQuery,
  actorSchema,
  quotasQuery,
  registrationSchema,
} from './schemas.js';

const tags = ['Actors'];

const create = createRoute({
  method: 'post',
  path: '/v1/actors',
  tags,
  summary: 'Register an actor (miner, trader, exporter, supplier…)',
  ...access('admin'),
  request: { body: jsonBody(newActorSchema) },
  responses: { 201: jsonResponse(actorSchema, 'The actor'), ...errorResponses },
});

const get = createRoute({
  method: 'get',
  path: '/v1/actors/{id}',
  tags,
  summary: 'An actor with its registration history and the registrations in force today',
  ...access('admin', 'regulator'),
  request: { params: uuidParam },
  responses: { 200: jsonResponse(actorDetailSchema, 'The actor'), ...errorResponses },
});

const list = createRoute({
  method: 'get',
  path: '/v1/actors',
  tags,
  summary: 'Actors, filtered by kind and by a text found in name or tax id',
  ...access('admin', 'regulator'),
  request: { query: actorListQuery },
  responses: { 200: jsonResponse(pageOf(actorSchema), 'A page of actors'), ...errorResponses },
});

const register = createRoute({
  method: 'post',
  path: '/v1/actors/{id}/registrations',
  tags,
  summary: "Append a registration (formalization, trader, controlled inputs) to an actor's history",
  ...access('admin'),
  request: {
    params: uuidParam,
    body: jsonBody(newRegistrationSchema),
  },
  responses: { 201: jsonResponse(registrationSchema, 'The registration'), ...errorResponses },
});

const quotas = createRoute({
  method: 'get',
  path: '/v1/actors/{id}/quotas',
  tags,
  summary: 'Per controlled input, the monthly quota against what the actor received (exporters: their own)',
  ...access('regulator', 'admin', 'exporter'),
  request: { params: uuidParam, query: quotasQuery },
  responses: {
    200: jsonResponse(quotaReportSchema, 'Quota, received and remaining per input'),
    ...errorResponses,
  },
});

export function registerActorRoutes(app: Router) {
  // Before /v1/actors/{id}, whose id parameter would otherwise be offered "directory".
  registerActorDirectoryRoutes(app);
  app.openapi(create, async (c) => {
    const actor = await createActor(c.var.services.db, c.var.principal, c.req.valid('json'));
    return c.json(actor, 201);
  });
  app.openapi(get, async (c) => c.json(await getActor(c.var.services.db, c.req.valid('param').id), 200));
  app.openapi(list, async (c) => c.json(await listActors(c.var.services.db, c.req.valid('query')), 200));
  app.openapi(register, async (c) => {
    const { id } = c.req.valid('param');
    const row = await addRegistration(c.var.services.db, c.var.principal, id, c.req.valid('json'));
    return c.json(row, 201);
  });
  app.openapi(quotas, async (c) => {
    const { id } = c.req.valid('param');
    assertMayReadQuotas(c.var.principal, id);
    const month = c.req.valid('query').month ?? currentMonth();
    return c.json(await quotaReport(c.var.services.db, id, month), 200);
  });
}
