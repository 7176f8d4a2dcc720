/**
 * The event log as the API answers it: signed tree heads, events as their leaves serialize them,
 * inclusion and consistency proofs, the verification report. Plain zod: the routes publish these
 * shapes in the OpenAPI document, the domain returns their inferred types, and the apps read the
 * same types. A shape that contains another is built by a function of its parts, so that the
 * published document can refer to the parts by name.
 */
import { z } from 'zod';
import { incidentSchema } from './incidents.js';

export const jwksUrl = '/.well-known/jwks.json';

const hex = z.string().regex(/^[0-9a-f]{64}$/);
const hashList = z.array(hex);

/** A signed tree head, with how to check it. */
export const signedHeadSchema = z
  .object({
    treeSize: z.number().int().meta({ description: 'Leaves in the tree.' }),
    rootHash: hex.meta({
      description: 'RFC 9162 Merkle Tree Hash of the leaves, SHA-256, lowercase hex.',
    }),
    timestamp: z.string().meta({ description: 'When it was signed: ISO 8601 UTC, milliseconds.' }),
    keyId: z.string().meta({ description: '`kid` of the signing key in the JWKS.' }),
    signature: z.string().meta({
      description:
        'Compact JWS (ES256, header `typ: orotrace-sth+jws`) whose payload is the RFC 8785 canonical JSON of `{rootHash, timestamp, treeSize}`.',
    }),
  })
  .meta({
    description: [
      'A signed tree head. To check it: take the key whose `kid` is `keyId` from `/.well-known/jwks.json`;',
      'verify `signature` as a compact JWS (ES256) with it; its payload must equal, byte for byte, the',
      'RFC 8785 (JCS) JSON of `{"rootHash": …, "timestamp": …, "treeSize": …}` built from this object',
      '(keys in that order, no whitespace), e.g.',
      '`{"rootHash":"9f…","timestamp":"2026-11-26T17:18:52.519Z","treeSize":42}`.',
    ].join(' '),
  });
export type SignedHead = z.output<typeof signedHeadSchema>;

/** GET /v1/ledger/head: the latest head and where its key is published. */
export const ledgerHeadSchemaOf = (head: typeof signedHeadSchema) =>
  head.extend({
    jwksUrl: z.string().meta({ description: 'Where the public key that verifies `signature` is.' }),
  });

const microseconds = z.string().meta({ example: '2026-11-26T17:18:52.519123Z' });

/** An event as its leaf serializes it. */
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
    occurredAt: microseconds,
    recordedAt: microseconds,
  })
  .meta({
    description:
      'An event exactly as its leaf serializes it (times UTC with microseconds). Leaf data = UTF-8 of the RFC 8785 JSON of this object plus `"v": leafVersion`; leaf hash = SHA-256(0x00 ‖ leaf data).',
  });
export type LedgerEvent = z.output<typeof ledgerEventSchema>;

/** An event, its leaf and an inclusion proof against a signed head. */
export const inclusionSchemaOf = (event: typeof ledgerEventSchema, head: typeof signedHeadSchema) =>
  z.object({
    event,
    leafVersion: z.number().int().meta({ description: 'The `v` member of the leaf data.' }),
    leafIndex: z.number().int(),
    leafHash: hex,
    treeSize: z.number().int(),
    proof: hashList.meta({ description: 'RFC 9162 §2.1.3.1 PATH, hex, leaf side first.' }),
    head,
  });
const inclusionSchema = inclusionSchemaOf(ledgerEventSchema, signedHeadSchema);
export type InclusionAnswer = z.output<typeof inclusionSchema>;

/** Two signed heads and the proof that the later extends the earlier. */
export const consistencySchemaOf = (head: typeof signedHeadSchema) =>
  z.object({
    from: head,
    to: head,
    proof: hashList.meta({ description: 'RFC 9162 §2.1.4.1 PROOF, hex; empty when from = to.' }),
  });
const consistencySchema = consistencySchemaOf(signedHeadSchema);
export type ConsistencyAnswer = z.output<typeof consistencySchema>;

/** What a leaf that does not hold is found to be. */
const leafProblems = [
  /** No leaf row for this index, though later leaves or a signed head cover it. */
  'leaf_missing',
  /** The leaf row names an event that is no longer stored. */
  'event_missing',
  /** The leaf's stored hash (level-0 node) is missing. */
  'node_missing',
  /** The event as stored no longer hashes to the leaf stored at this index. */
  'hash_mismatch',
  /** A leaf no signed head covers (the sequencer signs every batch it appends). */
  'unsigned',
  /** The event's write signature does not verify with the ledger's keys. */
  'write_signature_invalid',
] as const;

/** What a signed head that does not hold is found to be. */
const headProblems = [
  /** The signature does not verify with the ledger's public keys. */
  'signature',
  /** The root of the tree rebuilt from the events differs from the signed one. */
  'root_mismatch',
  /** The head covers more leaves than are stored. */
  'beyond_leaves',
] as const;

/**
 * The whole log rebuilt and checked. Its latest head has the signed head's fields, documented
 * here in brief (the published document describes them so), with a pointer to the full account.
 */
export const ledgerVerificationSchema = z.object({
  ok: z.boolean().meta({
    description: 'True when every leaf and every signed head holds and no incident was ever recorded.',
  }),
  treeSize: z.number().int().meta({ description: 'Leaf positions rebuilt from the stored events.' }),
  leavesChecked: z.number().int(),
  headsChecked: z.number().int(),
  unsequencedEvents: z.number().int().meta({
    description: 'Events written but not sequenced yet (not an error); refused events are not counted.',
  }),
  eventsWithoutWriteSignature: z.number().int().meta({
    description:
      'Leaves whose event carries no write signature: events sequenced before writes were signed (not an error; every later one is signed).',
  }),
  incidents: z
    .object({
      total: z.number().int(),
      latest: z.array(incidentSchema),
    })
    .meta({
      description:
        'What the sequencer refused or found rewritten (GET /v1/ledger/incidents): any makes `ok` false, for good.',
    }),
  firstBadLeaf: z
    .object({
      leafIndex: z.number().int(),
      eventId: z.string().optional(),
      reason: z.enum(leafProblems),
      detail: z.string(),
    })
    .optional()
    .meta({ description: 'The first leaf, in index order, that does not hold.' }),
  badHead: z
    .object({
      treeSize: z.number().int(),
      timestamp: z.string(),
      reason: z.enum(headProblems),
      detail: z.string(),
      badLeavesWithin: z
        .object({ from: z.number().int(), before: z.number().int() })
        .optional()
        .meta({ description: 'A root mismatch places the changed leaf in [from, before).' }),
    })
    .optional()
    .meta({ description: 'The first signed head, in size order, that does not hold.' }),
  latestHead: z
    .object({
      treeSize: z.number().int(),
      rootHash: z.string().meta({ description: 'SHA-256 root (RFC 9162), lowercase hex.' }),
      timestamp: z.string().meta({ description: 'When it was signed, ISO 8601 UTC.' }),
      keyId: z.string(),
      signature: z.string().meta({
        description: 'Compact JWS (ES256) over the RFC 8785 JSON of {rootHash, timestamp, treeSize}.',
      }),
    })
    .meta({ description: 'A signed tree head (the SignedTreeHead of GET /v1/ledger/head).' })
    .nullable(),
});
export type LedgerVerification = z.output<typeof ledgerVerificationSchema>;
export type BadLeaf = NonNullable<LedgerVerification['firstBadLeaf']>;
export type BadHead = NonNullable<LedgerVerification['badHead']>;
