import { z } from '@hono/zod-openapi';
import { stateCheckSchema } from '../../domain/audit/schemas.js';
import { proofQuery } from '../../domain/ledger/proofs.js';
import {
  consistencySchemaOf,
  inclusionSchemaOf,
  ledgerEventSchema as ledgerEvent,
  ledgerHeadSchemaOf,
  ledgerVerificationSchema as ledgerVerification,
  signedHeadSchema as signedHead,
} from '../../domain/ledger/schemas.js';

const signedHeadSchema = signedHead.openapi('SignedTreeHead');
const ledgerEventSchema = ledgerEvent.openapi('LedgerEvent');

const cosignatureSchema = z
  .object({
    witness: z.string().meta({ description: 'The witness key name.' }),
    keyId: z.string().meta({ description: 'Its 4-byte key id, hex, as in its vkey.' }),
    timestamp: z.number().int().meta({ description: 'When it cosigned, Unix seconds.' }),
  })
  .openapi('Cosignature');

/** GET /v1/ledger/head: the signed head, its checkpoint and what witnesses said of it. */
export const ledgerHeadSchema = ledgerHeadSchemaOf(signedHeadSchema).extend({
  checkpoint: z.string().nullable().meta({
    description:
      'The head as a C2SP tlog-checkpoint signed note (Ed25519, key at GET /v1/ledger/checkpoint/key) with the cosignature/v1 lines of witnesses appended; null for a head signed before checkpoints.',
  }),
  cosignatures: z.array(cosignatureSchema),
  final: z.boolean().meta({
    description: 'True when at least `witnessQuorum` distinct configured witnesses cosigned this head.',
  }),
  witnessQuorum: z.number().int().meta({ description: 'WITNESS_QUORUM: cosignatures needed for `final`.' }),
});

/** POST /v1/ledger/cosignatures. */
export const cosignatureAcceptedSchema = z.object({
  treeSize: z.number().int(),
  cosignatures: z.array(
    z.object({
      witness: z.string(),
      keyId: z.string(),
      timestamp: z.number().int(),
      stored: z
        .boolean()
        .meta({ description: 'False when this witness had cosigned this size before (kept).' }),
    }),
  ),
});

/** GET /v1/ledger/events/{id}/proof. */
export const inclusionSchema = inclusionSchemaOf(ledgerEventSchema, signedHeadSchema);
/** GET /v1/ledger/consistency. */
export const consistencySchema = consistencySchemaOf(signedHeadSchema);
/**
 * GET /v1/ledger/verify: the log's own report and, under `state`, the state tables held against
 * the log; `ok` is both.
 */
export const ledgerVerificationSchema = ledgerVerification
  .extend({
    ok: z.boolean().meta({
      description:
        'True when every leaf and signed head holds and every lot and movement is as its events make it.',
    }),
    state: stateCheckSchema.openapi('StateCheck'),
  })
  .openapi('LedgerVerification');

/** The proof's query, its tree size documented. */
export const inclusionQuery = proofQuery.extend({
  treeSize: proofQuery.shape.treeSize.openapi({
    description: 'Size of an earlier signed head to prove against; default the latest head.',
  }),
});
