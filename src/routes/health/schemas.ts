import { z } from '@hono/zod-openapi';

/** GET /health: the server is up, and which database and PostGIS answer it. */
export const healthSchema = z.object({ status: z.literal('ok'), database: z.string(), postgis: z.string() });
