import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.js';
import { actors, concessions, zones } from '../../db/schema/index.js';
import { ApiError } from '../shared/errors.js';
import { type AreaGeometry, areaSchema } from '../shared/geojson.js';
import { type Principal, systemPrincipal } from '../shared/principal.js';
import { createConcession, newConcessionSchema } from './concessions.js';
import { repairArea } from './geometry.js';
import type { Overlap } from './overlaps.js';
import { createZone, newZoneSchema } from './zones.js';

/**
 * Bulk import of reference layers (SERNANP protected areas, INGEMMET cadastre…) from GeoJSON
 * FeatureCollections (DESIGN "Reference data"). Each feature goes through the same domain
 * function, validation and ledger event as a POST to the API. A feature that cannot be recorded
 * is skipped with its reason instead of failing the run, so one bad polygon among thousands does
 * not hold back the rest, and a re-run records only what is missing.
 */

/** Where an attribute comes from: one value for every feature, or properties of each feature. */
export type ValueSource = { value: string } | { fields: string[] };

export interface ZoneMapping {
  name: ValueSource;
  kind: ValueSource;
  legalBasis: ValueSource;
  validFrom: ValueSource;
  validTo?: ValueSource | undefined;
  /** Property holding a feature's stable id; by default its GeoJSON `id`, else its name. */
  idField?: string | undefined;
}

export interface ConcessionMapping {
  /** The cadastre code: unique, so it is also what makes a re-import skip the concession. */
  code: ValueSource;
  name: ValueSource;
  kind: ValueSource;
  status: ValueSource;
  grantedOn?: ValueSource | undefined;
  /** Tax id (RUC) of the holder, an actor that must be registered already. */
  holderTaxId?: ValueSource | undefined;
}

export const skipReasons = {
  already_imported: 'already imported',
  duplicate_in_file: 'same id as an earlier feature of the file',
  not_a_feature: 'not a GeoJSON Feature',
  invalid_geometry: 'invalid geometry',
  missing_field: 'missing field',
  invalid_value: 'invalid value',
  unknown_holder: 'unknown holder',
  overlaps: 'overlaps rights in force',
  rejected: 'rejected',
} as const;
export type SkipReason = keyof typeof skipReasons;

/** A feature is named by its index in `features` and, where it has one, its name or id. */
interface FeatureRef {
  index: number;
  label: string | undefined;
}
interface Imported extends FeatureRef {
  id: string;
  /** PostGIS's reason when the geometry was invalid and repaired with ST_MakeValid. */
  repairedFrom?: string | undefined;
}
export interface Skipped extends FeatureRef {
  reason: SkipReason;
  detail: string;
}

/**
 * One overlap an import met: a feature over a right in force — recorded before, or imported by
 * this very run (`inFile`) — beyond the sliver tolerance; skipped, or imported with an open case.
 */
interface OverlapPair extends FeatureRef {
  code: string;
  other: Pick<Overlap, 'concessionId' | 'code' | 'name' | 'kind' | 'holderName'>;
  inFile: boolean;
  overlapHa: string;
  shareOfFiled: string;
  shareOfOther: string;
  outcome: 'skipped' | 'case_opened';
}

export interface ImportSummary {
  total: number;
  imported: Imported[];
  skipped: Skipped[];
  /** Concessions only: every overlap met, feature by feature. */
  overlaps: OverlapPair[];
}

/**
 * What a concession import does with a feature that overlaps rights in force: skip it (the
 * default; it is listed with its overlaps), or import it under an exception with this legal
 * basis, each overlap filed as an open case (found at `import`) for an authority to decide.
 */
export type ImportOverlaps = { mode: 'skip' } | { mode: 'except'; legalBasis: string };

export interface ImportProgress {
  done: number;
  total: number;
  imported: number;
  skipped: number;
}

export interface ImportOptions<M> {
  /** The file's name: with a feature's id it makes the zone's stable `sourceRef`. */
  source: string;
  mapping: M;
  /** Repair invalid geometry with ST_MakeValid instead of skipping the feature. */
  makeValid?: boolean;
  /** Whom the ledger names as the author of each record. */
  by?: Principal;
  /** Concessions: what to do with a feature that overlaps rights in force (default skip). */
  overlaps?: ImportOverlaps;
  onProgress?: (p: ImportProgress) => void;
}

