import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { rowsOf } from '../../db/client.js';
import { anyUuid, pgArray } from '../../db/sql.js';
import { knowerOf, knownLots } from '../lots/access.js';
import {
  type EpcisEvent,
  epcisContextUrl,
  type Gs1Options,
  mappingContext,
  toEpcisEvent,
} from '../lots/epcis.js';
import { acceptedPrefixesOf, codeOfGiai, gs1Id, subjectOfGs1Id } from '../shared/gs1.js';
import type { Principal } from '../shared/principal.js';
import { unstorableText } from '../shared/text.js';

/**
 * The EPCIS 2.0 query interface over the ledger (GS1 EPCIS 2.0 §8.2.7 SimpleEventQuery, in the
 * REST bindings' form: query parameters, pipe-delimited lists, pages through nextPageToken).
 * The events are the ledger's own, mapped as the provenance's EPCIS document maps them
 * (lots/epcis.ts): each filter is answered in SQL on what the mapping would write — an event's
 * EPCIS type, bizStep, disposition, action, readPoint, bizLocation and identifiers are
 * functions of its ledger type and payload — so that paging is by the database and a page is
 * mapped only once it is chosen. A parameter this repository cannot answer is refused
 * (QueryParameterException), never ignored: ignoring it would answer a wider query than asked.
 *
 * Beside them, the events partners captured (epcis/capture.ts: ledger events `epcis.captured`
 * whose payload is the event as sent), in the same order and pages: each filter is answered on
 * their own members (type, action, bizStep and disposition normalised to CBV's bare words,
 * readPoint, bizLocation, eventID, the identifier and quantity lists), identifiers by the URI as
 * given — and, for a GIAI of one of our lots, in either of its forms. They are returned as they
 * were captured, with their recordTime (GS1-EPC-Format does not rewrite them).
 */

/** What a query can go wrong with, in the standard's words (EPCIS 2.0 §8.2.7, REST bindings). */
export class EpcisQueryError extends Error {
  constructor(
    readonly kind: 'QueryParameterException' | 'QueryTooLargeException',
    detail: string,
  ) {
    super(detail);
    this.name = 'EpcisQueryError';
  }
}

const standardEventTypes = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const;

/**
 * The ledger events that have an EPCIS form (lots/epcis.ts toEpcisEvent), with what that form
 * says of each. The other side of an operation (created_by_split, merged, created_by_refine)
 * is folded into the operation's one TransformationEvent, as in the provenance document.
 */
const mapped = {
  'lot.registered': { type: 'ObjectEvent', bizStep: 'commissioning', action: 'ADD' },
  'lot.transferred': { type: 'ObjectEvent', bizStep: 'accepting', action: 'OBSERVE' },
  'lot.scanned': { type: 'ObjectEvent', bizStep: 'inspecting', action: 'OBSERVE' },
  'lot.exported': { type: 'ObjectEvent', bizStep: 'departing', action: 'OBSERVE' },
  'lot.seized': { type: 'ObjectEvent', bizStep: 'holding', action: 'OBSERVE' },
  'lot.split': { type: 'TransformationEvent', bizStep: 'creating_class_instance', action: null },
  'lot.created_by_merge': { type: 'TransformationEvent', bizStep: 'creating_class_instance', action: null },
  'lot.refined': { type: 'TransformationEvent', bizStep: 'creating_class_instance', action: null },
} as const;
type MappedType = keyof typeof mapped;
const mappedTypes = Object.keys(mapped) as MappedType[];

const caseOf = (pick: (t: MappedType) => string | null): SQL =>
  sql.raw(
    `CASE e.type ${mappedTypes
      .map((t) => {
        const v = pick(t);
        return `WHEN '${t}' THEN ${v === null ? 'NULL' : `'${v}'`}`;
      })
      .join(' ')} END`,
  );
const typeSql = caseOf((t) => mapped[t].type);
const bizStepSql = caseOf((t) => mapped[t].bizStep);
const actionSql = caseOf((t) => mapped[t].action);
/** As toEpcisEvent writes it: a scan is conformant or not by its verdict. */
const dispositionSql = sql.raw(`CASE e.type
  WHEN 'lot.registered' THEN 'active'
  WHEN 'lot.scanned' THEN CASE e.payload ->> 'verdict' WHEN 'pass' THEN 'conformant' ELSE 'non_conformant' END
  WHEN 'lot.exported' THEN 'in_transit'
  WHEN 'lot.seized' THEN 'non_sellable_other'
  WHEN 'lot.split' THEN 'active' WHEN 'lot.created_by_merge' THEN 'active' WHEN 'lot.refined' THEN 'active'
  END`);

