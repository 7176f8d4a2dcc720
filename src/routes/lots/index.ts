import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import QRCode from 'qrcode';
import {
  exportLot,
  exportSchema,
  mergeLots,
  mergeSchema,
  refineLot,
  refineSchema,
  seizeLot,
  seizeSchema,
  splitLot,
  splitSchema,
  transferLot,
  transferSchema,
} from '../../domain/lots/custody.js';
import {
  getLot,
  type LotRow,
  listLots,
  lotListQuery,
  newLotSchema,
  presentLots,
  registerLot,
} from '../../domain/lots/lots.js';
import type { AppEnv } from '../../http/env.js';
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
import { renderLabel } from './label.js';
import { lotSchema, splitResultSchema } from './schemas.js';

const tags = ['Lots'];
const reader = access('exporter', 'regulator', 'admin');
const operator = access('exporter');

const routes = {
  register: createRoute({
    method: 'post',
    path: '/v1/lots',
    tags,
    summary: 'Register a gold lot at extraction (by its producer, or a trader on its behalf)',
    ...operator,
    request: { body: jsonBody(newLotSchema) },
    responses: {
      201: jsonResponse(lotSchema, 'The lot, with its code, fine weight and QR URL'),
      ...errorResponses,
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/v1/lots/{id}',
    tags,
    summary: 'A lot (exporters: only lots they produced or hold)',
    ...reader,
    request: { params: uuidParam },
    responses: { 200: jsonResponse(lotSchema, 'The lot'), ...errorResponses },
  }),
  list: createRoute({
    method: 'get',
    path: '/v1/lots',
    tags,
    summary: 'Lots by status, custodian and whether they carry open flags',
    ...reader,
    request: { query: lotListQuery.extend(pageQuery) },
    responses: { 200: jsonResponse(pageOf(lotSchema), 'A page of lots'), ...errorResponses },
  }),
  transfer: createRoute({
    method: 'post',
    path: '/v1/lots/{id}/transfers',
    tags,
    summary: 'Hand a lot in your custody to another actor',
    ...operator,
    request: { params: uuidParam, body: jsonBody(transferSchema) },
    responses: { 200: jsonResponse(lotSchema, 'The lot in its new custody'), ...errorResponses },
  }),
  split: createRoute({
    method: 'post',
    path: '/v1/lots/{id}/split',
    tags,
    summary: 'Split a lot into parts (their gross weights may not exceed the lot’s)',
    ...operator,
    request: { params: uuidParam, body: jsonBody(splitSchema) },
    responses: { 201: jsonResponse(splitResultSchema, 'The consumed lot and its parts'), ...errorResponses },
  }),
  merge: createRoute({
    method: 'post',
    path: '/v1/lots/merge',
    tags,
    summary: 'Merge lots in your custody into one carrying exactly their gold',
    ...operator,
    request: { body: jsonBody(mergeSchema) },
    responses: { 201: jsonResponse(lotSchema, 'The merged lot'), ...errorResponses },
  }),
  refine: createRoute({
    method: 'post',
    path: '/v1/lots/{id}/refine',
    tags,
    summary: 'Refine a lot to a new weight and fineness (fine gold may only decrease)',
    ...operator,
    request: { params: uuidParam, body: jsonBody(refineSchema) },
    responses: { 201: jsonResponse(lotSchema, 'The refined lot'), ...errorResponses },
  }),
  export: createRoute({
    method: 'post',
    path: '/v1/lots/{id}/export',
    tags,
    summary: 'Record the export of a lot in your custody',
    ...operator,
    request: { params: uuidParam, body: jsonBody(exportSchema) },
    responses: { 200: jsonResponse(lotSchema, 'The exported lot'), ...errorResponses },
  }),
  seize: createRoute({
    method: 'post',
    path: '/v1/lots/{id}/seize',
    tags,
    summary: 'Seize a lot (regulators)',
    ...access('regulator'),
    request: { params: uuidParam, body: jsonBody(seizeSchema) },
    responses: { 200: jsonResponse(lotSchema, 'The seized lot'), ...errorResponses },
  }),
  qrSvg: createRoute({
    method: 'get',
    path: '/v1/lots/{id}/qr.svg',
    tags,
    summary: 'The lot’s QR code as SVG',
    ...reader,
    request: { params: uuidParam },
    responses: {
      200: { description: 'SVG', content: { 'image/svg+xml': { schema: z.string() } } },
      ...errorResponses,
    },
  }),
  qrPng: createRoute({
    method: 'get',
    path: '/v1/lots/{id}/qr.png',
    tags,
    summary: 'The lot’s QR code as PNG',
    ...reader,
    request: { params: uuidParam },
    responses: {
      200: { description: 'PNG', content: { 'image/png': { schema: z.string() } } },
      ...errorResponses,
    },
  }),
  label: createRoute({
    method: 'get',
    path: '/v1/lots/{id}/label',
    tags,
    summary: 'A printable label: code, weights, fineness, form and QR',
    ...reader,
    request: { params: uuidParam },
    responses: {
      200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } },
      ...errorResponses,
    },
  }),
};

