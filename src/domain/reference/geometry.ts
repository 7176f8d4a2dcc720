import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.js';
import { jsonColumn } from '../../db/sql.js';
import { ApiError } from '../shared/errors.js';
import type { AreaGeometry, Geometry, PointGeometry } from '../shared/geojson.js';

/** An area as stored: always MultiPolygon, SRID 4326. */
export const areaSql = (g: AreaGeometry): SQL =>
  sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(g)}), 4326))`;

export const pointSql = (g: PointGeometry): SQL =>
  sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify({ type: 'Point', coordinates: g.coordinates.slice(0, 2) })}), 4326)`;

/** Geodesic area in hectares, computed on the spheroid by PostGIS. */
export const areaHaSql = (geom: SQL): SQL => sql`round((ST_Area((${geom})::geography) / 10000)::numeric, 4)`;

/** A geometry column read back as GeoJSON (7 decimals ≈ 1 cm). */
export const asGeoJson = <G extends Geometry | null>(column: SQLWrapper) =>
  sql<G>`ST_AsGeoJSON(${column}, 7)::json`.mapWith(jsonColumn<G>);

/** How much of an area a list answers: all of it, or few enough vertices to draw on a map. */
export type ListDetail = 'full' | 'simplified';

/** The most vertices an area has in a simplified list: ~25 KB of GeoJSON, enough for a map. */
const listedVertices = 1000;

/**
 * An area as a list answers it. Full detail is the stored geometry. Simplified leaves an area of
 * up to 1,000 vertices as it is; a larger one is simplified (Douglas-Peucker keeping topology)
 * with a tolerance of 1/500 of its own extent, so the shape stays recognizable at any zoom that
 * shows it whole; should that still leave too many vertices (a jagged, hostile outline), its
 * convex hull. One zone of 100,000 vertices thus lists in a few KB instead of 2.7 MB.
 */
export const asListedArea = (column: SQLWrapper, detail: ListDetail) =>
  detail === 'full'
    ? asGeoJson<AreaGeometry>(column)
    : sql<AreaGeometry>`ST_AsGeoJSON((
        SELECT CASE WHEN ST_NPoints(g) <= ${listedVertices} THEN g ELSE (
          SELECT CASE WHEN ST_NPoints(s) <= ${listedVertices} THEN s ELSE ST_Multi(ST_ConvexHull(s)) END
          -- ST_Multi: GEOS answers a multipolygon of one part as a Polygon; areas are MultiPolygons.
          FROM (SELECT ST_Multi(ST_SimplifyPreserveTopology(
                  g, greatest(ST_XMax(g) - ST_XMin(g), ST_YMax(g) - ST_YMin(g)) / 500)) AS s) simplified
        ) END
        FROM (SELECT ${column} AS g) stored), 7)::json`.mapWith(jsonColumn<AreaGeometry>);

/** `geom` intersects the bounding box; written so the GiST index serves the `&&` test. */
export const inBbox = (
  geom: SQLWrapper,
  b: { minLon: number; minLat: number; maxLon: number; maxLat: number },
): SQL => {
  const env = sql`ST_MakeEnvelope(${b.minLon}, ${b.minLat}, ${b.maxLon}, ${b.maxLat}, 4326)`;
  return sql`(${geom} && ${env} AND ST_Intersects(${geom}, ${env}))`;
};

/**
 * Rejects an area PostGIS does not consider valid (self-intersections, bad ring order...),
 * naming the field and PostGIS's reason, before anything is written.
 */
export async function assertValidArea(db: Queryable, g: AreaGeometry, field: string): Promise<void> {
  const [row] = rowsOf<{ valid: boolean; reason: string }>(
    await db.execute(
      sql`SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM (SELECT ${areaSql(g)} AS g) s`,
    ),
  );
  if (!row?.valid) {
    throw new ApiError(
      'invalid_geometry',
      `${field} is not a valid geometry: ${row?.reason ?? 'unknown reason'}`,
      {
        errors: [{ field, message: row?.reason ?? 'invalid geometry' }],
      },
    );
  }
}

/**
 * Repairs an area PostGIS finds invalid with ST_MakeValid, keeping only its polygonal parts (a
 * bow-tie becomes two triangles; spikes that collapse to lines are dropped). A valid area comes
 * back untouched, so that an import never rewrites good coordinates. `invalidReason` says what
 * was repaired; nothing left after the repair is an `invalid_geometry` error.
 */
export async function repairArea(
  db: Queryable,
  g: AreaGeometry,
  field: string,
): Promise<{ geometry: AreaGeometry; invalidReason?: string }> {
  const [row] = rowsOf<{ valid: boolean; reason: string; repaired: unknown }>(
    await db.execute(
      sql`SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason,
            CASE WHEN NOT ST_IsValid(g)
              THEN ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)))
            END AS repaired
          FROM (SELECT ${areaSql(g)} AS g) s`,
    ),
  );
  if (!row) throw new Error('ST_IsValid returned no row');
  if (row.valid) return { geometry: g };
  const repaired = jsonColumn<AreaGeometry | null>(row.repaired);
  if (!repaired || repaired.coordinates.length === 0) {
    throw new ApiError('invalid_geometry', `${field} has no area left after ST_MakeValid: ${row.reason}`, {
      errors: [{ field, message: `${row.reason}; no area left after ST_MakeValid` }],
    });
  }
  return { geometry: repaired, invalidReason: row.reason };
}
