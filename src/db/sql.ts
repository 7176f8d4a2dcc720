import { type SQL, sql } from 'drizzle-orm';

/**
 * A JSON object or array as the drivers read it back. postgres.js and PGlite both parse `json`
 * and `jsonb` columns, but an expression typed `text` that holds JSON (`ST_AsGeoJSON` without a
 * cast) arrives as text: this takes either. SQL NULL (and JSON `null`) is `null`. A scalar is
 * refused: a JSON string parsed by the driver would be indistinguishable from JSON text, so a
 * column read with this must hold an object or an array.
 */
export function jsonColumn<T extends object | null>(value: unknown): T {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (parsed === undefined || parsed === null) return null as T;
  if (typeof parsed !== 'object')
    throw new TypeError(`expected a JSON object or array, got ${typeof parsed}`);
  return parsed as T;
}

/** Element types an array parameter may have; the cast is written into the SQL, never taken from input. */
type ArrayElementType = 'uuid' | 'text' | 'smallint' | 'integer' | 'bigint' | 'numeric' | 'timestamptz';

/**
 * The PostgreSQL array literal of `values`: every element quoted, backslashes and double quotes
 * escaped, so that commas, braces, quotes and the word NULL inside a value stay part of it; a
 * `null` element is SQL NULL. Text with a NUL character is refused (PostgreSQL text cannot hold it).
 */
export function arrayLiteral(values: readonly (string | number | bigint | null)[]): string {
  const elements = values.map((v) => {
    if (v === null) return 'NULL';
    if (typeof v === 'number' && !Number.isFinite(v))
      throw new RangeError(`${v} is not a number an array may carry`);
    const text = String(v);
    if (text.includes('\u0000')) throw new RangeError('an array element may not contain a NUL character');
    return `"${text.replace(/[\\"]/g, '\\$&')}"`;
  });
  return `{${elements.join(',')}}`;
}

/**
 * An array as ONE bound parameter, `$n::type[]`, not one parameter per element: a set of tens of
 * thousands stays one small statement, far from the 65,535 parameters a statement may carry.
 * The parameter is the array's text literal rather than a JavaScript array because the drivers
 * disagree on those: postgres.js serializes a JavaScript array only when it has fetched the
 * database's array types, which the Worker's client (`fetch_types: false`) does not, and sends
 * `a,b` instead. The literal also survives `inlineParams()` (db/prepared.ts), where drizzle
 * would write a JavaScript array as `'a,b'`.
 */
export const pgArray = (values: readonly (string | number | bigint | null)[], type: ArrayElementType): SQL =>
  sql`${arrayLiteral(values)}::${sql.raw(type)}[]`;

/** A set of uuids as one parameter (see pgArray). */
export const uuidArray = (ids: readonly string[]): SQL => pgArray(ids, 'uuid');

/** `ANY(<uuid array>)`, for `col = ANY(...)`. */
export const anyUuid = (ids: readonly string[]): SQL => sql`ANY(${uuidArray(ids)})`;
