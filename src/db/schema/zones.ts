import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { PermittedUse, ZoneKind } from '../../domain/shared/vocabulary.js';
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
    /**
     * The department (admin_areas.department, INEI's name) a mining corridor is declared for: where
     * one is in force, mining in that department outside it is flagged. Explicit, never inferred
     * from the geometry.
     */
    region: text('region'),
    /** What a micro-zoning unit permits (mining, forestry…); null for zones that only forbid. */
    permittedUses: text('permitted_uses').array().$type<PermittedUse[]>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('zones_geom_gist').using('gist', t.geom),
    index('zones_kind_idx').on(t.kind),
    check('zones_period', sql`${t.validTo} IS NULL OR ${t.validTo} >= ${t.validFrom}`),
    check('zones_geom_valid', sql`ST_IsValid(${t.geom})`),
    check('zones_corridor_region', sql`${t.kind} <> 'mining_corridor' OR ${t.region} IS NOT NULL`),
    check('zones_micro_zoning_uses', sql`${t.kind} <> 'micro_zoning' OR ${t.permittedUses} IS NOT NULL`),
  ],
);
