import { sql } from 'drizzle-orm';
import {
  check,
  date,
  integer,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * Running totals of what the screening windows add up, per subject and day, kept by triggers in
 * the same transaction as the rows they count (drizzle/0013_window_totals.sql), so that a window
 * of a year costs its days, not its lots:
 *
 * - `concession`: the fine gold (g) and count of a concession's root lots, by extraction date;
 * - `producer`: the fine gold (g) and count of a producer's root lots, by registration day (UTC);
 * - `consignee`: the quantity and count of the movements a consignee received, per input (`item`),
 *   by declaration day (UTC), seized ones excepted.
 *
 * A root lot is one with no parents: a lot made by a split, merge or refining leaves the totals
 * when its first edge is written. `shard` spreads concurrent writers over rows so that two
 * transactions counting the same subject and day need not wait for each other: a writer takes
 * the first row of the day no one else holds (readers sum the shards). Never written by the
 * application directly; `orotrace_rebuild_window_totals()` recomputes the whole table.
 */
export const windowTotals = pgTable(
  'window_totals',
  {
    scope: text('scope').$type<'concession' | 'producer' | 'consignee'>().notNull(),
    subjectId: uuid('subject_id').notNull(),
    /** The input for a consignee's totals (mercury, diesel, gasoline); '' for gold. */
    item: text('item').notNull().default(''),
    day: date('day').notNull(),
    shard: smallint('shard').notNull().default(0),
    /** Fine grams of gold, or the input's quantity in its unit; exact and unbounded. */
    amount: numeric('amount').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.subjectId, t.item, t.day, t.shard] }),
    check('window_totals_scope', sql`${t.scope} IN ('concession', 'producer', 'consignee')`),
  ],
);
