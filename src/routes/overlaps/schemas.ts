import { z } from '@hono/zod-openapi';
import {
  decisionSchema as decision,
  mediationSchema as mediation,
  overlapCaseSchema as overlapCase,
  overlapCaseDetailSchema as overlapCaseDetail,
} from '../../domain/reference/overlap-cases.js';
import { overlapCaseStatuses } from '../../domain/shared/vocabulary.js';
import { pageQuery } from '../../http/openapi.js';

export const overlapCaseSchema = overlapCase.openapi('OverlapCase');
export const overlapCaseDetailSchema = overlapCaseDetail.openapi('OverlapCaseDetail');
export const overlapDecisionSchema = decision.openapi('OverlapDecision');
export const overlapMediationSchema = mediation.openapi('OverlapMediation');

/** GET /v1/overlaps: by status, by either right, by the holder of either right. */
export const overlapListQuery = z.object({
  status: z.enum(overlapCaseStatuses).optional(),
  concessionId: z.uuid().optional().openapi({ description: 'Cases where this right is either of the two' }),
  holderId: z.uuid().optional().openapi({ description: 'Cases where this actor holds either right' }),
  ...pageQuery,
});

export const overlapScanSchema = z
  .object({
    pairs: z.number().int().openapi({ description: 'Overlapping pairs in force without a case, found' }),
    filed: z.array(z.uuid()).openapi({ description: 'The cases opened' }),
  })
  .openapi('OverlapScan');
