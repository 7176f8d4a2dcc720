import { and, asc, eq, gt, inArray, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, type Queryable, rowsOf } from '../../db/client.js';
import { actors, concessions, flags, lotEdges, lots } from '../../db/schema/index.js';
import { appendEvent } from '../ledger/events.js';
import type { LedgerSigner } from '../ledger/signer.js';
import { asGeoJson, pointSql } from '../reference/geometry.js';
import { screen } from '../screening/engine.js';
import { flagsBySubject, riskLevelOf, summaryOf, unresolvedSql } from '../screening/flags.js';
import { daySchema } from '../shared/dates.js';
import { finenessSchema, gramsSchema } from '../shared/decimal-schemas.js';
import { ApiError, notFound } from '../shared/errors.js';
import { type PointGeometry, pointSchema } from '../shared/geojson.js';
import { fineWeight } from '../shared/grams.js';
import { newId } from '../shared/ids.js';
import { afterId, type Page, type PageRequest, pageFrom } from '../shared/page.js';
import type { Principal } from '../shared/principal.js';
import { lotForms, lotStatuses } from '../shared/vocabulary.js';
import { qrUrl, signQr } from './qr.js';
import type { Lot } from './schemas.js';

export type { Lot };

export const newLotSchema = z.object({
  producerId: z.uuid(),
  concessionId: z.uuid(),
  origin: pointSchema,
  extractedOn: daySchema.refine((d) => d <= new Date().toISOString().slice(0, 10), 'cannot be in the future'),
  grossWeightG: gramsSchema,
  fineness: finenessSchema,
  form: z.enum(lotForms),
});
export type NewLot = z.infer<typeof newLotSchema>;

export const lotColumns = {
  id: lots.id,
  code: lots.code,
  status: lots.status,
  producerId: lots.producerId,
  concessionId: lots.concessionId,
  custodianId: lots.custodianId,
  origin: asGeoJson<PointGeometry | null>(lots.origin),
  extractedOn: lots.extractedOn,
  grossWeightG: lots.grossWeightG,
  fineness: lots.fineness,
  fineWeightG: lots.fineWeightG,
  form: lots.form,
  qrToken: lots.qrToken,
  exportedOn: lots.exportedOn,
  customsDeclaration: lots.customsDeclaration,
  destinationCountry: lots.destinationCountry,
  createdAt: lots.createdAt,
  updatedAt: lots.updatedAt,
};
export type LotRow = Awaited<ReturnType<typeof selectLots>>[number];

const selectLots = (db: Queryable, where: SQL | undefined) => db.select(lotColumns).from(lots).where(where);

/**
 * Turns rows into API lots, with parents and flags fetched in two queries for the whole set and
 * grouped by lot once, so that presenting n lots stays linear (filtering the edges and flags
 * again for every row made a page of lots quadratic).
 */
export async function presentLots(db: Queryable, rows: LotRow[], baseUrl: string): Promise<Lot[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [edges, flagsOf] = await Promise.all([
    db
      .select({ parentId: lotEdges.parentId, childId: lotEdges.childId })
      .from(lotEdges)
      .where(inArray(lotEdges.childId, ids))
      .orderBy(asc(lotEdges.parentId)),
    flagsBySubject(db, 'lot', ids),
  ]);
  // Grouping keeps the order of the query: parents by id.
  const parentsOf = new Map<string, string[]>();
  for (const { childId, parentId } of edges) {
    const ps = parentsOf.get(childId);
    if (ps) ps.push(parentId);
    else parentsOf.set(childId, [parentId]);
  }
  return rows.map(({ qrToken, ...row }) => {
    const own = flagsOf.get(row.id) ?? [];
    return {
      ...row,
      parentIds: parentsOf.get(row.id) ?? [],
      qrUrl: qrUrl(baseUrl, qrToken),
      riskLevel: riskLevelOf(own),
      flags: own,
    };
  });
}

export async function getLotRow(db: Queryable, id: string): Promise<LotRow> {
  const [row] = await selectLots(db, eq(lots.id, id));
  if (!row) throw notFound('lot', id);
  return row;
}

/**
 * Exporters see the lots they produced or hold; for any other lot the answer is 404, so that
 * even its existence stays private (DESIGN "HTTP conventions").
 */
export function assertMayRead(by: Principal, lot: Pick<LotRow, 'id' | 'producerId' | 'custodianId'>): void {
  if (by.role !== 'exporter') return;
  if (lot.producerId !== by.actorId && lot.custodianId !== by.actorId) throw notFound('lot', lot.id);
}

export async function getLot(db: Queryable, by: Principal, id: string, baseUrl: string): Promise<Lot> {
  const row = await getLotRow(db, id);
  assertMayRead(by, row);
  return presentLot(db, row, baseUrl);
}

/**
 * A lot as the API returns it, without the read check: for answering an operation the caller
 * was just allowed to make (after a transfer the caller may no longer hold the lot).
 */
export async function presentLot(db: Queryable, row: LotRow | string, baseUrl: string): Promise<Lot> {
  const r = typeof row === 'string' ? await getLotRow(db, row) : row;
  const [lot] = await presentLots(db, [r], baseUrl);
  if (!lot) throw notFound('lot', r.id);
  return lot;
}

