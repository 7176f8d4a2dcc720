/**
 * Clustering of dense points on a grid of the screen: at each zoom, points that fall in the same
 * square of `cellPx` pixels (or in neighbouring squares, close enough that their discs would
 * overlap) are drawn as one disc with their count, ringed in the colour the
 * caller gives (the riskiest lot's). A cluster is a keyboard-focusable button whose accessible
 * name says how many points it holds and which; activating it zooms in until they part, or, when
 * they cannot part (the same spot, or the deepest zoom), lists them in a popup of buttons.
 * A few dozen lines instead of a plugin: a grid is all the density of a province's lots needs,
 * and the accessible names are ours to word.
 */
import { L } from './map.js';

interface ClusterOptions<T> {
  /** Where an item stands. */
  at(item: T): L.LatLng;
  /** The layer of an item drawn alone. */
  single(item: T): L.Layer;
  /** The accessible name and ring colour of a group of items. */
  describe(items: T[]): { label: string; ring: string; title: string };
  /** An item's name in the list of a cluster that cannot part. */
  itemLabel(item: T): string;
  /** An item chosen from that list. */
  onPick(item: T): void;
  /** Side of a grid square, in screen pixels. */
  cellPx?: number;
  /** The deepest zoom a cluster may ask for. */
  maxZoom?: number;
}

export interface PointClusters<T> {
  /** Draws these items (replacing the previous ones). */
  set(items: T[]): void;
  /** How many markers (single items and clusters) are drawn now. */
  count(): number;
  remove(): void;
}

/** Clusters `items` into `target` (a group already on `map`), again at every zoom. */
export function clusterPoints<T>(
  map: L.Map,
  target: L.LayerGroup,
  opts: ClusterOptions<T>,
): PointClusters<T> {
  const cell = opts.cellPx ?? 44;
  const deepest = opts.maxZoom ?? 17;
  let items: T[] = [];
  let drawn = 0;

  const listOf = (members: T[], at: L.LatLng) => {
    const box = document.createElement('div');
    const title = document.createElement('strong');
    title.textContent = opts.describe(members).title;
    const list = document.createElement('ul');
    list.className = 'map-cluster-list';
    for (const item of members) {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary';
      button.textContent = opts.itemLabel(item);
      button.addEventListener('click', () => {
        map.closePopup();
        opts.onPick(item);
      });
      li.append(button);
      list.append(li);
    }
    box.append(title, list);
    const popup = L.popup({ maxWidth: 320 }).setLatLng(at).setContent(box).openOn(map);
    popup.getElement()?.querySelector('button')?.focus();
  };

  const clusterMarker = (members: T[]) => {
    const bounds = L.latLngBounds(members.map(opts.at));
    const look = opts.describe(members);
    const size = members.length < 10 ? 36 : members.length < 100 ? 42 : 48;
    const html = document.createElement('div');
    html.className = 'disc';
    html.style.setProperty('--ring', look.ring);
    html.setAttribute('aria-hidden', 'true');
    html.textContent = String(members.length);
    const name = document.createElement('span');
    name.className = 'map-sr';
    name.textContent = look.label;
    const icon = L.divIcon({
      className: 'map-cluster',
      html: wrap(html, name),
      iconSize: [size, size],
    });
    const marker = L.marker(bounds.getCenter(), { icon, keyboard: true, title: look.title });
    const activate = () => {
      const apart = !bounds.getNorthEast().equals(bounds.getSouthWest());
      if (apart && map.getZoom() < deepest) {
        // Keyboard focus stays on the map rather than falling to the page when the cluster goes.
        map.getContainer().focus({ preventScroll: true });
        map.fitBounds(bounds, { padding: [48, 48], maxZoom: deepest });
      } else listOf(members, bounds.getCenter());
    };
    marker.on('click', activate);
    // Leaflet makes a keyboard marker focusable with role=button but maps no key to it: Enter and
    // Space activate it here, as they would a button.
    marker.on('add', () =>
      marker.getElement()?.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        e.stopPropagation();
        activate();
      }),
    );
    return marker;
  };

  const render = () => {
    target.clearLayers();
    const zoom = map.getZoom();
    const cells = new Map<string, T[]>();
    for (const item of items) {
      const p = map.project(opts.at(item), zoom);
      const key = `${Math.floor(p.x / cell)}:${Math.floor(p.y / cell)}`;
      const members = cells.get(key);
      if (members) members.push(item);
      else cells.set(key, [item]);
    }
    drawn = 0;
    for (const members of apartGroups([...cells.values()], (item) => map.project(opts.at(item), zoom))) {
      const [first] = members;
      if (first === undefined) continue;
      target.addLayer(members.length === 1 ? opts.single(first) : clusterMarker(members));
      drawn++;
    }
  };

  map.on('zoomend', render);
  return {
    set(next) {
      items = next;
      render();
    },
    count: () => drawn,
    remove() {
      map.off('zoomend', render);
      target.clearLayers();
    },
  };
}

/**
 * Grid squares whose points sit near a shared edge would draw discs on top of each other (two
 * clusters, "4" over "2", neither readable nor easy to touch on a phone): groups whose marks
 * would touch are merged, the largest first, until every mark stands apart.
 */
/**
 * Half a mark's drawn width plus a margin, in pixels: a lot's circle, or a cluster's disc
 * (clusterMarker's sizes) with its 2 px outer ring (map.css).
 */
const reach = (n: number) => (n === 1 ? 10 : (n < 10 ? 18 : n < 100 ? 21 : 24) + 2) + 2;

function apartGroups<T>(groups: T[][], px: (item: T) => L.Point): T[][] {
  const centre = (members: T[]) => {
    const ps = members.map(px);
    const xs = ps.map((p) => p.x);
    const ys = ps.map((p) => p.y);
    return L.point((Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2);
  };
  let merged = true;
  let out = [...groups].sort((a, b) => b.length - a.length);
  while (merged) {
    merged = false;
    const kept: { members: T[]; at: L.Point }[] = [];
    for (const members of out) {
      const at = centre(members);
      const near = kept.find((k) => k.at.distanceTo(at) < reach(k.members.length) + reach(members.length));
      if (near) {
        near.members = [...near.members, ...members];
        near.at = centre(near.members);
        merged = true;
      } else kept.push({ members, at });
    }
    out = kept.map((k) => k.members);
  }
  return out;
}

function wrap(...children: HTMLElement[]): HTMLElement {
  const div = document.createElement('div');
  div.style.width = '100%';
  div.style.height = '100%';
  div.append(...children);
  return div;
}
