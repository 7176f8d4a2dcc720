import { and, asc, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../../db/client.js';
import { flags } from '../../db/schema/index.js';
import { appendEvent } from '../ledger/events.js';
import { ApiError, notFound } from '../shared/errors.js';
import { afterId, type Page, type PageRequest, pageFrom } from '../shared/page.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import { type FlagStatus, flagStatuses, ruleCodes, severities, subjectTypes } from '../shared/vocabulary.js';
import type { FlagRow } from './flags.js';
import { passDown } from './taint.js';

/**
 * The review of risk flags by regulators (DESIGN "Risk screening").
 *
 * Risk: a lot's or movement's `riskLevel` and a checkpoint's hold count unresolved flags —
 * open or escalated (flags.ts `isUnresolved`): acknowledging or dismissing a flag takes it out
 * of the risk level, escalating it keeps it in, since an escalation means the case is serious
 * enough for another authority.
 */

export const flagListQuery = z.object({
  status: z.enum(flagStatuses).optional(),
  rule: z.enum(ruleCodes).optional(),
  subjectType: z.enum(subjectTypes).optional(),
  subjectId: z.uuid().optional(),
  severity: z.enum(severities).optional(),
});
export type FlagListQuery = z.infer<typeof flagListQuery>;

const flagDecisions = ['acknowledge', 'escalate', 'dismiss'] as const;
type FlagDecision = (typeof flagDecisions)[number];

const statusAfter = {
  acknowledge: 'acknowledged',
  escalate: 'escalated',
  dismiss: 'dismissed',
} as const satisfies Record<FlagDecision, FlagStatus>;

export const flagReviewSchema = z.object({
  decision: z.enum(flagDecisions),
  reason: text({ min: 3, max: 2000, multiline: true }),
});
export type FlagReview = z.infer<typeof flagReviewSchema>;

export async function getFlag(db: Queryable, id: string): Promise<FlagRow> {
  const [row] = await db.select().from(flags).where(eq(flags.id, id));
  if (!row) throw notFound('flag', id);
  return row;
}

/** Flags in creation order (ids are UUIDv7), filtered, a page at a time. */
export async function listFlags(db: Queryable, q: PageRequest & FlagListQuery): Promise<Page<FlagRow>> {
  const after = afterId(q.cursor);
  const rows = await db
    .select()
    .from(flags)
    .where(
      and(
        after ? gt(flags.id, after) : undefined,
        q.status ? eq(flags.status, q.status) : undefined,
        q.rule ? eq(flags.rule, q.rule) : undefined,
        q.subjectType ? eq(flags.subjectType, q.subjectType) : undefined,
        q.subjectId ? eq(flags.subjectId, q.subjectId) : undefined,
        q.severity ? eq(flags.severity, q.severity) : undefined,
      ),
    )
    .orderBy(asc(flags.id))
    .limit(q.limit + 1);
  return pageFrom(rows, q.limit);
}

/**
 * A regulator's decision on a flag, with its reason, and the `flag.reviewed` event in the same
 * transaction. The row is locked so two reviewers cannot both move it from the same status; a
 * flag may be reviewed again (acknowledged, later escalated), but not to the status it has.
 */
export async function reviewFlag(db: Db, by: Principal, id: string, review: FlagReview): Promise<FlagRow> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(flags).where(eq(flags.id, id)).for('update');
    if (!current) throw notFound('flag', id);
    if (current.inheritedFrom) {
      throw new ApiError(
        'conflict',
        `flag ${id} is inherited from flag ${current.inheritedFrom}: review that flag, and its decision applies to every lot made from the flagged one`,
        { extra: { inheritedFrom: current.inheritedFrom } },
      );
    }
    const status = statusAfter[review.decision];
    if (current.status === status) {
      throw new ApiError('conflict', `flag ${id} is already ${status}`);
    }
    const decided = { status, reviewedBy: by.sub, reviewReason: review.reason, reviewedAt: new Date() };
    const [updated] = await tx.update(flags).set(decided).where(eq(flags.id, id)).returning();
    // The copies on lots made from the flagged one show the same decision (DESIGN: inherited
    // flags name their source); an escalation also reaches lots made while it was acknowledged.
    const copies = await tx
      .update(flags)
      .set(decided)
      .where(eq(flags.inheritedFrom, id))
      .returning({ id: flags.id });
    if (status === 'escalated') await passDown(tx, by, [id]);
    await appendEvent(tx, by, {
      type: 'flag.reviewed',
      subjectType: 'flag',
      subjectId: id,
      payload: {
        decision: review.decision,
        reason: review.reason,
        previousStatus: current.status,
        inheritedCopies: copies.map((c) => c.id),
      },
    });
    return updated as FlagRow;
  });
}
