import { z } from '@hono/zod-openapi';

/** A JSON Web Key Set (RFC 7517 §5). */
export const jwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
