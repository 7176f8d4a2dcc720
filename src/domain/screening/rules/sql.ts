import { type SQL, sql } from 'drizzle-orm';
import { allowingZoneKinds } from '../../shared/vocabulary.js';
import { thresholds } from '../thresholds.js';

/** Fragments the rules and the engine share. */

/**
 * True for a lot made at extraction (no parents): rules about origin, producer and concession
 * screen those only; lots made from them inherit the flags (screening/taint.ts) rather than being screened
 * again, which would raise the same finding twice.
 */
export const isRootLot = (lot: string): SQL =>
  sql.raw(`NOT EXISTS (SELECT 1 FROM lot_edges pe WHERE pe.child_id = ${lot}.id)`);

/** `CASE <column> WHEN k THEN v … END` from a map, e.g. zone kind → severity. */
export function caseOf(column: string, map: Record<string, string>, otherwise = 'medium'): SQL {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const arms = Object.entries(map)
    .map(([k, v]) => `WHEN ${quote(k)} THEN ${quote(v)}`)
    .join(' ');
  return sql.raw(`(CASE ${column} ${arms} ELSE ${quote(otherwise)} END)`);
}

/**
 * A zone's severity: by its legal basis where thresholds.zones.legalBasisSeverity names a
 * pattern for its kind that `basis` matches (a buffer zone under D.U. 012-2010 is an outright
 * exclusion), else by its kind (thresholds.zones.severity). `adjust` maps each severity, e.g. one
 * level down for a concession only partly inside the zone.
 */
export function zoneSeverity(kind: string, basis: string, adjust: (s: string) => string = (s) => s): SQL {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const byBasis = thresholds.zones.legalBasisSeverity
    .map(
      (r) =>
        `WHEN ${kind} = ${quote(r.kind)} AND ${basis} ~* ${quote(r.pattern)} THEN ${quote(adjust(r.severity))}`,
    )
    .join(' ');
  const byKind = Object.fromEntries(
    Object.entries(thresholds.zones.severity).map(([k, v]) => [k, adjust(v)]),
  );
  return sql`(CASE ${sql.raw(byBasis)} ELSE ${caseOf(kind, byKind, adjust('medium'))} END)`;
}

/** A date in force on `day`: valid_from <= day < valid_to (valid_to null: open-ended). */
export const inForce = (alias: string, day: SQL | string): SQL =>
  sql`(${sql.raw(alias)}.valid_from <= ${typeof day === 'string' ? sql.raw(day) : day} AND (${sql.raw(alias)}.valid_to IS NULL OR ${sql.raw(alias)}.valid_to > ${typeof day === 'string' ? sql.raw(day) : day}))`;

/**
 * True for a zone that forbids mining (protected area, buffer zone, exclusion…), false for one
 * that permits it: a mining corridor, or a micro-zoning unit whose permitted uses include mining.
 * A micro-zoning unit that does not permit mining forbids it there (thresholds.zones.severity).
 */
export const forbidding = (alias: string): SQL =>
  sql.raw(
    `(${alias}.kind NOT IN (${allowingZoneKinds.map((k) => `'${k}'`).join(', ')}) OR (${alias}.kind = 'micro_zoning' AND NOT ('mining' = ANY(${alias}.permitted_uses))))`,
  );

/**
 * The zones that forbid (see forbidding), in force on `day`, that cover `point`, as a subquery for `CROSS JOIN LATERAL (…) z`:
 * one GiST probe per subject. Written as a LATERAL subquery kept apart from the outer query
 * (OFFSET 0) because as a plain join PostgreSQL estimates its selectivity from both tables'
 * spatial statistics, which cost 25–75 ms of planning per statement with 10,000 zones on PGlite
 * (bench/screening.ts); the probe itself takes well under a millisecond.
 */
export const zonesCovering = (point: SQL, day: SQL): SQL =>
  sql`SELECT z.* FROM zones z
       WHERE ST_Covers(z.geom, ${point}) AND ${forbidding('z')}
         AND z.valid_from <= ${day} AND (z.valid_to IS NULL OR z.valid_to > ${day})
      OFFSET 0`;
