import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, type Queryable, rowsOf } from '../../db/client.js';
import { actors, concessions, flags, lotEdges, lots } from '../../db/schema/index.js';
import { uuidArray } from '../../db/sql.js';
import { appendEvent } from '../ledger/events.js';
import type { LedgerSigner } from '../ledger/signer.js';
import { asGeoJson, pointSql } from '../reference/geometry.js';
import type { DryRun } from '../screening/dry-run.js';
import { screen } from '../screening/engine.js';
import { evidenceSeenBy } from '../screening/evidence-seen.js';
import {
  type FlagSummary,
  flagsBySubject,
  riskLevelOf,
  summaryOf,
  unresolvedSql,
} from '../screening/flags.js';
import { canonicalCode, codeFragment } from '../shared/codes.js';
import { daySchema } from '../shared/dates.js';
import { finenessSchema, gramsSchema } from '../shared/decimal-schemas.js';
import { ApiError, notFound } from '../shared/errors.js';
import { type PointGeometry, pointSchema } from '../shared/geojson.js';
import { fineWeight } from '../shared/grams.js';
import { gs1IdsOf } from '../shared/gs1.js';
import { newId } from '../shared/ids.js';
import { afterId, type Page, type PageRequest, pageFrom } from '../shared/page.js';
import type { Principal } from '../shared/principal.js';
import { lotForms, lotStatuses } from '../shared/vocabulary.js';
import { knowerOf, readableLots, seenColumns } from './access.js';
import { lookedUpQrUrl, type QrLinks, qrUrl, signQr } from './qr.js';
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
 * A lot row as a reader sees it (access.ts): `untilAt`, when set, is when the reader's knowledge
 * of the lot ends (the lot left its hands); flags raised after that are not shown.
 */
type ReadRow = LotRow & { untilAt?: string | null };

/**
 * Turns rows into API lots, with parents and flags fetched in two queries for the whole set and
 * grouped by lot once, so that presenting n lots stays linear (filtering the edges and flags
 * again for every row made a page of lots quadratic).
 */
export async function presentLots(
  db: Queryable,
  rows: ReadRow[],
  links: QrLinks,
  by: Principal | undefined,
): Promise<Lot[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [edges, flagsOf, later] = await Promise.all([
    db
      .select({ parentId: lotEdges.parentId, childId: lotEdges.childId })
      .from(lotEdges)
      .where(inArray(lotEdges.childId, ids))
      .orderBy(asc(lotEdges.parentId)),
    flagsBySubject(db, 'lot', ids),
    laterFlags(db, rows),
  ]);
  // Grouping keeps the order of the query: parents by id.
  const parentsOf = new Map<string, string[]>();
  for (const { childId, parentId } of edges) {
    const ps = parentsOf.get(childId);
    if (ps) ps.push(parentId);
    else parentsOf.set(childId, [parentId]);
  }
  // What the reader may see of the evidence (evidence-seen.ts), for every flag in one query.
  const seen = new Map<string, FlagSummary[]>();
  if (by) {
    const shown = await evidenceSeenBy(db, by, [...flagsOf.values()].flat());
    for (const [id, fs] of flagsOf) seen.set(id, shown.splice(0, fs.length));
  }
  return rows.map(({ qrToken, untilAt: _until, ...row }) => {
    const own = (seen.get(row.id) ?? flagsOf.get(row.id) ?? []).filter((f) => !later.has(f.id));
    return {
      ...row,
      parentIds: parentsOf.get(row.id) ?? [],
      qrUrl: qrUrl(links, qrToken),
      gs1: gs1IdsOf('lot', links.companyPrefix, row.code),
      riskLevel: riskLevelOf(own),
      flags: own,
    };
  });
}

/** The flags raised on lots after the reader's knowledge of them ends (none for most reads). */
async function laterFlags(db: Queryable, rows: ReadRow[]): Promise<Set<string>> {
  const bounded = rows.filter((r): r is LotRow & { untilAt: string } => !!r.untilAt);
  if (bounded.length === 0) return new Set();
  // Timestamps as text, which PostgreSQL reads back to the microsecond (a Date keeps milliseconds).
  const until = `{${bounded.map((r) => `"${r.untilAt}"`).join(',')}}`;
  const found = rowsOf<{ id: string }>(
    await db.execute(sql`
      SELECT f.id FROM unnest(${uuidArray(bounded.map((r) => r.id))}, ${until}::timestamptz[]) AS c(id, until_at)
        JOIN ${flags} f ON f.subject_type = 'lot' AND f.subject_id = c.id AND f.created_at > c.until_at`),
  );
  return new Set(found.map((r) => r.id));
}

