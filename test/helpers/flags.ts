import type { Db } from '../../src/db/client.js';
import { type FlagStatus, flags, type RuleCode, type Severity } from '../../src/db/schema/index.js';
import { newId } from '../../src/domain/ids.js';

export interface FlagSeed {
  subjectId: string;
  subjectType?: 'lot' | 'movement';
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
