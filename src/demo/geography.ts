/**
 * The real geography of Madre de Dios the demo stands on, and the context the maps draw: public
 * layers copied from ../shared/data and simplified hard (src/demo/geo/, one GeoJSON file each;
 * source, licence, attribution and simplification of each in src/demo/README.md). Plain data and
 * types, nothing else: the demo loader writes the protected areas and the buffer zone as zones,
 * and the web apps bundle the districts, towns and highway so their maps have context with no
 * network and no basemap.
 */
import districtsJson from './geo/districts.geo.json';
import highwayJson from './geo/interoceanic-highway.geo.json';
import protectedAreasJson from './geo/protected-areas.geo.json';
import bufferZoneJson from './geo/tambopata-buffer-zone-partial.geo.json';
import townsJson from './geo/towns.geo.json';

interface Feature<G, P> {
  type: 'Feature';
  properties: P;
  geometry: G;
}
interface Collection<G, P> {
  type: 'FeatureCollection';
  features: Feature<G, P>[];
}
type Position = number[];
type Area =
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };
type Point = { type: 'Point'; coordinates: Position };
type Line = { type: 'LineString'; coordinates: Position[] };

/** SERNANP natural protected areas of Madre de Dios (perugeopkg, CC BY-SA 4.0). */
export const protectedAreas = protectedAreasJson as Collection<
  Area,
  { anp_cate: string; anp_nombre: string; anp_ubpo: string }
>;

/** The western part (~23 %) of the buffer zone of the Tambopata reserve (SERNANP layer, clipped). */
export const tambopataBufferZone = bufferZoneJson as Collection<
  Area,
  { anp_codi: string; d_anp_codi: string; za_super: number; za_balea: string; za_felea: string; note: string }
>;

/** The eleven districts of Madre de Dios (INEI, via perugeopkg, CC BY-SA 4.0), with a point to label each. */
export const districts = districtsJson as Collection<
  Area,
  { departamento: string; provincia: string; distrito: string; capital: string; labelPoint: [number, number] }
>;

/** Main towns, at the coordinates a gazetteer gives for the district capitals: approximate. */
export const towns = townsJson as Collection<
  Point,
  { name: string; district: string; ubigeo: string; approximate: true; source: string }
>;

/** The Interoceanic highway as straight segments between the towns it serves: approximate. */
export const interoceanicHighway = highwayJson as Collection<
  Line,
  { name: string; approximate: true; vertices: string[]; note: string; source: string }
>;

/** A town's point by name; throws on a name the gazetteer file does not hold. */
export function townPoint(name: string): { type: 'Point'; coordinates: [number, number] } {
  const town = towns.features.find((f) => f.properties.name === name);
  if (!town) throw new Error(`no town "${name}" in src/demo/geo/towns.geo.json`);
  const [lon = 0, lat = 0] = town.geometry.coordinates;
  return { type: 'Point', coordinates: [lon, lat] };
}
