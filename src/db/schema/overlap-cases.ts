import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { OverlapCaseStatus, OverlapFoundAt, OverlapOutcome } from '../../domain/shared/vocabulary.js';
import { multiPolygon } from '../columns.js';
import { concessions } from './concessions.js';

/**
 * An overlap of two rights on the record: found when one was registered under an exception, at
 * an import, or by a scan of the registry; worked by regulators until an authority decides it.
 * `concessionId` is the right that came second (registered or redrawn over `otherConcessionId`).
 */
export const overlapCases = pgTable(
  'overlap_cases',
  {
    id: uuid('id').primaryKey(),
    concessionId: uuid('concession_id')
      .notNull()
      .references(() => concessions.id),
    otherConcessionId: uuid('other_concession_id')
      .notNull()
      .references(() => concessions.id),
    /** The overlap as found, measured on the spheroid. */
    geom: multiPolygon('geom').notNull(),
    areaHa: numeric('area_ha', { precision: 14, scale: 4 }).notNull(),
    foundAt: text('found_at').$type<OverlapFoundAt>().notNull(),
    status: text('status').$type<OverlapCaseStatus>().notNull().default('open'),
    /** The exception an admin recorded when filing the right over the other, if any. */
    exceptionLegalBasis: text('exception_legal_basis'),
    exceptionNote: text('exception_note'),
    mediationNote: text('mediation_note'),
    outcome: text('outcome').$type<OverlapOutcome>(),
    authority: text('authority'),
    resolution: text('resolution'),
    decidedOn: date('decided_on'),
    decisionNote: text('decision_note'),
    /** The right the decision reduced or annulled. */
    affectedConcessionId: uuid('affected_concession_id').references(() => concessions.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('overlap_cases_geom_gist').using('gist', t.geom),
    index('overlap_cases_status_idx').on(t.status, t.id),
    index('overlap_cases_concession_idx').on(t.concessionId),
    index('overlap_cases_other_concession_idx').on(t.otherConcessionId),
    // One case a pair while it is being worked: a scan run twice, or racing, opens it once.
    uniqueIndex('overlap_cases_pair_pending_uq')
      .on(
        sql`least(${t.concessionId}, ${t.otherConcessionId})`,
        sql`greatest(${t.concessionId}, ${t.otherConcessionId})`,
      )
      .where(sql`${t.status} IN ('open', 'in_mediation')`),
    check('overlap_cases_two_rights', sql`${t.concessionId} <> ${t.otherConcessionId}`),
    check(
      'overlap_cases_decided',
      sql`(${t.status} IN ('resolved', 'annulled')) = (${t.outcome} IS NOT NULL AND ${t.decidedOn} IS NOT NULL)`,
    ),
  ],
);
