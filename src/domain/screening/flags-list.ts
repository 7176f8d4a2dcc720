import { and, asc, count, desc, eq, getTableColumns, gt, inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { flags, lots, movements } from '../../db/schema/index.js';
import { ApiError } from '../shared/errors.js';
import { afterId, type Page, type PageRequest, pageFrom } from '../shared/page.js';
import { flagStatuses, ruleCodes, severities, subjectTypes } from '../shared/vocabulary.js';
import type { FlagListItem } from './schemas.js';

/** A flag of the queue as read from its table, before its subject's count is added. */
export type QueuedFlag = Omit<FlagListItem, 'subjectFlagCount'>;

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

/** The filters of the queue, without the cursor: a page's flags and their subjects' counts share them. */
const filtersOf = (q: FlagListQuery): SQL | undefined =>
  and(
    q.status ? eq(flags.status, q.status) : undefined,
    q.rule ? eq(flags.rule, q.rule) : undefined,
    q.subjectType ? eq(flags.subjectType, q.subjectType) : undefined,
    q.subjectId ? eq(flags.subjectId, q.subjectId) : undefined,
    q.severity ? eq(flags.severity, q.severity) : undefined,
  );

/** `limit` flags that pass the filters, in the order asked, after the flag `afterFlag`. */
async function queryFlags(
  db: Queryable,
  q: FlagListQuery,
  limit: number,
  afterFlag?: string,
): Promise<QueuedFlag[]> {
  return db
    .select({
      ...getTableColumns(flags),
      subjectCode: sql<string | null>`coalesce(${lots.code}, ${movements.code})`,
    })
    .from(flags)
    .leftJoin(lots, and(eq(flags.subjectType, 'lot'), eq(lots.id, flags.subjectId)))
    .leftJoin(movements, and(eq(flags.subjectType, 'movement'), eq(movements.id, flags.subjectId)))
    .where(and(afterFlag ? after(q.sort, afterFlag) : undefined, filtersOf(q)))
    .orderBy(...orderOf[q.sort])
    .limit(limit);
}

/**
 * How many flags of each subject of a page pass the filters, across every page: a subject's
 * flags are spread over pages by the sort, and a group on one page must say how many it has in
 * all (and a bulk review of the subject reach them all), not only those this page shows.
 */
async function subjectCounts(
  db: Queryable,
  q: FlagListQuery,
  page: Pick<FlagListItem, 'subjectType' | 'subjectId'>[],
): Promise<Map<string, number>> {
  const ids = [...new Set(page.map((f) => f.subjectId))];
  if (ids.length === 0) return new Map();
  // Both columns of flags_subject_idx, so the count reads the index rather than the table.
  const types = [...new Set(page.map((f) => f.subjectType))];
  const rows = await db
    .select({ subjectId: flags.subjectId, n: count() })
    .from(flags)
    .where(and(filtersOf(q), inArray(flags.subjectType, types), inArray(flags.subjectId, ids)))
    .groupBy(flags.subjectId);
  return new Map(rows.map((r) => [r.subjectId, Number(r.n)]));
}

/**
 * The flag a cursor names. Cursors are the id of a page's last flag; one that names no flag was
 * not issued here (forged, or edited), and would otherwise give an empty page that looks like
 * the end of the queue.
 */
export async function cursorFlag(db: Queryable, cursor: string | undefined): Promise<string | undefined> {
  const id = afterId(cursor);
  if (id === undefined) return undefined;
  const [row] = await db.select({ id: flags.id }).from(flags).where(eq(flags.id, id));
  if (!row)
    throw new ApiError('validation', 'cursor is not one this API issued', {
      errors: [{ field: 'cursor', message: 'names no flag' }],
    });
  return id;
}

/**
 * A page of flags with no subject counts, after a cursor already checked (cursorFlag) or issued by
 * the caller's previous page: the streamed export's pages, which write no count.
 */
export async function flagsPage(db: Queryable, q: PageRequest & FlagListQuery): Promise<Page<QueuedFlag>> {
  return pageFrom(await queryFlags(db, q, q.limit + 1, afterId(q.cursor)), q.limit);
}

/** A page of the queue: filtered, sorted, after the cursor; each flag with its subject's count. */
export async function listFlags(db: Queryable, q: PageRequest & FlagListQuery): Promise<Page<FlagListItem>> {
  const rows = await queryFlags(db, q, q.limit + 1, await cursorFlag(db, q.cursor));
  const page = pageFrom(rows, q.limit);
  const counts = await subjectCounts(db, q, page.items);
  return {
    items: page.items.map((f) => ({ ...f, subjectFlagCount: counts.get(f.subjectId) ?? 1 })),
    nextCursor: page.nextCursor,
  };
}
