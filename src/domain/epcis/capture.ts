import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, type Queryable, rowsOf } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import { appendEvents } from '../ledger/events.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import type { CapturedEvent, EpcisDocument } from './capture-schema.js';
import { receiptsOf, recordReceipts } from './receipts.js';

/**
 * EPCIS 2.0 capture (§8.2.6 and the REST bindings' /capture and /events): a partner — a foreign
 * refinery, an exporter's own system — sends events, and each becomes a ledger event
 * (`epcis.captured`, subject type `epcis_event`, its payload the event as captured), signed and
 * sequenced like every other: what partners said cannot later be changed or quietly dropped.
 *
 * A document is captured whole or not at all (the bindings' GS1-Capture-Error-Behaviour
 * `rollback`, their default and the only one offered): it is validated before anything is
 * written, and its events, its capture job and any receipts they confirm commit in one
 * transaction. The job is therefore finished when the request answers; GET /epcis/capture/{id}
 * reports it from its own ledger event (`epcis.capture_job`, subject type `epcis_capture`).
 */

export type CaptureErrorKind =
  | 'ValidationException'
  | 'ResourceAlreadyExistsException'
  | 'CaptureLimitExceededException';

/** What a capture can go wrong with, in the bindings' words. */
export class EpcisCaptureError extends Error {
  constructor(
    readonly kind: CaptureErrorKind,
    detail: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(detail);
    this.name = 'EpcisCaptureError';
  }
}

/** The most events one document may carry when the deployment sets no other (413 beyond). */
export const defaultCaptureLimit = 500;

export interface CaptureContext {
  /** GS1 Company Prefix of our lots' GIAIs: receipts name lots by them. */
  companyPrefix: string;
  /** Earlier prefixes whose GIAIs still name our lots (GS1_ACCEPTED_PREFIXES). */
  acceptedPrefixes?: readonly string[] | undefined;
  /** Where lots' class URIs start (`<baseUrl>/v1/lots/<id>`, as the query writes them). */
  baseUrl: string;
  /** Events per document (defaultCaptureLimit when absent). */
  limit?: number;
}

/** A capture job as GET /epcis/capture/{captureID} reports it (the bindings' job shape). */
export interface CaptureJob {
  captureID: string;
  createdAt: string;
  finishedAt: string;
  running: false;
  success: true;
  captureErrorBehaviour: 'rollback';
  errors: never[];
  /** The eventIDs captured, in the document's order. */
  eventIDs: string[];
}

/**
 * An event without eventID gets a `urn:uuid` (a random, version 4 UUID), not GS1's event hash
 * (`ni:///sha-256;…?ver=CBV2.0`): that hash is defined over the standard's own pre-hash string,
 * which this repository does not compute, and a hash of another canonical form under GS1's
 * name would differ from what a conforming partner computes for the same event. A partner that
 * wants a resent event recognised gives it its own eventID.
 */
const assignedEventId = () => `urn:uuid:${randomUUID()}`;

/**
 * Each event as it will be stored: with its eventID, and with the @context under which it was
 * sent, so that its namespaced extensions still mean something when it is read back alone. In a
 * document that is the document's context followed by the event's own, if it has one (JSON-LD:
 * an inner context adds to the one around it, and overrides it where both define a term).
 */
function asStored(event: CapturedEvent, outer: EpcisDocument['@context'] | undefined): CapturedEvent {
  const { '@context': own, ...rest } = event;
  const list = (c: EpcisDocument['@context'] | undefined) =>
    c === undefined ? [] : Array.isArray(c) ? c : [c];
  // An item the event repeats from the document is given once (GS1's schema wants them unique).
  const merged = [...list(outer), ...list(own)].filter(
    (c, i, all) => all.findIndex((d) => JSON.stringify(d) === JSON.stringify(c)) === i,
  );
  const context = own !== undefined && outer === undefined ? own : merged.length ? merged : undefined;
  return {
    ...(context === undefined ? {} : { '@context': context }),
    ...rest,
    eventID: event.eventID ?? assignedEventId(),
  } as CapturedEvent;
}

