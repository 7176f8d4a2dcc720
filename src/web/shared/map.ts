/**
 * Maps of the web apps (Leaflet, bundled with its stylesheet): vector layers drawn by the
 * browser, no basemap by default so that the map works with no network and loads nothing from
 * elsewhere; a raster tile URL (e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png) may be set
 * per device, kept in localStorage under `orotrace.tileUrl`.
 */
import 'leaflet/dist/leaflet.css';
import L from 'leaflet';

export { riskColours } from './risk.js';
export { L };

const tileKey = 'orotrace.tileUrl';

/** Madre de Dios, Peru: where the demo data and the real protected areas are. */
const madreDeDios: L.LatLngBoundsExpression = [
  [-13.4, -72.4],
  [-9.8, -68.6],
];

export function tileUrl(): string | null {
  const url = localStorage.getItem(tileKey);
  return url && /^https:\/\/.+\{z\}.+\{x\}.+\{y\}/.test(url) ? url : null;
}

export function setTileUrl(url: string | null): void {
  if (url) localStorage.setItem(tileKey, url);
  else localStorage.removeItem(tileKey);
}

/** A Leaflet map in `el`, fitted to Madre de Dios, with the configured tiles if any. */
export function createMap(el: HTMLElement, opts: { bounds?: L.LatLngBoundsExpression } = {}): L.Map {
  const map = L.map(el, { preferCanvas: false, zoomSnap: 0.5, keyboard: true });
  const url = tileUrl();
  if (url) L.tileLayer(url, { maxZoom: 18, attribution: new URL(url).host }).addTo(map);
  map.fitBounds(opts.bounds ?? madreDeDios);
  L.control.scale({ imperial: false }).addTo(map);
  return map;
}
