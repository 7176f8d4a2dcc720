/** The words of overlap cases, shared by the table, the schemas and the console. */

export const overlapCaseStatuses = ['open', 'in_mediation', 'resolved', 'annulled'] as const;
export type OverlapCaseStatus = (typeof overlapCaseStatuses)[number];

/** Where an overlap came on the record. */
export const overlapFoundAt = ['registration', 'import', 'scan'] as const;
export type OverlapFoundAt = (typeof overlapFoundAt)[number];

/**
 * What an authority decided: the rights coexist under an agreement, one right is reduced to
 * remove the overlap, one is annulled (all three resolve the case), or the case is dismissed
 * (no overlap in law: the case is annulled).
 */
export const overlapOutcomes = ['coexistence', 'right_reduced', 'right_annulled', 'dismissed'] as const;
export type OverlapOutcome = (typeof overlapOutcomes)[number];
