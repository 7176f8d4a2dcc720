/**
 * The actor directory: the few public facts that let a person pick a counterpart by name or
 * RUC, or read a name where the API answered an id. Name and RUC are public in Peru (SUNAT's
 * RUC lookup, the REINFO and RECPO lists); nothing else of an actor — no registration history,
 * quotas, balances or lots — is answered here, so exporters and checkpoint staff may read it.
 */

import { and, asc, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { actors, registrations } from '../../db/schema/index.js';
import { today } from '../shared/dates.js';
import { afterId, type Page, pageFrom } from '../shared/page.js';
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
