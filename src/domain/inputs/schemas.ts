/**
 * Controlled inputs as the API answers them: movements and monthly quotas. Plain zod: the
 * routes publish these shapes in the OpenAPI document, the presenters return their inferred
 * types, and the apps read the same types. A shape that contains another is built by a
 * function of its parts, so that the published document can refer to the parts by name.
 */
import { z } from 'zod';
import { gs1IdsSchema } from '../lots/schemas.js';
import { flagSummarySchema, provisionalFields, type raisedFlagSchemaOf } from '../screening/schemas.js';
import { pointSchema } from '../shared/geojson.js';
import {
  checkEntries,
  controlledInputs,
  flagStatuses,
  inputUnits,
  inspectionOutcomes,
  lotForms,
  lotStatuses,
  movementStatuses,
  riskLevels,
  ruleCodes,
  severities,
  verdicts,
} from '../shared/vocabulary.js';

const quantity = z.string().meta({ example: '34.500', description: 'exact, three decimals, in `unit`' });
const unit = z.enum(inputUnits);

/** A control post on a movement's declared route. */
const checkpointSummarySchema = z.object({ id: z.uuid(), code: z.string(), name: z.string() });
export type CheckpointSummary = z.output<typeof checkpointSummarySchema>;

/** A movement (DESIGN "Resources as returned"), carrying its flags as `flag`. */
export const movementSchemaOf = (flag: typeof flagSummarySchema) =>
  z.object({
    id: z.uuid(),
    code: z.string().meta({ example: 'MV-2026-000123' }),
    status: z.enum(movementStatuses),
    input: z.enum(controlledInputs),
    quantity,
    unit,
    consignorId: z.uuid(),
    consigneeId: z.uuid(),
    destination: z.union([z.object({ concessionId: z.uuid() }), z.object({ point: pointSchema })]),
    vehicle: z.string(),
    route: z.string(),
    checkpoints: z
      .array(checkpointSummarySchema)
      .meta({ description: 'The control posts on the declared route' }),
    authorizationId: z
      .uuid()
      .nullable()
      .meta({ description: "The consignee's controlled-inputs registration it draws on" }),
    qrUrl: z.string().meta({
      description:
        'The URL printed in the QR code: <base>/v/<jws>, or a GS1 Digital Link <resolver>/401/<GINC>?jws=<jws> (QR_FORMAT)',
    }),
    gs1: gs1IdsSchema,
    riskLevel: z.enum(riskLevels),
    flags: z.array(flag),
    declaredAt: z.date().meta({
      readOnly: true,
      description:
        'When the server recorded the declaration (server time; a body that carries it is refused). Diversion is judged from it once the lag has passed.',
    }),
    deliveredAt: z.date().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  });
export const movementSchema = movementSchemaOf(flagSummarySchema);
export type Movement = z.output<typeof movementSchema>;

/** A dry run of a declaration (`?dryRun=true`): the movement as it would be, its flags, nothing written. */
export const dryRunMovementSchemaOf = (
  movement: typeof movementSchema,
  raisedFlag: ReturnType<typeof raisedFlagSchemaOf>,
) =>
  z.object({
    dryRun: z.literal(true),
    movement: movement.extend(provisionalFields),
    flags: z.array(raisedFlag).meta({ description: 'Every flag the declaration would raise' }),
  });

/** Per controlled input, an actor's monthly quota against what it received. */
export const quotaReportSchema = z.object({
  actorId: z.uuid(),
  month: z.string().meta({ example: '2026-11' }),
  from: z.date().meta({ description: 'Start of the month, UTC (inclusive)' }),
  to: z.date().meta({ description: 'Start of the next month, UTC (exclusive)' }),
  registration: z
    .object({ id: z.uuid(), status: z.string(), validFrom: z.string(), validTo: z.string().nullable() })
    .nullable()
    .meta({ description: 'The controlled-inputs registration the quotas come from' }),
  quotas: z.array(
    z.object({
      input: z.enum(controlledInputs),
      unit,
      quota: quantity.meta({ description: 'Monthly quota; 0 without an authorized one' }),
      received: quantity.meta({
        description: 'Declared to the actor as consignee in the month, seized ones excepted',
      }),
      remaining: quantity.meta({ description: 'quota − received; negative when over quota' }),
      registrationId: z.uuid().nullable(),
    }),
  ),
});
export type QuotaReport = z.output<typeof quotaReportSchema>;

