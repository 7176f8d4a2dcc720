import { z } from '@hono/zod-openapi';

export const jwksUrl = '/.well-known/jwks.json';

export const hex = z.string().regex(/^[0-9a-f]{64}$/);

export const signedHeadSchema = z
  .object({
    treeSize: z.number().int().openapi({ description: 'Leaves in the tree.' }),
    rootHash: hex.openapi({
      description: 'RFC 9162 Merkle Tree Hash of the leaves, SHA-256, lowercase hex.',
    }),
    timestamp: z.string().openapi({ description: 'When it was signed: ISO 8601 UTC, milliseconds.' }),
    keyId: z.string().openapi({ description: '`kid` of the signing key in the JWKS.' }),
    signature: z.string().openapi({
      description:
        'Compact JWS (ES256, header `typ: orotrace-sth+jws`) whose payload is the RFC 8785 canonical JSON of `{rootHash, timestamp, treeSize}`.',
    }),
  })
  .openapi('SignedTreeHead', {
    description: [
      'A signed tree head. To check it: take the key whose `kid` is `keyId` from `/.well-known/jwks.json`;',
      'verify `signature` as a compact JWS (ES256) with it; its payload must equal, byte for byte, the',
      'RFC 8785 (JCS) JSON of `{"rootHash": …, "timestamp": …, "treeSize": …}` built from this object',
      '(keys in that order, no whitespace), e.g.',
      '`{"rootHash":"9f…","timestamp":"2026-11-26T17:18:52.519Z","treeSize":42}`.',
    ].join(' '),
  });

export const ledgerEventSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    subjectType: z.string(),
    subjectId: z.uuid(),
    actorSub: z.string(),
    actorRole: z.string(),
    actorId: z.uuid().nullable(),
    checkpointId: z.uuid().nullable(),
    payload: z.record(z.string(), z.unknown()),
    occurredAt: z.string().openapi({ example: '2026-11-26T17:18:52.519123Z' }),
    recordedAt: z.string().openapi({ example: '2026-11-26T17:18:52.519123Z' }),
  })
  .openapi('LedgerEvent', {
    description:
      'An event exactly as its leaf serializes it (times UTC with microseconds). Leaf data = UTF-8 of the RFC 8785 JSON of this object plus `"v": leafVersion`; leaf hash = SHA-256(0x00 ‖ leaf data).',
  });

export const hashList = z.array(hex);
