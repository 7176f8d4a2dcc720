import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ConcessionKind, ConcessionStatus } from '../../domain/shared/vocabulary.js';
import { multiPolygon } from '../columns.js';
import { actors } from './actors.js';

export const concessions = pgTable(
  'concessions',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    kind: text('kind').$type<ConcessionKind>().notNull(),
    holderId: uuid('holder_id').references(() => actors.id),
    status: text('status').$type<ConcessionStatus>().notNull(),
    grantedOn: date('granted_on'),
    geom: multiPolygon('geom').notNull(),
    /** Computed by PostGIS on the geography (geodesic area), never taken from the client. */
    areaHa: numeric('area_ha', { precision: 14, scale: 4 }).notNull(),
    retiredOn: date('retired_on'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('concessions_geom_gist').using('gist', t.geom),
    index('concessions_kind_idx').on(t.kind),
    check('concessions_geom_valid', sql`ST_IsValid(${t.geom})`),
  ],
);

/** Contracts by which an actor may work a mining concession held by someone else. */
export const concessionOperators = pgTable(
  'concession_operators',
  {
    id: uuid('id').primaryKey(),
    concessionId: uuid('concession_id')
      .notNull()
      .references(() => concessions.id),
    actorId: uuid('actor_id')
      .notNull()
      .references(() => actors.id),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('concession_operators_concession_idx').on(t.concessionId, t.actorId),
    check('concession_operators_period', sql`${t.validTo} IS NULL OR ${t.validTo} >= ${t.validFrom}`),
  ],
);

/**
 * A right's geometry as history: version 1 from the start of the record (valid_from null), each
 * change closing the version in force (valid_to) and opening the next on the same day, so that a
 * lot is judged against the boundary in force on its extraction date. `concessions.geom` stays
 * the in-force copy, read by everything that asks about today.
 */
export const concessionGeometries = pgTable(
  'concession_geometries',
  {
    id: uuid('id').primaryKey(),
    concessionId: uuid('concession_id')
      .notNull()
      .references(() => concessions.id),
    version: integer('version').notNull(),
    validFrom: date('valid_from'),
    validTo: date('valid_to'),
    geom: multiPolygon('geom').notNull(),
    areaHa: numeric('area_ha', { precision: 14, scale: 4 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('concession_geometries_version').on(t.concessionId, t.version),
    index('concession_geometries_geom_gist').using('gist', t.geom),
    check(
      'concession_geometries_period',
      sql`${t.validTo} IS NULL OR ${t.validFrom} IS NULL OR ${t.validTo} >= ${t.validFrom}`,
    ),
    check('concession_geometries_first_open', sql`(${t.version} = 1) = (${t.validFrom} IS NULL)`),
  ],
);
