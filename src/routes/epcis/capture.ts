import { createRoute, z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import {
  captureDocument,
  captureEvent,
  captureJobOf,
  defaultCaptureLimit,
  EpcisCaptureError,
} from '../../domain/epcis/capture.js';
import { epcisDocumentSchema, issuesOf, standaloneEventSchema } from '../../domain/epcis/capture-schema.js';
import type { AppEnv } from '../../http/env.js';
import { gs1Options } from '../../http/gs1.js';
import { access, errorResponses } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';

/*
 * EPCIS 2.0 capture in GS1's REST bindings: a partner's EPCIS system (a refinery abroad with an
 * exporter-role token bound to its actor, an exporter's own system, a regulator's tool) sends
 * events with no orotrace-specific code. The body is validated here against the standard
 * (domain/epcis/capture-schema.ts) rather than by the router, so that a refusal has the bindings'
 * shape (`epcisException:ValidationException`) and names every failing member.
 */

const tags = ['EPCIS 2.0'];
const capturers = access('exporter', 'regulator', 'admin');
const versionHeaders = { 'GS1-EPCIS-Version': '2.0.0', 'GS1-CBV-Version': '2.0.0' };
const jsonTypes = ['application/json', 'application/ld+json'];

type Kind = EpcisCaptureError['kind'] | 'UnsupportedMediaTypeException' | 'NoSuchResourceException';
const statusOf = {
  ValidationException: 400,
  ResourceAlreadyExistsException: 409,
  CaptureLimitExceededException: 413,
  UnsupportedMediaTypeException: 415,
  NoSuchResourceException: 404,
} as const satisfies Record<Kind, number>;

const problemSchema = z.object({
  type: z.string().openapi({ example: 'epcisException:ValidationException' }),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
const epcisProblem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** An EPCIS exception as the bindings write it: RFC 7807 with an `epcisException:` type. */
function problem(
  c: Context<AppEnv>,
  kind: Kind,
  detail: string,
  errors: { path: string; message: string }[] = [],
  headers: Record<string, string> = {},
) {
  const status = statusOf[kind];
  return c.body(
    JSON.stringify({
      type: `epcisException:${kind}`,
      title: 'EPCIS capture exception',
      status,
      detail,
      ...(errors.length ? { errors } : {}),
    }),
    status,
    { 'content-type': 'application/problem+json', ...versionHeaders, ...headers },
    // Typed as the 400 the routes document: the refusals share one problem shape, and
    // @hono/zod-openapi wants one status per response type.
  ) as unknown as Response & TypedResponse<z.infer<typeof problemSchema>, 400, 'json'>;
}

const limitOf = (c: Context<AppEnv>) => c.var.services.limits?.epcisCaptureEvents ?? defaultCaptureLimit;

/** The body as JSON, or the refusal: the wrong media type (415), or not JSON at all (400). */
async function jsonBody(
  c: Context<AppEnv>,
): Promise<{ body: unknown } | { refusal: ReturnType<typeof problem> }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!jsonTypes.includes(type))
    return {
      refusal: problem(
        c,
        'UnsupportedMediaTypeException',
        `content-type "${type}": EPCIS events are sent as ${jsonTypes.join(' or ')}`,
      ),
    };
  try {
    return { body: await c.req.json() };
  } catch {
    return { refusal: problem(c, 'ValidationException', 'the body is not JSON') };
  }
}

function refusal(c: Context<AppEnv>, err: unknown) {
  if (!(err instanceof EpcisCaptureError)) throw err;
  return problem(
    c,
    err.kind,
    err.message,
    err.errors,
    err.kind === 'CaptureLimitExceededException' ? { 'GS1-EPCIS-Capture-Limit': String(limitOf(c)) } : {},
  );
}

const captureJobSchema = z
  .object({
    captureID: z.string(),
    createdAt: z.string(),
    finishedAt: z.string(),
    running: z.boolean(),
    success: z.boolean(),
    captureErrorBehaviour: z.enum(['rollback', 'proceed']),
    errors: z.array(z.unknown()),
    eventIDs: z.array(z.string()),
  })
  .openapi('EPCISCaptureJob', {
    description:
      'A capture job (REST bindings). Capture is all-or-nothing and finishes within the request, so a job that exists has succeeded; a refused document leaves no job, its refusal is the answer to its POST.',
  });

const documentBody = z.looseObject({}).openapi('EPCISDocument', {
  description:
    'An EPCIS 2.0 document (GS1 EPCIS-JSON-Schema.json): @context, type EPCISDocument, schemaVersion, creationDate, epcisBody.eventList',
});
const eventBody = z.looseObject({}).openapi('EPCISEvent', {
  description:
    'One EPCIS 2.0 event (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent) with its @context',
});
const refusals = {
  400: epcisProblem(
    'epcisException:ValidationException: not EPCIS 2.0; `errors` names each failing member. Nothing is stored.',
  ),
  401: errorResponses[401],
  403: errorResponses[403],
  409: epcisProblem(
    'epcisException:ResourceAlreadyExistsException: an eventID already captured (or given twice). Nothing is stored.',
  ),
  413: epcisProblem(
    'epcisException:CaptureLimitExceededException: more events than GS1-EPCIS-Capture-Limit (or a body above the size limit)',
  ),
  415: epcisProblem(
    'epcisException:UnsupportedMediaTypeException: not application/json or application/ld+json',
  ),
};

const routes = {
  capture: createRoute({
    method: 'post',
    path: '/epcis/capture',
    tags,
    summary: 'Capture an EPCIS 2.0 document: all its events, or none (GS1-Capture-Error-Behaviour: rollback)',
    ...capturers,
    request: {
      headers: z.object({
        'GS1-Capture-Error-Behaviour': z
          .string()
          .optional()
          .openapi({ description: 'rollback (the default, and the only behaviour offered)' }),
      }),
      body: {
        content: {
          'application/json': { schema: documentBody },
          'application/ld+json': { schema: documentBody },
        },
        required: true,
      },
    },
    responses: {
      202: {
        description: 'Captured; `Location: /epcis/capture/{captureID}` names the job (already finished)',
        headers: z.object({ Location: z.string() }),
        content: { 'application/json': { schema: captureJobSchema } },
      },
      ...refusals,
    },
  }),
  job: createRoute({
    method: 'get',
    path: '/epcis/capture/{captureID}',
    tags,
    summary: 'A capture job: its status and the eventIDs it captured',
    ...capturers,
    request: { params: z.object({ captureID: z.string() }) },
    responses: {
      200: { description: 'The job', content: { 'application/json': { schema: captureJobSchema } } },
      401: errorResponses[401],
      403: errorResponses[403],
      404: epcisProblem('epcisException:NoSuchResourceException: no such job (or another partner’s)'),
    },
  }),
  event: createRoute({
    method: 'post',
    path: '/epcis/events',
    tags,
    summary: 'Capture one EPCIS 2.0 event (with its @context)',
    ...capturers,
    request: {
      body: {
        content: { 'application/json': { schema: eventBody }, 'application/ld+json': { schema: eventBody } },
        required: true,
      },
    },
    responses: {
      201: {
        description: 'Captured; `Location: /epcis/events/{eventID}` (the eventID percent-encoded)',
        headers: z.object({ Location: z.string() }),
      },
      ...refusals,
    },
  }),
};

const contextOf = (c: Context<AppEnv>) => {
  const { baseUrl } = c.var.services;
  const { companyPrefix, acceptedPrefixes } = gs1Options(c);
  return { baseUrl, companyPrefix, acceptedPrefixes, limit: limitOf(c) };
};

/** A route as the document describes it: its role check is served, not described (`middleware`). */
function documented<R extends { middleware?: unknown }>(route: R): Omit<R, 'middleware'> {
  const { middleware: _served, ...described } = route;
  return described;
}

/**
 * The two POST routes are documented from their definitions but served by plain handlers: the
 * body is read and validated here, so that a wrong media type, a body that is not JSON and an
 * invalid document are all refused in the bindings' shape rather than the router's.
 */
export function registerEpcisCaptureRoutes(app: Router) {
  // The role check access() made for these routes, applied as the router would apply it.
  const [guard] = capturers.middleware;
  if (!guard) throw new Error('access() gives the role check');
  app.openAPIRegistry.registerPath(documented(routes.capture));
  app.post(routes.capture.path, guard, async (c) => {
    const behaviour = c.req.header('GS1-Capture-Error-Behaviour');
    if (behaviour !== undefined && behaviour !== 'rollback')
      return problem(
        c,
        'ValidationException',
        `GS1-Capture-Error-Behaviour: "${behaviour}" is not offered; only rollback`,
      );
    const read = await jsonBody(c);
    if ('refusal' in read) return read.refusal;
    const parsed = epcisDocumentSchema.safeParse(read.body);
    if (!parsed.success) {
      const errors = issuesOf(parsed.error);
      return problem(c, 'ValidationException', `not an EPCIS 2.0 document: ${summary(errors)}`, errors);
    }
    try {
      const job = await captureDocument(c.var.services.db, c.var.principal, parsed.data, contextOf(c));
      return c.json(job, 202, { ...versionHeaders, Location: `/epcis/capture/${job.captureID}` });
    } catch (err) {
      return refusal(c, err);
    }
  });
  app.openapi(routes.job, async (c) => {
    const job = await captureJobOf(c.var.services.db, c.var.principal, c.req.valid('param').captureID);
    if (!job)
      // The same problem body, at the 404 this route documents.
      return problem(c, 'NoSuchResourceException', 'no such capture job') as unknown as Response &
        TypedResponse<z.infer<typeof problemSchema>, 404, 'json'>;
    return c.json(job, 200, versionHeaders);
  });
  app.openAPIRegistry.registerPath(documented(routes.event));
  app.post(routes.event.path, guard, async (c) => {
    const read = await jsonBody(c);
    if ('refusal' in read) return read.refusal;
    const parsed = standaloneEventSchema.safeParse(read.body);
    if (!parsed.success) {
      const errors = issuesOf(parsed.error);
      return problem(c, 'ValidationException', `not an EPCIS 2.0 event: ${summary(errors)}`, errors);
    }
    try {
      const eventID = await captureEvent(c.var.services.db, c.var.principal, parsed.data, contextOf(c));
      return c.body(null, 201, {
        ...versionHeaders,
        Location: `/epcis/events/${encodeURIComponent(eventID)}`,
      });
    } catch (err) {
      return refusal(c, err);
    }
  });
}

/** The first few failures in one line, for `detail`; all of them are in `errors`. */
const summary = (errors: { path: string; message: string }[]) =>
  errors
    .slice(0, 3)
    .map((e) => `${e.path || '(document)'}: ${e.message}`)
    .join('; ') + (errors.length > 3 ? ` (and ${errors.length - 3} more)` : '');
