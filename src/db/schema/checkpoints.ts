import { date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { point } from '../columns.js';

export const checkpoints = pgTable(
  'checkpoints',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    location: point('location').notNull(),
    routes: text('routes').array().notNull(),
    retiredOn: date('retired_on'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('checkpoints_location_gist').using('gist', t.location)],
);
