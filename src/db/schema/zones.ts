import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ZoneKind } from '../../domain/shared/vocabulary.js';
import { multiPolygon } from '../columns.js';

export const zones = pgTable(
  'zones',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').$type<ZoneKind>().notNull(),
    legalBasis: text('legal_basis').notNull(),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    geom: multiPolygon('geom').notNull(),
    /** Stable key of the record this zone was imported from, so that a re-import skips it. */
    sourceRef: text('source_ref').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('zones_geom_gist').using('gist', t.geom),
    index('zones_kind_idx').on(t.kind),
    check('zones_period', sql`${t.validTo} IS NULL OR ${t.validTo} >= ${t.validFrom}`),
    check('zones_geom_valid', sql`ST_IsValid(${t.geom})`),
  ],
);
