/**
 * The actor directory: the few public facts that let a person pick a counterpart by name or
 * RUC, or read a name where the API answered an id. Name and RUC are public in Peru (SUNAT's
 * RUC lookup, the REINFO and RECPO lists); nothing else of an actor — no registration history,
 * quotas, balances or lots — is answered here, so exporters and checkpoint staff may read it.
 */

import { and, asc, inArray, or, type SQL, sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.js';
import { actors, registrations } from '../../db/schema/index.js';
import { readableLots } from '../lots/access.js';
import { today } from '../shared/dates.js';
import { afterId, type Page, pageFrom } from '../shared/page.js';
import type { Principal } from '../shared/principal.js';
import type { ActorKind, Registry } from '../shared/vocabulary.js';

/** One directory entry: what anyone who may pick a counterpart may know about it. */
export interface DirectoryEntry {
  id: string;
  name: string;
  taxId: string;
  kinds: ActorKind[];
  /** The registries the actor is registered for today, in good standing (see `standingStatuses`). */
  registeredFor: Registry[];
}

/**
 * A registration "in force" for the directory: valid today (valid_from ≤ today < valid_to, or
 * open) and in a status that lets the actor trade under it. A suspended or revoked registration,
 * or a formalization with status `none`, is a registration on file, not one in force.
 * `in_process` counts: miners in the REINFO process may sell their gold while it lasts.
 */
export const standingStatuses: Record<Registry, readonly string[]> = {
  formalization: ['formalized', 'in_process'],
  trader: ['registered'],
  controlled_inputs: ['authorized'],
};

const standing = sql.join(
  Object.entries(standingStatuses).map(
    ([registry, statuses]) =>
      sql`(${registrations.registry} = ${registry} AND ${registrations.status} IN (${sql.join(
        statuses.map((s) => sql`${s}`),
        sql`, `,
      )}))`,
  ),
  sql` OR `,
);

// Accented letters folded to their base letter inside SQL (no unaccent extension is assumed:
// PGlite does not ship it), before lower(), which folds ASCII the same under every collation.
const accented = 'ÁÀÄÂÃÉÈËÊÍÌÏÎÓÒÖÔÕÚÙÜÛÑÇáàäâãéèëêíìïîóòöôõúùüûñç';
const plain = 'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc';

/** Text as the directory compares it: without accents, in lower case ("Peña" → "pena"). */
const foldText = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** Who searched for what: a RUC prefix or a name fragment (both are tried). */
export interface DirectorySearch {
  q: string;
  cursor?: string | undefined;
  limit: number;
}

/** The registries each of `ids` is registered for today, in good standing. */
async function registeredToday(db: Queryable, ids: string[], on: string): Promise<Map<string, Registry[]>> {
  const out = new Map<string, Registry[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectDistinct({ actorId: registrations.actorId, registry: registrations.registry })
    .from(registrations)
    .where(and(inArray(registrations.actorId, ids), inForce(on)))
    .orderBy(asc(registrations.actorId), asc(registrations.registry));
  for (const r of rows) out.set(r.actorId, [...(out.get(r.actorId) ?? []), r.registry]);
  return out;
}

function inForce(on: string): SQL {
  return sql`${registrations.validFrom} <= ${on} AND (${registrations.validTo} IS NULL OR ${registrations.validTo} > ${on}) AND (${standing})`;
}

const columns = { id: actors.id, name: actors.name, taxId: actors.taxId, kinds: actors.kinds };

/**
 * Registered counterparts whose RUC starts with `q`, or whose name contains `q` regardless of
 * case and accents; ordered by name, a page at a time (the cursor is the last entry's id).
 */
export async function searchDirectory(db: Queryable, req: DirectorySearch): Promise<Page<DirectoryEntry>> {
  const on = today();
  const after = afterId(req.cursor);
  const needle = foldText(req.q);
  const folded = sql`lower(translate(${actors.name}, ${accented}, ${plain}))`;
  const where: (SQL | undefined)[] = [
    or(
      sql`${actors.taxId} LIKE ${`${likeEscape(req.q.replace(/\s+/g, ''))}%`}`,
      sql`${folded} LIKE ${`%${likeEscape(needle)}%`}`,
    ),
    sql`EXISTS (SELECT 1 FROM ${registrations} WHERE ${registrations.actorId} = ${actors.id} AND ${inForce(on)})`,
  ];
  if (after) {
    // Keyset on (name, id): the page after the entry the cursor names.
    where.push(
      sql`(${actors.name}, ${actors.id}) > (SELECT a.name, a.id FROM ${actors} a WHERE a.id = ${after})`,
    );
  }
  const rows = await db
    .select(columns)
    .from(actors)
    .where(and(...where))
    .orderBy(asc(actors.name), asc(actors.id))
    .limit(req.limit + 1);
  const page = pageFrom(rows, req.limit);
  const registered = await registeredToday(
    db,
    page.items.map((a) => a.id),
    on,
  );
  return {
    items: page.items.map((a) => ({ ...a, registeredFor: registered.get(a.id) ?? [] })),
    nextCursor: page.nextCursor,
  };
}

/**
 * The directory entries of actors named by id, registered or not (a lot's producer may have lost
 * its registration since): what an app shows beside ids it already holds. Unknown ids are left
 * out; the order is the ids' order.
 */
export async function directoryEntries(db: Queryable, ids: string[]): Promise<DirectoryEntry[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await db.select(columns).from(actors).where(inArray(actors.id, unique));
  const registered = await registeredToday(db, unique, today());
  const byId = new Map(rows.map((r) => [r.id, r]));
  return unique.flatMap((id) => {
    const a = byId.get(id);
    return a ? [{ ...a, registeredFor: registered.get(id) ?? [] }] : [];
  });
}

/**
 * Of the actors named by `ids`, those a reader has a reason to know by name — the directory's
 * answer to `?ids=`, so that an id picked up anywhere cannot be turned into a name and a RUC:
 * - regulators and admins: every actor;
 * - everyone: the registered counterparts the search would find (a registration in force, in
 *   good standing), and the holders and authorised operators of concessions (the mining
 *   cadastre is public, and concessions are read by every role that picks a producer);
 * - an exporter: itself; the producers and custodians of the lots it may read, as it sees them
 *   (a lot handed on shows the one it went to, not later holders), and of the gold upstream of
 *   them (their provenance, read whole); both parties of every transfer it made or received, and
 *   of every transfer of a lot it may read whole; the other party of its input movements;
 * - checkpoint staff: the producers and custodians of lots and the parties of movements (the
 *   lots and movements they check at the roadside, which they may look up by code).
 * Unknown and withheld ids alike are left out, so an answer tells nothing of an id's existence.
 */
export async function visibleDirectoryEntries(
  db: Queryable,
  by: Principal,
  ids: string[],
): Promise<DirectoryEntry[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  if (by.role === 'regulator' || by.role === 'admin') return directoryEntries(db, unique);
  const wanted = sql.join(
    unique.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const me = by.role === 'exporter' ? (by.actorId ?? null) : null;
  const own =
    by.role === 'exporter' && me
      ? sql`
      UNION ALL SELECT ${me}::uuid
      UNION ALL SELECT unnest(ARRAY[producer_id, custodian_id]) FROM seen
      UNION ALL SELECT unnest(ARRAY[l.producer_id, l.custodian_id]) FROM lots l JOIN up ON up.lot_id = l.id
      UNION ALL SELECT unnest(ARRAY[t.from_actor_id, t.to_actor_id]) FROM lot_transfers t
        WHERE t.from_actor_id = ${me} OR t.to_actor_id = ${me}
          OR t.lot_id IN (SELECT id FROM seen WHERE until_seq IS NULL UNION SELECT lot_id FROM up)
      UNION ALL SELECT consignee_id FROM movements WHERE consignor_id = ${me}
      UNION ALL SELECT consignor_id FROM movements WHERE consignee_id = ${me}`
      : by.role === 'checkpoint'
        ? sql`
      UNION ALL SELECT unnest(ARRAY[producer_id, custodian_id]) FROM lots WHERE producer_id IN (${wanted}) OR custodian_id IN (${wanted})
      UNION ALL SELECT unnest(ARRAY[consignor_id, consignee_id]) FROM movements WHERE consignor_id IN (${wanted}) OR consignee_id IN (${wanted})`
        : sql``;
  // The exporter's lots as it sees them, and the gold upstream of them (their provenance).
  const lotsOfExporter = me
    ? sql`seen AS MATERIALIZED (SELECT id, producer_id, custodian_id, until_seq FROM ${readableLots(me)}),
      up (lot_id) AS (
        SELECT e.parent_id FROM seen JOIN lot_edges e ON e.child_id = seen.id
        UNION
        SELECT e.parent_id FROM up JOIN lot_edges e ON e.child_id = up.lot_id
      ),`
    : sql``;
  const on = today();
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      WITH RECURSIVE ${lotsOfExporter}
      visible (actor_id) AS (
        SELECT ${registrations.actorId} FROM ${registrations}
          WHERE ${registrations.actorId} IN (${wanted}) AND ${inForce(on)}
        UNION ALL SELECT holder_id FROM concessions WHERE holder_id IN (${wanted})
        UNION ALL SELECT actor_id FROM concession_operators WHERE actor_id IN (${wanted})
        ${own}
      )
      SELECT DISTINCT actor_id::text AS id FROM visible WHERE actor_id IN (${wanted})`),
  );
  const allowed = new Set(rows.map((r) => r.id));
  return directoryEntries(
    db,
    unique.filter((id) => allowed.has(id)),
  );
}
