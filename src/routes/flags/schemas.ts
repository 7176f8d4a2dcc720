import { z } from '@hono/zod-openapi';
import { ruleCodes } from '../../domain/screening/rules/types.js';
import { flagStatuses, severities } from '../../domain/shared/vocabulary.js';

/** A flag with its review (DESIGN "Risk screening"); lots and movements carry a summary of it. */
export const flagSchema = z
  .object({
    id: z.uuid(),
    rule: z.enum(ruleCodes).openapi({ example: 'ORIGIN_IN_EXCLUSION_ZONE' }),
    severity: z.enum(severities),
    subjectType: z.enum(['lot', 'movement']),
    subjectId: z.uuid(),
    evidence: z.record(z.string(), z.unknown()),
    status: z.enum(flagStatuses),
    inheritedFrom: z
      .uuid()
      .nullable()
      .openapi({ description: 'For a flag passed down from a lot this one was made from: the source flag' }),
    fingerprint: z.string().openapi({
      description:
        'What made the rule fire (a zone id, the registration in force, a scan id; inherited:<flag> for a copy): a rule raises one flag per subject and fingerprint, so a re-screening never duplicates one',
    }),
    reviewedBy: z.string().nullable().openapi({ description: 'Token subject of the last reviewer' }),
    reviewReason: z.string().nullable(),
    reviewedAt: z.date().nullable(),
    createdAt: z.date(),
  })
  .openapi('Flag');
