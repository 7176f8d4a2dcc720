import { createRoute, z } from '@hono/zod-openapi';
import {
  searchDirectory,
  standingStatuses,
  visibleDirectoryEntries,
} from '../../domain/reference/actor-directory.js';
import { ApiError } from '../../domain/shared/errors.js';
import { text } from '../../domain/shared/text.js';
import { actorKinds, registries } from '../../domain/shared/vocabulary.js';
import { access, errorResponses, jsonResponse, pageOf, pageQuery } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';

const inForce = Object.entries(standingStatuses)
  .map(([registry, statuses]) => `${registry} ${statuses.map((s) => `\`${s}\``).join(' or ')}`)
  .join('; ');

const directoryEntrySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    taxId: z.string().openapi({ description: 'RUC (tax id)', example: '20600000011' }),
    kinds: z.array(z.enum(actorKinds)),
    registeredFor: z.array(z.enum(registries)).openapi({
      description: `The registries the actor is registered for today, in force and in good standing (${inForce}).`,
    }),
  })
  .openapi('DirectoryEntry');

const maxIds = 100;
const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const directoryQuery = z.object({
  q: text({ min: 2, max: 100 })
    // Letters (any script, accents included), digits, spaces and the punctuation of company
    // names ("Peña & Hijos S.A.C.", "D'Ángelo"); anything else is not a name or a RUC.
    .regex(/^[\p{L}\p{N} .,&'’()-]+$/u, 'must be a RUC prefix or a part of a name')
    .optional()
    .openapi({
      description:
        'At least 2 characters: a RUC prefix ("2060") or a fragment of the name, case and accents ' +
        'ignored ("pena" finds "Peña"). Only registered counterparts are answered.',
      example: 'guacamayo',
      // JSON Schema patterns are Unicode regular expressions already: the JavaScript flag the
      // generator would append ("…$/u") is not part of one.
      pattern: "^[\\p{L}\\p{N} .,&'’()-]+$",
    }),
  ids: text({ max: maxIds * 37 })
    .transform((s, ctx) => {
      const ids = s.split(',').map((x) => x.trim().toLowerCase());
      if (ids.length > maxIds) {
        ctx.addIssue({ code: 'custom', message: `at most ${maxIds} ids` });
        return z.NEVER;
      }
      if (!ids.every((id) => uuidRe.test(id))) {
        ctx.addIssue({ code: 'custom', message: 'must be actor ids (UUIDs) separated by commas' });
        return z.NEVER;
      }
      return ids;
    })
    .optional()
    .openapi({
      type: 'string',
      description:
        `Up to ${maxIds} actor ids, comma-separated: the names of those the caller has a reason to know ` +
        '(see the operation); unknown and withheld ids alike are left out.',
    }),
  ...pageQuery,
});

const directory = createRoute({
  method: 'get',
  path: '/v1/actors/directory',
  tags: ['Actors'],
  summary: 'Find a counterpart by RUC or name, or name the actors behind ids (minimal public fields)',
  ...access('exporter', 'regulator', 'admin', 'checkpoint'),
  description:
    'Roles: exporter, regulator, admin, checkpoint. Exactly one of `q` or `ids`. ' +
    'Each entry carries only public facts: id, name, RUC, declared kinds and the registries in ' +
    'force today. `q` answers registered counterparts only: actors with at least one registration ' +
    `in force today — valid_from ≤ today < valid_to (or no valid_to) — in good standing (${inForce}); ` +
    'suspended, revoked or lapsed registrations do not count. Ordered by name, paged with `cursor`. ' +
    '`ids` names actors behind ids already on screen, in the order given, in one page, registered ' +
    'or not, but only those the caller has a reason to know: regulators and admins any actor; ' +
    'everyone the registered counterparts `q` would find and the holders and authorised operators ' +
    'of concessions (the public cadastre); an exporter also itself, the producers and custodians of ' +
    'the lots it may read (as it sees them) and of their provenance, the parties of its transfers ' +
    'and of those of lots it reads whole, and the other party of its input movements; checkpoint ' +
    'staff the producers and custodians of lots and the parties of movements. Unknown and withheld ' +
    'ids alike are left out.',
  request: { query: directoryQuery },
  responses: {
    200: jsonResponse(pageOf(directoryEntrySchema), 'A page of directory entries'),
    ...errorResponses,
  },
});

export function registerActorDirectoryRoutes(app: Router) {
  app.openapi(directory, async (c) => {
    const { q, ids, cursor, limit } = c.req.valid('query');
    if ((q === undefined) === (ids === undefined)) {
      throw new ApiError('validation', 'give exactly one of q (a RUC prefix or a name) or ids', {
        errors: [{ field: q === undefined ? 'query.q' : 'query.ids', message: 'exactly one of q or ids' }],
      });
    }
    if (ids) {
      const items = await visibleDirectoryEntries(c.var.services.db, c.var.principal, ids);
      return c.json({ items, nextCursor: null }, 200);
    }
    return c.json(await searchDirectory(c.var.services.db, { q: q ?? '', cursor, limit }), 200);
  });
}
