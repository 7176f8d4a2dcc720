/**
 * The risk map: exclusion zones, concessions, checkpoints and the origin points of lots coloured
 * by risk, over bundled reference layers (districts with their names, towns, the Interoceanic
 * highway) so it reads without a basemap; a basemap only when one is configured on this device.
 * It opens on the concessions and lots themselves; dense lot origins are clustered. Map markers
 * of single lots are not reachable by keyboard, so the same lots are listed beside the map.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type Api, allFeatures, type Feature, type FeatureCollection, geoJson } from '../shared/api.js';
import type { Lot } from '../shared/api-types.js';
import { CheckGroup } from '../shared/check-group.js';
import { useLang, useT } from '../shared/i18n.js';
import { useLoad } from '../shared/load.js';
import { createMap, fitToData, L } from '../shared/map.js';
import { clusterPoints, type PointClusters } from '../shared/map-cluster.js';
import { mapWords } from '../shared/map-words.js';
import { type ReferenceKey, referenceLayers } from '../shared/reference-layers.js';
import { TileSettings } from '../shared/tile-settings.js';
import { Problem } from '../shared/ui.js';
import { severityWords } from '../shared/words.js';
import { useRegT } from './i18n.js';
import {
  describeCluster,
  drawCheckpoints,
  drawConcessions,
  drawProvenance,
  drawZones,
  lotMarker,
  originOf,
  riskRank,
} from './map-layers.js';
import { Legend } from './map-legend.js';
import { LotList } from './map-lots.js';
import type { CheckpointProps, ConcessionProps, ZoneProps } from './types.js';

type DataKey = 'zones' | 'concessions' | 'checkpoints' | 'lots' | 'provenance';
type LayerKey = DataKey | ReferenceKey;

export interface Highlight {
  code: string;
  collection: FeatureCollection<Record<string, unknown>>;
}

/** A lot with the point it is drawn at. */
type Placed = { lot: Lot; at: L.LatLng };

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
  const m = useT(mapWords);
  const lang = useLang();
  const { api } = props;
  const el = useRef<HTMLElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const clusters = useRef<PointClusters<Placed> | null>(null);
  const fitted = useRef(false);
  const openLot = useRef(props.onOpenLot);
  openLot.current = props.onOpenLot;
  // The clusterer is made once with the map; it reads the words of the current render through this.
  const words = useRef({ t, lang });
  words.current = { t, lang };
  const groups = useMemo(
    () =>
      ({
        districts: L.layerGroup(),
        highway: L.layerGroup(),
        towns: L.layerGroup(),
        zones: L.layerGroup(),
        concessions: L.layerGroup(),
        checkpoints: L.layerGroup(),
        lots: L.layerGroup(),
        provenance: L.layerGroup(),
      }) satisfies Record<LayerKey, L.LayerGroup>,
    [],
  );
  const [visible, setVisible] = useState<Record<LayerKey, boolean>>({
    districts: true,
    highway: true,
    towns: true,
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
        allFeatures<ZoneProps>((cursor) =>
          api.GET('/v1/zones', {
            params: { query: { limit: 500, cursor } },
            headers: geoJson,
            parseAs: 'text',
          }),
        ),
        allFeatures<ConcessionProps>((cursor) =>
          api.GET('/v1/concessions', {
            params: { query: { limit: 500, cursor } },
            headers: geoJson,
            parseAs: 'text',
          }),
        ),
        allFeatures<CheckpointProps>((cursor) =>
          api.GET('/v1/checkpoints', {
            params: { query: { limit: 500, cursor } },
            headers: geoJson,
            parseAs: 'text',
          }),
        ),
      ]),
    [api],
  );

  // The map, once; the reference layers first, so that everything else is drawn over them.
  useEffect(() => {
    if (!el.current) return;
    // Its own reference layers (below), with switches and a legend.
    const map = createMap(el.current, { reference: false });
    // Lot origins above every area (whichever arrives first), provenance rings just under them.
    const panes: [string, string][] = [
      ['highlight', '440'],
      ['lots', '450'],
    ];
    for (const [name, z] of panes) map.createPane(name).style.zIndex = z;
    mapRef.current = map;
    for (const g of Object.values(groups)) g.addTo(map);
    clusters.current = clusterPoints<Placed>(map, groups.lots, {
      at: (p) => p.at,
      single: (p) => lotMarker(p.lot, p.at, words.current.t, words.current.lang, (id) => openLot.current(id)),
      describe: (members) =>
        describeCluster(
          members.map((p) => p.lot),
          words.current.lang,
        ),
      itemLabel: (p) => `${p.lot.code} · ${severityWords[words.current.lang][p.lot.riskLevel]}`,
      onPick: (p) => openLot.current(p.lot.id),
    });
    return () => {
      clusters.current?.remove();
      clusters.current = null;
      map.remove();
      mapRef.current = null;
    };
  }, [groups]);

  // The reference layers, in the reader's language.
  useEffect(() => {
    const layers = referenceLayers(lang);
    for (const k of ['districts', 'towns', 'highway'] as const) {
      groups[k].clearLayers();
      groups[k].addLayer(layers[k]);
    }
  }, [groups, lang]);

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
    drawConcessions(groups.concessions, concessions as Feature<ConcessionProps>[], t, lang);
    drawZones(groups.zones, zones as Feature<ZoneProps>[], t, lang);
    drawCheckpoints(groups.checkpoints, checkpoints as Feature<CheckpointProps>[], t, lang);
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

  // Lot origins, clustered where they crowd; the view opened once on the concessions and lots.
  useEffect(() => {
    const placed: Placed[] = [];
    for (const lot of shownLots) {
      const at = originOf(lot);
      if (at) placed.push({ lot, at });
    }
    clusters.current?.set(placed);
    const map = mapRef.current;
    // Fitted once, when the map is shown with its data: a hidden map has no size to fit to.
    if (map && props.active && !fitted.current && props.lots && reference.data) {
      fitted.current = true;
      const points = placed.map((p) => p.at);
      if (!fitToData(map, [groups.concessions], { points })) fitToData(map, [groups.zones]);
    }
  }, [shownLots, groups, lang, t, props.lots, reference.data, props.active]);

  // A provenance to highlight: its origins ringed, its concessions outlined.
  useEffect(() => {
    groups.provenance.clearLayers();
    const h = props.highlight;
    if (!h) return;
    const b = drawProvenance(groups.provenance, h.collection);
    setVisible((v) => ({ ...v, provenance: true }));
    if (b.isValid()) mapRef.current?.fitBounds(b.pad(0.3), { maxZoom: 14 });
  }, [props.highlight, groups]);

  const toggles: [LayerKey, string][] = [
    ['zones', t('layerZones')],
    ['concessions', t('layerConcessions')],
    ['checkpoints', t('layerCheckpoints')],
    ['lots', t('layerLots')],
    ...(props.highlight ? ([['provenance', t('layerProvenance')]] as [LayerKey, string][]) : []),
    ['districts', m('districts')],
    ['towns', m('towns')],
    ['highway', m('highway')],
  ];

  return (
    <section aria-labelledby="map-title">
      <h2 id="map-title">{t('mapTitle')}</h2>
      <p class="hint">
        {t('mapHint')} {m('clusterHint')}
      </p>
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
          <CheckGroup
            legend={t('layers')}
            checks={[
              ...toggles.map(([k, label]) => ({
                key: k,
                label,
                checked: visible[k],
                set: (on: boolean) => setVisible((v) => ({ ...v, [k]: on })),
              })),
              { key: 'onlyFlagged', label: t('onlyFlagged'), checked: onlyFlagged, set: setOnlyFlagged },
              { key: 'withConsumed', label: t('withConsumed'), checked: withConsumed, set: setWithConsumed },
            ]}
          />
          <Legend t={t} />
          <TileSettings map={mapRef} />
        </div>
      </div>
      <LotList lots={shownLots} onOpenLot={props.onOpenLot} loading={!props.lots && !props.lotsError} />
    </section>
  );
}
