import { and, arrayOverlaps, asc, eq, gt, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable, Tx } from '../../db/client.js';
import { checkpoints, inspections, movements } from '../../db/schema/index.js';
import type { LedgerSigner } from '../ledger/signer.js';
import { lookedUpQrUrl, type QrLinks, qrUrl } from '../lots/qr.js';
import { asGeoJson } from '../reference/geometry.js';
import { flagsBySubject, isUnresolved, riskLevelOf } from '../screening/flags.js';
import { canonicalCode } from '../shared/codes.js';
import { daySchema, earliestDay, instantSchema, latestDay } from '../shared/dates.js';
import { ApiError, notFound } from '../shared/errors.js';
import type { PointGeometry } from '../shared/geojson.js';
import { afterId, type Page, type PageRequest, pageFrom } from '../shared/page.js';
import type { Principal } from '../shared/principal.js';
import { controlledInputs, movementStatuses } from '../shared/vocabulary.js';
import type { CheckpointSummary, Movement } from './schemas.js';

export type { CheckpointSummary, Movement };

import { gs1IdsOf } from '../shared/gs1.js';
import { text } from '../shared/text.js';

/**
 * Movements as they are read: one shape for every answer, built for a whole set of rows in two
 * queries. Declaring and delivering live in declaration.ts, inspections in inspections.ts.
 */

const movementColumns = {
  id: movements.id,
  code: movements.code,
  status: movements.status,
  input: movements.input,
  quantity: movements.quantity,
  unit: movements.unit,
  consignorId: movements.consignorId,
  consigneeId: movements.consigneeId,
  destinationConcessionId: movements.destinationConcessionId,
  destinationPoint: asGeoJson<PointGeometry | null>(movements.destinationPoint),
  vehicle: movements.vehicle,
  route: movements.route,
  authorizationId: movements.authorizationId,
  qrToken: movements.qrToken,
  declaredAt: movements.declaredAt,
  deliveredAt: movements.deliveredAt,
  createdAt: movements.createdAt,
  updatedAt: movements.updatedAt,
};
export type MovementRow = Awaited<ReturnType<typeof selectMovements>>[number];

const selectMovements = (db: Queryable, where: SQL | undefined) =>
  db.select(movementColumns).from(movements).where(where);

async function presentMovements(db: Queryable, rows: MovementRow[], links: QrLinks): Promise<Movement[]> {
  if (rows.length === 0) return [];
  const routes = [...new Set(rows.map((r) => r.route))];
  const [flagsById, posts] = await Promise.all([
    flagsBySubject(
      db,
      'movement',
      rows.map((r) => r.id),
    ),
    db
      .select({
        id: checkpoints.id,
        code: checkpoints.code,
        name: checkpoints.name,
        routes: checkpoints.routes,
        retiredOn: checkpoints.retiredOn,
      })
      .from(checkpoints)
      .where(arrayOverlaps(checkpoints.routes, routes))
      .orderBy(asc(checkpoints.code)),
  ]);
  return rows.map(({ qrToken, destinationConcessionId, destinationPoint, ...row }) => {
    const declaredOn = row.declaredAt.toISOString().slice(0, 10);
    const own = flagsById.get(row.id) ?? [];
    return {
      ...row,
      destination: destinationConcessionId
        ? { concessionId: destinationConcessionId }
        : { point: destinationPoint as PointGeometry },
      checkpoints: posts
        .filter((p) => p.routes.includes(row.route) && (p.retiredOn === null || p.retiredOn > declaredOn))
        .map(({ id, code, name }) => ({ id, code, name })),
      qrUrl: qrUrl(links, qrToken),
      gs1: gs1IdsOf('movement', links.companyPrefix, row.code),
      riskLevel: riskLevelOf(own),
      flags: own,
    };
  });
}

async function getMovementRow(db: Queryable, id: string): Promise<MovementRow> {
  const [row] = await selectMovements(db, eq(movements.id, id));
  if (!row) throw notFound('movement', id);
  return row;
}

/**
 * Locks a movement for the rest of the transaction: operations on one movement (inspections,
 * delivery) are serialized, so a seizure and a delivery cannot both win.
 */
export async function lockMovement(tx: Tx, id: string): Promise<MovementRow> {
  const [row] = await selectMovements(tx, eq(movements.id, id)).for('update');
  if (!row) throw notFound('movement', id);
  return row;
}

/**
 * Exporters see the movements they send or receive; for any other the answer is 404, so that
 * even its existence stays private. Regulators, admins and checkpoint staff see all.
 */
export function assertMayReadMovement(
  by: Principal,
  m: Pick<MovementRow, 'id' | 'consignorId' | 'consigneeId'>,
): void {
  if (by.role !== 'exporter') return;
  if (m.consignorId !== by.actorId && m.consigneeId !== by.actorId) throw notFound('movement', m.id);
}

/** A movement as the API returns it, without the read check: for answering a permitted operation. */
export async function presentMovement(db: Queryable, row: MovementRow | string, links: QrLinks) {
  const r = typeof row === 'string' ? await getMovementRow(db, row) : row;
  const [movement] = await presentMovements(db, [r], links);
  if (!movement) throw notFound('movement', r.id);
  return movement;
}

