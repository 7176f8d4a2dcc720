import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.js';
import { actors, checkpoints, concessions, movements, registrations } from '../../db/schema/index.js';
import { jsonColumn } from '../../db/sql.js';
import { appendEvent } from '../ledger/events.js';
import type { LedgerSigner } from '../ledger/signer.js';
import { type QrLinks, qrUrl, signQr } from '../lots/qr.js';
import { registrationAt } from '../reference/actors.js';
import { pointSql } from '../reference/geometry.js';
import type { DryRun } from '../screening/dry-run.js';
import { screen } from '../screening/engine.js';
import { riskLevelOf, summaryOf } from '../screening/flags.js';
import { decimal3 } from '../shared/decimal-schemas.js';
import { ApiError, type FieldError } from '../shared/errors.js';
import { pointSchema } from '../shared/geojson.js';
import { toMilli } from '../shared/grams.js';
import { gs1IdsOf } from '../shared/gs1.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import { text } from '../shared/text.js';
import { controlledInputs } from '../shared/vocabulary.js';
import { assertMayReadMovement, type CheckpointSummary, lockMovement, type Movement } from './movements.js';

/**
 * A consignment of a controlled input is declared by its consignor (or an admin), inspected on
 * its way (inspections.ts) and confirmed delivered by its consignee.
 */

/**
 * An exact quantity (kg or L) as observed: three decimals at most, zero allowed (an empty tank),
 * no more than its numeric(14, 3) column holds (decimal3 checks that).
 */
export const observedQuantitySchema = decimal3;

/** An exact quantity (kg or L) as declared: three decimals at most, strictly positive. */
const quantitySchema = observedQuantitySchema.refine((q) => toMilli(q) > 0n, 'must be greater than 0');

export const newMovementSchema = z
  .object({
    input: z.enum(controlledInputs),
    quantity: quantitySchema,
    unit: z.enum(['kg', 'L']),
    consignorId: z.uuid(),
    consigneeId: z.uuid(),
    destination: z.union([
      z.strictObject({ concessionId: z.uuid() }),
      z.strictObject({ point: pointSchema }),
    ]),
    vehicle: text({ min: 2, max: 40 })
      .transform((v) => v.toUpperCase())
      .describe('Plate of the vehicle carrying it'),
    route: text({ max: 120 }).describe('The declared fiscal route, as checkpoints name it'),
    authorization: z
      .uuid()
      .optional()
      .describe(
        "The consignee's controlled-inputs registration it draws on; default: the one in force today",
      ),
    // The time of declaration is the server's: diversion is judged from it (screening/due.ts),
    // so a client that could set it could date its mercury out of the window. Refused, not
    // ignored, so that such a client learns at once that its date was not taken.
    declaredAt: z
      .unknown()
      .refine((v) => v === undefined, 'is set by the server when the movement is declared; leave it out')
      .optional()
      .describe('Not accepted: the server sets it (400 if sent)'),
  })
  // Mercury is counted by weight and fuels by volume, as the quotas of a registration are.
  .refine((m) => (m.input === 'mercury' ? m.unit === 'kg' : m.unit === 'L'), {
    message: 'mercury is declared in kg, diesel and gasoline in L',
    path: ['unit'],
  });
export type NewMovement = z.infer<typeof newMovementSchema>;

const movementCode = (year: number, n: string) => `MV-${year}-${n.padStart(6, '0')}`;

/**
 * Declares a movement. References are checked in one query (actors, concessions, checkpoints and
 * registrations are never deleted, so the answer cannot go stale), every failing one named in a
 * single 422; the movement and its event are then written in one transaction. Whether the
 * consignee is authorized or over quota is for the screening rules to flag, not to refuse here.
 */
