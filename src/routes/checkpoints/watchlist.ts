import { createRoute, z } from '@hono/zod-openapi';
import { checkpointWatchlist } from '../../domain/inputs/watchlist.js';
import {
  flagStatuses,
  lotForms,
  lotStatuses,
  movementStatuses,
  ruleCodes,
  severities,
} from '../../domain/shared/vocabulary.js';
import { access, errorResponses, jsonResponse, uuidParam } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';

const holdingFlagSchema = z.object({
  rule: z.enum(ruleCodes),
  severity: z.enum(severities),
  status: z.enum(flagStatuses),
});

const watchlistSchema = z
  .object({
    checkpointId: z.uuid(),
    generatedAt: z.iso.datetime().openapi({ description: 'When the server drew up this list' }),
    thresholdsVersion: z.string().openapi({ description: 'Version of the thresholds the verdicts use' }),
    lots: z
      .array(
        z.object({
          id: z.uuid(),
          code: z.string(),
          status: z.enum(lotStatuses),
          form: z.enum(lotForms),
          grossWeightG: z.string(),
          flags: z.array(holdingFlagSchema).openapi({ description: 'Unresolved high and critical flags' }),
        }),
      )
      .openapi({ description: 'Lots to hold: not active, or under an unresolved high or critical flag' }),
    movements: z
      .array(
        z.object({
          id: z.uuid(),
          code: z.string(),
          status: z.enum(movementStatuses),
          input: z.string(),
          quantity: z.string(),
          unit: z.enum(['kg', 'L']),
          route: z.string(),
          flags: z.array(holdingFlagSchema),
        }),
      )
      .openapi({
        description:
          "Movements to hold (delivered, seized, or under an unresolved high or critical flag) and those still under way on the checkpoint's routes, whose declared quantity an offline inspection is weighed against",
      }),
  })
  .openapi('CheckpointWatchlist');

const watchlist = createRoute({
  method: 'get',
  path: '/v1/checkpoints/{id}/watchlist',
  tags: ['Checkpoints'],
  summary: 'What a checkpoint device keeps to give a verdict offline (its staff, regulators, admins)',
  ...access('checkpoint', 'regulator', 'admin'),
  request: { params: uuidParam },
  responses: { 200: jsonResponse(watchlistSchema, 'The watchlist'), ...errorResponses },
});

export function registerWatchlistRoutes(app: Router) {
  app.openapi(watchlist, async (c) => {
    const { db } = c.var.services;
    return c.json(await checkpointWatchlist(db, c.var.principal, c.req.valid('param').id), 200);
  });
}
