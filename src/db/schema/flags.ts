import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const severities = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

export const flagStatuses = ['open', 'acknowledged', 'escalated', 'dismissed'] as const;
export type FlagStatus = (typeof flagStatuses)[number];

/**
 * A risk flag on a lot or a movement (DESIGN "Risk screening"). Raised by the screening rules;
 * never deleted. An inherited flag keeps its rule and names its source flag in `inheritedFrom`.
 */
export const flags = pgTable(
  'flags',
  {
    id: uuid('id').primaryKey(),
    rule: text('rule').notNull(),
    severity: text('severity').$type<Severity>().notNull(),
    subjectType: text('subject_type').$type<'lot' | 'movement'>().notNull(),
    subjectId: uuid('subject_id').notNull(),
    evidence: jsonb('evidence').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<FlagStatus>().notNull().default('open'),
    inheritedFrom: uuid('inherited_from'),
    reviewedBy: text('reviewed_by'),
    reviewReason: text('review_reason'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('flags_subject_idx').on(t.subjectType, t.subjectId),
    index('flags_rule_status_idx').on(t.rule, t.status),
  ],
);
