import { type SQL, sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.js';
import { appendEvent } from '../ledger/events.js';
import type { Principal } from '../shared/principal.js';
import type { RuleCode } from '../shared/vocabulary.js';
import { raiseInBulk, rulesDependingOn } from './engine.js';
import type { Dependency } from './rules/types.js';
import { passDown } from './taint.js';
import { thresholds } from './thresholds.js';

/**
 * Re-screening: when reference data changes, the lots and movements it can
 * affect are screened again by the rules that depend on it, in bulk — one INSERT … SELECT for
 * all of them, the affected set a query the planner joins, never a loop of requests. Flags are
 * deduplicated by (subject, rule, fingerprint), so a re-run raises only what is new; nothing is
 * deleted. It runs in the transaction of the change, which commits with its flags or not at all.
 */

export interface Rescreening {
  dependency: Dependency;
  lotsScreened: number;
  movementsScreened: number;
  flagsRaised: number;
  flagsInherited: number;
  thresholdsVersion: string;
}

interface Change {
  dependency: Dependency;
  /** What changed, for the event: a zone, an actor, a concession. */
  subjectType: 'zone' | 'actor' | 'concession' | 'detection_layer';
  subjectId: string;
  /** The lots to screen again: a query of one column `id`. */
  lots: SQL;
  /** The movements to screen again: a query of one column `id`. */
  movements: SQL;
  /** Only these rules (of those depending on the change); default: all of them. */
  only?: RuleCode[];
}

async function rescreen(tx: Queryable, by: Principal, change: Change): Promise<Rescreening> {
  const depending = rulesDependingOn(change.dependency);
  const rules = change.only
    ? {
        lot: depending.lot.filter((r) => change.only?.includes(r.code)),
        movement: depending.movement.filter((r) => change.only?.includes(r.code)),
      }
    : depending;
  const [counts] = rowsOf<{ lots: number; movements: number }>(
    await tx.execute(sql`SELECT
      ${rules.lot.length ? sql`(SELECT count(*) FROM (${change.lots}) s)::int` : sql`0`} AS lots,
      ${rules.movement.length ? sql`(SELECT count(*) FROM (${change.movements}) s)::int` : sql`0`} AS movements`),
  );
  const { raised, toPassDown } = await raiseInBulk(tx, by, [
    ...rules.lot.map((rule) => ({ rule, query: rule.screen(change.lots) })),
    ...rules.movement.map((rule) => ({ rule, query: rule.screen(change.movements) })),
  ]);
  const inherited = await passDown(tx, by, toPassDown);
  const result: Rescreening = {
    dependency: change.dependency,
    lotsScreened: counts?.lots ?? 0,
    movementsScreened: counts?.movements ?? 0,
    flagsRaised: raised,
    flagsInherited: inherited,
    thresholdsVersion: thresholds.version,
  };
  // Nothing to screen again (a zone over no lot yet, an actor without lots): nothing to record.
  if (result.lotsScreened + result.movementsScreened === 0) return result;
  await appendEvent(tx, by, {
    type: 'screening.rescreened',
    subjectType: change.subjectType,
    subjectId: change.subjectId,
    payload: { ...result },
  });
  return result;
}

/**
 * A zone added, or its validity changed: the lots whose origin it covers and the movements whose
 * destination (a point, or a concession's area) it touches — found through the GiST indexes. A
 * mining corridor judges the lots of its whole region (those outside it most of all): the lots
 * whose origin lies in an administrative area of its department.
 */
export const rescreenZone = (tx: Queryable, by: Principal, zoneId: string) =>
  rescreen(tx, by, {
    dependency: 'zones',
    subjectType: 'zone',
    subjectId: zoneId,
    lots: sql`SELECT l.id FROM lots l JOIN zones z ON ST_Covers(z.geom, l.origin) WHERE z.id = ${zoneId}
              UNION
              SELECT l.id FROM zones z
                JOIN admin_areas a ON upper(a.department) = upper(z.region)
                JOIN lots l ON ST_Covers(a.geom, l.origin)
               WHERE z.id = ${zoneId} AND z.kind = 'mining_corridor'`,
    // The concessions the zone touches are found first (GiST), then the movements bound for them
    // (by index): joined the other way round, every movement's concession was tested.
    movements: sql`SELECT m.id FROM movements m JOIN zones z ON ST_Covers(z.geom, m.destination_point) WHERE z.id = ${zoneId}
                   UNION
                   SELECT m.id FROM movements m
                    WHERE m.destination_concession_id IN (
                      SELECT c.id FROM concessions c JOIN zones z ON ST_Intersects(z.geom, c.geom) WHERE z.id = ${zoneId})`,
  });

/**
 * An actor's registration recorded (revoked, suspended, granted…): the lots it produced or holds
 * and the movements it sends or receives.
 */
export const rescreenActor = (tx: Queryable, by: Principal, actorId: string) =>
  rescreen(tx, by, {
    dependency: 'registrations',
    subjectType: 'actor',
    subjectId: actorId,
    lots: sql`SELECT id FROM lots WHERE producer_id = ${actorId} UNION SELECT id FROM lots WHERE custodian_id = ${actorId}`,
    movements: sql`SELECT id FROM movements WHERE consignee_id = ${actorId} UNION SELECT id FROM movements WHERE consignor_id = ${actorId}`,
  });

/**
 * A miner's category or method recorded: the lots it produced, and those declared on the
 * concessions it holds (whose capacity its category caps), by the rules that read categories.
 */
export const rescreenActorCategory = (tx: Queryable, by: Principal, actorId: string) =>
  rescreen(tx, by, {
    dependency: 'categories',
    subjectType: 'actor',
    subjectId: actorId,
    lots: sql`SELECT id FROM lots WHERE producer_id = ${actorId}
              UNION
              SELECT l.id FROM concessions c JOIN lots l ON l.concession_id = c.id WHERE c.holder_id = ${actorId}`,
    movements: sql`SELECT NULL::uuid AS id WHERE false`,
  });

/**
 * A concession's status, kind or geometry changed (or it was registered, or retired): the lots
 * declared on it and the movements bound for it, by every rule that reads concessions. A right
 * other than mining also changes what the mining concessions it overlaps are granted over: their
 * lots are screened again by the overlap rule alone (not by all the others, whose answers for
 * those lots did not change — a new timber concession over a busy mining one must not re-run
 * capacity over every lot of it).
 */
export async function rescreenConcession(
  tx: Queryable,
  by: Principal,
  concessionId: string,
): Promise<Rescreening> {
  const own = await rescreen(tx, by, {
    dependency: 'concessions',
    subjectType: 'concession',
    subjectId: concessionId,
    lots: sql`SELECT l.id FROM lots l WHERE l.concession_id = ${concessionId}`,
    movements: sql`SELECT id FROM movements WHERE destination_concession_id = ${concessionId}`,
  });
  const overlapped = await rescreen(tx, by, {
    dependency: 'concessions',
    subjectType: 'concession',
    subjectId: concessionId,
    only: ['CONCESSION_OVERLAPS_OTHER_RIGHTS'],
    lots: sql`SELECT l.id FROM concessions c
                JOIN concessions o ON ST_Intersects(o.geom, c.geom) AND o.id <> c.id AND o.kind = 'mining'
                JOIN lots l ON l.concession_id = o.id
               WHERE c.id = ${concessionId} AND c.kind <> 'mining'`,
    movements: sql`SELECT NULL::uuid AS id WHERE false`,
  });
  return {
    ...own,
    lotsScreened: own.lotsScreened + overlapped.lotsScreened,
    flagsRaised: own.flagsRaised + overlapped.flagsRaised,
    flagsInherited: own.flagsInherited + overlapped.flagsInherited,
  };
}

/**
 * A remote-sensing layer imported: the lots whose origin or whose declared concession its
 * coverage holds (what the layer can judge), found through the GiST indexes.
 */
export const rescreenDetectionLayer = (tx: Queryable, by: Principal, layerId: string) =>
  rescreen(tx, by, {
    dependency: 'detections',
    subjectType: 'detection_layer',
    subjectId: layerId,
    lots: sql`SELECT l.id FROM detection_layers dl JOIN lots l ON ST_Covers(dl.coverage, l.origin) WHERE dl.id = ${layerId}
              UNION
              SELECT l.id FROM detection_layers dl JOIN concessions c ON ST_Covers(dl.coverage, c.geom)
                JOIN lots l ON l.concession_id = c.id WHERE dl.id = ${layerId}`,
    movements: sql`SELECT NULL::uuid AS id WHERE false`,
  });