const signer = (c: Context<AppEnv>) => ({ signer: c.var.services.ledgerKey });
const lotById = (c: Context<AppEnv>, id: string) =>
  getLot(c.var.services.db, c.var.principal, id, c.var.services.baseUrl);
/**
 * Lots an operation answers with, as the operation left them, presented in one set-based call.
 * No read check: the caller was just allowed the operation, and after a transfer may no longer
 * hold the lot; it is answered as it stands after the handover.
 */
const presented = (c: Context<AppEnv>, rows: LotRow[]) =>
  presentLots(c.var.services.db, rows, c.var.services.baseUrl);
/** The one lot an operation answers with. */
const presentedOne = async (c: Context<AppEnv>, row: LotRow) => {
  const [lot] = await presented(c, [row]);
  if (!lot) throw new Error('a presented lot went missing');
  return lot;
};

export function registerLotRoutes(app: Router) {
  app.openapi(routes.register, async (c) => {
    const { db, baseUrl } = c.var.services;
    return c.json(
      await registerLot(db, c.var.principal, c.req.valid('json'), { ...signer(c), baseUrl }),
      201,
    );
  });
  app.openapi(routes.get, async (c) => c.json(await lotById(c, c.req.valid('param').id), 200));
  app.openapi(routes.list, async (c) =>
    c.json(
      await listLots(c.var.services.db, c.var.principal, c.req.valid('query'), c.var.services.baseUrl),
      200,
    ),
  );
  app.openapi(routes.transfer, async (c) => {
    const row = await transferLot(
      c.var.services.db,
      c.var.principal,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json(await presentedOne(c, row), 200);
  });
  app.openapi(routes.split, async (c) => {
    const { id } = c.req.valid('param');
    const split = await splitLot(c.var.services.db, c.var.principal, id, c.req.valid('json'), signer(c));
    const [parent, ...children] = await presented(c, [split.parent, ...split.children]);
    if (!parent) throw new Error('the split lot went missing');
    return c.json({ parent, children }, 201);
  });
  app.openapi(routes.merge, async (c) => {
    const row = await mergeLots(c.var.services.db, c.var.principal, c.req.valid('json'), signer(c));
    return c.json(await presentedOne(c, row), 201);
  });
  app.openapi(routes.refine, async (c) => {
    const row = await refineLot(
      c.var.services.db,
      c.var.principal,
      c.req.valid('param').id,
      c.req.valid('json'),
      signer(c),
    );
    return c.json(await presentedOne(c, row), 201);
  });
  app.openapi(routes.export, async (c) => {
    const row = await exportLot(
      c.var.services.db,
      c.var.principal,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json(await presentedOne(c, row), 200);
  });
  app.openapi(routes.seize, async (c) => {
    const row = await seizeLot(
      c.var.services.db,
      c.var.principal,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json(await presentedOne(c, row), 200);
  });
  app.openapi(routes.qrSvg, async (c) => {
    const lot = await lotById(c, c.req.valid('param').id);
    const svg = await QRCode.toString(lot.qrUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return c.body(svg, 200, { 'content-type': 'image/svg+xml' });
  });
  app.openapi(routes.qrPng, async (c) => {
    const lot = await lotById(c, c.req.valid('param').id);
    const png = await QRCode.toBuffer(lot.qrUrl, {
      type: 'png',
      errorCorrectionLevel: 'M',
      margin: 2,
      scale: 6,
    });
    return c.body(new Uint8Array(png), 200, { 'content-type': 'image/png' });
  });
  app.openapi(routes.label, async (c) => {
    const lot = await lotById(c, c.req.valid('param').id);
    const svg = await QRCode.toString(lot.qrUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    return c.html(renderLabel(lot, svg), 200);
  });
}
