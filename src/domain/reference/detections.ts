import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, type Queryable, rowsOf } from '../../db/client.js';
import { appendEvent } from '../ledger/events.js';
import { type Rescreening, rescreenDetectionLayer } from '../screening/rescreen.js';
import { ApiError } from '../shared/errors.js';
import { type AreaGeometry, areaSchema, pointSchema } from '../shared/geojson.js';
import { newId } from '../shared/ids.js';
import { type Principal, systemPrincipal } from '../shared/principal.js';
import type { adminLevels, DetectionKind } from '../shared/vocabulary.js';
import { areaSql } from './geometry.js';

/**
 * Mining seen from space (Amazon Mining Watch footprints, GLAD/RADD-style alert points) and the
 * district limits the regulator's summary is cut by. Unlike zones and concessions, a layer is
 * one observation: it is recorded whole or not at all, in one transaction, with the layer row
 * that says where it looked (its coverage) and over which days. Every feature is checked before
 * anything is written, so a bad file changes nothing and its errors name each bad feature.
 */

export interface DetectionLayerInput {
  /** The dataset, e.g. 'amw'; with a feature's origin it makes the stable source_ref. */
  source: string;
  name: string;
  /** As the source asks to be cited (licence included). */
  attribution: string;
  kind: DetectionKind;
  /** Where the layer looks: outside it, no detection means nothing. */
  coverage: AreaGeometry;
}

export interface ImportProgress {
  done: number;
  total: number;
}

export interface DetectionImportSummary {
  layerId: string;
  total: number;
  /** Features recorded by this run. */
  imported: number;
  /** Features whose source_ref was already held (a re-run). */
  alreadyHeld: number;
  /** Footprints PostGIS found invalid, kept as the polygons ST_MakeValid made of them. */
  repaired: { index: number; sourceRef: string; reason: string }[];
  observedFrom: string;
  observedTo: string;
  rescreening: Rescreening;
}

/** The most errors a refused file lists: enough to see the pattern, not a wall of text. */
const maxListedErrors = 10;
/** Features per INSERT: one statement per batch, and a progress report after each. */
const batchSize = 200;

/**
 * A period as the source names it, as the days it spans: a year ("2019"), a quarter ("2025Q2")
 * or a day ("2026-03-14", an alert's date).
 */
export function periodDays(period: string): { from: string; to: string } | undefined {
  const year = /^(\d{4})$/.exec(period);
  if (year) return { from: `${year[1]}-01-01`, to: `${year[1]}-12-31` };
  const quarter = /^(\d{4})Q([1-4])$/.exec(period);
  if (quarter) {
    const y = Number(quarter[1]);
    const q = Number(quarter[2]);
    const from = new Date(Date.UTC(y, (q - 1) * 3, 1));
    const to = new Date(Date.UTC(y, q * 3, 0));
    return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
  }
  const day = /^(\d{4}-\d{2}-\d{2})$/.exec(period);
  if (day?.[1] && !Number.isNaN(Date.parse(day[1])) && new Date(day[1]).toISOString().startsWith(day[1])) {
    return { from: day[1], to: day[1] };
  }
  return undefined;
}

const amount = z.number().nonnegative().finite().nullish();
const detectionPropertiesSchema = z.object({
  period: z.string({ error: 'period is missing (a year "2019", a quarter "2025Q2" or a day)' }),
  source_path: z.string().min(1, 'source_path is empty').optional(),
  source_index: z.number().int().nonnegative().optional(),
  polygon_area_ha: amount,
  mined_area_ha: amount,
});

interface ParsedDetection {
  index: number;
  sourceRef: string;
  period: string;
  from: string;
  to: string;
  polygonAreaHa: number | null;
  minedAreaHa: number | null;
  geometry: unknown;
}

/** Names a feature in an error: its index in the file and its id, if it has one. */
const featureName = (index: number, id: unknown) =>
  `feature [${index}]${typeof id === 'string' || typeof id === 'number' ? ` (id ${id})` : ''}`;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Throws once for the whole file, listing the first bad features: nothing has been written. */
function refuse(file: string, errors: string[]): never {
  const listed = errors.slice(0, maxListedErrors);
  const more = errors.length > listed.length ? `; and ${errors.length - listed.length} more` : '';
  throw new ApiError(
    'validation',
    `${file}: ${errors.length} bad feature${errors.length === 1 ? '' : 's'}, nothing imported: ${listed.join('; ')}${more}`,
    { errors: listed.map((message, i) => ({ field: `features.${i}`, message })) },
  );
}

