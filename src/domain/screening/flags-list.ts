import { and, asc, desc, eq, getTableColumns, gt, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { flags, lots, movements } from '../../db/schema/index.js';
import { afterId, type Page, type PageRequest, pageFrom } from '../shared/page.js';
import { flagStatuses, ruleCodes, severities, subjectTypes } from '../shared/vocabulary.js';
import type { FlagListItem } from './schemas.js';

/**
 * The flag queue as regulators work it (GET /v1/flags): filtered, in one of three orders, a page
 * at a time, each flag with the printed code of its lot or movement so that a queue of hundreds
 * is read without one request per subject.
 */

/**
 * The orders of the queue. `raised` (the default, and the order the API always had) follows the
 * ids, which are UUIDv7; `severity` puts the most severe first, the oldest first among equals;
 * `age` the oldest first (the longest waiting), `recent` the newest first. Ties on the time are
 * broken by id, so every order is total and a page boundary never repeats or skips a flag.
 */
const flagSorts = ['raised', 'severity', 'age', 'recent'] as const;
type FlagSort = (typeof flagSorts)[number];

export const flagListQuery = z.object({
  status: z.enum(flagStatuses).optional(),
  rule: z.enum(ruleCodes).optional(),
  subjectType: z.enum(subjectTypes).optional(),
  subjectId: z.uuid().optional(),
  severity: z.enum(severities).optional(),
  sort: z.enum(flagSorts).default('raised'),
});
export type FlagListQuery = z.output<typeof flagListQuery>;

/** Severity as a number, most severe highest, for a severity column written as SQL text. */
const rankOf = (column: string): SQL =>
  sql.raw(`(CASE ${column} WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)`);

const byRank = rankOf('"flags"."severity"');

/**
 * Keyset paging: the cursor stays the id of the last flag of the page (as it always was), and the
 * next page starts after that flag's own keys, read back from its row — a flag's severity and
 * time of raising never change, so the cursor means the same whatever was reviewed meanwhile.
 */
function after(sort: FlagSort, id: string): SQL {
  const the = sql`FROM flags c WHERE c.id = ${id}::uuid`;
  switch (sort) {
    case 'raised':
      return gt(flags.id, id) as SQL;
    case 'severity':
      return sql`(-${byRank}, ${flags.createdAt}, ${flags.id}) > (SELECT -${rankOf('c.severity')}, c.created_at, c.id ${the})`;
    case 'age':
      return sql`(${flags.createdAt}, ${flags.id}) > (SELECT c.created_at, c.id ${the})`;
    case 'recent':
      return sql`(${flags.createdAt}, ${flags.id}) < (SELECT c.created_at, c.id ${the})`;
  }
}

const orderOf: Record<FlagSort, SQL[]> = {
  raised: [asc(flags.id)],
  severity: [desc(byRank), asc(flags.createdAt), asc(flags.id)],
  age: [asc(flags.createdAt), asc(flags.id)],
  recent: [desc(flags.createdAt), desc(flags.id)],
};

/** `limit` flags that pass the filters, in the order asked, after the flag `afterFlag`. */
async function queryFlags(
  db: Queryable,
  q: FlagListQuery,
  limit: number,
  afterFlag?: string,
): Promise<FlagListItem[]> {
  return db
    .select({
      ...getTableColumns(flags),
      subjectCode: sql<string | null>`coalesce(${lots.code}, ${movements.code})`,
    })
    .from(flags)
    .leftJoin(lots, and(eq(flags.subjectType, 'lot'), eq(lots.id, flags.subjectId)))
    .leftJoin(movements, and(eq(flags.subjectType, 'movement'), eq(movements.id, flags.subjectId)))
    .where(
      and(
        afterFlag ? after(q.sort, afterFlag) : undefined,
        q.status ? eq(flags.status, q.status) : undefined,
        q.rule ? eq(flags.rule, q.rule) : undefined,
        q.subjectType ? eq(flags.subjectType, q.subjectType) : undefined,
        q.subjectId ? eq(flags.subjectId, q.subjectId) : undefined,
        q.severity ? eq(flags.severity, q.severity) : undefined,
      ),
    )
    .orderBy(...orderOf[q.sort])
    .limit(limit);
}

/** A page of the queue: filtered, sorted, after the cursor. */
export async function listFlags(db: Queryable, q: PageRequest & FlagListQuery): Promise<Page<FlagListItem>> {
  const rows = await queryFlags(db, q, q.limit + 1, afterId(q.cursor));
  return pageFrom(rows, q.limit);
}