/** An inspection at a checkpoint: the verdict, why, and the movement as it stands after it. */
export const inspectionResultSchemaOf = (movement: typeof movementSchema, flag: typeof flagSummarySchema) =>
  z.object({
    id: z.uuid(),
    clientId: z.string(),
    movementId: z.uuid(),
    checkpointId: z.uuid(),
    entry: z.enum(checkEntries).meta({
      description:
        'scanned: the QR was read; typed: the code was typed (or the movement named by id), no label verified',
    }),
    observedQuantity: z.string(),
    outcome: z.enum(inspectionOutcomes),
    notes: z.string().nullable(),
    verdict: z.enum(verdicts),
    reasons: z
      .array(z.string())
      .meta({ description: 'Why the movement is held, in plain words; empty on pass.' }),
    occurredAt: z.date().meta({ description: 'Device time' }),
    recordedAt: z.date().meta({ description: 'Server receipt time' }),
    duplicate: z
      .boolean()
      .meta({ description: 'The clientId had been recorded before; nothing new was written.' }),
    movement,
    flags: z.array(flag),
  });
const inspectionResultSchema = inspectionResultSchemaOf(movementSchema, flagSummarySchema);
export type InspectionResult = z.output<typeof inspectionResultSchema>;

/** A flag that holds its subject at a checkpoint: only what a verdict reads. */
const holdingFlagSchema = z.object({
  rule: z.enum(ruleCodes),
  severity: z.enum(severities),
  status: z.enum(flagStatuses),
});

/**
 * What a checkpoint device keeps to decide a verdict with no signal (screening/verdict.ts, the same logic
 * as the server's): the lots it must hold (not active, or under an unresolved high or critical
 * flag), the movements it must hold (delivered or seized, or flagged so), and the movements still
 * under way on its fiscal routes, whose declared quantity an offline inspection is weighed
 * against. Only what a verdict reads: ids, codes, statuses, declared weights, holding flags.
 */
export const watchlistSchema = z.object({
  checkpointId: z.uuid(),
  generatedAt: z.iso.datetime().meta({ description: 'When the server drew up this list' }),
  thresholdsVersion: z.string().meta({ description: 'Version of the thresholds the verdicts use' }),
  lots: z
    .array(
      z.object({
        id: z.uuid(),
        code: z.string(),
        token: z.string().meta({
          description:
            'The signed token of its QR code (as in `qrUrl`): a code typed at the post is recorded with it when offline',
        }),
        status: z.enum(lotStatuses),
        form: z.enum(lotForms),
        grossWeightG: z.string(),
        flags: z.array(holdingFlagSchema).meta({ description: 'Unresolved high and critical flags' }),
      }),
    )
    .meta({ description: 'Lots to hold: not active, or under an unresolved high or critical flag' }),
  movements: z
    .array(
      z.object({
        id: z.uuid(),
        code: z.string(),
        token: z.string().meta({
          description:
            'The signed token of its QR code (as in `qrUrl`): a code typed at the post is recorded with it when offline',
        }),
        status: z.enum(movementStatuses),
        input: z.string(),
        quantity: z.string(),
        unit,
        route: z.string(),
        flags: z.array(holdingFlagSchema),
      }),
    )
    .meta({
      description:
        "Movements to hold (delivered, seized, or under an unresolved high or critical flag) and those still under way on the checkpoint's routes, whose declared quantity an offline inspection is weighed against",
    }),
});
export type Watchlist = z.output<typeof watchlistSchema>;
export type WatchlistLot = Watchlist['lots'][number];
export type WatchlistMovement = Watchlist['movements'][number];

/** What became of one record of an offline batch. */
const syncStatuses = ['applied', 'duplicate', 'rejected'] as const;

/** POST /v1/sync: one answer per record, in request order, and how many of each. */
export const syncResultSchema = z.object({
  results: z
    .array(
      z.object({
        index: z.number().int().meta({ description: 'Position of the record in the batch' }),
        kind: z.enum(['scan', 'inspection']).nullable(),
        clientId: z.string().nullable(),
        status: z.enum(syncStatuses),
        id: z
          .uuid()
          .optional()
          .meta({ description: 'The scan or inspection (the first one, for a duplicate)' }),
        verdict: z.enum(verdicts).optional(),
        error: z
          .object({
            type: z.string(),
            status: z.number().int(),
            detail: z.string(),
            errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
          })
          .optional()
          .meta({ description: 'Why the record was rejected, as the single-record route would answer' }),
      }),
    )
    .meta({ description: 'One per record, in request order' }),
  counts: z.object({ applied: z.number().int(), duplicate: z.number().int(), rejected: z.number().int() }),
});
export type SyncResult = z.output<typeof syncResultSchema>;
/** The answer for one record of a batch. */
export type SyncRecordResult = SyncResult['results'][number];
