import { createRoute, z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import QRCode from 'qrcode';
import type { Db, Queryable } from '../../db/client.js';
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
  type Lot,
  type LotRow,
  listLots,
  lotListQuery,
  newLotSchema,
  presentLots,
  registerLot,
} from '../../domain/lots/lots.js';
import { type DryRun, provisional, revealCodes } from '../../domain/screening/dry-run.js';
import { exportQuery } from '../../http/bulk-export.js';
import { dryRunOf, previewedQuery, previewedWriteOf } from '../../http/dry-run.js';
import type { AppEnv } from '../../http/env.js';
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
import { exportLots } from './export.js';
import { renderLabel } from './label.js';
import { dryRunLotsSchema, lotSchema, splitResultSchema } from './schemas.js';

const tags = ['Lots'];
const reader = access('exporter', 'regulator', 'admin');
const operator = access('exporter');
/** The answer of a screened write with `?dryRun=true`. */
const dryRunAnswer = {
  200: jsonResponse(
    dryRunLotsSchema,
    'Dry run (`?dryRun=true`): the lots as they would be, the flags that would be raised; nothing written',
  ),
};
/** Either the write's answer or its dry run's, for the writes that answer 200 either way. */
const lotOrDryRun = (description: string) =>
  jsonResponse(
    z.union([lotSchema, dryRunLotsSchema]),
    `${description}; with \`?dryRun=true\`, the dry run (DryRunLots)`,
  );