export const lotListQuery = z.object({
  status: z.enum(lotStatuses).optional(),
  custodianId: z.uuid().optional(),
  flagged: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export async function listLots(
  db: Queryable,
  by: Principal,
  q: PageRequest & z.infer<typeof lotListQuery>,
  baseUrl: string,
): Promise<Page<Lot>> {
  const after = afterId(q.cursor);
  const openFlag = sql`EXISTS (SELECT 1 FROM ${flags} f WHERE f.subject_type = 'lot' AND f.subject_id = ${lots.id} AND ${sql.raw(unresolvedSql)})`;
  const where = and(
    after ? gt(lots.id, after) : undefined,
    q.status ? eq(lots.status, q.status) : undefined,
    q.custodianId ? eq(lots.custodianId, q.custodianId) : undefined,
    q.flagged === undefined ? undefined : q.flagged ? openFlag : sql`NOT ${openFlag}`,
    by.role === 'exporter' && by.actorId
      ? or(eq(lots.producerId, by.actorId), eq(lots.custodianId, by.actorId))
      : undefined,
  );
  const rows = await selectLots(db, where)
    .orderBy(asc(lots.id))
    .limit(q.limit + 1);
  const page = pageFrom(rows, q.limit);
  return { items: await presentLots(db, page.items, baseUrl), nextCursor: page.nextCursor };
}

/**
 * The next `count` printable lot codes, AU-<year>-<000123>, from a database sequence in one
 * statement: unique under any concurrency (a rolled-back operation leaves a gap, which is
 * harmless), ascending in the order the caller will use them.
 */
export async function nextLotCodes(tx: Queryable, year: number, count: number): Promise<string[]> {
  if (count === 0) return [];
  const rows = rowsOf<{ n: string }>(
    await tx.execute(sql`SELECT nextval('lot_code_seq')::text AS n FROM generate_series(1, ${count}::int)`),
  );
  return rows
    .map((r) => BigInt(r.n))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((n) => lotCode(year, n.toString()));
}

const lotCode = (year: number, n: string) => `AU-${year}-${n.padStart(6, '0')}`;

/**
 * Registers a lot at extraction. The caller is an exporter-role actor: the producer itself, or
 * a trader, processor or exporter registering on the producer's behalf, who then holds it.
 *
 * Shaped for throughput (the benchmark compares it with bare INSERTs): the references are
 * checked and the code drawn in one query — actors and concessions are never deleted, so the
 * answer cannot go stale — then the lot and its event are written in one short transaction,
 * and the answer is built from what was written instead of being read back.
 */
export async function registerLot(
  db: Db,
  by: Principal,
  input: NewLot,
  ctx: { signer: LedgerSigner; baseUrl: string },
): Promise<Lot> {
  const custodianId = by.actorId;
  if (!custodianId) throw new ApiError('forbidden', 'only an actor-bound token may register lots');
  const [refs] = rowsOf<{
    producer: boolean;
    concession: boolean;
    custodian_kinds: string[] | null;
    n: string;
  }>(
    await db.execute(sql`SELECT
      EXISTS (SELECT 1 FROM ${actors} WHERE id = ${input.producerId}) AS producer,
      EXISTS (SELECT 1 FROM ${concessions} WHERE id = ${input.concessionId}) AS concession,
      (SELECT kinds FROM ${actors} WHERE id = ${custodianId}) AS custodian_kinds,
      nextval('lot_code_seq')::text AS n`),
  );
  if (!refs?.producer) {
    throw new ApiError('unprocessable', `producerId ${input.producerId} is not a registered actor`, {
      errors: [{ field: 'producerId', message: 'no such actor' }],
    });
  }
  if (!refs.concession) {
    throw new ApiError('unprocessable', `concessionId ${input.concessionId} is not a registered concession`, {
      errors: [{ field: 'concessionId', message: 'no such concession' }],
    });
  }
  const onBehalf = custodianId !== input.producerId;
  if (
    onBehalf &&
    !refs.custodian_kinds?.some((k) => k === 'trader' || k === 'processor' || k === 'exporter')
  ) {
    throw new ApiError(
      'forbidden',
      'only the producer, or a trader, processor or exporter on its behalf, may register its lots',
    );
  }
  const id = newId();
  const code = lotCode(new Date().getUTCFullYear(), refs.n);
  const fine = fineWeight(input.grossWeightG, input.fineness);
  const qrToken = await signQr(ctx.signer, { kind: 'lot', id, code });
  const origin = { type: 'Point' as const, coordinates: input.origin.coordinates.slice(0, 2) };
  const row = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(lots)
      .values({
        id,
        code,
        producerId: input.producerId,
        concessionId: input.concessionId,
        origin: pointSql(origin),
        extractedOn: input.extractedOn,
        grossWeightG: input.grossWeightG,
        fineness: input.fineness,
        fineWeightG: fine,
        form: input.form,
        custodianId,
        qrToken,
      })
      .returning({ createdAt: lots.createdAt, updatedAt: lots.updatedAt });
    await appendEvent(tx, by, {
      type: 'lot.registered',
      subjectType: 'lot',
      subjectId: id,
      payload: { code, ...input, fineWeightG: fine, custodianId },
    });
    const raised = await screen(tx, by, { trigger: 'registration', lotIds: [id] });
    return inserted && { ...inserted, raised };
  });
  if (!row) throw new Error('insert returned no row');
  const { raised, ...written } = row;
  // Built from what was written: a new lot has no parents and no export yet; its flags were just raised.
  return {
    id,
    code,
    status: 'active',
    producerId: input.producerId,
    concessionId: input.concessionId,
    custodianId,
    origin,
    extractedOn: input.extractedOn,
    grossWeightG: input.grossWeightG,
    fineness: input.fineness,
    fineWeightG: fine,
    form: input.form,
    exportedOn: null,
    customsDeclaration: null,
    destinationCountry: null,
    ...written,
    parentIds: [],
    qrUrl: qrUrl(ctx.baseUrl, qrToken),
    riskLevel: riskLevelOf(raised),
    flags: raised.map(summaryOf),
  };
}
