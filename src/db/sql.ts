import { type SQL, sql } from 'drizzle-orm';

/**
 * A set of uuids as ONE bound parameter (a PostgreSQL array literal), not one parameter per id:
 * a set of tens of thousands stays one small statement, far from the 65,535 parameters a
 * statement may carry. The ids must be uuids (validated or read from the database).
 */
export const uuidArray = (ids: readonly string[]): SQL => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** `ANY(<uuid array>)`, for `col = ANY(...)`. */
export const anyUuid = (ids: readonly string[]): SQL => sql`ANY(${uuidArray(ids)})`;

/** The ids as a one-column relation `(id)`, for rules that screen a set of subjects. */
export const idSet = (ids: readonly string[]): SQL => sql`SELECT unnest(${uuidArray(ids)}) AS id`;