/** The parameters GET /epcis/events takes, as the REST bindings name them. */
export const epcisQueryParameters = [
  'eventType',
  'GE_eventTime',
  'LT_eventTime',
  'GE_recordTime',
  'LT_recordTime',
  'EQ_action',
  'EQ_bizStep',
  'EQ_disposition',
  'EQ_readPoint',
  'EQ_bizLocation',
  'EQ_eventID',
  'MATCH_epc',
  'MATCH_anyEPC',
  'MATCH_inputEPC',
  'MATCH_outputEPC',
  'MATCH_epcClass',
  'MATCH_anyEPCClass',
  'MATCH_inputEPCClass',
  'MATCH_outputEPCClass',
  'orderBy',
  'orderDirection',
  'eventCountLimit',
  'maxEventCount',
  'perPage',
  'nextPageToken',
] as const;
export type EpcisQueryParameter = (typeof epcisQueryParameters)[number];
export type EpcisQuery = Partial<Record<EpcisQueryParameter, string>>;

/** perPage when the client gives none (the bindings' default), and the most a page holds. */
const defaultPerPage = 30;
const maxPerPage = 1000;

/** The most values one list parameter may name. */
const maxListValues = 1000;

/**
 * A pipe-delimited list (the bindings' `pipeDelimited` style): empty elements, text the database
 * cannot compare (NUL, a lone surrogate) and over-long lists refused.
 */
function list(q: EpcisQuery, name: EpcisQueryParameter): string[] | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  const items = v.split('|');
  if (items.some((i) => i.trim() === ''))
    throw new EpcisQueryError('QueryParameterException', `${name}: an empty value in the list "${v}"`);
  const bad = unstorableText(items);
  if (bad) throw new EpcisQueryError('QueryParameterException', `${name}: a value ${bad.message}`);
  if (items.length > maxListValues)
    throw new EpcisQueryError('QueryParameterException', `${name}: at most ${maxListValues} values`);
  return items;
}

function time(q: EpcisQuery, name: EpcisQueryParameter): Date | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  // An xsd:dateTime with its offset: a time without one names no instant.
  const d = new Date(v);
  // An instant before year 1 (UTC) is none PostgreSQL's timestamptz writes as ISO: refused here.
  if (
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(v) ||
    Number.isNaN(d.getTime()) ||
    d.getUTCFullYear() < 1
  )
    throw new EpcisQueryError(
      'QueryParameterException',
      `${name}: "${v}" is not a date-time with its offset`,
    );
  return d;
}

function integer(q: EpcisQuery, name: EpcisQueryParameter, min: number): number | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  // At most PostgreSQL's integer: a count the database compares and limits by.
  if (!/^\d{1,10}$/.test(v) || Number(v) < min || Number(v) > 2_147_483_647)
    throw new EpcisQueryError(
      'QueryParameterException',
      `${name}: "${v}" is not an integer from ${min} to 2147483647`,
    );
  return Number(v);
}

/**
 * A CBV word as the bindings allow it: bare (`shipping`), or the CBV 2.0 web URI
 * (`https://ref.gs1.org/cbv/BizStep-shipping`), or the EPCIS 1.x URN
 * (`urn:epcglobal:cbv:bizstep:shipping`); anything else is a custom value, kept as it is.
 */
function cbvWord(value: string, vocabulary: 'BizStep' | 'Disp'): string {
  const web = new RegExp(`^https://ref\\.gs1\\.org/cbv/${vocabulary}-(\\w+)$`).exec(value);
  if (web?.[1]) return web[1];
  const urn = new RegExp(`^urn:epcglobal:cbv:${vocabulary === 'BizStep' ? 'bizstep' : 'disp'}:(\\w+)$`).exec(
    value,
  );
  return urn?.[1] ?? value;
}

