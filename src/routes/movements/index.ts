import { createRoute, z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import QRCode from 'qrcode';
import type { Db } from '../../db/client.js';
import { declareMovement, deliverMovement, newMovementSchema } from '../../domain/inputs/declaration.js';
import {
  getMovement,
  listMovements,
  movementListQuery,
  presentMovement,
} from '../../domain/inputs/movements.js';
import { type DryRun, provisional, revealCodes } from '../../domain/screening/dry-run.js';
import { exportQuery } from '../../http/bulk-export.js';
import { dryRunOf, dryRunQuery } from '../../http/dry-run.js';
import { qrLinks } from '../../http/gs1.js';
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
import { exportMovements } from './export.js';
import { dryRunMovementSchema, movementSchema } from './schemas.js';

const tags = ['Movements'];
const reader = access('regulator', 'admin', 'checkpoint', 'exporter');

const routes = {
  declare: createRoute({
    method: 'post',
    path: '/v1/movements',
    tags,
    summary: 'Declare a consignment of mercury or fuel on a fiscal route (by its consignor, or an admin)',
    ...access('exporter', 'admin'),
    request: { query: dryRunQuery, body: jsonBody(newMovementSchema) },
    responses: {
      201: jsonResponse(movementSchema, 'The movement, with its code, checkpoints and QR URL'),
      200: jsonResponse(
        dryRunMovementSchema,
        'Dry run (`?dryRun=true`): the movement as it would be, the flags that would be raised; nothing written',
      ),
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
    summary:
      'Movements by code, party, checkpoint of inspection, route, input, status and declaration period',
    ...access('regulator', 'admin', 'exporter', 'checkpoint'),
    description:
      'Roles: regulator, admin, exporter (movements it sends or receives); checkpoint staff only with `code`, to check the consignment in front of them by its printed code.',
    request: { query: movementListQuery.extend(pageQuery).extend(exportQuery) },
    responses: {
      200: {
        description:
          'A page of movements (JSON), or every movement matching as a file (format=csv or geojson, streamed)',
        content: {
          'application/json': { schema: pageOf(movementSchema) },
          'text/csv': {
            schema: z.string().openapi({ description: 'RFC 4180, UTF-8 with BOM, one movement per row' }),
          },
          'application/geo+json': {
            schema: z.looseObject({ type: z.literal('FeatureCollection') }).openapi({
              description: 'RFC 7946: each movement a Feature where it is bound',
            }),
          },
        },
      },
      ...errorResponses,
    },
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
    const { ledgerKey } = c.var.services;
    const input = c.req.valid('json');
    const declare = (db: Db, dryRun?: DryRun) =>
      declareMovement(db, c.var.principal, input, { signer: ledgerKey, links: qrLinks(c), dryRun });
    if (c.req.valid('query').dryRun) {
      // Written and rolled back (domain/screening/dry-run.ts): the movement as it would be.
      const { result, flags, codes } = await dryRunOf(c, declare);
      return c.json(
        revealCodes({ dryRun: true as const, movement: provisional(result, codes), flags }, codes),
        200,
      );
    }
    return c.json(await declare(c.var.services.db), 201);
  });
  app.openapi(routes.get, async (c) => {
    const { db } = c.var.services;
    const { ledgerKey } = c.var.services;
    return c.json(
      await getMovement(db, c.var.principal, c.req.valid('param').id, qrLinks(c), ledgerKey),
      200,
    );
  });
  app.openapi(routes.list, async (c) => {
    const { db } = c.var.services;
    const q = c.req.valid('query');
    // @hono/zod-openapi types every response of a route as JSON, the files included.
    if (q.format !== 'json')
      return (await exportMovements(c, { ...q, format: q.format })) as unknown as TypedResponse<
        never,
        200,
        'json'
      >;
    return c.json(await listMovements(db, c.var.principal, q, qrLinks(c), c.var.services.ledgerKey), 200);
  });
  app.openapi(routes.qrSvg, async (c) => {
    const { db } = c.var.services;
    const { ledgerKey } = c.var.services;
    const movement = await getMovement(db, c.var.principal, c.req.valid('param').id, qrLinks(c), ledgerKey);
    const svg = await QRCode.toString(movement.qrUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return c.body(svg, 200, { 'content-type': 'image/svg+xml' });
  });
  app.openapi(routes.deliver, async (c) => {
    const { db } = c.var.services;
    const id = await deliverMovement(db, c.var.principal, c.req.valid('param').id);
    return c.json(await presentMovement(db, id, qrLinks(c)), 200);
  });
}
