import { type SQL, sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.js';
import { uuidArray } from '../../db/sql.js';
import { knowerOf, knownLots } from '../lots/access.js';
import type { Principal } from '../shared/principal.js';

/*
 * What a party sees of a flag's evidence. A rule that judges a pattern (STRUCTURING) lists the
 * other lots of the pattern — id, code, fine weight, time, and for hand-overs the recipient —
 * whoever holds them. Shown as written to an exporter, the evidence of a flag on a lot it may read
 * (or of a dry run it may run, naming any producer) would tell it of competitors' lots and to whom
 * a trader sold, which access.ts keeps from it everywhere else. So for a reader bounded by what it
 * knows (knowerOf), an evidence list that names lots keeps only the entries of lots it knows
 * (knownLots), and says how many it withheld (`lotsWithheld`); counts and totals stay, being the
 * point of the flag. Checkpoint staff, who read lots only by the code in front of them, see none
 * of a list. Regulators and admins see the evidence as written. The other rules name only their
 * subject's own records (its scans, hand-over, concession, checkpoint), aggregates, and
 * concession holders and operators, which are public cadastre: those stay. A rule that comes to
 * list other lots lists them under `lots`, by `id`, and is cut here with no more work.
 */

/** The evidence key whose entries name lots, each by its `id`. */
const listedKey = 'lots';
/** How many entries of the list the reader was not shown (absent when none). */
export const withheldKey = 'lotsWithheld';

type Evidence = Record<string, unknown>;

/** Whether `by` sees evidence as written: regulators and admins. */
export const readsAll = (by: Principal): boolean => by.role === 'regulator' || by.role === 'admin';

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const listedOf = (e: Evidence): unknown[] | undefined => {
  const v = e[listedKey];
  return Array.isArray(v) ? v : undefined;
};
const entryId = (x: unknown): string | undefined => {
  const id = x !== null && typeof x === 'object' ? (x as { id?: unknown }).id : undefined;
  return typeof id === 'string' && uuidRe.test(id) ? id : undefined;
};

/**
 * An object with its keys in jsonb's order (shorter first, then bytewise): the order PostgreSQL
 * writes the same evidence in (seenEvidenceSql), so the two paths of the provenance document
 * agree to the byte.
 */
const inJsonbOrder = (o: Evidence): Evidence =>
  Object.fromEntries(
    Object.entries(o).sort(([a], [b]) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)),
  );

/** Evidence as a reader who knows the lots `known` sees it; the same object when nothing is withheld. */
function seenEvidence(e: Evidence, known: ReadonlySet<string>): Evidence {
  const listed = listedOf(e);
  if (!listed) return e;
  const kept = listed.filter((x) => {
    const id = entryId(x);
    return id !== undefined && known.has(id);
  });
  const withheld = listed.length - kept.length;
  if (withheld === 0) return e;
  return inJsonbOrder({ ...e, [listedKey]: kept, [withheldKey]: withheld });
}

/** Which of the lots `ids` the actor knows (knownLots), in one query; none for no actor. */
async function knownAmong(
  db: Queryable,
  actorId: string | undefined,
  ids: Set<string>,
): Promise<Set<string>> {
  const known = new Set<string>();
  if (ids.size === 0 || actorId === undefined) return known;
  const rows = rowsOf<{ lot_id: string }>(
    await db.execute(
      sql`SELECT lot_id::text FROM ${knownLots(actorId, sql`SELECT unnest(${uuidArray([...ids])})`)} k`,
    ),
  );
  for (const r of rows) known.add(r.lot_id);
  return known;
}

/** The actor whose knowledge bounds what `by` sees of evidence; checkpoint staff know no lot of a list. */
const boundOf = (by: Principal): string | undefined => (by.role === 'checkpoint' ? undefined : knowerOf(by));

/** The lot ids the lists of `flags` name. */
function listedIds(flags: { evidence: Evidence }[]): Set<string> {
  const ids = new Set<string>();
  for (const f of flags) {
    for (const x of listedOf(f.evidence) ?? []) {
      const id = entryId(x);
      if (id) ids.add(id);
    }
  }
  return ids;
}

const cut = <F extends { evidence: Evidence }>(flags: F[], known: ReadonlySet<string>): F[] =>
  flags.map((f) => {
    const evidence = seenEvidence(f.evidence, known);
    return evidence === f.evidence ? f : { ...f, evidence };
  });

/**
 * Flags as `by` may see their evidence: unchanged for regulators and admins; for an exporter,
 * lists of lots cut to the lots it knows, in one query for every flag given; for checkpoint
 * staff, cut to none.
 */
export async function evidenceSeenBy<F extends { evidence: Evidence }>(
  db: Queryable,
  by: Principal,
  flags: F[],
): Promise<F[]> {
  if (readsAll(by) || !flags.some((f) => listedOf(f.evidence))) return flags;
  return cut(flags, await knownAmong(db, boundOf(by), listedIds(flags)));
}

/**
 * Flags a write raised, as `by` is told of them (a dry run, the check of a previewed write): a
 * write may flag lots of others too (a registration can push a concession's later lots over its
 * capacity), and those — their ids, weights, dates — are not the writer's to see: only the flags
 * on lots it knows (after the write, in its transaction: the lots it creates are its own) and on
 * other subjects stay, their evidence cut as evidenceSeenBy cuts it. One query for all.
 */
export async function raisedSeenBy<F extends { evidence: Evidence; subjectType: string; subjectId: string }>(
  db: Queryable,
  by: Principal,
  flags: F[],
): Promise<F[]> {
  if (readsAll(by)) return flags;
  const ids = listedIds(flags);
  for (const f of flags) if (f.subjectType === 'lot') ids.add(f.subjectId);
  const known = await knownAmong(db, boundOf(by), ids);
  return cut(
    flags.filter((f) => f.subjectType !== 'lot' || known.has(f.subjectId)),
    known,
  );
}

const listedLit = sql.raw(`'${listedKey}'`);
const withheldLit = sql.raw(`'${withheldKey}'`);

/** The ids of the lots an evidence (jsonb, SQL) lists, as a relation of uuids. */
export const listedLotIdsSql = (evidence: SQL): SQL => sql`
  SELECT (x.v ->> 'id')::uuid FROM jsonb_array_elements(
    CASE WHEN jsonb_typeof(${evidence} -> ${listedLit}) = 'array' THEN ${evidence} -> ${listedLit}
         ELSE '[]'::jsonb END) AS x(v)
   WHERE x.v ->> 'id' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`;

/**
 * seenEvidence in SQL, for documents PostgreSQL writes (provenance-json.ts): `evidence` a jsonb
 * expression, `known` a relation (`lot_id` uuid) of the lots the reader knows among those listed.
 */
export const seenEvidenceSql = (evidence: SQL, known: SQL): SQL => sql`(
  CASE WHEN jsonb_typeof(${evidence} -> ${listedLit}) = 'array' THEN (
    SELECT CASE WHEN count(*) FILTER (WHERE NOT x.kept) = 0 THEN ${evidence}
      ELSE ${evidence} || jsonb_build_object(
        ${listedLit}, coalesce(jsonb_agg(x.v ORDER BY x.o) FILTER (WHERE x.kept), '[]'::jsonb),
        ${withheldLit}, count(*) FILTER (WHERE NOT x.kept)) END
      FROM (SELECT a.v, a.o, EXISTS (SELECT FROM ${known} k WHERE k.lot_id::text = a.v ->> 'id') AS kept
              FROM jsonb_array_elements(${evidence} -> ${listedLit}) WITH ORDINALITY AS a(v, o)) x)
  ELSE ${evidence} END)`;