const featureCollectionSchema = z.object({
  type: z.literal('FeatureCollection', { error: 'must be "FeatureCollection"' }),
  features: z.array(z.unknown(), { error: 'must be an array' }),
  crs: z
    .object({ properties: z.object({ name: z.string() }).partial() })
    .partial()
    .optional(),
});

/**
 * The features of a GeoJSON FeatureCollection, checked only at the top level (features are
 * checked one by one during the import). RFC 7946 positions are WGS84 lon/lat; an older file
 * declaring another `crs` (e.g. UTM 19S, EPSG:32719) is refused as a whole rather than feature
 * by feature with out-of-range longitudes.
 */
export function readFeatureCollection(doc: unknown): unknown[] {
  const parsed = featureCollectionSchema.safeParse(doc);
  if (!parsed.success) {
    throw new ApiError('validation', `not a GeoJSON FeatureCollection: ${describeIssues(parsed.error)}`);
  }
  const crs = parsed.data.crs?.properties?.name;
  if (crs && !/(CRS84|EPSG:+4326)$/i.test(crs)) {
    throw new ApiError(
      'validation',
      `the file declares crs ${crs}; GeoJSON (RFC 7946) positions are WGS84 longitude/latitude: ` +
        'reproject it first (e.g. ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson)',
    );
  }
  return parsed.data.features;
}

export async function importZones(
  db: Db,
  features: unknown[],
  opts: ImportOptions<ZoneMapping>,
): Promise<ImportSummary> {
  return runImport(features, opts, zoneImporter(contextOf(db, opts), opts.mapping));
}

export async function importConcessions(
  db: Db,
  features: unknown[],
  opts: ImportOptions<ConcessionMapping>,
): Promise<ImportSummary> {
  const overlaps: OverlapPair[] = [];
  const importer = concessionImporter(
    contextOf(db, opts),
    opts.mapping,
    opts.overlaps ?? { mode: 'skip' },
    overlaps,
  );
  return { ...(await runImport(features, opts, importer)), overlaps };
}

/** Skipped features grouped by reason, in the order the reasons are listed in `skipReasons`. */
export function skippedByReason(summary: ImportSummary): Map<SkipReason, Skipped[]> {
  const groups = new Map<SkipReason, Skipped[]>();
  for (const reason of Object.keys(skipReasons) as SkipReason[]) {
    const items = summary.skipped.filter((s) => s.reason === reason);
    if (items.length > 0) groups.set(reason, items);
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------

interface SourceFeature {
  index: number;
  id: string | undefined;
  geometry: unknown;
  properties: Record<string, unknown>;
}

interface ImportContext {
  db: Db;
  by: Principal;
  source: string;
  makeValid: boolean;
}

interface FeatureImporter {
  label(f: SourceFeature): string | undefined;
  record(f: SourceFeature): Promise<{ id: string; repairedFrom?: string | undefined }>;
}

/** Thrown while importing one feature: that feature is skipped with this reason, the run goes on. */
class SkipFeature extends Error {
  readonly reason: SkipReason;
  constructor(reason: SkipReason, detail: string) {
    super(detail);
    this.reason = reason;
  }
}

const contextOf = (db: Db, opts: ImportOptions<unknown>): ImportContext => ({
  db,
  by: opts.by ?? systemPrincipal('cli:import'),
  source: opts.source,
  makeValid: opts.makeValid ?? false,
});

/** One feature after another, each in its own transaction (inside the domain function). */
async function runImport(
  features: unknown[],
  opts: ImportOptions<unknown>,
  importer: FeatureImporter,
): Promise<ImportSummary> {
  const summary: ImportSummary = { total: features.length, imported: [], skipped: [], overlaps: [] };
  for (const [index, raw] of features.entries()) {
    let label: string | undefined;
    try {
      const f = sourceFeature(raw, index);
      label = safeLabel(importer, f);
      const { id, repairedFrom } = await importer.record(f);
      summary.imported.push({ index, label, id, ...(repairedFrom ? { repairedFrom } : {}) });
    } catch (e) {
      summary.skipped.push({ index, label, ...skipOf(e) });
    }
    opts.onProgress?.({
      done: index + 1,
      total: summary.total,
      imported: summary.imported.length,
      skipped: summary.skipped.length,
    });
  }
  return summary;
}

/** Why a feature was skipped; errors that are not about the feature (database down…) end the run. */
function skipOf(e: unknown): { reason: SkipReason; detail: string } {
  if (e instanceof SkipFeature) return { reason: e.reason, detail: e.message };
  if (e instanceof ApiError) {
    // The domain's invalid_geometry carries PostGIS's own reason (ST_IsValidReason) as field message.
    if (e.code === 'invalid_geometry') return { reason: 'invalid_geometry', detail: firstReason(e) };
    if (e.code === 'conflict' && e.extra?.overlaps) return { reason: 'overlaps', detail: e.message };
    if (e.code === 'conflict') return { reason: 'already_imported', detail: e.message };
    return { reason: 'rejected', detail: e.message };
  }
  throw e;
}

const firstReason = (e: ApiError): string => e.errors?.[0]?.message ?? e.message;

function safeLabel(importer: FeatureImporter, f: SourceFeature): string | undefined {
  try {
    return importer.label(f);
  } catch {
    return f.id;
  }
}

const sourceFeatureSchema = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  geometry: z.unknown(),
  properties: z.record(z.string(), z.unknown()).nullish(),
});

