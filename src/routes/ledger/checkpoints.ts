import { createRoute, z } from '@hono/zod-openapi';
import { proofQuery } from '../../domain/ledger/proofs.js';
import { latestHead } from '../../domain/ledger/store.js';
import { acceptCosignature, checkpointState } from '../../domain/ledger/witnesses.js';
import { ApiError } from '../../domain/shared/errors.js';
import { errorResponses, jsonResponse, publicAccess } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { cosignatureAcceptedSchema } from './schemas.js';

/**
 * The log's heads as C2SP checkpoints, for witnesses and transparency tooling: the latest or an
 * earlier one with the cosignatures received, the log's note key, and where witnesses post
 * cosignatures. All public: a checkpoint reveals a size and a hash, and a witness has no token.
 */

const tags = ['Ledger'];
const plain = (description: string) => ({
  description,
  content: { 'text/plain; charset=utf-8': { schema: z.string() } },
});

const routes = {
  checkpoint: createRoute({
    method: 'get',
    path: '/v1/ledger/checkpoint',
    tags,
    summary: 'The latest signed head as a C2SP tlog-checkpoint signed note, with witness cosignatures',
    ...publicAccess(
      [
        'A signed note (https://c2sp.org/tlog-checkpoint): origin (CHECKPOINT_ORIGIN), tree size, base64 root hash,',
        "then a blank line, the log's Ed25519 signature line (vkey at GET /v1/ledger/checkpoint/key) and one",
        'cosignature/v1 line per witness that cosigned it. `treeSize` asks an earlier head. Heads are appended',
        'after writes; GET /v1/ledger/head appends first.',
      ].join(' '),
    ),
    request: {
      query: proofQuery.extend({
        treeSize: proofQuery.shape.treeSize.openapi({ description: 'Size of an earlier signed head.' }),
      }),
    },
    responses: { 200: plain('The checkpoint note'), ...errorResponses },
  }),
  key: createRoute({
    method: 'get',
    path: '/v1/ledger/checkpoint/key',
    tags,
    summary: "The log's note verifier key (vkey) that signs its checkpoints",
    ...publicAccess(
      'The signed-note vkey `<origin>+<hex key id>+<base64(0x01 ‖ Ed25519 public key)>`, as golang.org/x/mod/sumdb/note and witnesses read it (`npm run witness -- --log-key`).',
    ),
    responses: { 200: plain('The vkey, one line'), ...errorResponses },
  }),
  cosign: createRoute({
    method: 'post',
    path: '/v1/ledger/cosignatures',
    tags,
    summary: "A witness's cosignature/v1 of a checkpoint this log signed",
    ...publicAccess(
      [
        "Body (text/plain): the checkpoint note with the witness's cosignature/v1 line (https://c2sp.org/tlog-cosignature);",
        'other signature lines are ignored. Accepted when the line verifies under a key of WITNESS_KEYS (403 for a key',
        'not configured) over a checkpoint this log signed (same origin, size and root; 422 otherwise). Idempotent.',
      ].join(' '),
    ),
    request: {
      body: { required: true, content: { 'text/plain': { schema: z.string() } } },
    },
    responses: {
      200: jsonResponse(cosignatureAcceptedSchema, 'The cosignature, stored or already held'),
      ...errorResponses,
    },
  }),
};

export function registerCheckpointRoutes(app: Router) {
  app.openapi(routes.checkpoint, async (c) => {
    const { db, witnesses } = c.var.services;
    const asked = c.req.valid('query').treeSize;
    const treeSize = asked ?? (await latestHead(db))?.treeSize;
    const state = treeSize === undefined ? undefined : await checkpointState(db, witnesses, treeSize);
    if (!state)
      throw new ApiError(
        'not_found',
        `no signed head${asked === undefined ? ' yet' : ` of tree size ${asked}`}`,
      );
    if (!state.checkpoint) {
      throw new ApiError('not_found', `the head of tree size ${treeSize} was signed without a checkpoint`);
    }
    return c.text(state.checkpoint, 200);
  });
  app.openapi(routes.key, (c) => {
    const note = c.var.services.ledgerKey.note;
    if (!note)
      throw new ApiError('not_found', 'this log signs no checkpoints (CHECKPOINT_ORIGIN is not set)');
    c.header('cache-control', 'public, max-age=300');
    return c.text(`${note.vkey}\n`, 200);
  });
  app.openapi(routes.cosign, async (c) => {
    const { db, witnesses } = c.var.services;
    return c.json(await acceptCosignature(db, witnesses, await c.req.text()), 200);
  });
}
