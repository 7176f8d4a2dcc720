import { createRoute, z } from '@hono/zod-openapi';
import { verifyLedger } from '../../domain/ledger/verify.js';
import { access, errorResponses, jsonResponse } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';

const signedHead = z
  .object({
    treeSize: z.number().int(),
    rootHash: z.string().openapi({ description: 'SHA-256 root (RFC 9162), lowercase hex.' }),
    timestamp: z.string().openapi({ description: 'When it was signed, ISO 8601 UTC.' }),
    keyId: z.string(),
    signature: z.string().openapi({
      description: 'Compact JWS (ES256) over the RFC 8785 JSON of {rootHash, timestamp, treeSize}.',
    }),
  })
  .openapi({ description: 'A signed tree head (the SignedTreeHead of GET /v1/ledger/head).' });

const verification = z
  .object({
    ok: z.boolean().openapi({ description: 'True when every leaf and every signed head holds.' }),
    treeSize: z.number().int().openapi({ description: 'Leaf positions rebuilt from the stored events.' }),
    leavesChecked: z.number().int(),
    headsChecked: z.number().int(),
    unsequencedEvents: z
      .number()
      .int()
      .openapi({ description: 'Events written but not sequenced yet (not an error).' }),
    firstBadLeaf: z
      .object({
        leafIndex: z.number().int(),
        eventId: z.string().optional(),
        reason: z.enum(['leaf_missing', 'event_missing', 'node_missing', 'hash_mismatch', 'unsigned']),
        detail: z.string(),
      })
      .optional()
      .openapi({ description: 'The first leaf, in index order, that does not hold.' }),
    badHead: z
      .object({
        treeSize: z.number().int(),
        timestamp: z.string(),
        reason: z.enum(['signature', 'root_mismatch', 'beyond_leaves']),
        detail: z.string(),
        badLeavesWithin: z
          .object({ from: z.number().int(), before: z.number().int() })
          .optional()
          .openapi({ description: 'A root mismatch places the changed leaf in [from, before).' }),
      })
      .optional()
      .openapi({ description: 'The first signed head, in size order, that does not hold.' }),
    latestHead: signedHead.nullable(),
  })
  .openapi('LedgerVerification');

const route = createRoute({
  method: 'get',
  path: '/v1/ledger/verify',
  tags: ['Ledger'],
  summary: 'Rebuild the whole event log from the stored events and check every leaf and signed head',
  ...access('regulator'),
  responses: {
    200: jsonResponse(
      verification,
      'The verification report, whether the log holds or not: `ok` false names the first bad leaf or head',
    ),
    ...errorResponses,
  },
});

export function registerLedgerVerifyRoutes(app: Router) {
  app.openapi(route, async (c) => {
    const { db, ledgerKey } = c.var.services;
    // What is stored is checked as it is: no sequencing first.
    return c.json(await verifyLedger(db, [ledgerKey.publicJwk]), 200);
  });
}
