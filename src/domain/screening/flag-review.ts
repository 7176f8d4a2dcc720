import { eq, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../../db/client.js';
import { flags, lots } from '../../db/schema/index.js';
import { appendEvent } from '../ledger/events.js';
import { ApiError, notFound } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import { type FlagStatus, flagStatuses } from '../shared/vocabulary.js';
import type { FlagRow } from './flags.js';
import type { ReviewPreview } from './schemas.js';
import { passDown } from './taint.js';

/**
 * The review of risk flags by regulators (DESIGN "Risk screening").
 *
 * Risk: a lot's or movement's `riskLevel` and a checkpoint's hold count unresolved flags —
 * open or escalated (flags.ts `isUnresolved`): acknowledging or dismissing a flag takes it out
 * of the risk level, escalating it keeps it in, since an escalation means the case is serious
 * enough for another authority.
 */

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
  // Two regulators may open the same flag: the status and the reach a reviewer saw are sent
  // back with the decision, so a review decided on a picture that has since changed (another
  // reviewer decided first, a lot was made from the flagged one) is refused, not applied.
  expectedStatus: z.enum(flagStatuses).optional().meta({
    description:
      'The status the reviewer saw. If the flag has another one now (someone reviewed it meanwhile), 409 and nothing is written.',
  }),
  expectedSubjects: z.array(z.uuid()).max(5000).optional().meta({
    description:
      'The lots and movements (`subjectId`) of every flag the dry run listed — the flag and its copies are one a subject, and the copies an escalation raises get new ids, so the reach is compared by subject. If the review would change the flags of another set (lots made or split meanwhile), 409 and nothing is written.',
  }),
});
export type FlagReview = z.infer<typeof flagReviewSchema>;

export async function getFlag(db: Queryable, id: string): Promise<FlagRow> {
  const [row] = await db.select().from(flags).where(eq(flags.id, id));
  if (!row) throw notFound('flag', id);
  return row;
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
    if (review.expectedStatus && current.status !== review.expectedStatus) {
      throw new ApiError(
        'conflict',
        `flag ${id} is ${current.status} now, not ${review.expectedStatus}: it was reviewed meanwhile (by ${current.reviewedBy ?? 'another reviewer'}); reload it and decide again`,
        { extra: { status: current.status, reviewedBy: current.reviewedBy } },
      );
    }
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
    if (review.expectedSubjects) {
      // Throwing rolls the whole review back: the decision is applied to what was shown or not at all.
      const touched = new Set((await flagAndCopies(tx, id)).map((f) => f.subjectId));
      const shown = new Set(review.expectedSubjects);
      if (touched.size !== shown.size || [...touched].some((f) => !shown.has(f))) {
        throw new ApiError(
          'conflict',
          `the review of flag ${id} would now change ${touched.size} flags, not the ${shown.size} shown: lots were made or flags reviewed meanwhile; preview it again`,
          { extra: { subjects: [...touched] } },
        );
      }
    }
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

/** A flag and its inherited copies, each with the printed code of its subject. */
async function flagAndCopies(db: Queryable, id: string) {
  return db
    .select({
      id: flags.id,
      rule: flags.rule,
      severity: flags.severity,
      status: flags.status,
      subjectType: flags.subjectType,
      subjectId: flags.subjectId,
      inheritedFrom: flags.inheritedFrom,
      subjectCode: sql<
        string | null
      >`coalesce(${lots.code}, (SELECT m.code FROM movements m WHERE m.id = ${flags.subjectId}))`,
    })
    .from(flags)
    .leftJoin(lots, eq(lots.id, flags.subjectId))
    .where(or(eq(flags.id, id), eq(flags.inheritedFrom, id)))
    .orderBy(flags.id);
}

/**
 * What a review would touch, for the console to show before the regulator confirms: the review
 * is made on `db` — which the caller rolls back (a dry run, screening/dry-run.ts) — so the
 * answer is the write's own effect, refused exactly as the write would be (an inherited copy, a
 * decision the flag already has), not a model of it. It lists the flag, the copies that take the
 * same decision, and the copies an escalation would raise on lots made from the flagged one
 * while it was acknowledged.
 */
export async function reviewScope(
  db: Db,
  by: Principal,
  id: string,
  review: FlagReview,
): Promise<ReviewPreview> {
  const before = new Map((await flagAndCopies(db, id)).map((f) => [f.id, f.status]));
  await reviewFlag(db, by, id, review);
  const after = await flagAndCopies(db, id);
  return {
    dryRun: true,
    decision: review.decision,
    flags: after.map(({ status, ...f }) => ({
      ...f,
      statusBefore: before.get(f.id) ?? null,
      statusAfter: status,
      change: f.id === id ? 'reviewed' : before.has(f.id) ? 'copy' : 'new_copy',
    })),
  };
}
