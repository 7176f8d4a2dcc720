/**
 * The risk map's layers from the API's data: exclusion zones and concessions styled by kind and
 * status, checkpoints as keyboard-reachable markers, lot origins coloured by risk. Popups are
 * built from text nodes only: names from the database never become HTML.
 */
import type { Feature } from '../shared/api.js';
import type { Lot, RiskLevel } from '../shared/api-types.js';
import type { Lang } from '../shared/i18n.js';
import { L, riskColours } from '../shared/map.js';
import { mapWords } from '../shared/map-words.js';
import {
  checkpointPlaceWords,
  concessionKindWords,
  concessionStatusWords,
  permittedUseWords,
  severityWords,
  wordFor,
  zoneKindWords,
} from '../shared/words.js';
import { formatDate, formatDecimal, type T } from './i18n.js';
import type { CheckpointProps, ConcessionProps, ZoneProps } from './types.js';

export const riskOrder: RiskLevel[] = ['critical', 'high', 'medium', 'low', 'none'];
export const riskRank = (r: RiskLevel) => riskOrder.indexOf(r);

export const zoneStyles: Record<string, L.PathOptions> = {
  protected_area: { color: '#0a5c2b', fillColor: '#2e9e4f', fillOpacity: 0.25, weight: 2 },
  buffer_zone: { color: '#4f6b00', fillColor: '#a3c93a', fillOpacity: 0.18, weight: 2, dashArray: '8 5' },
  mining_exclusion: { color: '#5b1f8a', fillColor: '#9b59d0', fillOpacity: 0.22, weight: 2 },
  indigenous_territory: { color: '#7a3d12', fillColor: '#c98b4f', fillOpacity: 0.2, weight: 2 },
  other: { color: '#444', fillColor: '#999', fillOpacity: 0.15, weight: 2 },
  // Zones that permit: outlined, barely filled, so the exclusions inside them stay readable.
  mining_corridor: {
    color: '#7a5a00',
    fillColor: '#d9b44a',
    fillOpacity: 0.06,
    weight: 3,
    dashArray: '12 6',
  },
  micro_zoning: { color: '#1f5f7a', fillColor: '#5aa5c4', fillOpacity: 0.06, weight: 2, dashArray: '3 4' },
};

const concessionColour = (kind: string) => (kind === 'mining' ? '#8a6500' : '#1f4f8a');
const concessionDash: Record<string, string | undefined> = {
  titled: undefined,
  in_process: '6 4',
  expired: '2 5',
  cancelled: '2 5',
};
export const concessionStyle = (kind: string, status: string): L.PathOptions => ({
  color: concessionColour(kind),
  fillColor: kind === 'mining' ? '#f2c230' : '#6f9bd1',
  fillOpacity: status === 'expired' || status === 'cancelled' ? 0.05 : 0.2,
  weight: kind === 'mining' ? 3 : 2,
  ...(concessionDash[status] ? { dashArray: concessionDash[status] } : {}),
});

const checkpointSvg =
  '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true"><rect x="3" y="3" width="18" height="18" rx="2" fill="#0047ff" stroke="#fff" stroke-width="3"/><rect x="3" y="3" width="18" height="18" rx="2" fill="none" stroke="#111" stroke-width="1"/></svg>';

/** Text content only: names from the database never become HTML. */
function popupOf(lines: (string | null | undefined)[]): HTMLElement {
  const div = document.createElement('div');
  lines.forEach((line, i) => {
    if (!line) return;
    const p = document.createElement(i === 0 ? 'strong' : 'div');
    p.textContent = line;
    div.append(p);
  });
  return div;
}

export function drawConcessions(
  group: L.LayerGroup,
  concessions: Feature<ConcessionProps>[],
  t: T,
  lang: Lang,
) {
  L.geoJSON(concessions as unknown as GeoJSON.Feature[], {
    style: (f) => ({
      ...concessionStyle(String(f?.properties?.kind), String(f?.properties?.status)),
      className: 'concession',
    }),
    onEachFeature: (f: GeoJSON.Feature, layer) => {
      const p = f.properties as ConcessionProps;
      layer.bindPopup(
        popupOf([
          `${t('concession')} ${p.code} · ${p.name}`,
          `${wordFor(concessionKindWords[lang], p.kind)} · ${wordFor(concessionStatusWords[lang], p.status)}`,
          `${formatDecimal(p.areaHa, lang)} ha`,
        ]),
      );
    },
  }).addTo(group);
}

