import { expect } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { flags } from '../../src/db/schema/index.js';
import { newId } from '../../src/domain/shared/ids.js';
import type { FlagStatus, RuleCode, Severity, SubjectType } from '../../src/domain/shared/vocabulary.js';

export interface FlagSeed {
  subjectId: string;
  subjectType?: SubjectType;
  rule?: RuleCode;
  severity?: Severity;
  status?: FlagStatus;
  evidence?: Record<string, unknown>;
}

/**
 * Writes a flag row straight into the table, for tests of the review workflow and of what lots
 * show that need a flag of a given rule, severity and status without building the facts that
 * would make a rule raise it (the rules' own tests do that, in test/rules/).
 */
export async function insertFlag(db: Db, seed: FlagSeed) {
  const id = newId();
  const [row] = await db
    .insert(flags)
    .values({
      id,
      fingerprint: id,
      subjectType: seed.subjectType ?? 'lot',
      subjectId: seed.subjectId,
      rule: seed.rule ?? 'ORIGIN_IN_EXCLUSION_ZONE',
      severity: seed.severity ?? 'high',
      status: seed.status ?? 'open',
      evidence: seed.evidence ?? { zone: 'Reserva Nacional Tambopata', distanceM: 0 },
    })
    .returning();
  if (!row) throw new Error('flag not inserted');
  return row;
}

/** A flag as the API answers it on a lot or a movement. */
export interface ApiFlag {
  id: string;
  rule: string;
  severity: string;
  status: string;
  inheritedFrom: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: evidence is JSON as the API answered it
  evidence: Record<string, any>;
}

/** The flags of one rule on a subject as the API answered it. */
export const flagsOf = (subject: { flags: ApiFlag[] }, rule: RuleCode): ApiFlag[] =>
  subject.flags.filter((f) => f.rule === rule);

/** The one flag of a list; fails the test when there is not exactly one. */
export const one = (fs: ApiFlag[]): ApiFlag => {
  expect(fs).toHaveLength(1);
  return fs[0] as ApiFlag;
};
