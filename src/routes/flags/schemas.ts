import { z } from '@hono/zod-openapi';
import { flagStatuses, severities } from '../../db/schema/index.js';

/** A flag with its review (DESIGN "Risk screening"); lots and movements carry a summary of it. */
export const flagSchema = z
  .object({
    id: z.uuid(),
    rule: z.string().openapi({ example: 'ORIGIN_IN_EXCLUSION_ZONE' }),
    severity: z.enum(severities),
    subjectType: z.enum(['lot', 'movement']),
    subjectId: z.uuid(),
    evidence: z.record(z.string(), z.unknown()),
    status: z.enum(flagStatuses),
    inheritedFrom: z.uuid().nullable(),
    reviewedBy: z.string().nullable().openapi({ description: 'Token subject of the last reviewer' }),
    reviewReason: z.string().nullable(),
    reviewedAt: z.date().nullable(),
    createdAt: z.date(),
  })
  .openapi('Flag');
