/**
 * The context a basemap would give, drawn from layers bundled with the app (src/demo/geo, their
 * sources in src/demo/README.md): the districts of Madre de Dios with their names, the main towns
 * and the Interoceanic highway. Bundled rather than fetched: public, small (~35 kB), the same for
 * everyone, and there with no network and no token, as the maps must work offline. Towns and the
 * highway are approximate and say so in their labels and the legend.
 */
import L from 'leaflet';
import { districts, interoceanicHighway, towns } from '../../demo/geography.js';
import type { Lang } from './i18n.js';
import { mapWords } from './map-words.js';

export type ReferenceKey = 'districts' | 'towns' | 'highway';

const districtStyle: L.PathOptions = {
  color: '#555',
  weight: 1.5,
  dashArray: '6 4',
  fill: false,
  interactive: false,
};
const highwayStyle: L.PathOptions = { color: '#333', weight: 3, dashArray: '10 6', opacity: 0.9 };

const format = (text: string, params: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (m, k: string) => params[k] ?? m);
const minor = new Set(['de', 'del', 'la', 'y']);
const titleCase = (s: string) =>
  s
    .toLocaleLowerCase('es')
    .split(' ')
    .map((w, i) => (i > 0 && minor.has(w) ? w : w.charAt(0).toLocaleUpperCase('es') + w.slice(1)))
    .join(' ');

/** A district's name as people write it ("Las Piedras", not the register's "LAS PIEDRAS"). */
const districtName = (distrito: string): string => titleCase(distrito);

/**
 * The reference layers, built once per map and language; each a group to add, hide or show.
 * Not interactive, they are labels only and let a click through to the map (where a click picks
 * a point); interactive, towns and the highway also open a popup saying how approximate they are.
 */
export function referenceLayers(lang: Lang, opts: { interactive?: boolean } = {}) {
  const w = mapWords[lang];
  const interactive = opts.interactive ?? true;
  const districtGroup = L.layerGroup();
  for (const d of districts.features) {
    const name = districtName(d.properties.distrito);
    L.geoJSON(d as unknown as GeoJSON.Feature, { style: () => districtStyle, interactive: false }).addTo(
      districtGroup,
    );
    const [lon, lat] = d.properties.labelPoint;
    L.tooltip({ permanent: true, direction: 'center', className: 'district-label', interactive: false })
      .setLatLng([lat, lon])
      .setContent(name)
      .addTo(districtGroup);
  }

  const townGroup = L.layerGroup();
  for (const town of towns.features) {
    const [lon = 0, lat = 0] = town.geometry.coordinates;
    const { name, district } = town.properties;
    const marker = L.circleMarker([lat, lon], {
      radius: 5,
      color: '#111',
      weight: 3,
      fillColor: '#fff',
      fillOpacity: 1,
      className: 'town-marker',
      interactive,
    }).bindTooltip(name, { permanent: true, direction: 'right', offset: [6, 0], className: 'town-label' });
    if (interactive) marker.bindPopup(format(w.townApprox, { name, district: districtName(district) }));
    marker.addTo(townGroup);
  }

  const highwayGroup = L.layerGroup();
  for (const road of interoceanicHighway.features) {
    const line = L.polyline(
      road.geometry.coordinates.map(([lon = 0, lat = 0]) => [lat, lon] as L.LatLngTuple),
      { ...highwayStyle, className: 'highway-line', interactive },
    );
    if (interactive)
      line
        .bindTooltip(w.highway, { sticky: true })
        .bindPopup(format(w.highwayApprox, { towns: road.properties.vertices.join(', ') }));
    line.addTo(highwayGroup);
  }

  return { districts: districtGroup, towns: townGroup, highway: highwayGroup } satisfies Record<
    ReferenceKey,
    L.LayerGroup
  >;
}