function sourceFeature(raw: unknown, index: number): SourceFeature {
  const parsed = sourceFeatureSchema.safeParse(raw);
  if (!parsed.success) throw new SkipFeature('not_a_feature', describeIssues(parsed.error));
  const { id, geometry, properties } = parsed.data;
  return { index, id: id === undefined ? undefined : String(id), geometry, properties: properties ?? {} };
}

// --- zones -----------------------------------------------------------------------------------

function zoneImporter(ctx: ImportContext, m: ZoneMapping): FeatureImporter {
  const claimed = new Map<string, number>();
  return {
    label: (f) => optionalText(f, m.name) ?? f.id,
    async record(f) {
      const name = requiredText(f, m.name);
      const id = m.idField ? requiredText(f, { fields: [m.idField] }) : (f.id ?? name);
      const sourceRef = `${ctx.source}#${id}`;
      claim(claimed, sourceRef, f.index);
      // Checked before the geometry travels to PostGIS, so that a re-run of a large file is quick.
      if (await zoneImported(ctx.db, sourceRef)) {
        throw new SkipFeature('already_imported', `sourceRef ${sourceRef}`);
      }
      const area = await areaOf(ctx, f);
      const input = parseInput(newZoneSchema, {
        name,
        kind: requiredText(f, m.kind),
        legalBasis: requiredText(f, m.legalBasis),
        validFrom: calendarDate(requiredText(f, m.validFrom)),
        validTo: m.validTo ? optionalDate(f, m.validTo) : undefined,
        geometry: area.geometry,
      });
      const { zone, created } = await createZone(ctx.db, ctx.by, input, { sourceRef });
      if (!created) throw new SkipFeature('already_imported', `sourceRef ${sourceRef}`);
      return { id: zone.id, repairedFrom: area.repairedFrom };
    },
  };
}

async function zoneImported(db: Db, sourceRef: string): Promise<boolean> {
  const rows = await db.select({ id: zones.id }).from(zones).where(eq(zones.sourceRef, sourceRef));
  return rows.length > 0;
}

// --- concessions -----------------------------------------------------------------------------

