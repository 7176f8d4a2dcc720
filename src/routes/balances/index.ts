import { createRoute, z } from '@hono/zod-openapi';
import { actorBalance, balanceQuery, concessionBalance } from '../../domain/balances.js';
import { access, errorResponses, jsonResponse, uuidParam } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';

const tags = ['Balances'];

const decimal = (description: string) => z.string().openapi({ description, example: '1250.000' });
const ratio = z.string().nullable().openapi({
  description: 'Declared ÷ supported, 3 decimals; null when nothing supports it.',
  example: '1.350',
});
const flagCounts = z
  .record(z.string(), z.number().int())
  .openapi({ description: 'Unresolved (open or escalated) flags of these rules, by rule.' });

const concessionBalanceSchema = z
  .object({
    concessionId: z.uuid(),
    code: z.string(),
    name: z.string(),
    window: z.object({ from: z.iso.date(), to: z.iso.date(), days: z.number().int() }),
    areaHa: decimal('Area of the concession (geodesic), hectares.'),
    declaredFineG: decimal('Fine gold of the root lots declared on it, extracted in the window, grams.'),
    lotCount: z.number().int(),
    capacityFineG: decimal('area × fineKgPerHaYear × days ÷ 365, grams.'),
    ratio,
    thresholds: z.object({ version: z.string(), fineKgPerHaYear: z.number() }),
    openFlags: flagCounts,
  })
  .openapi('ConcessionBalance');

const actorBalanceSchema = z
  .object({
    actorId: z.uuid(),
    taxId: z.string(),
    name: z.string(),
    production: z.object({
      window: z.object({
        goldFrom: z.string(),
        inputsFrom: z.string(),
        to: z.string(),
        days: z.number().int(),
      }),
      declaredFineG: decimal('Fine gold of the root lots it produced, registered in the window, grams.'),
      lotCount: z.number().int(),
      mercuryKg: decimal('Mercury received as consignee (not seized), window plus lead, kg.'),
      fuelL: decimal('Diesel and gasoline received as consignee (not seized), window plus lead, litres.'),
      mercurySupportsFineG: decimal('mercury ÷ minMercuryKgPerKgGold, grams of fine gold.'),
      fuelSupportsFineG: decimal('fuel × maxFineGPerLitre, grams of fine gold.'),
      mercuryRatio: ratio,
      fuelRatio: ratio,
    }),
    diversion: z.object({
      window: z.object({
        inputsFrom: z.string(),
        inputsTo: z.string(),
        goldTo: z.string(),
        days: z.number().int(),
      }),
      mercuryKg: decimal('Mercury received in the window ending lagDays before the end, kg.'),
      declaredFineG: decimal('Fine gold declared from the start of that window to the end, grams.'),
      mercuryKgPerKgGold: z.string().nullable(),
    }),
    thresholds: z.object({
      version: z.string(),
      minMercuryKgPerKgGold: z.number(),
      maxMercuryKgPerKgGold: z.number(),
      maxFineGPerLitre: z.number(),
      windowDays: z.number(),
      leadDays: z.number(),
      minWindowFineG: z.number(),
      lagDays: z.number(),
      minDiversionMercuryKg: z.number(),
    }),
    openFlags: z.object({ lots: flagCounts, movements: flagCounts }),
  })
  .openapi('ActorBalance');

const routes = {
  concession: createRoute({
    method: 'get',
    path: '/v1/concessions/{id}/balance',
    tags,
    summary: "Fine gold declared on a concession in a window, against its area's plausible capacity",
    ...access('regulator', 'admin'),
    request: { params: uuidParam, query: balanceQuery },
    responses: { 200: jsonResponse(concessionBalanceSchema, 'The balance'), ...errorResponses },
  }),
  actor: createRoute({
    method: 'get',
    path: '/v1/actors/{id}/balance',
    tags,
    summary:
      'Fine gold a producer declared in a window against the mercury and fuel it received, and the reverse',
    ...access('regulator', 'admin'),
    request: { params: uuidParam, query: balanceQuery },
    responses: { 200: jsonResponse(actorBalanceSchema, 'The balance'), ...errorResponses },
  }),
};

export function registerBalanceRoutes(app: Router) {
  app.openapi(routes.concession, async (c) =>
    c.json(await concessionBalance(c.var.services.db, c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(routes.actor, async (c) =>
    c.json(await actorBalance(c.var.services.db, c.req.valid('param').id, c.req.valid('query')), 200),
  );
}
