import type { Db } from '../../src/db/client.js';
import { type FlagStatus, flags, type Severity } from '../../src/db/schema/index.js';
import { newId } from '../../src/domain/ids.js';

export interface FlagSeed {
  subjectId: string;
  subjectType?: 'lot' | 'movement';
  rule?: string;
  severity?: Severity;
  status?: FlagStatus;
  evidence?: Record<string, unknown>;
}

/**
 * Writes a flag row as a screening rule would. The rules do not raise flags yet (issue 5), so
 * tests of the review workflow seed them here, straight into the table.
 */
export async function insertFlag(db: Db, seed: FlagSeed) {
  const [row] = await db
    .insert(flags)
    .values({
      id: newId(),
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