async function getLotRow(db: Queryable, id: string): Promise<LotRow> {
  const [row] = await selectLots(db, eq(lots.id, id));
  if (!row) throw notFound('lot', id);
  return row;
}

/**
 * The rows of the lots a reader may read (access.ts), as it may see them, with `untilAt`; for
 * any other lot there is no row, so the answer is 404 and even its existence stays private
 * (DESIGN "HTTP conventions"). `among` narrows the lots looked at, when the ids are known.
 */
async function readLotRows(
  db: Queryable,
  by: Principal,
  where: (cutoff: SQL) => SQL | undefined,
  opts: { among?: SQL; limit: number },
): Promise<ReadRow[]> {
  const actorId = knowerOf(by);
  if (actorId === undefined) {
    return selectLots(db, where(sql``)).orderBy(asc(lots.id)).limit(opts.limit);
  }
  return db
    .select({ ...seenColumns(lotColumns), untilAt: sql<string | null>`lots.until_at::text` })
    .from(sql`${readableLots(actorId, opts.among)}`)
    .where(where(sql`AND (lots.until_at IS NULL OR f.created_at <= lots.until_at)`))
    .orderBy(asc(lots.id))
    .limit(opts.limit);
}

export async function getLot(db: Queryable, by: Principal, id: string, links: QrLinks): Promise<Lot> {
  const [row] = await readLotRows(db, by, () => eq(lots.id, id), {
    among: sql`SELECT ${id}::uuid`,
    limit: 1,
  });
  if (!row) throw notFound('lot', id);
  return presentLot(db, row, links, by);
}

/**
 * A lot as the API returns it, without the read check: for answering an operation the caller
 * was just allowed to make (after a transfer the caller may no longer hold the lot).
 */
export async function presentLot(
  db: Queryable,
  row: ReadRow | string,
  links: QrLinks,
  by: Principal | undefined,
): Promise<Lot> {
  const r = typeof row === 'string' ? await getLotRow(db, row) : row;
  const [lot] = await presentLots(db, [r], links, by);
  if (!lot) throw notFound('lot', r.id);
  return lot;
}