function concessionImporter(
  ctx: ImportContext,
  m: ConcessionMapping,
  overlapMode: ImportOverlaps,
  pairs: OverlapPair[],
): FeatureImporter {
  const claimed = new Map<string, number>();
  const holders = new Map<string, string | undefined>();
  /** The rights this run imported, to tell overlaps inside the file from those with the registry. */
  const importedHere = new Set<string>();
  const report = (f: SourceFeature, code: string, overlaps: Overlap[], outcome: OverlapPair['outcome']) => {
    for (const o of overlaps) {
      pairs.push({
        index: f.index,
        label: optionalText(f, m.name) ?? code,
        code,
        other: {
          concessionId: o.concessionId,
          code: o.code,
          name: o.name,
          kind: o.kind,
          holderName: o.holderName,
        },
        inFile: importedHere.has(o.concessionId),
        overlapHa: o.overlapHa,
        shareOfFiled: o.shareOfFiled,
        shareOfOther: o.shareOfOther,
        outcome,
      });
    }
  };
  return {
    label: (f) => optionalText(f, m.name) ?? optionalText(f, m.code) ?? f.id,
    async record(f) {
      const code = requiredText(f, m.code);
      claim(claimed, code, f.index);
      // The code is unique in the registry: one already recorded means this feature is imported.
      if (await concessionRecorded(ctx.db, code)) throw new SkipFeature('already_imported', `code ${code}`);
      const holderId = m.holderTaxId
        ? await holderIdOf(ctx.db, holders, requiredText(f, m.holderTaxId))
        : undefined;
      const area = await areaOf(ctx, f);
      const input = parseInput(newConcessionSchema, {
        code,
        name: requiredText(f, m.name),
        kind: requiredText(f, m.kind),
        status: requiredText(f, m.status),
        grantedOn: m.grantedOn ? optionalDate(f, m.grantedOn) : undefined,
        holderId,
        geometry: area.geometry,
      });
      const exception =
        overlapMode.mode === 'except'
          ? { legalBasis: overlapMode.legalBasis, note: `imported from ${ctx.source}` }
          : undefined;
      let concession: Awaited<ReturnType<typeof createConcession>>;
      try {
        // One transaction: the right, its event and its overlap cases, or nothing.
        concession = await createConcession(
          ctx.db,
          ctx.by,
          { ...input, overlapException: exception },
          { foundAt: 'import' },
        );
      } catch (e) {
        const refused = e instanceof ApiError ? overlapsOfRefusal(e) : undefined;
        if (refused) report(f, code, refused, 'skipped');
        throw e;
      }
      if (exception) report(f, code, await overlapsFiledFor(ctx.db, concession.id), 'case_opened');
      importedHere.add(concession.id);
      return { id: concession.id, repairedFrom: area.repairedFrom };
    },
  };
}

/** The overlaps a 409 from the registry names (overlaps.ts overlapRefusal). */
function overlapsOfRefusal(e: ApiError): Overlap[] | undefined {
  const overlaps = e.code === 'conflict' ? e.extra?.overlaps : undefined;
  return Array.isArray(overlaps) ? (overlaps as Overlap[]) : undefined;
}

/** The overlaps filed as cases when `concessionId` was imported under the exception. */
async function overlapsFiledFor(db: Db, concessionId: string): Promise<Overlap[]> {
  return rowsOf<Overlap>(
    await db.execute(sql`
      SELECT o.id AS "concessionId", o.code, o.name, o.kind, o.status, o.holder_id AS "holderId",
             h.name AS "holderName", k.area_ha::text AS "overlapHa",
             round(k.area_ha / nullif(c.area_ha, 0), 4)::text AS "shareOfFiled",
             round(k.area_ha / nullif(o.area_ha, 0), 4)::text AS "shareOfOther"
        FROM overlap_cases k
        JOIN concessions c ON c.id = k.concession_id
        JOIN concessions o ON o.id = k.other_concession_id
        LEFT JOIN actors h ON h.id = o.holder_id
       WHERE k.concession_id = ${concessionId}
       ORDER BY k.area_ha DESC, o.id`),
  );
}

async function concessionRecorded(db: Db, code: string): Promise<boolean> {
  const rows = await db.select({ id: concessions.id }).from(concessions).where(eq(concessions.code, code));
  return rows.length > 0;
}

/** The holder's actor id; looked up once per tax id, since holders often hold many concessions. */
async function holderIdOf(db: Db, cache: Map<string, string | undefined>, taxId: string): Promise<string> {
  if (!cache.has(taxId)) {
    const [row] = await db.select({ id: actors.id }).from(actors).where(eq(actors.taxId, taxId));
    cache.set(taxId, row?.id);
  }
  const id = cache.get(taxId);
  if (!id) throw new SkipFeature('unknown_holder', `no actor with tax id ${taxId}`);
  return id;
}

