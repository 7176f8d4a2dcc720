/**
 * The flags as the API answers them. Plain zod: the routes publish these shapes in the OpenAPI
 * document, the presenters return their inferred types, and the apps read the same types.
 */
import { z } from 'zod';
import { flagStatuses, ruleCodes, severities, subjectTypes } from '../shared/vocabulary.js';

/** A flag as lots and movements carry it (DESIGN "Resources as returned"). */
export const flagSummarySchema = z.object({
  id: z.uuid(),
  rule: z.enum(ruleCodes),
  severity: z.enum(severities),
  status: z.enum(flagStatuses),
  evidence: z.record(z.string(), z.unknown()).meta({
    description:
      'What the rule found, keys per rule. A list naming other lots (`lots`) shows an exporter only the lots it knows, checkpoint staff none: the entries withheld are counted in `lotsWithheld` (absent when none), and the counts and totals (`lotCount`, `operationCount`, `totalFineG`) are of them all. Regulators and admins see every entry.',
  }),
  inheritedFrom: z.uuid().nullable(),
});
export type FlagSummary = z.output<typeof flagSummarySchema>;

/** A flag a write raised, with its subject: what a dry run answers (screening/dry-run.ts). */
export const raisedFlagSchemaOf = (flag: typeof flagSummarySchema) =>
  flag.extend({ subjectType: z.enum(subjectTypes), subjectId: z.uuid() });

/**
 * The fields a dry run changes on a lot or movement it answers (dry-run.ts `provisional`): one
 * the write would create has no code and no QR yet, only the code it would likely get.
 */
export const provisionalFields = {
  code: z.string().nullable().meta({
    description: 'null for one the write would create: a dry run draws no code',
  }),
  provisionalCode: z.string().nullable().meta({
    example: 'AU-2026-000124',
    description:
      'For one the write would create: the code the real write would get if nothing else were written first (not reserved)',
  }),
  qrUrl: z
    .string()
    .nullable()
    .meta({ description: 'null for one the write would create: nothing to print yet' }),
  gs1: z
    .object({ epc: z.string(), digitalLink: z.string() })
    .nullable()
    .meta({ description: 'null for one the write would create: it has no code yet' }),
};

/** A flag with its review (DESIGN "Risk screening"); lots and movements carry a summary of it. */
export const flagSchema = z.object({
  id: z.uuid(),
  rule: z.enum(ruleCodes).meta({ example: 'ORIGIN_IN_EXCLUSION_ZONE' }),
  severity: z.enum(severities),
  subjectType: z.enum(subjectTypes),
  subjectId: z.uuid(),
  evidence: z.record(z.string(), z.unknown()),
  status: z.enum(flagStatuses),
  inheritedFrom: z
    .uuid()
    .nullable()
    .meta({ description: 'For a flag passed down from a lot this one was made from: the source flag' }),
  fingerprint: z.string().meta({
    description:
      'What made the rule fire (a zone id, the registration in force, a scan id; inherited:<flag> for a copy): a rule raises one flag per subject and fingerprint, so a re-screening never duplicates one',
  }),
  reviewedBy: z.string().nullable().meta({ description: 'Token subject of the last reviewer' }),
  reviewReason: z.string().nullable(),
  reviewedAt: z.date().nullable(),
  createdAt: z.date(),
});

/** A flag as the queue lists it (GET /v1/flags): with the printed code of its lot or movement. */
export const flagListItemSchema = flagSchema.extend({
  subjectCode: z
    .string()
    .nullable()
    .meta({ example: 'AU-2026-000016', description: 'The code printed on the lot or movement flagged' }),
  subjectFlagCount: z.number().int().min(1).meta({
    description:
      'How many flags of the same lot or movement pass the same filters, on every page (not only this one)',
  }),
});
export type FlagListItem = z.output<typeof flagListItemSchema>;

/** What a review would change, flag by flag: the flag itself, its inherited copies, new copies. */
const reviewTouchSchema = z.object({
  id: z.uuid(),
  rule: z.enum(ruleCodes),
  severity: z.enum(severities),
  subjectType: z.enum(subjectTypes),
  subjectId: z.uuid(),
  subjectCode: z.string().nullable(),
  inheritedFrom: z.uuid().nullable(),
  statusBefore: z
    .enum(flagStatuses)
    .nullable()
    .meta({ description: 'null for a copy the review would create (an escalation passes down)' }),
  statusAfter: z.enum(flagStatuses),
  change: z.enum(['reviewed', 'copy', 'new_copy']).meta({
    description:
      'reviewed: the flag asked for; copy: an inherited copy that takes the same decision; new_copy: a copy an escalation would raise on a lot made from the flagged one',
  }),
});

/** The answer of POST /v1/flags/{id}/review?dryRun=true: every flag the review would touch. */
export const reviewPreviewSchema = z.object({
  dryRun: z.literal(true),
  decision: z.enum(['acknowledge', 'escalate', 'dismiss']),
  flags: z.array(reviewTouchSchema),
});
export type ReviewPreview = z.output<typeof reviewPreviewSchema>;