export const lotListQuery = z.object({
  code: z
    .string()
    .max(64)
    .transform((typed, ctx) => {
      const code = canonicalCode(typed, 'AU');
      if (code === null) {
        ctx.addIssue({
          code: 'custom',
          message: 'not a lot code: AU, a four-digit year and a number (AU-2026-000123)',
        });
        return z.NEVER;
      }
      return code;
    })
    .optional()
    .describe(
      'The lot with this printed code, typed in any case, with or without dashes or leading zeros ("au2026123" is AU-2026-000123). The one way checkpoint staff may read lots; they get what a check needs (producer, concession, origin, extraction date, export papers and flag evidence withheld as null or empty).',
    ),
  q: z
    .string()
    .max(64)
    .transform((typed, ctx) => {
      const fragment = codeFragment(typed);
      if (fragment === null || fragment.length < 3) {
        ctx.addIssue({ code: 'custom', message: 'a code fragment of at least 3 letters or digits' });
        return z.NEVER;
      }
      return { fragment, code: canonicalCode(typed, 'AU') };
    })
    .optional()
    .describe('Lots whose code holds this fragment (dashes and case ignored; at least 3 letters or digits).'),
  status: z.enum(lotStatuses).optional(),
  custodianId: z.uuid().optional(),
  flagged: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

/**
 * A code that holds the fragment with its dashes taken out, or is the code the fragment spells
 * in full (its number's leading zeros left out: "au2026123"). The expression is the one the
 * trigram index of migration 0022 is built on, so a fragment is found without reading every code;
 * the fragment holds letters and digits only (codeFragment), so no LIKE wildcard can reach it.
 */
export const codeHolds = (q: { fragment: string; code: string | null }): SQL =>
  sql`(replace(${lots.code}, '-', '') LIKE ${`%${q.fragment}%`}${q.code ? sql` OR ${lots.code} = ${q.code}` : sql``})`;

export async function listLots(
  db: Queryable,
  by: Principal,
  q: PageRequest & z.infer<typeof lotListQuery>,
  links: QrLinks,
  signer?: LedgerSigner,
): Promise<Page<Lot>> {
  // Checkpoint staff check the lot in front of them by its printed code; they do not browse.
  if (by.role === 'checkpoint' && q.code === undefined)
    throw new ApiError('forbidden', 'checkpoint staff read a lot by its printed code (?code=)');
  if (by.role === 'checkpoint' && !signer)
    throw new ApiError('forbidden', 'checkpoint staff check one lot by its printed code, as JSON');
  const after = afterId(q.cursor);
  // `cutoff` hides from exporters the flags raised after a lot left their hands (access.ts).
  const openFlag = (cutoff: SQL) =>
    sql`EXISTS (SELECT 1 FROM ${flags} f WHERE f.subject_type = 'lot' AND f.subject_id = ${lots.id} AND ${sql.raw(unresolvedSql)} ${cutoff})`;
  const rows = await readLotRows(
    db,
    by,
    (cutoff) =>
      and(
        after ? gt(lots.id, after) : undefined,
        q.code === undefined ? undefined : eq(lots.code, q.code),
        q.q === undefined ? undefined : codeHolds(q.q),
        q.status ? eq(lots.status, q.status) : undefined,
        q.custodianId ? eq(lots.custodianId, q.custodianId) : undefined,
        q.flagged === undefined ? undefined : q.flagged ? openFlag(cutoff) : sql`NOT ${openFlag(cutoff)}`,
      ),
    { limit: q.limit + 1 },
  );
  const page = pageFrom(rows, q.limit);
  const items = await presentLots(db, page.items, links, by);
  if (by.role !== 'checkpoint' || !signer) return { items, nextCursor: page.nextCursor };
  const checked = await Promise.all(
    items.map(async (l) =>
      asCheckedByCode(l, await lookedUpQrUrl(signer, links, { kind: 'lot', id: l.id, code: l.code })),
    ),
  );
  return { items: checked, nextCursor: page.nextCursor };
}

/**
 * A lot as checkpoint staff read it by its typed code: what the check needs — its code and QR
 * (the signature verified on the device), status, form, weights, custodian (to compare with the
 * carrier's papers) and flags by rule and severity — and nothing of where and by whom the gold
 * was mined, nor of its export papers, nor the flags' evidence. Its QR URL is signed as looked
 * up (qr.ts lookedUpQrUrl): a check made with it is recorded as typed, never as scanned. A code is typed without holding
 * the label, and codes run in sequence: the lookup must not be a way to read every lot's origin.
 */
function asCheckedByCode(lot: Lot, lookedUpUrl: string): Lot {
  return {
    ...lot,
    qrUrl: lookedUpUrl,
    producerId: null,
    concessionId: null,
    origin: null,
    extractedOn: null,
    customsDeclaration: null,
    destinationCountry: null,
    flags: lot.flags.map((f) => ({ ...f, evidence: {} })),
  };
}

/**
 * The next `count` printable lot codes, AU-<year>-<000123>, from a database sequence in one
 * statement: unique under any concurrency (a rolled-back operation leaves a gap, which is
 * harmless), ascending in the order the caller will use them. A dry run draws none (dry-run.ts).
 */
export async function nextLotCodes(
  tx: Queryable,
  year: number,
  count: number,
  dryRun?: DryRun,
): Promise<string[]> {
  if (dryRun) return dryRun.codes('lot_code_seq', count, (n) => lotCode(year, n));
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
  ctx: { signer: LedgerSigner; links: QrLinks; dryRun?: DryRun },
): Promise<Lot> {
  const custodianId = by.actorId;
  if (!custodianId) throw new ApiError('forbidden', 'only an actor-bound token may register lots');
  const [refs] = rowsOf<{
    producer: boolean;
    concession: boolean;
    custodian_kinds: string[] | null;
    n: string | null;
  }>(
    await db.execute(sql`SELECT
      EXISTS (SELECT 1 FROM ${actors} WHERE id = ${input.producerId}) AS producer,
      EXISTS (SELECT 1 FROM ${concessions} WHERE id = ${input.concessionId}) AS concession,
      (SELECT kinds FROM ${actors} WHERE id = ${custodianId}) AS custodian_kinds,
      ${ctx.dryRun ? sql`NULL` : sql`nextval('lot_code_seq')`}::text AS n`),
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
  const year = new Date().getUTCFullYear();
  const [code] = refs.n === null ? await nextLotCodes(db, year, 1, ctx.dryRun) : [lotCode(year, refs.n)];
  if (!code) throw new Error('no lot code was drawn');
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
  // Built from what was written: a new lot has no parents and no export yet; its flags were just
  // raised (the screening may also raise flags on older lots of its concession: those are theirs).
  const own = raised.filter((f) => f.subjectId === id);
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
    qrUrl: qrUrl(ctx.links, qrToken),
    gs1: gs1IdsOf('lot', ctx.links.companyPrefix, code),
    riskLevel: riskLevelOf(own),
    flags: await evidenceSeenBy(db, by, own.map(summaryOf)),
  };
}