const uuidIn = (uri: string, pattern: RegExp): string | null => pattern.exec(uri)?.[1]?.toLowerCase() ?? null;
const uuidRe = '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';

/** Where the page after this one starts: the sort key and seq of the last event given. */
interface PageToken {
  /** The last event's sort value (a timestamptz's text, to the microsecond) when ordered by a time, else null (seq order). */
  v: string | null;
  s: string;
  /** Events still to give under eventCountLimit, if one was set. */
  n?: number;
}

/** A timestamptz as PostgreSQL writes it, to the microsecond: what a token holds of a time. */
const timestampText = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d)?$/;

const encodeToken = (t: PageToken) => Buffer.from(JSON.stringify(t), 'utf8').toString('base64url');
function decodeToken(token: string): PageToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<PageToken>;
    if (
      (t.v === null || (typeof t.v === 'string' && timestampText.test(t.v))) &&
      typeof t.s === 'string' &&
      /^\d{1,19}$/.test(t.s) &&
      (t.n === undefined || (Number.isInteger(t.n) && t.n >= 0))
    )
      return t as PageToken;
  } catch {
    // Not base64url JSON: refused below.
  }
  throw new EpcisQueryError('QueryParameterException', 'nextPageToken: not a token this repository gave');
}

export interface EpcisQueryContext {
  baseUrl: string;
  gs1: Gs1Options;
  now: Date;
}

export interface EpcisQueryResult {
  document: {
    '@context': [string, { orotrace: string }];
    type: 'EPCISQueryDocument';
    schemaVersion: '2.0';
    creationDate: string;
    epcisBody: {
      queryResults: {
        queryName: 'SimpleEventQuery';
        resultsBody: { eventList: (EpcisEvent | CapturedEventOut)[] };
      };
    };
  };
  /** The token of the next page, when there is one. */
  nextPageToken: string | null;
}

/**
 * The events a reader may see that match the query, one page of them. Exporters see the events of
 * lots they know, as far as they know them (lots/access.ts knownLots: not what later custodians
 * did with a lot they handed on); regulators and admins see every event.
 */
