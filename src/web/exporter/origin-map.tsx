/**
 * The origin map of a registration: every mining concession drawn, the declared one highlighted
 * and fitted, the origin as a red circle — clicked here or typed in the form; a typed point
 * outside the view is brought into it with the concession.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { Concession } from '../shared/api-types.js';
import { useT } from '../shared/i18n.js';
import { createMap, fitToData, L } from '../shared/map.js';
import { dict } from './i18n.js';

/** The origin map: every concession drawn, the chosen one highlighted, the point as a circle. */
/** The closest a typed point is shown: a few hundred metres across. */
const maxZoom = 14;

export function OriginMap(props: {
  concessions: Concession[];
  selected: string;
  point: [number, number] | null;
  pick(lat: number, lon: number): void;
}) {
  const t = useT(dict);
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const areas = useRef<L.LayerGroup | null>(null);
  const marker = useRef<L.CircleMarker | null>(null);
  const focused = useRef<L.LatLngBounds | null>(null);
  const pick = useRef(props.pick);
  pick.current = props.pick;

  useEffect(() => {
    if (!el.current) return;
    const m = createMap(el.current);
    areas.current = L.layerGroup().addTo(m);
    m.on('click', (e: L.LeafletMouseEvent) => pick.current(e.latlng.lat, e.latlng.lng));
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    const m = map.current;
    const group = areas.current;
    if (!m || !group) return;
    group.clearLayers();
    let focus: L.LatLngBounds | null = null;
    for (const c of props.concessions) {
      const chosen = c.id === props.selected;
      const layer = L.geoJSON(c.geometry, {
        style: {
          color: chosen ? '#0b3d2e' : '#6b6b6b',
          weight: chosen ? 3 : 1,
          fillColor: chosen ? '#f2c230' : '#999',
          fillOpacity: chosen ? 0.35 : 0.1,
        },
      }).bindTooltip(`${c.code} · ${c.name}`);
      group.addLayer(layer);
      if (chosen) focus = layer.getBounds();
    }
    focused.current = focus;
    if (focus) m.fitBounds(focus, { padding: [24, 24] });
    else fitToData(m, group);
  }, [props.concessions, props.selected]);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    marker.current?.remove();
    marker.current = props.point
      ? L.circleMarker(props.point, {
          radius: 9,
          color: '#111',
          weight: 3,
          fillColor: '#d00000',
          fillOpacity: 0.9,
        }).addTo(m)
      : null;
    // A point typed outside the view (75 km from the concession, a sign slipped) is brought into
    // it together with the concession, so the distance between them is seen before reviewing; and
    // a view left far wider than both by a half-typed number ("-7" on the way to "-70.1") closes in
    // again. A point picked inside a view the person zoomed into keeps that view.
    if (props.point) {
      const both = L.latLngBounds([props.point, props.point]);
      if (focused.current) both.extend(focused.current);
      const fits = Math.min(m.getBoundsZoom(both, false, L.point(48, 48)), maxZoom);
      if (!m.getBounds().contains(props.point) || m.getZoom() < fits - 2) {
        // Without animation: the form may unmount the map (Revisar) while a zoom would still run.
        m.fitBounds(both, { padding: [24, 24], maxZoom, animate: false });
      }
    }
  }, [props.point]);

  return (
    <div>
      <div ref={el} class="map" role="application" aria-label={t('mapLabel')} />
      <p class="hint">{t('mapHelp')}</p>
    </div>
  );
}
