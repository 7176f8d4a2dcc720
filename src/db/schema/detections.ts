import { sql } from 'drizzle-orm';
import { check, date, index, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AdminLevel, DetectionKind } from '../../domain/shared/vocabulary.js';
import { anyGeometry, multiPolygon } from '../columns.js';

/**
 * A remote-sensing layer as imported: where it looks (its coverage — absence of a detection means
 * "no mining seen" only inside it) and which periods it holds. One row per source; a re-import
 * of the same source adds a new row, and the latest is the one in force.
 */
export const detectionLayers = pgTable(
  'detection_layers',
  {
    id: uuid('id').primaryKey(),
    /** The dataset, as mining_detections.source names it. */
    source: text('source').notNull(),
    name: text('name').notNull(),
    /** Licence and attribution, as the source asks to be cited. */
    attribution: text('attribution').notNull(),
    coverage: multiPolygon('coverage').notNull(),
    /** The earliest and latest day the layer's periods span. */
    observedFrom: date('observed_from').notNull(),
    observedTo: date('observed_to').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('detection_layers_coverage_gist').using('gist', t.coverage),
    index('detection_layers_source_idx').on(t.source, t.importedAt),
    check('detection_layers_period', sql`${t.observedTo} >= ${t.observedFrom}`),
    check('detection_layers_coverage_valid', sql`ST_IsValid(${t.coverage})`),
  ],
);

/**
 * Mining seen from space: a footprint polygon newly detected in a period (Amazon Mining Watch's
 * yearly and quarterly diffs) or a dated alert point (GLAD/RADD-style). The period is kept as the
 * source names it and as the dates it spans, so rules can ask "mining detected on this ground up
 * to that year".
 */
export const miningDetections = pgTable(
  'mining_detections',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').$type<DetectionKind>().notNull(),
    /** The dataset, e.g. 'amw' (Amazon Mining Watch). */
    source: text('source').notNull(),
    /** Stable key within the source, so that a re-import skips what it holds. */
    sourceRef: text('source_ref').notNull().unique(),
    /** As the source names it: '2019', '2025Q2', or an alert's day. */
    period: text('period').notNull(),
    observedFrom: date('observed_from').notNull(),
    observedTo: date('observed_to').notNull(),
    polygonAreaHa: numeric('polygon_area_ha', { precision: 12, scale: 3 }),
    minedAreaHa: numeric('mined_area_ha', { precision: 12, scale: 3 }),
    /** MultiPolygon for a footprint, Point for an alert. */
    geom: anyGeometry('geom').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('mining_detections_geom_gist').using('gist', t.geom),
    index('mining_detections_observed_idx').on(t.observedFrom),
    check('mining_detections_kind', sql`${t.kind} IN ('footprint', 'alert')`),
    check(
      'mining_detections_geom_kind',
      sql`(${t.kind} = 'footprint' AND GeometryType(${t.geom}) = 'MULTIPOLYGON') OR (${t.kind} = 'alert' AND GeometryType(${t.geom}) = 'POINT')`,
    ),
    check('mining_detections_period', sql`${t.observedTo} >= ${t.observedFrom}`),
    check('mining_detections_geom_valid', sql`ST_IsValid(${t.geom})`),
  ],
);

/** Administrative limits (INEI): departments, provinces, districts, for per-district views. */
export const adminAreas = pgTable(
  'admin_areas',
  {
    id: uuid('id').primaryKey(),
    level: text('level').$type<AdminLevel>().notNull(),
    name: text('name').notNull(),
    department: text('department').notNull(),
    province: text('province'),
    sourceRef: text('source_ref').notNull().unique(),
    geom: multiPolygon('geom').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('admin_areas_geom_gist').using('gist', t.geom),
    check('admin_areas_level', sql`${t.level} IN ('department', 'province', 'district')`),
    check('admin_areas_geom_valid', sql`ST_IsValid(${t.geom})`),
  ],
);