export async function declareMovement(
  db: Db,
  by: Principal,
  input: NewMovement,
  ctx: { signer: LedgerSigner; links: QrLinks; dryRun?: DryRun },
): Promise<Movement> {
  if (by.role !== 'admin' && by.actorId !== input.consignorId) {
    throw new ApiError('forbidden', 'a movement is declared by its consignor (or by an admin)');
  }
  const today = new Date().toISOString().slice(0, 10);
  const concessionId = 'concessionId' in input.destination ? input.destination.concessionId : undefined;
  const [refs] = rowsOf<{
    consignor: boolean;
    consignee: boolean;
    concession: boolean;
    checkpoints: CheckpointSummary[] | string;
    authorization: boolean | null;
    n: string | null;
  }>(
    await db.execute(sql`SELECT
      EXISTS (SELECT 1 FROM ${actors} WHERE id = ${input.consignorId}) AS consignor,
      EXISTS (SELECT 1 FROM ${actors} WHERE id = ${input.consigneeId}) AS consignee,
      ${concessionId ? sql`EXISTS (SELECT 1 FROM ${concessions} WHERE id = ${concessionId})` : sql`true`} AS concession,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'code', code, 'name', name) ORDER BY code), '[]'::json)
         FROM ${checkpoints}
        WHERE ${input.route} = ANY(routes) AND (retired_on IS NULL OR retired_on > ${today}::date)) AS checkpoints,
      ${
        input.authorization
          ? sql`(SELECT actor_id = ${input.consigneeId} AND registry = 'controlled_inputs'
                   FROM ${registrations} WHERE id = ${input.authorization})`
          : sql`NULL::boolean`
      } AS authorization,
      ${ctx.dryRun ? sql`NULL` : sql`nextval('movement_code_seq')`}::text AS n`),
  );
  if (!refs) throw new Error('reference check returned no row');
  const posts = jsonColumn<CheckpointSummary[]>(refs.checkpoints);
  const errors: FieldError[] = [];
  if (!refs.consignor) errors.push({ field: 'consignorId', message: 'no such actor' });
  if (!refs.consignee) errors.push({ field: 'consigneeId', message: 'no such actor' });
  if (!refs.concession) errors.push({ field: 'destination.concessionId', message: 'no such concession' });
  if (posts.length === 0)
    errors.push({ field: 'route', message: `no checkpoint in service sits on route "${input.route}"` });
  if (input.authorization && !refs.authorization) {
    errors.push({
      field: 'authorization',
      message: 'not a controlled-inputs registration of the consignee',
    });
  }
  if (errors.length > 0) {
    throw new ApiError(
      'unprocessable',
      `the movement refers to what does not exist or does not fit: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      { errors },
    );
  }
  const authorizationId =
    input.authorization ??
    (await registrationAt(db, input.consigneeId, 'controlled_inputs', today))?.id ??
    null;

  const id = newId();
  const year = new Date().getUTCFullYear();
  // A dry run draws no code (screening/dry-run.ts); the reference query drew it otherwise.
  const [code] =
    refs.n === null
      ? (ctx.dryRun?.codes('movement_code_seq', 1, (n) => movementCode(year, n)) ?? [])
      : [movementCode(year, refs.n)];
  if (!code) throw new Error('no movement code was drawn');
  const qrToken = await signQr(ctx.signer, { kind: 'movement', id, code });
  const point =
    'point' in input.destination
      ? { type: 'Point' as const, coordinates: input.destination.point.coordinates.slice(0, 2) }
      : undefined;
  const row = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(movements)
      .values({
        id,
        code,
        input: input.input,
        quantity: input.quantity,
        unit: input.unit,
        consignorId: input.consignorId,
        consigneeId: input.consigneeId,
        destinationConcessionId: concessionId ?? null,
        destinationPoint: point ? pointSql(point) : null,
        vehicle: input.vehicle,
        route: input.route,
        authorizationId,
        qrToken,
      })
      .returning({
        declaredAt: movements.declaredAt,
        createdAt: movements.createdAt,
        updatedAt: movements.updatedAt,
      });
    const { authorization: _a, ...declared } = input;
    await appendEvent(tx, by, {
      type: 'movement.declared',
      subjectType: 'movement',
      subjectId: id,
      payload: { code, ...declared, authorizationId },
    });
    const raised = await screen(tx, by, { trigger: 'declaration', movementIds: [id] });
    return inserted && { ...inserted, raised };
  });
  if (!row) throw new Error('insert returned no row');
  const { raised, ...written } = row;
  // Built from what was written: a new movement has no delivery yet, and the flags just raised.
  return {
    id,
    code,
    status: 'declared',
    input: input.input,
    quantity: input.quantity,
    unit: input.unit,
    consignorId: input.consignorId,
    consigneeId: input.consigneeId,
    destination: point ? { point } : { concessionId: concessionId as string },
    vehicle: input.vehicle,
    route: input.route,
    checkpoints: posts,
    authorizationId,
    deliveredAt: null,
    ...written,
    qrUrl: qrUrl(ctx.links, qrToken),
    gs1: gs1IdsOf('movement', ctx.links.companyPrefix, code),
    riskLevel: riskLevelOf(raised),
    flags: raised.map(summaryOf),
  };
}

/**
 * The consignee confirms receipt. Others who may read the movement get 403, those who may not
 * 404; a movement already delivered or seized is a 409.
 */
export async function deliverMovement(db: Db, by: Principal, id: string): Promise<string> {
  return db.transaction(async (tx) => {
    const m = await lockMovement(tx, id);
    assertMayReadMovement(by, m);
    if (by.role !== 'exporter' || by.actorId !== m.consigneeId) {
      throw new ApiError('forbidden', 'only the consignee confirms the delivery of a movement');
    }
    if (m.status === 'delivered' || m.status === 'seized') {
      throw new ApiError('conflict', `movement ${m.code} is ${m.status}; it cannot be delivered`, {
        extra: { movementId: m.id, movementStatus: m.status },
      });
    }
    await tx
      .update(movements)
      .set({ status: 'delivered', deliveredAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(movements.id, id));
    await appendEvent(tx, by, {
      type: 'movement.delivered',
      subjectType: 'movement',
      subjectId: id,
      payload: { statusBefore: m.status },
    });
    return id;
  });
}
