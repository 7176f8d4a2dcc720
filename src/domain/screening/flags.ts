import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { flags } from '../../db/schema/index.js';
import type { RiskLevel } from '../shared/vocabulary.js';
import type { FlagSummary } from './schemas.js';

export type { FlagSummary, RiskLevel };
export type FlagRow = typeof flags.$inferSelect;

/** A flag row (or a flag just raised, with its subject) as lots and movements carry it. */
export const summaryOf = ({
  id,
  rule,
  severity,
  status,
  evidence,
  inheritedFrom,
}: FlagSummary): FlagSummary => ({
  id,
  rule,
  severity,
  status,
  evidence,
  inheritedFrom,
});

const severityRank = { low: 1, medium: 2, high: 3, critical: 4 } as const;

import { isUnresolved } from './flag-status.js';

export { isUnresolved } from './flag-status.js';

/** The same test in SQL, for a flag table aliased `f`. */
export const unresolvedSql = `f.status IN ('open', 'escalated')`;

/** The risk of a subject is the highest severity among its unresolved flags. */
export function riskLevelOf(fs: Pick<FlagRow, 'severity' | 'status'>[]): RiskLevel {
  let level: RiskLevel = 'none';
  for (const f of fs) {
    if (!isUnresolved(f.status)) continue;
    if (level === 'none' || severityRank[f.severity] > severityRank[level]) level = f.severity;
  }
  return level;
}

/**
 * The flags (every status) of a set of lots or movements in one query, grouped by subject in
 * creation order; every id of the set has an entry, empty when it has no flag.
 */
export async function flagsBySubject(
  db: Queryable,
  subjectType: FlagRow['subjectType'],
  ids: string[],
): Promise<Map<string, FlagSummary[]>> {
  const bySubject = new Map<string, FlagSummary[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return bySubject;
  const rows = await db
    .select({
      id: flags.id,
      subjectId: flags.subjectId,
      rule: flags.rule,
      severity: flags.severity,
      status: flags.status,
      evidence: flags.evidence,
      inheritedFrom: flags.inheritedFrom,
    })
    .from(flags)
    .where(and(eq(flags.subjectType, subjectType), inArray(flags.subjectId, ids)))
    .orderBy(asc(flags.createdAt), asc(flags.id));
  for (const { subjectId, ...f } of rows) bySubject.get(subjectId)?.push(f);
  return bySubject;
}