/**
 * Every feature checked in memory: a Feature, of the geometry its kind needs (Polygon or
 * MultiPolygon for a footprint, Point for an alert), a period that reads as days, and a stable
 * reference — the source's own file and index (source_path#source_index), else the feature's
 * id — unique in the file.
 */
function parseDetections(file: string, source: string, kind: DetectionKind, features: unknown[]) {
  const errors: string[] = [];
  const parsed: ParsedDetection[] = [];
  const seen = new Map<string, number>();
  for (const [index, raw] of features.entries()) {
    const f = raw as { type?: unknown; id?: unknown; geometry?: unknown; properties?: unknown } | null;
    const name = featureName(index, f?.id);
    if (f?.type !== 'Feature') {
      errors.push(`${name}: not a GeoJSON Feature`);
      continue;
    }
    const props = detectionPropertiesSchema.safeParse(f.properties ?? {});
    if (!props.success) {
      errors.push(`${name}: ${describeIssues(props.error)}`);
      continue;
    }
    const p = props.data;
    const days = periodDays(p.period);
    if (!days) {
      errors.push(`${name}: period "${p.period}" is neither a year, a quarter (2025Q2) nor a day`);
      continue;
    }
    const geometry =
      kind === 'footprint' ? areaSchema.safeParse(f.geometry) : pointSchema.safeParse(f.geometry);
    if (!geometry.success) {
      const type = (f.geometry as { type?: unknown } | null)?.type;
      const wanted = kind === 'footprint' ? 'a Polygon or MultiPolygon' : 'a Point';
      errors.push(
        `${name}: geometry ${typeof type === 'string' && !/Polygon|Point/.test(type) ? `is a ${type}, not ${wanted}` : describeIssues(geometry.error)}`,
      );
      continue;
    }
    const origin =
      p.source_path !== undefined && p.source_index !== undefined
        ? `${p.source_path}#${p.source_index}`
        : typeof f.id === 'string' || typeof f.id === 'number'
          ? String(f.id)
          : undefined;
    if (origin === undefined) {
      errors.push(`${name}: no stable reference (source_path and source_index, or an id)`);
      continue;
    }
    const sourceRef = `${source}:${kind}:${origin}`;
    const first = seen.get(sourceRef);
    if (first !== undefined) {
      errors.push(`${name}: same reference ${origin} as feature [${first}]`);
      continue;
    }
    seen.set(sourceRef, index);
    parsed.push({
      index,
      sourceRef,
      period: p.period,
      ...days,
      polygonAreaHa: p.polygon_area_ha ?? null,
      minedAreaHa: p.mined_area_ha ?? null,
      geometry: geometry.data,
    });
  }
  if (features.length === 0) errors.push('the collection holds no features');
  if (errors.length > 0) refuse(file, errors);
  return parsed;
}

/** The stored geometry of a feature in a batch (`e` a jsonb element): a footprint made valid. */
const geomOf = (kind: DetectionKind) => {
  const g = sql`ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(e->'geometry'), 4326))`;
  return kind === 'alert'
    ? g
    : sql`(SELECT CASE WHEN ST_IsValid(g) THEN ST_Multi(g)
                       ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) END
             FROM (SELECT ${g} AS g) s)`;
};

/**
 * Imports a layer of detections in one transaction: the layer row (coverage and the days its
 * periods span), every feature not held yet (source_ref), an event, and a re-screening of the
 * lots the layer can judge. An invalid footprint is repaired with ST_MakeValid, keeping its
 * polygonal parts (vectorised raster masks often touch themselves at a corner); one with no area
 * left is an error, as is an invalid coverage. On any error nothing is written.
 */