export async function queryEpcisEvents(
  db: Queryable,
  by: Principal,
  q: EpcisQuery,
  ctx: EpcisQueryContext,
): Promise<EpcisQueryResult> {
  for (const name of Object.keys(q))
    if (!(epcisQueryParameters as readonly string[]).includes(name))
      throw new EpcisQueryError(
        'QueryParameterException',
        `${name}: a parameter this repository does not support`,
      );

  // What a ledger event must meet (`where`), what a captured one must (`captured`), what both must (`both`).
  const where: SQL[] = [];
  const captured: SQL[] = [];
  const both: SQL[] = [];
  const eventTypes = list(q, 'eventType');
  if (eventTypes) {
    const ledgerTypes = mappedTypes.filter((t) => eventTypes.includes(mapped[t].type));
    where.push(ledgerTypes.length ? sql`e.type = ANY(${pgArray(ledgerTypes, 'text')})` : sql`false`);
    captured.push(sql`(e.payload ->> 'type') = ANY(${pgArray(eventTypes, 'text')})`);
  }
  for (const [name, column, op] of [
    ['GE_eventTime', sql`e.occurred_at`, sql`>=`],
    ['LT_eventTime', sql`e.occurred_at`, sql`<`],
    ['GE_recordTime', sql`e.recorded_at`, sql`>=`],
    ['LT_recordTime', sql`e.recorded_at`, sql`<`],
  ] as const) {
    const t = time(q, name);
    // A captured event's eventTime is its occurred_at (capture.ts), its recordTime the ledger's.
    if (t) both.push(sql`${column} ${op} ${t.toISOString()}::timestamptz`);
  }
  const words = (name: EpcisQueryParameter, expr: SQL, member: string, vocabulary?: 'BizStep' | 'Disp') => {
    const values = list(q, name);
    if (!values) return;
    const normal = vocabulary ? values.map((v) => cbvWord(v, vocabulary)) : values;
    where.push(sql`${expr} = ANY(${pgArray(normal, 'text')})`);
    captured.push(
      sql`${cbvWordSql(sql`e.payload ->> ${member}`, vocabulary)} = ANY(${pgArray(normal, 'text')})`,
    );
  };
  words('EQ_action', actionSql, 'action');
  words('EQ_bizStep', bizStepSql, 'bizStep', 'BizStep');
  words('EQ_disposition', dispositionSql, 'disposition', 'Disp');

  const readPoints = list(q, 'EQ_readPoint');
  if (readPoints) {
    // A checkpoint where a lot was scanned, or the geo URI of a lot's origin, as toEpcisEvent writes them.
    const checkpoints = readPoints.flatMap(
      (u) => uuidIn(u, new RegExp(`^${reEscape(ctx.baseUrl)}/v1/checkpoints/${uuidRe}$`)) ?? [],
    );
    const geos = readPoints.filter((u) => u.startsWith('geo:'));
    where.push(sql`((e.type = 'lot.scanned' AND (e.payload ->> 'checkpointId')::uuid = ${anyUuid(checkpoints)})
      OR (e.type = 'lot.registered' AND 'geo:' || (e.payload -> 'origin' -> 'coordinates' ->> 1) || ',' || (e.payload -> 'origin' -> 'coordinates' ->> 0)
          = ANY(${pgArray(geos, 'text')})))`);
    captured.push(sql`(e.payload -> 'readPoint' ->> 'id') = ANY(${pgArray(readPoints, 'text')})`);
  }
  const bizLocations = list(q, 'EQ_bizLocation');
  if (bizLocations) {
    const concessions = bizLocations.flatMap(
      (u) => uuidIn(u, new RegExp(`^${reEscape(ctx.baseUrl)}/v1/concessions/${uuidRe}$`)) ?? [],
    );
    where.push(
      sql`(e.type = 'lot.registered' AND (e.payload ->> 'concessionId')::uuid = ${anyUuid(concessions)})`,
    );
    captured.push(sql`(e.payload -> 'bizLocation' ->> 'id') = ANY(${pgArray(bizLocations, 'text')})`);
  }
  const eventIds = list(q, 'EQ_eventID');
  if (eventIds) {
    where.push(
      sql`e.id = ${anyUuid(eventIds.flatMap((u) => uuidIn(u, new RegExp(`^urn:uuid:${uuidRe}$`)) ?? []))}`,
    );
    captured.push(sql`(e.payload ->> 'eventID') = ANY(${pgArray(eventIds, 'text')})`);
  }

  // Identifiers: instances by their GIAI (MATCH_*EPC), classes by the lot's URL (MATCH_*EPCClass);
  // both name lots. A URI that names no lot of this ledger matches nothing.
  const lotsByEpc = async (name: EpcisQueryParameter): Promise<string[] | undefined> => {
    const uris = list(q, name);
    if (!uris) return undefined;
    const codes = uris.flatMap((u) => codeOfGiai(u, acceptedPrefixesOf(ctx.gs1)) ?? []);
    if (codes.length === 0) return [];
    const rows = rowsOf<{ id: string }>(
      await db.execute(sql`SELECT id FROM lots WHERE code = ANY(${pgArray(codes, 'text')})`),
    );
    return rows.map((r) => r.id);
  };
  const lotsByClass = (name: EpcisQueryParameter): string[] | undefined =>
    list(q, name)?.flatMap(
      (u) => uuidIn(u, new RegExp(`^${reEscape(ctx.baseUrl)}/v1/lots/${uuidRe}$`)) ?? [],
    );
  const object = (ids: string[]) => sql`(${typeSql} = 'ObjectEvent' AND e.subject_id = ${anyUuid(ids)})`;
  const input = (
    ids: string[],
  ) => sql`(e.type IN ('lot.split', 'lot.refined') AND e.subject_id = ${anyUuid(ids)}
    OR e.type = 'lot.created_by_merge' AND EXISTS (SELECT FROM lot_edges x WHERE x.child_id = e.subject_id AND x.operation = 'merge' AND x.parent_id = ${anyUuid(ids)}))`;
  const output = (ids: string[]) => sql`(e.type = 'lot.created_by_merge' AND e.subject_id = ${anyUuid(ids)}
    OR e.type = 'lot.split' AND EXISTS (SELECT FROM jsonb_array_elements(e.payload -> 'children') ch WHERE (ch ->> 'id')::uuid = ${anyUuid(ids)})
    OR e.type = 'lot.refined' AND (e.payload ->> 'into')::uuid = ${anyUuid(ids)})`;
  for (const [epcName, className, test] of [
    ['MATCH_epc', 'MATCH_epcClass', object],
    ['MATCH_inputEPC', 'MATCH_inputEPCClass', input],
    ['MATCH_outputEPC', 'MATCH_outputEPCClass', output],
    [
      'MATCH_anyEPC',
      'MATCH_anyEPCClass',
      (ids: string[]) => sql`(${object(ids)} OR ${input(ids)} OR ${output(ids)})`,
    ],
  ] as const) {
    const byEpc = await lotsByEpc(epcName);
    if (byEpc) where.push(test(byEpc));
    const byClass = lotsByClass(className);
    if (byClass) where.push(test(byClass));
  }
  // Captured events: the URIs as given in their lists, and our lots' GIAIs and movements' GINCs
  // in either form (a partner may name a consignment of ours by its URN or its Digital Link).
  const forms = (uris: string[]) =>
    uris.flatMap((u) => {
      const named = subjectOfGs1Id(u, acceptedPrefixesOf(ctx.gs1));
      return named === null
        ? [u]
        : [
            u,
            ...acceptedPrefixesOf(ctx.gs1).flatMap((p) => [
              gs1Id(named.subject, p, named.code, 'digital_link'),
              gs1Id(named.subject, p, named.code, 'epc_urn'),
            ]),
          ];
    });
  for (const [name, members, field] of capturedIdentifiers) {
    const uris = list(q, name);
    if (uris)
      captured.push(namesAny(members, field, pgArray(name.endsWith('Class') ? uris : forms(uris), 'text')));
  }

  // Order and pages: by seq unless a time is asked for; seq breaks ties, so pages never overlap.
  const orderBy = q.orderBy;
  if (orderBy !== undefined && orderBy !== 'eventTime' && orderBy !== 'recordTime')
    throw new EpcisQueryError(
      'QueryParameterException',
      `orderBy: "${orderBy}" is not eventTime or recordTime`,
    );
  const direction = q.orderDirection ?? 'DESC';
  if (direction !== 'ASC' && direction !== 'DESC')
    throw new EpcisQueryError('QueryParameterException', `orderDirection: "${direction}" is not ASC or DESC`);
  const countLimit = integer(q, 'eventCountLimit', 1);
  const maxCount = integer(q, 'maxEventCount', 1);
  if (countLimit !== undefined && orderBy === undefined)
    throw new EpcisQueryError('QueryParameterException', 'eventCountLimit: only with orderBy');
  if (countLimit !== undefined && maxCount !== undefined)
    throw new EpcisQueryError('QueryParameterException', 'eventCountLimit and maxEventCount: not both');
  const perPage = Math.min(integer(q, 'perPage', 1) ?? defaultPerPage, maxPerPage);
  const token = q.nextPageToken === undefined ? undefined : decodeToken(q.nextPageToken);
  const column =
    orderBy === 'eventTime' ? sql`e.occurred_at` : orderBy === 'recordTime' ? sql`e.recorded_at` : null;
  const desc = column !== null && direction === 'DESC';
  const cmp = desc ? sql`<` : sql`>`;
  if (token) {
    both.push(
      column && token.v !== null
        ? sql`(${column}, e.seq) ${cmp} (${token.v}::timestamptz, ${token.s}::bigint)`
        : sql`e.seq ${cmp} ${token.s}::bigint`,
    );
  }
  const remaining = token?.n ?? countLimit;
  const take = Math.min(perPage, remaining ?? perPage);

  // An exporter sees the ledger's events of lots it knows, as far as it knows them, and the
  // captured events it captured itself or that report receiving a lot it knows (receipts.ts).
  const actorId = knowerOf(by);
  const scope =
    actorId === undefined
      ? sql``
      : sql`LEFT JOIN ${knownLots(actorId)} k ON e.subject_type = 'lot' AND k.lot_id = e.subject_id`;
  if (actorId !== undefined) {
    where.push(sql`k.lot_id IS NOT NULL AND (k.until_seq IS NULL OR e.seq <= k.until_seq)`);
    captured.push(sql`(e.actor_id = ${actorId}::uuid OR e.subject_id IN (
      SELECT (r.payload ->> 'epcisEventId')::uuid FROM events r JOIN ${knownLots(actorId)} kr ON kr.lot_id = r.subject_id
       WHERE r.subject_type = 'lot' AND r.type = 'lot.receipt_reported'))`);
  }
  const ledgerBranch = sql.join(
    [sql`e.subject_type = 'lot'`, sql`e.type = ANY(${pgArray(mappedTypes, 'text')})`, ...where],
    sql` AND `,
  );
  const capturedBranch = sql.join(
    [sql`e.subject_type = 'epcis_event'`, sql`e.type = 'epcis.captured'`, ...captured],
    sql` AND `,
  );
  const filters = sql.join([sql`((${ledgerBranch}) OR (${capturedBranch}))`, ...both], sql` AND `);
  const order = column
    ? sql`${column} ${sql.raw(desc ? 'DESC' : 'ASC')}, e.seq ${sql.raw(desc ? 'DESC' : 'ASC')}`
    : sql`e.seq`;

  if (maxCount !== undefined) {
    const [count] = rowsOf<{ n: number }>(
      await db.execute(
        sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM events e ${scope} WHERE ${filters} LIMIT ${maxCount + 1}) c`,
      ),
    );
    if ((count?.n ?? 0) > maxCount)
      throw new EpcisQueryError(
        'QueryTooLargeException',
        `more than maxEventCount (${maxCount}) events match`,
      );
  }
  const rows = rowsOf<{
    seq: string;
    id: string;
    type: string;
    subject_id: string;
    occurred_at: Date | string;
    recorded_at: Date | string;
    occurred_key: string;
    recorded_key: string;
    payload: Record<string, unknown>;
    actor_role: string;
    actor_id: string | null;
  }>(
    await db.execute(sql`
      SELECT e.seq::text, e.id, e.type, e.subject_id, e.occurred_at, e.recorded_at,
             e.occurred_at::text AS occurred_key, e.recorded_at::text AS recorded_key,
             e.payload, e.actor_role, e.actor_id
        FROM events e ${scope}
       WHERE ${filters}
       ORDER BY ${order}
       LIMIT ${take + 1}`),
  );
  const page = rows.slice(0, take);
  const last = page.at(-1);
  const left = remaining === undefined ? undefined : remaining - page.length;
  const more = last !== undefined && rows.length > take && (left === undefined || left > 0);
  const nextPageToken = more
    ? encodeToken({
        v: column ? (orderBy === 'eventTime' ? last.occurred_key : last.recorded_key) : null,
        s: last.seq,
        ...(left === undefined ? {} : { n: left }),
      })
    : null;

  const events = page.map((r) => ({
    id: r.id,
    type: r.type,
    subjectId: r.subject_id,
    occurredAt: new Date(r.occurred_at),
    recordedAt: new Date(r.recorded_at),
    payload: typeof r.payload === 'string' ? (JSON.parse(r.payload) as Record<string, unknown>) : r.payload,
    actorRole: r.actor_role,
    actorId: r.actor_id,
  }));
  const context = await contextOf(
    db,
    ctx,
    events.filter((e) => e.type !== 'epcis.captured'),
  );
  const eventList = events.flatMap((e): (EpcisEvent | CapturedEventOut)[] => {
    if (e.type === 'epcis.captured') return [{ ...e.payload, recordTime: e.recordedAt.toISOString() }];
    const mapped = toEpcisEvent(context, e);
    return mapped ? [mapped] : [];
  });
  return {
    document: {
      '@context': [epcisContextUrl, { orotrace: `${ctx.baseUrl}/ns/epcis#` }],
      type: 'EPCISQueryDocument',
      schemaVersion: '2.0',
      creationDate: ctx.now.toISOString(),
      epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList } } },
    },
    nextPageToken,
  };
}

