import { createRoute, z } from '@hono/zod-openapi';
import QRCode from 'qrcode';
import { declareMovement, deliverMovement, newMovementSchema } from '../../domain/inputs/declaration.js';
import {
  getMovement,
  listMovements,
  movementListQuery,
  presentMovement,
} from '../../domain/inputs/movements.js';
import {
  access,
  errorResponses,
  jsonBody,
  jsonResponse,
  pageOf,
  pageQuery,
  uuidParam,
} from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { movementSchema } from './schemas.js';

const tags = ['Movements'];
const reader = access('regulator', 'admin', 'checkpoint', 'exporter');

const routes = {
  declare: createRoute({
    method: 'post',
    path: '/v1/movements',
    tags,
    summary: 'Declare a consignment of mercury or fuel on a fiscal route (by its consignor, or an admin)',
    ...access('exporter', 'admin'),
    request: { body: jsonBody(newMovementSchema) },
    responses: {
      201: jsonResponse(movementSchema, 'The movement, with its code, checkpoints and QR URL'),
      ...errorResponses,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/v1/movements/{id}',
    tags,
    summary: 'A movement (exporters: only those they send or receive)',
    ...reader,
    request: { params: uuidParam },
    responses: { 200: jsonResponse(movementSchema, 'The movement'), ...errorResponses },
  }),
  list: createRoute({
    method: 'get',
    path: '/v1/movements',
    tags,
    summary: 'Movements by party, checkpoint of inspection, route, input, status and declaration period',
    ...access('regulator', 'admin', 'exporter'),
    request: { query: movementListQuery.extend(pageQuery) },
    responses: { 200: jsonResponse(pageOf(movementSchema), 'A page of movements'), ...errorResponses },
  }),
  qrSvg: createRoute({
    method: 'get',
    path: '/v1/movements/{id}/qr.svg',
    tags,
    summary: 'The movement’s QR code as SVG',
    ...reader,
    request: { params: uuidParam },
    responses: {
      200: { description: 'SVG', content: { 'image/svg+xml': { schema: z.string() } } },
      ...errorResponses,
    },
  }),
  deliver: createRoute({
    method: 'post',
    path: '/v1/movements/{id}/deliver',
    tags,
    summary: 'Confirm receipt of a movement (its consignee)',
    ...access('exporter'),
    request: { params: uuidParam },
    responses: { 200: jsonResponse(movementSchema, 'The delivered movement'), ...errorResponses },
  }),
};

export function registerMovementRoutes(app: Router) {
  app.openapi(routes.declare, async (c) => {
    const { db, ledgerKey, baseUrl } = c.var.services;
    const movement = await declareMovement(db, c.var.principal, c.req.valid('json'), {
      signer: ledgerKey,
      baseUrl,
    });
    return c.json(movement, 201);
  });
  app.openapi(routes.get, async (c) => {
    const { db, baseUrl } = c.var.services;
    return c.json(await getMovement(db, c.var.principal, c.req.valid('param').id, baseUrl), 200);
  });
  app.openapi(routes.list, async (c) => {
    const { db, baseUrl } = c.var.services;
    return c.json(await listMovements(db, c.var.principal, c.req.valid('query'), baseUrl), 200);
  });
  app.openapi(routes.qrSvg, async (c) => {
    const { db, baseUrl } = c.var.services;
    const movement = await getMovement(db, c.var.principal, c.req.valid('param').id, baseUrl);
    const svg = await QRCode.toString(movement.qrUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return c.body(svg, 200, { 'content-type': 'image/svg+xml' });
  });
  app.openapi(routes.deliver, async (c) => {
    const { db, baseUrl } = c.var.services;
    const id = await deliverMovement(db, c.var.principal, c.req.valid('param').id);
    return c.json(await presentMovement(db, id, baseUrl), 200);
  });
}
