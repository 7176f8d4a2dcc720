import { z } from '@hono/zod-openapi';

/**
 * A JSON Web Key Set (RFC 7517 §5), with one member of ours beside `keys` (RFC 7517 §5 lets a
 * set carry others, which readers that do not know them ignore): the GS1 company prefixes whose
 * Digital Links the ledger accepts, so that a device that verifies QR codes offline with these
 * keys refuses a link under any other prefix at once, as the server would at sync.
 */
export const jwksSchema = z.object({
  keys: z.array(z.record(z.string(), z.unknown())),
  gs1CompanyPrefixes: z.array(z.string()).openapi({
    description:
      'GS1 company prefixes whose Digital Links (/8004/…, /401/…) this ledger accepts: the one new labels carry first, then earlier ones whose labels are still valid',
    example: ['9520000'],
  }),
});
