import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { FlagStatus, RuleCode, Severity, SubjectType } from '../../domain/shared/vocabulary.js';

/**
 * A risk flag on a lot or a movement (DESIGN "Risk screening"). Raised by the screening rules;
 * never deleted. An inherited flag keeps its rule and names its source flag in `inheritedFrom`.
 */
export const flags = pgTable(
  'flags',
  {
    id: uuid('id').primaryKey(),
    rule: text('rule').$type<RuleCode>().notNull(),
    severity: text('severity').$type<Severity>().notNull(),
    subjectType: text('subject_type').$type<SubjectType>().notNull(),
    subjectId: uuid('subject_id').notNull(),
    evidence: jsonb('evidence').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<FlagStatus>().notNull().default('open'),
    /** The root flag an inherited flag copies (never an intermediate copy): reviewing it reviews them. */
    inheritedFrom: uuid('inherited_from'),
    /**
     * What made the rule fire (a zone id, the registration in force, a scan id…): a rule raises at
     * most one flag per subject and fingerprint, so re-running it never duplicates a flag.
     */
    fingerprint: text('fingerprint').notNull().default(''),
    reviewedBy: text('reviewed_by'),
    reviewReason: text('review_reason'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('flags_subject_idx').on(t.subjectType, t.subjectId),
    index('flags_rule_status_idx').on(t.rule, t.status),
    uniqueIndex('flags_once_uq').on(t.subjectType, t.subjectId, t.rule, t.fingerprint),
    index('flags_inherited_from_idx').on(t.inheritedFrom),
    index('flags_created_idx').on(t.createdAt),
  ],
);
