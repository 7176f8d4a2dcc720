import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { TravelMode } from '../../domain/shared/vocabulary.js';
import { point } from '../columns.js';

export const checkpoints = pgTable(
  'checkpoints',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    location: point('location').notNull(),
    routes: text('routes').array().notNull(),
    /** How goods reach and leave this post: a road control, a river port, an airport. */
    mode: text('mode').$type<TravelMode>().notNull().default('road'),
    retiredOn: date('retired_on'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('checkpoints_location_gist').using('gist', t.location),
    check('checkpoints_mode', sql`${t.mode} IN ('road', 'river', 'air')`),
  ],
);

/**
 * A scheduled air link between two airport checkpoints, one way: a lot seen at one and then at
 * the other is plausible after `minMinutes` (flight plus handling at both ends). Stored both ways
 * when flown both ways.
 */
export const airLinks = pgTable(
  'air_links',
  {
    fromCheckpointId: uuid('from_checkpoint_id')
      .notNull()
      .references(() => checkpoints.id),
    toCheckpointId: uuid('to_checkpoint_id')
      .notNull()
      .references(() => checkpoints.id),
    minMinutes: integer('min_minutes').notNull(),
    /** Where the schedule comes from (an airline timetable, the airport authority). */
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.fromCheckpointId, t.toCheckpointId] }),
    check('air_links_minutes', sql`${t.minMinutes} > 0`),
    check('air_links_two_ends', sql`${t.fromCheckpointId} <> ${t.toCheckpointId}`),
  ],
);
