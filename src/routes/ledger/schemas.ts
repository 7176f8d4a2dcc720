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

/** GET /v1/ledger/head. */
export const ledgerHeadSchema = ledgerHeadSchemaOf(signedHeadSchema);
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