export async function importDetections(
  db: Db,
  file: string,
  features: unknown[],
  input: DetectionLayerInput,
  opts: { by?: Principal; onProgress?: (p: ImportProgress) => void } = {},
): Promise<DetectionImportSummary> {
  const by = opts.by ?? systemPrincipal('cli:import');
  const parsed = parseDetections(file, input.source, input.kind, features);
  // ISO dates sort as text.
  const observedFrom = parsed.map((d) => d.from).sort()[0] ?? '';
  const observedTo =
    parsed
      .map((d) => d.to)
      .sort()
      .at(-1) ?? '';
  return db.transaction(async (tx) => {
    await assertCoverage(tx, input.coverage);
    const layerId = newId();
    await tx.execute(sql`INSERT INTO detection_layers (id, source, name, attribution, coverage, observed_from, observed_to)
      VALUES (${layerId}, ${input.source}, ${input.name}, ${input.attribution}, ${areaSql(input.coverage)},
              ${observedFrom}, ${observedTo})`);
    const summary = { imported: 0, alreadyHeld: 0, repaired: [] as DetectionImportSummary['repaired'] };
    for (let start = 0; start < parsed.length; start += batchSize) {
      const batch = parsed.slice(start, start + batchSize);
      const json = JSON.stringify(batch.map((d) => ({ ...d, id: newId() })));
      if (input.kind === 'footprint') summary.repaired.push(...(await repairsOf(tx, file, json)));
      const [row] = rowsOf<{ n: number }>(
        await tx.execute(sql`WITH inserted AS (
          INSERT INTO mining_detections (id, kind, source, source_ref, period, observed_from, observed_to,
                                         polygon_area_ha, mined_area_ha, geom)
          SELECT (e->>'id')::uuid, ${input.kind}, ${input.source}, e->>'sourceRef', e->>'period',
                 (e->>'from')::date, (e->>'to')::date,
                 (e->>'polygonAreaHa')::numeric, (e->>'minedAreaHa')::numeric, ${geomOf(input.kind)}
            FROM jsonb_array_elements(${json}::jsonb) e
          ON CONFLICT (source_ref) DO NOTHING
          RETURNING 1)
          SELECT count(*)::int AS n FROM inserted`),
      );
      summary.imported += row?.n ?? 0;
      summary.alreadyHeld += batch.length - (row?.n ?? 0);
      opts.onProgress?.({ done: Math.min(start + batchSize, parsed.length), total: parsed.length });
    }
    const layer = {
      source: input.source,
      name: input.name,
      attribution: input.attribution,
      kind: input.kind,
    };
    await appendEvent(tx, by, {
      type: 'detection_layer.imported',
      subjectType: 'detection_layer',
      subjectId: layerId,
      payload: {
        ...layer,
        file,
        observedFrom,
        observedTo,
        features: parsed.length,
        imported: summary.imported,
      },
    });
    const rescreening = await rescreenDetectionLayer(tx, by, layerId);
    return { layerId, total: parsed.length, ...summary, observedFrom, observedTo, rescreening };
  });
}

/** Footprints of a batch PostGIS finds invalid, with its reason; one with no area left refuses the file. */
async function repairsOf(
  tx: Queryable,
  file: string,
  json: string,
): Promise<DetectionImportSummary['repaired']> {
  const rows = rowsOf<{ index: number; sourceRef: string; reason: string; empty: boolean }>(
    await tx.execute(sql`SELECT (e->>'index')::int AS index, e->>'sourceRef' AS "sourceRef",
            ST_IsValidReason(g) AS reason, ST_IsEmpty(ST_CollectionExtract(ST_MakeValid(g), 3)) AS empty
       FROM jsonb_array_elements(${json}::jsonb) e
       CROSS JOIN LATERAL (SELECT ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(e->'geometry'), 4326)) AS g) s
      WHERE NOT ST_IsValid(g)`),
  );
  const empty = rows.filter((r) => r.empty);
  if (empty.length > 0) {
    refuse(
      file,
      empty.map(
        (r) => `feature [${r.index}] (${r.sourceRef}): no area left after ST_MakeValid (${r.reason})`,
      ),
    );
  }
  return rows.map(({ index, sourceRef, reason }) => ({ index, sourceRef, reason }));
}

async function assertCoverage(tx: Queryable, coverage: AreaGeometry): Promise<void> {
  const [row] = rowsOf<{ valid: boolean; reason: string }>(
    await tx.execute(
      sql`SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM (SELECT ${areaSql(coverage)} AS g) s`,
    ),
  );
  if (!row?.valid) {
    throw new ApiError('invalid_geometry', `the coverage is not a valid area: ${row?.reason ?? 'unknown'}`, {
      errors: [{ field: 'coverage', message: row?.reason ?? 'invalid geometry' }],
    });
  }
}

/**
 * The coverage from a GeoJSON document: a Polygon or MultiPolygon, a Feature of one, or a
 * FeatureCollection whose areas are joined (e.g. a department's limit).
 */
export function coverageOf(doc: unknown, file: string): AreaGeometry {
  const d = doc as { type?: unknown; geometry?: unknown; features?: unknown };
  const geometries: unknown[] =
    d?.type === 'FeatureCollection' && Array.isArray(d.features)
      ? d.features.map((f) => (f as { geometry?: unknown } | null)?.geometry)
      : d?.type === 'Feature'
        ? [d.geometry]
        : [doc];
  const polygons: AreaGeometry['coordinates'][number][] = [];
  for (const [i, g] of geometries.entries()) {
    const parsed = areaSchema.safeParse(g);
    if (!parsed.success) {
      throw new ApiError(
        'validation',
        `${file}: coverage feature [${i}] is not a Polygon or MultiPolygon: ${describeIssues(parsed.error)}`,
      );
    }
    if (parsed.data.type === 'Polygon') polygons.push(parsed.data.coordinates);
    else polygons.push(...parsed.data.coordinates);
  }
  if (polygons.length === 0) throw new ApiError('validation', `${file}: the coverage holds no area`);
  return { type: 'MultiPolygon', coordinates: polygons } as AreaGeometry;
}