/** Captures a validated document (its @context passes to its events); all of it or nothing. */
export async function captureDocument(
  db: Db,
  by: Principal,
  doc: EpcisDocument,
  ctx: CaptureContext,
): Promise<CaptureJob> {
  const list = doc.epcisBody.eventList;
  const limit = ctx.limit ?? defaultCaptureLimit;
  if (list.length > limit)
    throw new EpcisCaptureError(
      'CaptureLimitExceededException',
      `the document carries ${list.length} events; at most ${limit} are captured at once`,
    );
  const stored = list.map((e) => asStored(e, doc['@context']));
  return db.transaction(async (tx) => {
    const captureID = newId();
    await store(tx, by, stored, ctx);
    const createdAt = new Date();
    await appendEvents(tx, by, [
      {
        type: 'epcis.capture_job',
        subjectType: 'epcis_capture',
        subjectId: captureID,
        payload: {
          captureErrorBehaviour: 'rollback',
          eventIDs: stored.map((e) => e.eventID),
          ...(doc.instanceIdentifier === undefined ? {} : { instanceIdentifier: doc.instanceIdentifier }),
        },
      },
    ]);
    return {
      captureID,
      createdAt: createdAt.toISOString(),
      finishedAt: createdAt.toISOString(),
      running: false,
      success: true,
      captureErrorBehaviour: 'rollback',
      errors: [],
      eventIDs: stored.map((e) => e.eventID as string),
    };
  });
}

/** Captures one validated event (POST /epcis/events); answers its eventID. */
export async function captureEvent(
  db: Db,
  by: Principal,
  event: CapturedEvent,
  ctx: CaptureContext,
): Promise<string> {
  const stored = asStored(event, undefined);
  await db.transaction((tx) => store(tx, by, [stored], ctx));
  return stored.eventID as string;
}

/**
 * Writes the events, refusing any whose eventID is already captured (or given twice here): an
 * eventID names one event for good (EPCIS 2.0 §7.4.1). The unique index on captured eventIDs
 * (migration 0016) keeps a concurrent duplicate out as well; this check names it first.
 */
async function store(
  tx: Queryable,
  by: Principal,
  stored: CapturedEvent[],
  ctx: CaptureContext,
): Promise<void> {
  const ids = stored.map((e) => e.eventID as string);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined)
    throw new EpcisCaptureError('ResourceAlreadyExistsException', `eventID ${twice} is given twice`);
  if (ids.length > 0) {
    const taken = rowsOf<{ id: string }>(
      await tx.execute(sql`SELECT payload ->> 'eventID' AS id FROM events
        WHERE type = 'epcis.captured' AND payload ->> 'eventID' = ANY(${pgArray(ids, 'text')}) LIMIT 1`),
    );
    if (taken[0])
      throw new EpcisCaptureError(
        'ResourceAlreadyExistsException',
        `eventID ${taken[0].id} is already captured`,
      );
  }
  const subjects = stored.map(() => newId());
  await appendEvents(
    tx,
    by,
    stored.map((e, i) => ({
      type: 'epcis.captured',
      subjectType: 'epcis_event',
      subjectId: subjects[i] as string,
      // The event as captured; the capture it came in is the ledger's own fact, kept beside it
      // in the job's event (which lists its eventIDs), not written into the partner's event.
      payload: e as Record<string, unknown>,
      occurredAt: new Date(e.eventTime),
    })),
  );
  await recordReceipts(
    tx,
    by,
    stored.flatMap((e, i) => receiptsOf(e, subjects[i] as string, ctx)),
    ctx.baseUrl,
  );
}

/**
 * A capture job, for whoever may see it: regulators and admins every job, a partner its own
 * (null otherwise, as if it did not exist: another partner's captures are not its business).
 */
export async function captureJobOf(
  db: Queryable,
  by: Principal,
  captureID: string,
): Promise<CaptureJob | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(captureID)) return null;
  const [row] = rowsOf<{
    payload: { eventIDs: string[] } | string;
    recorded_at: Date | string;
    actor_sub: string;
    actor_id: string | null;
  }>(
    await db.execute(sql`SELECT payload, recorded_at, actor_sub, actor_id FROM events
      WHERE type = 'epcis.capture_job' AND subject_type = 'epcis_capture' AND subject_id = ${captureID}::uuid`),
  );
  if (!row) return null;
  // A partner is its actor (every token of a refinery's staff): the job is the actor's, or, for
  // a token bound to no actor, the token subject's.
  const mine = by.actorId !== undefined ? row.actor_id === by.actorId : row.actor_sub === by.sub;
  if (by.role !== 'regulator' && by.role !== 'admin' && !mine) return null;
  const payload =
    typeof row.payload === 'string' ? (JSON.parse(row.payload) as { eventIDs: string[] }) : row.payload;
  const at = new Date(row.recorded_at).toISOString();
  return {
    captureID,
    createdAt: at,
    finishedAt: at,
    running: false,
    success: true,
    captureErrorBehaviour: 'rollback',
    errors: [],
    eventIDs: payload.eventIDs,
  };
}