/** A captured event as the query returns it: as captured, with the ledger's recordTime. */
type CapturedEventOut = Record<string, unknown>;

/** The CBV word of a captured bizStep or disposition: its web URI or 1.x URN made bare, as cbvWord does. */
const cbvWordSql = (expr: SQL, vocabulary?: 'BizStep' | 'Disp'): SQL =>
  vocabulary === undefined
    ? expr
    : sql`regexp_replace(${expr}, ${`^(https://ref.gs1.org/cbv/${vocabulary}-|urn:epcglobal:cbv:${vocabulary === 'BizStep' ? 'bizstep' : 'disp'}:)`}::text, '')`;

/**
 * Where each MATCH_ parameter looks in a captured event (EPCIS 2.0 §8.2.7.1): identifier lists
 * (and parentID, a single URI), or the epcClass of quantity lists.
 */
const capturedIdentifiers: [EpcisQueryParameter, string[], 'uri' | 'epcClass'][] = [
  ['MATCH_epc', ['epcList', 'childEPCs'], 'uri'],
  ['MATCH_inputEPC', ['inputEPCList'], 'uri'],
  ['MATCH_outputEPC', ['outputEPCList'], 'uri'],
  ['MATCH_anyEPC', ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList', 'parentID'], 'uri'],
  ['MATCH_epcClass', ['quantityList', 'childQuantityList'], 'epcClass'],
  ['MATCH_inputEPCClass', ['inputQuantityList'], 'epcClass'],
  ['MATCH_outputEPCClass', ['outputQuantityList'], 'epcClass'],
  [
    'MATCH_anyEPCClass',
    ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'],
    'epcClass',
  ],
];

/** Whether a captured event names one of `values` in any of `members`. */
function namesAny(members: string[], field: 'uri' | 'epcClass', values: SQL): SQL {
  const tests = members.map((m) => {
    const member = sql`e.payload -> ${m}`;
    if (m === 'parentID') return sql`(e.payload ->> 'parentID') = ANY(${values})`;
    const items = sql`jsonb_array_elements(CASE jsonb_typeof(${member}) WHEN 'array' THEN ${member} ELSE '[]'::jsonb END)`;
    return field === 'uri'
      ? sql`EXISTS (SELECT FROM ${items} x(v) WHERE (x.v #>> '{}') = ANY(${values}))`
      : sql`EXISTS (SELECT FROM ${items} x(v) WHERE (x.v ->> 'epcClass') = ANY(${values}))`;
  });
  return sql`(${sql.join(tests, sql` OR `)})`;
}

/** Escapes a URL for a RegExp. */
const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What mapping a page of events needs (lots/epcis.ts MappingContext): the code and fine grams of
 * every lot they name — subjects, a split's parts, a refining's output, a merge's inputs — and the
 * edges of the merges. Two reads for the page, whatever its size.
 */
async function contextOf(
  db: Queryable,
  ctx: EpcisQueryContext,
  events: { type: string; subjectId: string; payload: Record<string, unknown> }[],
) {
  const merges = events.filter((e) => e.type === 'lot.created_by_merge').map((e) => e.subjectId);
  const edges = merges.length
    ? rowsOf<{ parentId: string; childId: string; operation: 'merge'; fineWeightG: string }>(
        await db.execute(sql`SELECT parent_id AS "parentId", child_id AS "childId", operation, fine_weight_g::text AS "fineWeightG"
          FROM lot_edges WHERE child_id = ${anyUuid(merges)} AND operation = 'merge' ORDER BY child_id, parent_id`),
      )
    : [];
  const ids = new Set<string>(events.map((e) => e.subjectId));
  for (const e of events) {
    if (e.type === 'lot.split' && Array.isArray(e.payload.children))
      for (const ch of e.payload.children as { id?: unknown }[])
        if (typeof ch.id === 'string') ids.add(ch.id);
    if (e.type === 'lot.refined' && typeof e.payload.into === 'string') ids.add(e.payload.into);
  }
  for (const x of edges) ids.add(x.parentId);
  const lots = rowsOf<{ id: string; code: string; fineWeightG: string }>(
    await db.execute(
      sql`SELECT id, code, fine_weight_g::text AS "fineWeightG" FROM lots WHERE id = ${anyUuid([...ids])}`,
    ),
  );
  return mappingContext(ctx.baseUrl, ctx.gs1, lots, edges);
}

/** The event types a query may name: the five of the standard (two of which this ledger writes). */
export const eventTypeCollection = (baseUrl: string) => ({
  '@context': [epcisContextUrl, { orotrace: `${baseUrl}/ns/epcis#` }] as [string, { orotrace: string }],
  type: 'Collection' as const,
  member: [...standardEventTypes],
});
