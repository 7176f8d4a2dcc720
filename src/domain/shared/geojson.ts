import { z } from 'zod';
import { boundedArray } from './bounded.js';

/**
 * The most vertices one area may have. The largest real boundary orotrace holds, a national
 * protected area of Madre de Dios from SERNANP (shared data, peru-anp-madre-de-dios), has 10,788;
 * 100,000 leaves room for ten times that detail, and still fits in ~2.7 MB of compact JSON
 * (under GEOMETRY_BODY_LIMIT_BYTES) and a fraction of a second of ST_IsValid.
 */
const maxAreaVertices = 100_000;
/** Rings of one polygon (its holes) and polygons of one multipolygon. */
const maxParts = 10_000;

/**
 * GeoJSON (RFC 7946) geometries as the API accepts them: WGS84 lon/lat positions, linear rings
 * closed and of four or more positions. Topological validity (self-intersection and the like)
 * is PostGIS's to judge (ST_IsValid), see reference/geometry.ts.
 */
const position = z
  .array(z.number().refine(Number.isFinite, 'must be a finite number'))
  .min(2, 'a position needs longitude and latitude')
  .max(3, 'a position has at most three numbers')
  .superRefine((p, ctx) => {
    const [lon = 0, lat = 0] = p;
    if (lon < -180 || lon > 180)
      ctx.addIssue({ code: 'custom', path: [0], message: `longitude ${lon} is outside -180..180` });
    if (lat < -90 || lat > 90)
      ctx.addIssue({ code: 'custom', path: [1], message: `latitude ${lat} is outside -90..90` });
  });

const linearRing = boundedArray(position, maxAreaVertices, 'positions in a ring')
  .min(4, 'a linear ring needs at least four positions')
  .superRefine((ring, ctx) => {
    const first = ring[0];
    const last = ring.at(-1);
    if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
      ctx.addIssue({
        code: 'custom',
        message: 'a linear ring must be closed (first and last positions equal)',
      });
    }
    // Areas are measured on the sphere (geography), where an edge spanning 180° of longitude
    // (or pole to pole) has no one shortest path: PostGIS refuses it with an internal error.
    // RFC 7946 §3.1.9 asks that such a geometry be cut at the antimeridian instead.
    for (let i = 1; i < ring.length; i++) {
      const [lon0 = 0, lat0 = 0] = ring[i - 1] ?? [];
      const [lon1 = 0, lat1 = 0] = ring[i] ?? [];
      if (Math.abs(lon1 - lon0) >= 180 || Math.abs(lat1 - lat0) >= 180) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message:
            'an edge spans 180° of longitude (or pole to pole): cut the geometry at the antimeridian (RFC 7946 §3.1.9)',
        });
        break;
      }
    }
  });

const polygonCoordinates = boundedArray(linearRing, maxParts, 'rings in a polygon').min(
  1,
  'a polygon needs an exterior ring',
);

/** Refuses an area of more than maxAreaVertices positions in all its rings together. */
const vertexCap = (count: number, ctx: z.core.$RefinementCtx) => {
  if (count > maxAreaVertices) {
    ctx.addIssue({
      code: 'custom',
      path: ['coordinates'],
      message: `has ${count.toLocaleString('en')} vertices; an area has at most ${maxAreaVertices.toLocaleString('en')}`,
      params: { limit: maxAreaVertices },
    });
  }
};
const verticesOf = (rings: unknown[][]) => rings.reduce((n, ring) => n + ring.length, 0);

export const pointSchema = z.object({ type: z.literal('Point'), coordinates: position });
export const polygonSchema = z
  .object({ type: z.literal('Polygon'), coordinates: polygonCoordinates })
  .superRefine((g, ctx) => vertexCap(verticesOf(g.coordinates), ctx));
const multiPolygonSchema = z
  .object({
    type: z.literal('MultiPolygon'),
    coordinates: boundedArray(polygonCoordinates, maxParts, 'polygons in a multipolygon').min(
      1,
      'a multipolygon needs at least one polygon',
    ),
  })
  .superRefine((g, ctx) =>
    vertexCap(
      g.coordinates.reduce((n, p) => n + verticesOf(p), 0),
      ctx,
    ),
  );
/** An area: a Polygon or a MultiPolygon; stored as MultiPolygon. */
export const areaSchema = z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema]);

export type PointGeometry = z.infer<typeof pointSchema>;

/** An axis-aligned rectangle (west, south, east, north) as a Polygon: demo data and tests draw with it. */
export const rectangle = (w: number, s: number, e: number, n: number): z.infer<typeof polygonSchema> => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});
export type AreaGeometry = z.infer<typeof areaSchema>;
export type Geometry = PointGeometry | AreaGeometry;

export interface Feature<G = Geometry, P = Record<string, unknown>> {
  type: 'Feature';
  id?: string;
  geometry: G;
  properties: P;
}

export interface FeatureCollection<G = Geometry, P = Record<string, unknown>> {
  type: 'FeatureCollection';
  features: Feature<G, P>[];
}

/** A resource with an id and one geometry member as a GeoJSON Feature (RFC 7946 §3.2). */
function toFeature<T extends { id: string }, K extends keyof T>(item: T, geometryKey: K): Feature {
  const { [geometryKey]: geometry, id, ...properties } = item;
  return { type: 'Feature', id, geometry: geometry as Geometry, properties };
}

export function toFeatureCollection<T extends { id: string }, K extends keyof T>(
  items: T[],
  geometryKey: K,
): FeatureCollection {
  return { type: 'FeatureCollection', features: items.map((i) => toFeature(i, geometryKey)) };
}
