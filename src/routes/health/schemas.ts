import { z } from '@hono/zod-openapi';

/** GET /health: the server is up, and which database and PostGIS answer it. */
export const healthSchema = z.object({ status: z.literal('ok'), database: z.string(), postgis: z.string() });

/** GET /health/live: the process answers; nothing else is asked. */
export const livenessSchema = z.object({ status: z.literal('live') });

const checkNames = ['database', 'migrations', 'ledger_key', 'ledger_lag'] as const;

/**
 * GET /health/ready: ready when every check passed; each check and what it found only for an
 * admin's or a regulator's token.
 */
export const readinessSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z
      .array(
        z.object({
          name: z.enum(checkNames).openapi({
            description:
              'database: answers a query; migrations: every migration of this build applied; ledger_key: the signing key is loaded; ledger_lag: the oldest event not yet in a signed head is younger than READY_MAX_LEDGER_LAG_SECONDS',
          }),
          ok: z.boolean(),
          detail: z.string(),
        }),
      )
      .optional()
      .openapi({ description: "Only with an admin's or a regulator's token; absent without a token." }),
  })
  .openapi('Readiness');
export type ReadinessCheck = NonNullable<z.infer<typeof readinessSchema>['checks']>[number];
