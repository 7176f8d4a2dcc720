import canonicalize from 'canonicalize';
import type { LedgerEvent } from './schemas.js';

/**
 * The bytes of an event's leaf: the UTF-8 of its RFC 8785 JSON Canonicalization Scheme (JCS)
 * form. JCS fixes key order (UTF-16 code units), number form (ECMAScript's shortest
 * round-trip) and string escaping, so anyone holding the event can rebuild the leaf in any
 * language. The npm package `canonicalize` is by RFC 8785's author, ESM with its own types,
 * and ~60 lines without dependencies; it rejects NaN, Infinity and lone surrogates, which JCS
 * cannot represent.
 *
 * Timestamps are strings, exactly as PostgreSQL renders them in UTC with microseconds, e.g.
 * "2026-11-26T17:18:52.519123Z": a JavaScript Date keeps only milliseconds, so a leaf built
 * from a Date would not match one rebuilt from the database. Select them as
 *   to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
 * (always six fractional digits, always "Z").
 */

/** Bumped whenever the serialized form changes; old leaves keep the version they were built with. */
export const LEAF_FORMAT_VERSION = 1;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** RFC 8785 canonical JSON text of a value. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/** The leaf data of an event (hash it with `leafHash`). Only the listed fields enter the leaf. */
export function eventLeafBytes(e: LedgerEvent): Uint8Array {
  for (const [field, t] of [
    ['occurredAt', e.occurredAt],
    ['recordedAt', e.recordedAt],
  ] as const) {
    if (!TIMESTAMP.test(t)) throw new RangeError(`${field} must be UTC with microseconds, got ${t}`);
  }
  const leaf = {
    v: LEAF_FORMAT_VERSION,
    id: e.id,
    type: e.type,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    actorSub: e.actorSub,
    actorRole: e.actorRole,
    // null, never absent: the database gives null, and JCS drops undefined members.
    actorId: e.actorId ?? null,
    checkpointId: e.checkpointId ?? null,
    payload: e.payload,
    occurredAt: e.occurredAt,
    recordedAt: e.recordedAt,
  };
  return new TextEncoder().encode(canonicalJson(leaf));
}