const routes = {
  register: createRoute({
    method: 'post',
    path: '/v1/lots',
    tags,
    summary: 'Register a gold lot at extraction (by its producer, or a trader on its behalf)',
    ...operator,
    request: { query: previewedQuery, body: jsonBody(newLotSchema) },
    responses: {
      201: jsonResponse(lotSchema, 'The lot, with its code, fine weight and QR URL'),
      ...dryRunAnswer,
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
    summary: 'Lots by code, status, custodian and whether they carry open flags',
    ...access('exporter', 'regulator', 'admin', 'checkpoint'),
    description:
      'Roles: exporter (lots it knows), regulator, admin; checkpoint staff only with `code`, to check the lot in front of them by its printed code, and only what that check needs: producer, concession, origin, extraction date, export papers and flag evidence come withheld (null, or `{}`).',
    request: { query: lotListQuery.extend(pageQuery).extend(exportQuery) },
    responses: {
      200: {
        description:
          'A page of lots (JSON), or every lot matching as a file (format=csv or geojson, streamed)',
        content: {
          'application/json': { schema: pageOf(lotSchema) },
          'text/csv': {
            schema: z.string().openapi({ description: 'RFC 4180, UTF-8 with BOM, one lot per row' }),
          },
          'application/geo+json': {
            schema: z.looseObject({ type: z.literal('FeatureCollection') }).openapi({
              description: 'RFC 7946: each lot a Feature at its origin',
            }),
          },
        },
      },
      ...errorResponses,
    },
  }),
  transfer: createRoute({
    method: 'post',
    path: '/v1/lots/{id}/transfers',
    tags,
    summary: 'Hand a lot in your custody to another actor',
    ...operator,
    request: { params: uuidParam, query: previewedQuery, body: jsonBody(transferSchema) },
    responses: { 200: lotOrDryRun('The lot in its new custody'), ...errorResponses },
  }),
  split: createRoute({
    method: 'post',
    path: '/v1/lots/{id}/split',
    tags,
    summary: 'Split a lot into parts (their gross weights may not exceed the lot’s)',
    ...operator,
    request: { params: uuidParam, query: previewedQuery, body: jsonBody(splitSchema) },
    responses: {
      201: jsonResponse(splitResultSchema, 'The consumed lot and its parts'),
      ...dryRunAnswer,
      ...errorResponses,
    },
  }),
  merge: createRoute({
    method: 'post',
    path: '/v1/lots/merge',
    tags,
    summary: 'Merge lots in your custody into one carrying exactly their gold',
    ...operator,
    request: { query: previewedQuery, body: jsonBody(mergeSchema) },
    responses: { 201: jsonResponse(lotSchema, 'The merged lot'), ...dryRunAnswer, ...errorResponses },
  }),
  refine: createRoute({
    method: 'post',
    path: '/v1/lots/{id}/refine',
    tags,
    summary: 'Refine a lot to a new weight and fineness (fine gold may only decrease)',
    ...operator,
    request: { params: uuidParam, query: previewedQuery, body: jsonBody(refineSchema) },
    responses: { 201: jsonResponse(lotSchema, 'The refined lot'), ...dryRunAnswer, ...errorResponses },
  }),
  export: createRoute({
    method: 'post',
    path: '/v1/lots/{id}/export',
    tags,
    summary: 'Record the export of a lot in your custody',
    ...operator,
    request: { params: uuidParam, query: previewedQuery, body: jsonBody(exportSchema) },
    responses: { 200: lotOrDryRun('The exported lot'), ...errorResponses },
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
  getLot(c.var.services.db, c.var.principal, id, qrLinks(c));
/**
 * Lots an operation answers with, as the operation left them, presented in one set-based call.
 * No read check: the caller was just allowed the operation, and after a transfer may no longer
 * hold the lot; it is answered as it stands after the handover. `db` is the operation's
 * transaction in a dry run, which is rolled back once they are read.
 */
const presented = (c: Context<AppEnv>, rows: LotRow[], db: Queryable = c.var.services.db) =>
  presentLots(db, rows, qrLinks(c), c.var.principal);
/** The one lot an operation answers with. */
const presentedOne = async (c: Context<AppEnv>, row: LotRow, db: Queryable = c.var.services.db) => {
  const [lot] = await presented(c, [row], db);
  if (!lot) throw new Error('a presented lot went missing');
  return lot;
};

/**
 * `?dryRun=true` (http/dry-run.ts): the write made on the transaction `write` is given, its lots
 * presented there, then rolled back; the answer marks the lots it would create as provisional.
 */
async function dryRunLots(c: Context<AppEnv>, write: (db: Db, run: DryRun) => Promise<Lot[]>) {
  const { result, flags, codes } = await dryRunOf(c, write);
  return revealCodes({ dryRun: true as const, lots: result.map((l) => provisional(l, codes)), flags }, codes);
}

export function registerLotRoutes(app: Router) {
  app.openapi(routes.register, async (c) => {
    const input = c.req.valid('json');
    const register = (db: Db, dryRun?: DryRun) =>
      registerLot(db, c.var.principal, input, { ...signer(c), links: qrLinks(c), dryRun });
    if (c.req.valid('query').dryRun) {
      return c.json(await dryRunLots(c, async (db, run) => [await register(db, run)]), 200);
    }
    const lot = await previewedWriteOf(
      c,
      c.req.valid('query').expectFlags,
      (db) => register(db),
      (l) => [l],
    );
    return c.json(lot, 201);
  });
  app.openapi(routes.get, async (c) => c.json(await lotById(c, c.req.valid('param').id), 200));
  app.openapi(routes.list, async (c) => {
    const q = c.req.valid('query');
    // @hono/zod-openapi types every response of a route as JSON, the files included.
    if (q.format !== 'json')
      return exportLots(c, { ...q, format: q.format }) as unknown as TypedResponse<never, 200, 'json'>;
    return c.json(
      await listLots(c.var.services.db, c.var.principal, q, qrLinks(c), c.var.services.ledgerKey),
      200,
    );
  });
  app.openapi(routes.transfer, async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const transfer = (db: Db) => transferLot(db, c.var.principal, id, input);
    if (c.req.valid('query').dryRun) {
      return c.json(await dryRunLots(c, async (db) => presented(c, [await transfer(db)], db)), 200);
    }
    const lot = await previewedWriteOf(
      c,
      c.req.valid('query').expectFlags,
      async (db) => presentedOne(c, await transfer(db), db),
      (l) => [l],
    );
    return c.json(lot, 200);
  });
  app.openapi(routes.split, async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const split = (db: Db, dryRun?: DryRun) =>
      splitLot(db, c.var.principal, id, input, { ...signer(c), dryRun });
    if (c.req.valid('query').dryRun) {
      return c.json(
        await dryRunLots(c, async (db, run) => {
          const made = await split(db, run);
          return presented(c, [made.parent, ...made.children], db);
        }),
        200,
      );
    }
    const [parent, ...children] = await previewedWriteOf(
      c,
      c.req.valid('query').expectFlags,
      async (db) => {
        const made = await split(db);
        return presented(c, [made.parent, ...made.children], db);
      },
      (lots) => lots,
    );
    if (!parent) throw new Error('the split lot went missing');
    return c.json({ parent, children }, 201);
  });
  app.openapi(routes.merge, async (c) => {
    const input = c.req.valid('json');
    const merge = (db: Db, dryRun?: DryRun) =>
      mergeLots(db, c.var.principal, input, { ...signer(c), dryRun });
    if (c.req.valid('query').dryRun) {
      return c.json(await dryRunLots(c, async (db, run) => presented(c, [await merge(db, run)], db)), 200);
    }
    const lot = await previewedWriteOf(
      c,
      c.req.valid('query').expectFlags,
      async (db) => presentedOne(c, await merge(db), db),
      (l) => [l],
    );
    return c.json(lot, 201);
  });
  app.openapi(routes.refine, async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const refine = (db: Db, dryRun?: DryRun) =>
      refineLot(db, c.var.principal, id, input, { ...signer(c), dryRun });
    if (c.req.valid('query').dryRun) {
      return c.json(await dryRunLots(c, async (db, run) => presented(c, [await refine(db, run)], db)), 200);
    }
    const lot = await previewedWriteOf(
      c,
      c.req.valid('query').expectFlags,
      async (db) => presentedOne(c, await refine(db), db),
      (l) => [l],
    );
    return c.json(lot, 201);
  });
  app.openapi(routes.export, async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const exportIt = (db: Db) => exportLot(db, c.var.principal, id, input);
    if (c.req.valid('query').dryRun) {
      return c.json(await dryRunLots(c, async (db) => presented(c, [await exportIt(db)], db)), 200);
    }
    const lot = await previewedWriteOf(
      c,
      c.req.valid('query').expectFlags,
      async (db) => presentedOne(c, await exportIt(db), db),
      (l) => [l],
    );
    return c.json(lot, 200);
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
