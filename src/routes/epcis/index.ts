import { createRoute, z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import {
  type EpcisQuery,
  EpcisQueryError,
  type EpcisQueryParameter,
  epcisQueryParameters,
  eventTypeCollection,
  queryEpcisEvents,
} from '../../domain/epcis/query.js';
import type { AppEnv } from '../../http/env.js';
import { gs1Options } from '../../http/gs1.js';
import { access, errorResponses } from '../../http/openapi.js';
import type { Router } from '../../http/router.js';

/*
 * The EPCIS 2.0 query interface in GS1's REST bindings (the standard's own OpenAPI document,
 * epcis-rest-openapi.json): a partner's EPCIS client reads the ledger's events with no
 * orotrace-specific code. The same readers as the lots: exporters, regulators, admins (an
 * exporter sees the events of lots it may read, domain/epcis/query.ts).
 */

const tags = ['EPCIS 2.0'];
const readers = access('exporter', 'regulator', 'admin');

/** The versions this repository speaks (REST bindings: GS1-EPCIS-Version, GS1-CBV-Version). */
const versionHeaders = { 'GS1-EPCIS-Version': '2.0.0', 'GS1-CBV-Version': '2.0.0' };

const queryDocument = z
  .looseObject({
    '@context': z.array(z.unknown()),
    type: z.literal('EPCISQueryDocument'),
    schemaVersion: z.literal('2.0'),
    creationDate: z.string(),
    epcisBody: z.looseObject({}),
  })
  .openapi('EPCISQueryDocument', {
    description:
      'An EPCIS 2.0 query document (GS1 EPCIS-JSON-Schema.json): epcisBody.queryResults.resultsBody.eventList',
  });

const epcisProblem = (description: string) => ({
  description,
  content: {
    'application/problem+json': {
      schema: z.object({
        type: z.string().openapi({ example: 'epcisException:QueryParameterException' }),
        title: z.string(),
        status: z.number().int(),
        detail: z.string(),
      }),
    },
  },
});

const parameterDocs: Record<EpcisQueryParameter, string> = {
  eventType: 'Event types, pipe-delimited (ObjectEvent|TransformationEvent …)',
  GE_eventTime: 'eventTime ≥ this date-time (with offset)',
  LT_eventTime: 'eventTime < this date-time',
  GE_recordTime: 'recordTime ≥ this date-time',
  LT_recordTime: 'recordTime < this date-time',
  EQ_action: 'ADD|OBSERVE|DELETE',
  EQ_bizStep: 'CBV business steps: bare words, CBV web URIs or EPCIS 1.x URNs',
  EQ_disposition: 'CBV dispositions, same forms',
  EQ_readPoint:
    'Read points (a checkpoint URL, or the geo: URI of a lot’s origin; a captured event’s readPoint id)',
  EQ_bizLocation: 'Business locations (a concession URL; a captured event’s bizLocation id)',
  EQ_eventID: 'Event IDs (urn:uuid:… of the ledger’s events; a captured event’s eventID as captured)',
  MATCH_epc: 'Lots in epcList, by GIAI (GS1 Digital Link or EPC URN)',
  MATCH_anyEPC:
    'Lots anywhere in the event, by GIAI; in captured events, any identifier as given (and our GIAIs in either form)',
  MATCH_inputEPC: 'Lots in inputEPCList, by GIAI',
  MATCH_outputEPC: 'Lots in outputEPCList, by GIAI',
  MATCH_epcClass: 'Lots in quantityList, by class (the lot’s URL)',
  MATCH_anyEPCClass: 'Lots in any quantity list, by class',
  MATCH_inputEPCClass: 'Lots in inputQuantityList, by class',
  MATCH_outputEPCClass: 'Lots in outputQuantityList, by class',
  orderBy: 'eventTime or recordTime (default: the ledger’s order)',
  orderDirection: 'ASC or DESC (default DESC)',
  eventCountLimit: 'At most this many events in all (with orderBy)',
  maxEventCount: 'Refuse (QueryTooLargeException) if more match',
  perPage: 'Events per page (default 30, at most 1000)',
  nextPageToken: 'The page after the one whose Link header gave it',
};
/**
 * Documented one by one; read raw (rawQuery) so that a repeated parameter is one list and an
 * unknown one is refused by the query, not dropped by a validator.
 */
const queryParams = z.object(
  Object.fromEntries(
    epcisQueryParameters.map((p) => [
      p,
      z
        .union([z.string(), z.array(z.string())])
        .optional()
        .openapi({ description: parameterDocs[p], type: 'string' }),
    ]),
  ),
);

const eventsResponses = {
  200: {
    description:
      'One page of events; the `Link` header (rel="next") gives the next page, GS1-EPCIS-Version and GS1-CBV-Version what they follow',
    content: { 'application/json': { schema: queryDocument } },
  },
  400: epcisProblem(
    'epcisException:QueryParameterException: a parameter is malformed or not supported (named in detail). Nothing is answered rather than a wider query.',
  ),
  401: errorResponses[401],
  403: errorResponses[403],
  413: epcisProblem('epcisException:QueryTooLargeException: more events match than maxEventCount'),
};

const routes = {
  events: createRoute({
    method: 'get',
    path: '/epcis/events',
    tags,
    summary: 'EPCIS 2.0 events matching a SimpleEventQuery (GS1 REST bindings)',
    ...readers,
    request: { query: queryParams },
    responses: eventsResponses,
  }),
  eventTypes: createRoute({
    method: 'get',
    path: '/epcis/eventTypes',
    tags,
    summary: 'The EPCIS event types a query may name',
    ...readers,
    responses: {
      200: {
        description: 'A Collection of event types',
        content: { 'application/json': { schema: z.looseObject({ type: z.literal('Collection') }) } },
      },
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  byEventType: createRoute({
    method: 'get',
    path: '/epcis/eventTypes/{eventType}/events',
    tags,
    summary: 'EPCIS events of one type',
    ...readers,
    request: { params: z.object({ eventType: z.string() }), query: queryParams },
    responses: eventsResponses,
  }),
  byEpc: createRoute({
    method: 'get',
    path: '/epcis/epcs/{epc}/events',
    tags,
    summary: 'EPCIS events naming one lot, by its GIAI (percent-encoded Digital Link URI or EPC URN)',
    ...readers,
    request: { params: z.object({ epc: z.string() }), query: queryParams },
    responses: eventsResponses,
  }),
  byEventId: createRoute({
    method: 'get',
    path: '/epcis/events/{eventID}',
    tags,
    summary: 'One EPCIS event by its eventID (percent-encoded): a ledger event or a captured one',
    ...readers,
    request: { params: z.object({ eventID: z.string() }) },
    responses: {
      200: {
        description: 'The event, with the @context it is read under',
        content: { 'application/json': { schema: z.looseObject({ type: z.string(), eventID: z.string() }) } },
      },
      401: errorResponses[401],
      403: errorResponses[403],
      404: epcisProblem(
        'epcisException:NoSuchResourceException: no such event (or not one this reader may see)',
      ),
    },
  }),
  byBizStep: createRoute({
    method: 'get',
    path: '/epcis/bizSteps/{bizStep}/events',
    tags,
    summary: 'EPCIS events of one CBV business step',
    ...readers,
    request: { params: z.object({ bizStep: z.string() }), query: queryParams },
    responses: eventsResponses,
  }),
};

/** The query as the client sent it: a parameter given twice is one list (as with `|`). */
function rawQuery(c: Context<AppEnv>): EpcisQuery {
  return Object.fromEntries(Object.entries(c.req.queries()).map(([k, vs]) => [k, vs.join('|')]));
}

/**
 * Answers a query: the page with its headers, or the standard's problem. `fixed` is what the
 * path says (a resource's events), which the client may not widen with a parameter of its own.
 */
async function answer(c: Context<AppEnv>, fixed: EpcisQuery = {}) {
  const q = rawQuery(c);
  const gs1 = gs1Options(c);
  const { baseUrl, db } = c.var.services;
  for (const key of Object.keys(fixed) as EpcisQueryParameter[])
    if (q[key] !== undefined)
      return problem(c, 'QueryParameterException', `${key}: already given by the path`);
  try {
    const result = await queryEpcisEvents(
      db,
      c.var.principal,
      { ...q, ...fixed },
      { baseUrl, gs1, now: new Date() },
    );
    const headers: Record<string, string> = {
      ...versionHeaders,
      'GS1-EPC-Format': gs1.epcFormat === 'epc_urn' ? 'Always_EPC_URN' : 'Always_GS1_Digital_Link',
      'GS1-Extensions': `orotrace=${baseUrl}/ns/epcis#`,
    };
    if (result.nextPageToken) {
      const next = new URL(c.req.url);
      next.searchParams.set('nextPageToken', result.nextPageToken);
      headers.Link = `<${next.pathname}${next.search}>; rel="next"`;
      // Tokens are positions in the ledger's order, not server state: they do not lapse. A day
      // is promised, as the bindings ask for a time.
      headers['GS1-Next-Page-Token-Expires'] = new Date(Date.now() + 86_400_000).toISOString();
    }
    return c.json(result.document, 200, headers);
  } catch (err) {
    if (err instanceof EpcisQueryError) return problem(c, err.kind, err.message);
    throw err;
  }
}

const statusOf = {
  QueryParameterException: 400,
  QueryTooLargeException: 413,
  NoSuchNameException: 404,
  NoSuchResourceException: 404,
} as const;

/** An EPCIS exception as the REST bindings write it: RFC 7807 with an `epcisException:` type. */
function problem(c: Context<AppEnv>, kind: keyof typeof statusOf, detail: string) {
  const status = statusOf[kind];
  return c.body(
    JSON.stringify({ type: `epcisException:${kind}`, title: 'EPCIS query exception', status, detail }),
    status,
    { 'content-type': 'application/problem+json', ...versionHeaders },
    // Typed as the 400 the route documents: @hono/zod-openapi wants one status per response type,
    // and both the 400 and the 413 carry the same problem shape.
  ) as unknown as TypedResponse<{ type: string; title: string; status: number; detail: string }, 400, 'json'>;
}

export function registerEpcisRoutes(app: Router) {
  app.openapi(routes.events, (c) => answer(c));
  app.openapi(routes.eventTypes, (c) =>
    c.json(eventTypeCollection(c.var.services.baseUrl), 200, versionHeaders),
  );
  app.openapi(routes.byEventType, (c) => answer(c, { eventType: c.req.valid('param').eventType }));
  app.openapi(routes.byEpc, (c) => answer(c, { MATCH_anyEPC: c.req.valid('param').epc }));
  app.openapi(routes.byEventId, async (c) => {
    const { baseUrl, db } = c.var.services;
    const gs1 = gs1Options(c);
    const { eventID } = c.req.valid('param');
    let document: Awaited<ReturnType<typeof queryEpcisEvents>>['document'] | undefined;
    try {
      ({ document } = await queryEpcisEvents(
        db,
        c.var.principal,
        { EQ_eventID: eventID },
        { baseUrl, gs1, now: new Date() },
      ));
    } catch (err) {
      // An eventID the query cannot even ask for ("a||b") names no event.
      if (!(err instanceof EpcisQueryError)) throw err;
    }
    const [event] = document?.epcisBody.queryResults.resultsBody.eventList ?? [];
    if (!event || event.eventID !== eventID)
      return problem(c, 'NoSuchResourceException', `no event ${eventID}`) as unknown as TypedResponse<
        { type: string; title: string; status: number; detail: string },
        404,
        'json'
      >;
    // A captured event keeps the @context it came with; a ledger event reads under the document's.
    return c.body(JSON.stringify({ '@context': document?.['@context'], ...event }), 200, {
      'content-type': 'application/json',
      ...versionHeaders,
      // Typed as the route's loose object: an event's members are its own (a captured event's
      // extensions), not a shape the router could check.
    }) as unknown as TypedResponse<{ type: string; eventID: string }, 200, 'json'>;
  });
  app.openapi(routes.byBizStep, (c) => answer(c, { EQ_bizStep: c.req.valid('param').bizStep }));
}