// --- districts -------------------------------------------------------------------------------

const adminPropertiesSchema = z.object({
  departamento: z.string().min(1, 'departamento is empty'),
  provincia: z.string().min(1, 'provincia is empty'),
  distrito: z.string().min(1, 'distrito is empty'),
});

/** The level this import records (INEI also publishes departments and provinces). */
const districtLevel: (typeof adminLevels)[number] = 'district';

export interface AdminImportSummary {
  total: number;
  imported: number;
  alreadyHeld: number;
  repaired: { index: number; name: string; reason: string }[];
}

/**
 * INEI district limits (properties departamento, provincia, distrito) into admin_areas, in one
 * transaction: all or nothing, a re-run skipping what is held (source_ref
 * "inei:district:DEPARTAMENTO/PROVINCIA/DISTRITO"). Invalid limits are made valid as footprints are.
 */
export async function importDistricts(
  db: Db,
  file: string,
  features: unknown[],
  opts: { onProgress?: (p: ImportProgress) => void } = {},
): Promise<AdminImportSummary> {
  const errors: string[] = [];
  const rows: {
    index: number;
    name: string;
    department: string;
    province: string;
    sourceRef: string;
    geometry: unknown;
  }[] = [];
  for (const [index, raw] of features.entries()) {
    const f = raw as { type?: unknown; id?: unknown; geometry?: unknown; properties?: unknown } | null;
    const name = featureName(index, f?.id);
    const props = adminPropertiesSchema.safeParse(f?.properties ?? {});
    const geometry = areaSchema.safeParse(f?.geometry);
    if (f?.type !== 'Feature') errors.push(`${name}: not a GeoJSON Feature`);
    else if (!props.success) errors.push(`${name}: ${describeIssues(props.error)}`);
    else if (!geometry.success) errors.push(`${name}: geometry ${describeIssues(geometry.error)}`);
    else {
      const p = props.data;
      rows.push({
        index,
        name: p.distrito,
        department: p.departamento,
        province: p.provincia,
        sourceRef: `inei:district:${p.departamento}/${p.provincia}/${p.distrito}`,
        geometry: geometry.data,
      });
    }
  }
  if (features.length === 0) errors.push('the collection holds no features');
  if (errors.length > 0) refuse(file, errors);
  const json = JSON.stringify(rows.map((r) => ({ ...r, id: newId() })));
  return db.transaction(async (tx) => {
    const repaired = rowsOf<{ index: number; name: string; reason: string; empty: boolean }>(
      await tx.execute(sql`SELECT (e->>'index')::int AS index, e->>'name' AS name, ST_IsValidReason(g) AS reason,
              ST_IsEmpty(ST_CollectionExtract(ST_MakeValid(g), 3)) AS empty
         FROM jsonb_array_elements(${json}::jsonb) e
         CROSS JOIN LATERAL (SELECT ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(e->'geometry'), 4326)) AS g) s
        WHERE NOT ST_IsValid(g)`),
    );
    const empty = repaired.filter((r) => r.empty);
    if (empty.length > 0)
      refuse(
        file,
        empty.map((r) => `feature [${r.index}] (${r.name}): no area left after ST_MakeValid`),
      );
    const [row] = rowsOf<{ n: number }>(
      await tx.execute(sql`WITH inserted AS (
        INSERT INTO admin_areas (id, level, name, department, province, source_ref, geom)
        SELECT (e->>'id')::uuid, ${districtLevel}, e->>'name', e->>'department', e->>'province', e->>'sourceRef',
               ${geomOf('footprint')}
          FROM jsonb_array_elements(${json}::jsonb) e
        ON CONFLICT (source_ref) DO NOTHING
        RETURNING 1)
        SELECT count(*)::int AS n FROM inserted`),
    );
    opts.onProgress?.({ done: rows.length, total: rows.length });
    return {
      total: rows.length,
      imported: row?.n ?? 0,
      alreadyHeld: rows.length - (row?.n ?? 0),
      repaired: repaired.map(({ index, name, reason }) => ({ index, name, reason })),
    };
  });
}
