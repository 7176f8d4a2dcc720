import { createRoute } from '@hono/zod-openapi';
import {
  decideOverlapCase,
  getOverlapCase,
  listOverlapCases,
  scanOverlaps,
  startMediation,
} from '../../domain/reference/overlap-cases.js';
import { access, errorResponses, jsonBody, jsonResponse, pageOf, uuidParam } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import {
  overlapCaseDetailSchema,
  overlapCaseSchema,
  overlapDecisionSchema,
  overlapListQuery,
  overlapMediationSchema,
  overlapScanSchema,
} from './schemas.js';

const tags = ['Overlap cases'];

const workers = access('regulator', 'admin');

const routes = {
  list: createRoute({
    method: 'get',
    path: '/v1/overlaps',
    operationId: 'listOverlapCases',
    tags,
    summary: 'Overlap cases by status, right or holder, a page at a time',
    ...workers,
    request: { query: overlapListQuery },
    responses: { 200: jsonResponse(pageOf(overlapCaseSchema), 'A page of overlap cases'), ...errorResponses },
  }),
  get: createRoute({
    method: 'get',
    path: '/v1/overlaps/{id}',
    operationId: 'getOverlapCase',
    tags,
    summary: 'An overlap case with the overlap and both rights as GeoJSON',
    ...workers,
    request: { params: uuidParam },
    responses: { 200: jsonResponse(overlapCaseDetailSchema, 'The overlap case'), ...errorResponses },
  }),
  mediation: createRoute({
    method: 'post',
    path: '/v1/overlaps/{id}/mediation',
    operationId: 'startOverlapMediation',
    tags,
    summary: 'Take an open overlap case to mediation between the holders',
    ...workers,
    request: { params: uuidParam, body: jsonBody(overlapMediationSchema) },
    responses: {
      200: jsonResponse(overlapCaseDetailSchema, 'The case, in mediation'),
      ...errorResponses,
    },
  }),
  decision: createRoute({
    method: 'post',
    path: '/v1/overlaps/{id}/decision',
    operationId: 'decideOverlapCase',
    tags,
    summary: 'Record an authority’s decision on an overlap case and carry out its effect',
    ...workers,
    description:
      'Roles: regulator, admin. coexistence, right_reduced (with concessionId and its new geometry, checked against every right in force) and right_annulled (with concessionId: cancelled and retired from decidedOn) resolve the case, close the pair’s CONCESSION_OVERLAPS_OTHER_RIGHTS flags with the decision as reason and re-screen the lots of both rights; dismissed annuls the case. A case already resolved or annulled: 409.',
    request: { params: uuidParam, body: jsonBody(overlapDecisionSchema) },
    responses: {
      200: jsonResponse(overlapCaseDetailSchema, 'The case as decided'),
      ...errorResponses,
    },
  }),
  scan: createRoute({
    method: 'post',
    path: '/v1/overlaps/scan',
    operationId: 'scanOverlaps',
    tags,
    summary: 'File every overlap of rights in force that has no case yet as an open case',
    ...access('admin'),
    description:
      'Roles: admin. Works through the registry in batches of rights, one transaction each, so that filing and redrawing rights wait for one batch, not the whole scan. A scan cut short keeps the cases of the batches it finished; run again, it files the rest (a pair with a case is never filed twice).',
    responses: {
      200: jsonResponse(overlapScanSchema, 'The pairs found and the cases opened'),
      ...errorResponses,
    },
  }),
};

export function registerOverlapRoutes(app: Router) {
  app.openapi(routes.scan, async (c) => c.json(await scanOverlaps(c.var.services.db, c.var.principal), 200));
  app.openapi(routes.list, async (c) =>
    c.json(await listOverlapCases(c.var.services.db, c.req.valid('query')), 200),
  );
  app.openapi(routes.get, async (c) =>
    c.json(await getOverlapCase(c.var.services.db, c.req.valid('param').id), 200),
  );
  app.openapi(routes.mediation, async (c) =>
    c.json(
      await startMediation(c.var.services.db, c.var.principal, c.req.valid('param').id, c.req.valid('json')),
      200,
    ),
  );
  app.openapi(routes.decision, async (c) =>
    c.json(
      await decideOverlapCase(
        c.var.services.db,
        c.var.principal,
        c.req.valid('param').id,
        c.req.valid('json'),
      ),
      200,
    ),
  );
}