export async function getMovement(
  db: Queryable,
  by: Principal,
  id: string,
  links: QrLinks,
  signer?: LedgerSigner,
) {
  const row = await getMovementRow(db, id);
  assertMayReadMovement(by, row);
  const [m] = await forCheckpoint(by, [await presentMovement(db, row, links)], links, signer);
  return m as Movement;
}

/**
 * What checkpoint staff read of a movement, by its code or id: its QR URL signed as looked up
 * (lots/qr.ts lookedUpQrUrl), so that an inspection made with it is recorded as typed — the
 * signature printed on the papers is never handed to someone who may not hold them.
 */
async function forCheckpoint(
  by: Principal,
  items: Movement[],
  links: QrLinks,
  signer: LedgerSigner | undefined,
): Promise<Movement[]> {
  if (by.role !== 'checkpoint') return items;
  if (!signer)
    throw new ApiError('forbidden', 'checkpoint staff check one movement by its printed code, as JSON');
  return Promise.all(
    items.map(async (m) => ({
      ...m,
      qrUrl: await lookedUpQrUrl(signer, links, { kind: 'movement', id: m.id, code: m.code }),
    })),
  );
}

/** A day (the whole UTC day) or an instant. */
const dayOrInstant = z.union([daySchema, instantSchema], {
  error: () =>
    `must be a day as YYYY-MM-DD or a date-time with Z or an offset, between ${earliestDay} and ${latestDay()}`,
});

export const movementListQuery = z.object({
  code: z
    .string()
    .max(64)
    .transform((typed, ctx) => {
      const code = canonicalCode(typed, 'MV');
      if (code === null) {
        ctx.addIssue({
          code: 'custom',
          message: 'not a movement code: MV, a four-digit year and a number (MV-2026-000045)',
        });
        return z.NEVER;
      }
      return code;
    })
    .optional()
    .describe(
      'The movement with this printed code, typed in any case, with or without dashes or leading zeros ("mv2026045" is MV-2026-000045). The one way checkpoint staff may read movements as a list.',
    ),
  consigneeId: z.uuid().optional(),
  consignorId: z.uuid().optional(),
  checkpointId: z.uuid().optional().describe('Movements inspected at this checkpoint'),
  route: text({ max: 120 }).optional(),
  input: z.enum(controlledInputs).optional(),
  status: z.enum(movementStatuses).optional(),
  from: dayOrInstant.optional().describe('Declared at or after (a day counts from 00:00 UTC)'),
  to: dayOrInstant.optional().describe('Declared at or before (a day counts to its end, UTC)'),
});
export type MovementListQuery = z.infer<typeof movementListQuery>;

const startOf = (d: string) => new Date(d.length === 10 ? `${d}T00:00:00Z` : d);
/** `to` as an exclusive bound: the day after a day, the millisecond after an instant. */
const endBefore = (d: string) => new Date(startOf(d).getTime() + (d.length === 10 ? 86_400_000 : 1));

export async function listMovements(
  db: Queryable,
  by: Principal,
  q: PageRequest & MovementListQuery,
  links: QrLinks,
  signer?: LedgerSigner,
): Promise<Page<Movement>> {
  // Checkpoint staff check the consignment in front of them by its printed code; they do not browse.
  if (by.role === 'checkpoint' && q.code === undefined)
    throw new ApiError('forbidden', 'checkpoint staff read a movement by its printed code (?code=)');
  const after = afterId(q.cursor);
  const where = and(
    after ? gt(movements.id, after) : undefined,
    q.code === undefined ? undefined : eq(movements.code, q.code),
    q.consigneeId ? eq(movements.consigneeId, q.consigneeId) : undefined,
    q.consignorId ? eq(movements.consignorId, q.consignorId) : undefined,
    q.checkpointId
      ? sql`EXISTS (SELECT 1 FROM ${inspections} i WHERE i.movement_id = ${movements.id} AND i.checkpoint_id = ${q.checkpointId})`
      : undefined,
    q.route ? eq(movements.route, q.route) : undefined,
    q.input ? eq(movements.input, q.input) : undefined,
    q.status ? eq(movements.status, q.status) : undefined,
    q.from ? sql`${movements.declaredAt} >= ${startOf(q.from).toISOString()}` : undefined,
    q.to ? sql`${movements.declaredAt} < ${endBefore(q.to).toISOString()}` : undefined,
    by.role === 'exporter' && by.actorId
      ? or(eq(movements.consignorId, by.actorId), eq(movements.consigneeId, by.actorId))
      : undefined,
  );
  const rows = await selectMovements(db, where)
    .orderBy(asc(movements.id))
    .limit(q.limit + 1);
  const page = pageFrom(rows, q.limit);
  const items = await presentMovements(db, page.items, links);
  return { items: await forCheckpoint(by, items, links, signer), nextCursor: page.nextCursor };
}

/** What anyone holding a movement's QR may learn: no quantities, parties or vehicle. */
export async function publicMovementStatus(db: Queryable, id: string) {
  const [row] = await db
    .select({ id: movements.id, code: movements.code, input: movements.input, status: movements.status })
    .from(movements)
    .where(eq(movements.id, id));
  if (!row) throw notFound('movement', id);
  const own = (await flagsBySubject(db, 'movement', [id])).get(id) ?? [];
  return {
    code: row.code,
    input: row.input,
    status: row.status,
    flagged: own.some((f) => isUnresolved(f.status)),
  };
}
