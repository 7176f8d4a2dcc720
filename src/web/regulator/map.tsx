/**
 * The risk map: exclusion zones, concessions, checkpoints and the origin points of lots
 * coloured by risk (Leaflet, vector layers; a basemap only when one is configured on this
 * device). Map markers are not reachable by keyboard, so the same lots are listed beside the map.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type Api, allFeatures, type Feature, type FeatureCollection } from '../shared/api.js';
import type { Lot, RiskLevel } from '../shared/api-types.js';
import { useLang } from '../shared/i18n.js';
import { useLoad } from '../shared/load.js';
import { createMap, L, riskColours, setTileUrl, tileUrl } from '../shared/map.js';
import { Problem, SeverityBadge } from '../shared/ui.js';
import { lotStatusWords, severityWords } from '../shared/words.js';
import {
  concessionKindWords,
  concessionStatusWords,
  formatDate,
  formatDecimal,
  type T,
  travelModeWords,
  useRegT,
  zoneKindWords,
} from './i18n.js';
import type { CheckpointProps, ConcessionProps, ZoneProps } from './types.js';

const riskOrder: RiskLevel[] = ['critical', 'high', 'medium', 'low', 'none'];
const riskRank = (r: RiskLevel) => riskOrder.indexOf(r);

const zoneStyles: Record<string, L.PathOptions> = {
  protected_area: { color: '#0a5c2b', fillColor: '#2e9e4f', fillOpacity: 0.25, weight: 2 },
  buffer_zone: { color: '#4f6b00', fillColor: '#a3c93a', fillOpacity: 0.18, weight: 2, dashArray: '8 5' },
  mining_exclusion: { color: '#5b1f8a', fillColor: '#9b59d0', fillOpacity: 0.22, weight: 2 },
  indigenous_territory: { color: '#7a3d12', fillColor: '#c98b4f', fillOpacity: 0.2, weight: 2 },
  other: { color: '#444', fillColor: '#999', fillOpacity: 0.15, weight: 2 },
};

const concessionColour = (kind: string) => (kind === 'mining' ? '#8a6500' : '#1f4f8a');
const concessionDash: Record<string, string | undefined> = {
  titled: undefined,
  in_process: '6 4',
  expired: '2 5',
  cancelled: '2 5',
};
const concessionStyle = (kind: string, status: string): L.PathOptions => ({
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

type LayerKey = 'zones' | 'concessions' | 'checkpoints' | 'lots' | 'provenance';

export interface Highlight {
  code: string;
  collection: FeatureCollection<Record<string, unknown>>;
}

export function MapScreen(props: {
  api: Api;
  active: boolean;
  lots: Lot[] | undefined;
  lotsError: string | undefined;
  highlight: Highlight | null;
  onClearHighlight(): void;
  onOpenLot(id: string): void;
}) {
  const t = useRegT();
  const lang = useLang();
  const { api } = props;
  const el = useRef<HTMLElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const tileRef = useRef<L.TileLayer | null>(null);
  const fitted = useRef(false);
  const groups = useMemo(
    () =>
      ({
        zones: L.layerGroup(),
        concessions: L.layerGroup(),
        checkpoints: L.layerGroup(),
        lots: L.layerGroup(),
        provenance: L.layerGroup(),
      }) satisfies Record<LayerKey, L.LayerGroup>,
    [],
  );
  const [visible, setVisible] = useState<Record<LayerKey, boolean>>({
    zones: true,
    concessions: true,
    checkpoints: true,
    lots: true,
    provenance: true,
  });
  const [onlyFlagged, setOnlyFlagged] = useState(false);
  // A consumed lot's gold lives on in the lots made from it, at the same origin: hidden unless asked.
  const [withConsumed, setWithConsumed] = useState(false);

  const reference = useLoad(
    () =>
      Promise.all([
        allFeatures<ZoneProps>(api, '/v1/zones'),
        allFeatures<ConcessionProps>(api, '/v1/concessions'),
        allFeatures<CheckpointProps>(api, '/v1/checkpoints'),
      ]),
    [api],
  );

  // The map, once.
  useEffect(() => {
    if (!el.current) return;
    const map = createMap(el.current);
    // Lot origins above every area (whichever arrives first), provenance rings just under them.
    const panes: [string, string][] = [
      ['highlight', '440'],
      ['lots', '450'],
    ];
    for (const [name, z] of panes) map.createPane(name).style.zIndex = z;
    mapRef.current = map;
    for (const g of Object.values(groups)) g.addTo(map);
    return () => {
      map.remove();
      mapRef.current = null;
    };
  }, [groups]);

  // A hidden map has no size: measure again when its tab is shown.
  useEffect(() => {
    if (props.active) mapRef.current?.invalidateSize();
  }, [props.active]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    for (const [k, g] of Object.entries(groups) as [LayerKey, L.LayerGroup][]) {
      if (visible[k] && !map.hasLayer(g)) g.addTo(map);
      if (!visible[k] && map.hasLayer(g)) g.remove();
    }
  }, [visible, groups]);

  // Zones, concessions, checkpoints.
  useEffect(() => {
    const data = reference.data;
    if (!data) return;
    const [zones, concessions, checkpoints] = data;
    groups.zones.clearLayers();
    groups.concessions.clearLayers();
    groups.checkpoints.clearLayers();
    L.geoJSON(concessions as unknown as GeoJSON.Feature[], {
      style: (f) => concessionStyle(String(f?.properties?.kind), String(f?.properties?.status)),
      onEachFeature: (f: GeoJSON.Feature, layer) => {
        const p = f.properties as ConcessionProps;
        layer.bindPopup(
          popupOf([
            `${t('concession')} ${p.code} · ${p.name}`,
            `${concessionKindWords[lang][p.kind] ?? p.kind} · ${concessionStatusWords[lang][p.status] ?? p.status}`,
            `${formatDecimal(p.areaHa, lang)} ha`,
          ]),
        );
      },
    }).addTo(groups.concessions);
    L.geoJSON(zones as unknown as GeoJSON.Feature[], {
      style: (f) => zoneStyles[String(f?.properties?.kind)] ?? zoneStyles.other ?? {},
      onEachFeature: (f: GeoJSON.Feature, layer) => {
        const p = f.properties as ZoneProps;
        layer.bindPopup(
          popupOf([
            p.name,
            zoneKindWords[lang][p.kind] ?? p.kind,
            p.legalBasis,
            t('validFrom', { date: formatDate(p.validFrom, lang) }),
          ]),
        );
      },
    }).addTo(groups.zones);
    for (const f of checkpoints as Feature<CheckpointProps>[]) {
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
            travelModeWords[lang][f.properties.mode] ?? f.properties.mode,
            f.properties.routes.join(', '),
          ]),
        )
        .addTo(groups.checkpoints);
    }
  }, [reference.data, groups, lang, t]);

  const shownLots = useMemo(() => {
    const all = props.lots ?? [];
    const chosen = all.filter(
      (l) => (!onlyFlagged || l.riskLevel !== 'none') && (withConsumed || l.status !== 'consumed'),
    );
    return [...chosen].sort(
      (a, b) => riskRank(a.riskLevel) - riskRank(b.riskLevel) || a.code.localeCompare(b.code),
    );
  }, [props.lots, onlyFlagged, withConsumed]);

  // Lot origins, the riskiest drawn last (on top).
  useEffect(() => {
    groups.lots.clearLayers();
    const bounds: L.LatLngExpression[] = [];
    for (const lot of [...shownLots].reverse()) {
      if (!lot.origin) continue;
      const [lon, lat] = lot.origin.coordinates as [number, number];
      bounds.push([lat, lon]);
      const colour = riskColours[lot.riskLevel] ?? riskColours.none;
      L.circleMarker([lat, lon], {
        radius: lot.riskLevel === 'none' ? 7 : 10,
        color: '#111',
        weight: 2,
        fillColor: colour,
        fillOpacity: 0.9,
        className: `lot-marker lot-${lot.id} risk-${lot.riskLevel}`,
        pane: 'lots',
      })
        .bindTooltip(`${lot.code} · ${t('risk')}: ${severityWords[lang][lot.riskLevel]}`)
        .on('click', () => props.onOpenLot(lot.id))
        .addTo(groups.lots);
    }
    const map = mapRef.current;
    const data = reference.data;
    if (map && !fitted.current && props.lots && data) {
      fitted.current = true;
      const all = L.featureGroup([...groups.zones.getLayers(), ...groups.concessions.getLayers()]);
      const b = all.getLayers().length ? all.getBounds() : L.latLngBounds([]);
      for (const p of bounds) b.extend(p);
      map.invalidateSize();
      if (b.isValid()) map.fitBounds(b.pad(0.05), { maxZoom: 14 });
    }
  }, [shownLots, groups, lang, t, props.onOpenLot, props.lots, reference.data]);

  // A provenance to highlight: its origins ringed, its concessions outlined.
  useEffect(() => {
    groups.provenance.clearLayers();
    const h = props.highlight;
    if (!h) return;
    const layer = L.geoJSON(h.collection as unknown as GeoJSON.FeatureCollection, {
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
    }).addTo(groups.provenance);
    setVisible((v) => ({ ...v, provenance: true }));
    const b = layer.getBounds();
    if (b.isValid()) mapRef.current?.fitBounds(b.pad(0.3), { maxZoom: 14 });
  }, [props.highlight, groups]);

  const toggles: [LayerKey, string][] = [
    ['zones', t('layerZones')],
    ['concessions', t('layerConcessions')],
    ['checkpoints', t('layerCheckpoints')],
    ['lots', t('layerLots')],
    ...(props.highlight ? ([['provenance', t('layerProvenance')]] as [LayerKey, string][]) : []),
  ];

  return (
    <section aria-labelledby="map-title">
      <h2 id="map-title">{t('mapTitle')}</h2>
      <p class="hint">{t('mapHint')}</p>
      <Problem>{reference.error ?? props.lotsError}</Problem>
      {props.highlight && (
        <div class="notice map-highlight" role="status">
          <span>{t('highlighting', { code: props.highlight.code })}</span>{' '}
          <button type="button" class="secondary" onClick={props.onClearHighlight}>
            {t('highlightClear')}
          </button>
        </div>
      )}
      <div class="map-layout">
        <div class="map-frame">
          <section ref={el} class="risk-map" aria-label={t('mapLabel')} />
        </div>
        <div class="map-side">
          <fieldset>
            <legend>{t('layers')}</legend>
            {toggles.map(([k, label]) => (
              <label class="check" key={k}>
                <input
                  type="checkbox"
                  checked={visible[k]}
                  onChange={(e) =>
                    setVisible({ ...visible, [k]: (e.currentTarget as HTMLInputElement).checked })
                  }
                />{' '}
                {label}
              </label>
            ))}
            <label class="check">
              <input
                type="checkbox"
                checked={onlyFlagged}
                onChange={(e) => setOnlyFlagged((e.currentTarget as HTMLInputElement).checked)}
              />{' '}
              {t('onlyFlagged')}
            </label>
            <label class="check">
              <input
                type="checkbox"
                checked={withConsumed}
                onChange={(e) => setWithConsumed((e.currentTarget as HTMLInputElement).checked)}
              />{' '}
              {t('withConsumed')}
            </label>
          </fieldset>
          <Legend t={t} />
          <TileSettings t={t} map={mapRef} tile={tileRef} />
        </div>
      </div>
      <LotList lots={shownLots} onOpenLot={props.onOpenLot} loading={!props.lots && !props.lotsError} />
    </section>
  );
}

function Legend({ t }: { t: T }) {
  const lang = useLang();
  const swatch = (style: L.PathOptions) => ({
    background: style.fillColor,
    borderColor: style.color,
    borderStyle: !style.dashArray ? 'solid' : String(style.dashArray).startsWith('2 ') ? 'dotted' : 'dashed',
  });
  return (
    <section class="legend" aria-labelledby="legend-title">
      <h3 id="legend-title">{t('legend')}</h3>
      <h4>{t('riskLegend')}</h4>
      <ul>
        {riskOrder.map((r) => (
          <li key={r}>
            <span class="dot" style={{ background: riskColours[r] }} aria-hidden="true" />{' '}
            {severityWords[lang][r]}
          </li>
        ))}
      </ul>
      <h4>{t('layerZones')}</h4>
      <ul>
        {Object.entries(zoneStyles).map(([k, s]) => (
          <li key={k}>
            <span class="area" style={swatch(s)} aria-hidden="true" /> {zoneKindWords[lang][k] ?? k}
          </li>
        ))}
      </ul>
      <h4>{t('layerConcessions')}</h4>
      <ul>
        {(['mining', 'timber'] as const).map((k) => (
          <li key={k}>
            <span class="area" style={swatch(concessionStyle(k, 'titled'))} aria-hidden="true" />{' '}
            {k === 'mining'
              ? concessionKindWords[lang].mining
              : lang === 'es'
                ? 'Otros derechos'
                : 'Other rights'}
          </li>
        ))}
        {(['in_process', 'expired'] as const).map((s) => (
          <li key={s}>
            <span class="area" style={swatch(concessionStyle('mining', s))} aria-hidden="true" />{' '}
            {concessionStatusWords[lang][s]}
          </li>
        ))}
      </ul>
      <h4>{t('layerCheckpoints')}</h4>
      <ul>
        <li>
          <span class="square" aria-hidden="true" /> {t('checkpoint')}
        </li>
      </ul>
    </section>
  );
}

function TileSettings({
  t,
  map,
  tile,
}: {
  t: T;
  map: { current: L.Map | null };
  tile: { current: L.TileLayer | null };
}) {
  const [draft, setDraft] = useState(() => tileUrl() ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const apply = (url: string | null) => {
    setTileUrl(url);
    tile.current?.remove();
    tile.current = null;
    const m = map.current;
    // createMap put the configured tiles on the map when it was made; replace whatever is there.
    m?.eachLayer((l) => {
      if (l instanceof L.TileLayer) l.remove();
    });
    if (url && m) tile.current = L.tileLayer(url, { maxZoom: 18, attribution: new URL(url).host }).addTo(m);
  };
  return (
    <details class="settings">
      <summary>{t('settings')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const url = draft.trim();
          if (url && !/^https:\/\/.+\{z\}.+\{x\}.+\{y\}/.test(url)) {
            setProblem(t('tileInvalid'));
            return;
          }
          setProblem(null);
          apply(url || null);
        }}
      >
        <label for="tile-url">{t('tileUrl')}</label>
        <input
          id="tile-url"
          type="url"
          inputMode="url"
          value={draft}
          aria-describedby="tile-help"
          onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
        />
        <p class="hint" id="tile-help">
          {t('tileHelp')}
        </p>
        <Problem>{problem}</Problem>
        <div class="actions">
          <button type="submit">{t('save')}</button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft('');
              setProblem(null);
              apply(null);
            }}
          >
            {t('clear')}
          </button>
        </div>
      </form>
    </details>
  );
}

function LotList(props: { lots: Lot[]; loading: boolean; onOpenLot(id: string): void }) {
  const t = useRegT();
  const lang = useLang();
  const shown = props.lots.slice(0, 500);
  return (
    <section aria-labelledby="lot-list-title">
      <h3 id="lot-list-title">{t('lotsOnMap', { n: props.lots.length })}</h3>
      {props.loading ? (
        <p role="status">…</p>
      ) : shown.length === 0 ? (
        <p>{t('noLots')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('code')}</th>
                <th scope="col">{t('risk')}</th>
                <th scope="col">{t('lotStatus')}</th>
                <th scope="col" class="num">
                  {t('fine')} (g)
                </th>
                <th scope="col">{t('origin')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((l) => (
                <tr key={l.id}>
                  <td>
                    <button
                      type="button"
                      class="secondary link-button"
                      aria-label={t('openLot', { code: l.code })}
                      onClick={() => props.onOpenLot(l.id)}
                    >
                      {l.code}
                    </button>
                  </td>
                  <td>
                    <SeverityBadge level={l.riskLevel} />
                  </td>
                  <td>{lotStatusWords[lang][l.status]}</td>
                  <td class="num">{formatDecimal(l.fineWeightG, lang)}</td>
                  <td>
                    {l.origin
                      ? `${(l.origin.coordinates[1] as number).toFixed(4)}, ${(l.origin.coordinates[0] as number).toFixed(4)}`
                      : t('noOrigin')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
