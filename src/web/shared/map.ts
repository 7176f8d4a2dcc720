/**
 * Maps of the web apps (Leaflet, bundled with its stylesheet): vector layers drawn by the
 * browser, no basemap by default so that the map works with no network and loads nothing from
 * elsewhere; the context a basemap would give (districts, towns, the highway) comes bundled
 * (reference-layers.ts) and is drawn on every map. A raster tile URL (e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png)
 * may be set per device, kept in localStorage under `orotrace.tileUrl`.
 */
import 'leaflet/dist/leaflet.css';
import './map.css';
import L from 'leaflet';
import { mapWords } from './map-words.js';
import { referenceLayers } from './reference-layers.js';

export { riskColours } from './risk.js';
export { L };

const tileKey = 'orotrace.tileUrl';
const tilePattern = /^https:\/\/.+\{z\}.+\{x\}.+\{y\}/;

/** Madre de Dios, Peru: where the demo data and the real protected areas are; the view before any data. */
const madreDeDios: L.LatLngBoundsExpression = [
  [-13.4, -72.4],
  [-9.8, -68.6],
];

export function tileUrl(): string | null {
  const url = localStorage.getItem(tileKey);
  return url && tilePattern.test(url) ? url : null;
}

export function setTileUrl(url: string | null): void {
  if (url) localStorage.setItem(tileKey, url);
  else localStorage.removeItem(tileKey);
}

/** Whether a typed tile URL is one the map will use (https, with {z}, {x} and {y}). */
export const isTileUrl = (url: string): boolean => tilePattern.test(url);

/** The configured basemap as a layer, or null: no tile URL, no request anywhere. */
export function basemapLayer(url: string | null = tileUrl()): L.TileLayer | null {
  return url ? L.tileLayer(url, { maxZoom: 18, attribution: new URL(url).host }) : null;
}

/**
 * A Leaflet map in `el`, showing Madre de Dios until fitted to its data, with the configured tiles
 * if any and the reference layers (districts, towns, highway) as labels under everything else,
 * unless `reference: false` (a screen that draws them itself, with its own switches and legend).
 */
export function createMap(
  el: HTMLElement,
  opts: { bounds?: L.LatLngBoundsExpression; reference?: boolean } = {},
): L.Map {
  // The apps set <html lang> to the reader's language (i18n.ts).
  const lang = document.documentElement.lang === 'en' ? 'en' : 'es';
  const map = L.map(el, { preferCanvas: false, zoomSnap: 0.5, keyboard: true, zoomControl: false });
  // Leaflet's own control names and credit are English: said in the reader's language.
  L.control.zoom({ zoomInTitle: mapWords[lang].zoomIn, zoomOutTitle: mapWords[lang].zoomOut }).addTo(map);
  map.attributionControl.setPrefix(
    `<a href="https://leafletjs.com" title="${mapWords[lang].leafletTitle}">Leaflet</a>`,
  );
  basemapLayer()?.addTo(map);
  if (opts.reference !== false) {
    for (const layer of Object.values(referenceLayers(lang, { interactive: false }))) layer.addTo(map);
  }
  map.fitBounds(opts.bounds ?? madreDeDios);
  L.control.scale({ imperial: false }).addTo(map);
  return map;
}

/** Grows `bounds` by everything a layer draws: a group's members, a shape's extent, a marker's point. */
function extend(bounds: L.LatLngBounds, layer: L.Layer): void {
  if (layer instanceof L.LayerGroup) layer.eachLayer((l) => extend(bounds, l));
  else if (layer instanceof L.Polyline) bounds.extend(layer.getBounds());
  else if (layer instanceof L.CircleMarker || layer instanceof L.Marker) bounds.extend(layer.getLatLng());
}

/** The extent of layers and points together; not valid when they hold nothing. */
function boundsOf(layers: L.Layer[], points: L.LatLngExpression[] = []): L.LatLngBounds {
  const bounds = L.latLngBounds([]);
  for (const layer of layers) extend(bounds, layer);
  for (const p of points) bounds.extend(p);
  return bounds;
}

/**
 * Opens the view on the data itself (the concessions and lots the screen is about), not on the
 * whole region: what the screen shows is readable without zooming. Layers that hold nothing are
 * skipped; with nothing at all the view stays. A lone point opens at street scale (maxZoom), not
 * at the deepest zoom. Returns whether the view moved.
 */
export function fitToData(
  map: L.Map,
  layers: L.Layer | L.Layer[],
  opts: { points?: L.LatLngExpression[]; maxZoom?: number } = {},
): boolean {
  const bounds = boundsOf(Array.isArray(layers) ? layers : [layers], opts.points);
  if (!bounds.isValid()) return false;
  // A map laid out while hidden has no size yet; measure before fitting. The opening view is
  // set, not animated: nothing on it moved to follow.
  map.invalidateSize();
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: opts.maxZoom ?? 15, animate: false });
  return true;
}