export function drawZones(group: L.LayerGroup, zones: Feature<ZoneProps>[], t: T, lang: Lang) {
  L.geoJSON(zones as unknown as GeoJSON.Feature[], {
    style: (f) => ({ ...(zoneStyles[String(f?.properties?.kind)] ?? zoneStyles.other), className: 'zone' }),
    onEachFeature: (f: GeoJSON.Feature, layer) => {
      const p = f.properties as ZoneProps;
      // The zone's name where the pointer is, so a reader knows which reserve without clicking.
      layer.bindTooltip(p.name, { sticky: true });
      layer.bindPopup(
        popupOf([
          p.name,
          wordFor(zoneKindWords[lang], p.kind),
          ...(p.permittedUses?.length
            ? [p.permittedUses.map((u) => permittedUseWords[lang][u] ?? u).join(', ')]
            : []),
          p.legalBasis,
          t('validFrom', { date: formatDate(p.validFrom, lang) }),
        ]),
      );
    },
  }).addTo(group);
}

export function drawCheckpoints(
  group: L.LayerGroup,
  checkpoints: Feature<CheckpointProps>[],
  t: T,
  lang: Lang,
) {
  for (const f of checkpoints) {
    const [lon, lat] = f.geometry.coordinates as [number, number];
    L.marker([lat, lon], {
      icon: L.divIcon({ className: 'checkpoint-icon', html: checkpointSvg, iconSize: [24, 24] }),
      title: `${t('checkpoint')} ${f.properties.code} · ${f.properties.name}`,
      alt: `${t('checkpoint')} ${f.properties.name}`,
      keyboard: true,
    })
      .bindPopup(
        popupOf([
          `${t('checkpoint')} ${f.properties.code}`,
          f.properties.name,
          wordFor(checkpointPlaceWords[lang], f.properties.mode),
          f.properties.routes.join(', '),
        ]),
      )
      .addTo(group);
  }
}

/** Where a lot was extracted, as Leaflet takes it; null when it has no origin. */
export function originOf(lot: Lot): L.LatLng | null {
  if (!lot.origin) return null;
  const [lon, lat] = lot.origin.coordinates as [number, number];
  return L.latLng(lat, lon);
}

/** A lot's origin alone on the map: a disc in its risk colour, opening the lot on click. */
export function lotMarker(lot: Lot, at: L.LatLng, t: T, lang: Lang, open: (id: string) => void): L.Layer {
  return L.circleMarker(at, {
    radius: lot.riskLevel === 'none' ? 7 : 10,
    color: '#111',
    weight: 2,
    fillColor: riskColours[lot.riskLevel] ?? riskColours.none,
    fillOpacity: 0.9,
    className: `lot-marker lot-${lot.id} risk-${lot.riskLevel}`,
    pane: 'lots',
  })
    .bindTooltip(`${lot.code} · ${t('risk')}: ${severityWords[lang][lot.riskLevel]}`)
    .on('click', () => open(lot.id));
}

/** A cluster of lots as the map says it: how many, the highest risk, which codes (the first eight). */
export function describeCluster(lots: Lot[], lang: Lang) {
  const w = mapWords[lang];
  const say = (text: string, params: Record<string, string | number>) =>
    text.replace(/\{(\w+)\}/g, (m, k: string) => String(params[k] ?? m));
  const riskiest = [...lots].sort((a, b) => riskRank(a.riskLevel) - riskRank(b.riskLevel))[0];
  const risk = riskiest?.riskLevel ?? 'none';
  const codes = lots.map((l) => l.code).sort();
  const listed =
    codes.length > 8
      ? say(w.clusterMore, { codes: codes.slice(0, 8).join(', '), n: codes.length - 8 })
      : codes.join(', ');
  return {
    label: `${say(w.cluster, { n: lots.length, risk: severityWords[lang][risk], codes: listed })} ${w.clusterExpand}`,
    ring: riskColours[risk] ?? riskColours.none ?? '#111',
    title: say(w.clusterTitle, { n: lots.length }),
  };
}

/** A lot's provenance on the map: its origins ringed, its concessions outlined; returns their extent. */
export function drawProvenance(group: L.LayerGroup, collection: unknown): L.LatLngBounds {
  return L.geoJSON(collection as GeoJSON.FeatureCollection, {
    style: () => ({ color: '#0047ff', weight: 4, fillOpacity: 0.05, dashArray: '10 6' }),
    pointToLayer: (f, latlng) =>
      L.circleMarker(latlng, {
        radius: 16,
        color: '#0047ff',
        weight: 4,
        fill: false,
        pane: 'highlight',
        className: 'provenance-marker',
      }).bindTooltip(String((f.properties as { code?: string }).code ?? '')),
  })
    .addTo(group)
    .getBounds();
}