// --- features' values ------------------------------------------------------------------------

/** Two features of one file with the same id would silently collapse into one record. */
function claim(claimed: Map<string, number>, key: string, index: number): void {
  const first = claimed.get(key);
  if (first !== undefined) {
    throw new SkipFeature('duplicate_in_file', `${key} is also the id of feature [${first}]`);
  }
  claimed.set(key, index);
}

/** The value of a source for one feature; several fields are joined with spaces. */
function optionalText(f: SourceFeature, source: ValueSource): string | undefined {
  if ('value' in source) return source.value;
  const parts = source.fields.map((field) => textOf(f.properties[field], field)).filter((p) => p !== '');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function requiredText(f: SourceFeature, source: ValueSource): string {
  const text = optionalText(f, source);
  if (text === undefined) {
    const fields = 'fields' in source ? source.fields.join(', ') : '';
    throw new SkipFeature('missing_field', `no value in ${fields}`);
  }
  return text;
}

function textOf(value: unknown, field: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value).trim();
  }
  throw new SkipFeature('invalid_value', `${field} holds ${Array.isArray(value) ? 'a list' : 'an object'}`);
}

function optionalDate(f: SourceFeature, source: ValueSource): string | undefined {
  const text = optionalText(f, source);
  return text === undefined ? undefined : calendarDate(text);
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A date as YYYY-MM-DD. ISO dates and timestamps keep their calendar date. INGEMMET cadastre
 * exports that went through JavaScript carry `Date.toString()` text ("Tue Dec 30 2025 00:00:00
 * GMT-0500 …"): it is read as the calendar date it shows, not shifted to UTC. Anything else is
 * passed on for the schema to reject with its message.
 */
function calendarDate(text: string): string {
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ]|$)/.exec(text);
  if (iso?.[1]) return iso[1];
  const js = /^(?:[A-Z][a-z]{2} )?([A-Z][a-z]{2}) (\d{1,2}) (\d{4})\b/.exec(text);
  const month = js ? monthNames.indexOf(js[1] ?? '') : -1;
  if (js && month >= 0) return `${js[3]}-${String(month + 1).padStart(2, '0')}-${js[2]?.padStart(2, '0')}`;
  return text;
}

/** The feature's area checked by the GeoJSON schema, and repaired by PostGIS when asked. */
async function areaOf(
  ctx: ImportContext,
  f: SourceFeature,
): Promise<{ geometry: AreaGeometry; repairedFrom?: string | undefined }> {
  const type = (f.geometry as { type?: unknown } | null)?.type;
  if (f.geometry === null || f.geometry === undefined) {
    throw new SkipFeature('invalid_geometry', 'the feature has no geometry');
  }
  if (typeof type === 'string' && type !== 'Polygon' && type !== 'MultiPolygon') {
    throw new SkipFeature('invalid_geometry', `a ${type}; only a Polygon or a MultiPolygon is an area`);
  }
  const parsed = areaSchema.safeParse(f.geometry);
  if (!parsed.success) throw new SkipFeature('invalid_geometry', describeIssues(parsed.error));
  if (!ctx.makeValid) return { geometry: parsed.data };
  const { geometry, invalidReason } = await repairArea(ctx.db, parsed.data, 'geometry');
  return { geometry, repairedFrom: invalidReason };
}

/** Parses a domain input; a failure names the attribute and the value the feature gave it. */
function parseInput<S extends z.ZodType>(schema: S, input: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const onGeometry = parsed.error.issues.some((i) => i.path[0] === 'geometry');
  const detail = parsed.error.issues
    .slice(0, 3)
    .map((i) => {
      const key = i.path[0];
      const given = typeof key === 'string' && typeof input[key] === 'string' ? ` (got "${input[key]}")` : '';
      return `${i.path.join('.')}: ${i.message}${given}`;
    })
    .join('; ');
  throw new SkipFeature(onGeometry ? 'invalid_geometry' : 'invalid_value', detail);
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
