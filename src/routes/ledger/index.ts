import { createRoute } from '@hono/zod-openapi';
import {
  consistencyQuery,
  currentHead,
  eventInclusion,
  headConsistency,
} from '../../domain/ledger/proofs.js';
import { jwksUrl } from '../../domain/ledger/schemas.js';
import { checkpointState } from '../../domain/ledger/witnesses.js';
import { lotEventAccess } from '../../domain/lots/event-access.js';
import { access, errorResponses, jsonResponse, publicAccess, uuidParam } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';
import { registerCheckpointRoutes } from './checkpoints.js';
import { consistencySchema, inclusionQuery, inclusionSchema, ledgerHeadSchema } from './schemas.js';

const tags = ['Ledger'];
const routes = {
  head: createRoute({
    method: 'get',
    path: '/v1/ledger/head',
    tags,
    summary: 'The latest signed tree head of the event log (events written so far are appended first)',
    ...access('checkpoint', 'exporter', 'regulator', 'admin'),
    responses: {
      200: jsonResponse(
        ledgerHeadSchema,
        'The head, signed; check it with the JWKS as described in SignedTreeHead.',
      ),
      ...errorResponses,
    },
  }),
  proof: createRoute({
    method: 'get',
    path: '/v1/ledger/events/{id}/proof',
    tags,
    summary: 'An event, its leaf and an RFC 9162 inclusion proof against a signed head',
    ...access('exporter', 'regulator', 'admin'),
    description: [
      'Roles: exporter (events of lots it produced or holds; any other answers 404), regulator, admin.',
      'Verify offline with RFC 9162 §2.1.3.2: hash the leaf from `event` (see LedgerEvent), fold `proof`',
      '(hex, leaf side first) with `leafIndex` and `treeSize`, compare with `head.rootHash`, and check',
      "`head`'s signature with the JWKS.",
    ].join(' '),
    request: {
      params: uuidParam,
      query: inclusionQuery,
    },
    responses: {
      200: jsonResponse(inclusionSchema, 'The event and its inclusion proof'),
      ...errorResponses,
    },
  }),
  consistency: createRoute({
    method: 'get',
    path: '/v1/ledger/consistency',
    tags,
    summary: 'An RFC 9162 consistency proof that the head of `to` leaves extends the head of `from` leaves',
    // Witnesses hold no token, and the answer is hashes and signatures only.
    ...publicAccess(
      'Both sizes must be of signed heads (0 < from ≤ to). Verify with RFC 9162 §2.1.4.2 against both heads, each checked with the JWKS (or against checkpoints a witness keeps).',
    ),
    request: {
      query: consistencyQuery,
    },
    responses: {
      200: jsonResponse(consistencySchema, 'Both heads and the proof'),
      ...errorResponses,
    },
  }),
};

export function registerLedgerRoutes(app: Router) {
  app.openapi(routes.head, async (c) => {
    const { db, ledgerKey, witnesses } = c.var.services;
    const head = await currentHead(db, ledgerKey);
    const state = await checkpointState(db, witnesses, head.treeSize);
    const witnessQuorum = witnesses?.quorum ?? 0;
    return c.json(
      {
        ...head,
        jwksUrl,
        ...(state ?? { checkpoint: null, cosignatures: [], final: witnessQuorum === 0, witnessQuorum }),
      },
      200,
    );
  });
  app.openapi(routes.proof, async (c) => {
    const { db, ledgerKey } = c.var.services;
    const { id } = c.req.valid('param');
    const mayRead = lotEventAccess(db, c.var.principal);
    return c.json(await eventInclusion(db, ledgerKey, mayRead, id, c.req.valid('query')), 200);
  });
  app.openapi(routes.consistency, async (c) =>
    c.json(await headConsistency(c.var.services.db, c.req.valid('query')), 200),
  );
  registerCheckpointRoutes(app);
}
