/**
 * What the shared map widgets say (reference layers, clusters, basemap settings), in Spanish and
 * English; an app's own map strings stay in its dictionary.
 */
import type { Dict } from './i18n.js';

export const mapWords: Dict<
  | 'districts'
  | 'district'
  | 'towns'
  | 'townApprox'
  | 'highway'
  | 'highwayApprox'
  | 'reference'
  | 'approximate'
  | 'source'
  | 'cluster'
  | 'clusterMore'
  | 'clusterExpand'
  | 'clusterTitle'
  | 'clusterLegend'
  | 'clusterHint'
  | 'settings'
  | 'tileUrl'
  | 'tileHelp'
  | 'tileInvalid'
  | 'save'
  | 'clear'
  | 'zoomIn'
  | 'zoomOut'
  | 'leafletTitle'
> = {
  es: {
    districts: 'Distritos',
    district: 'Distrito {name} (provincia {province})',
    towns: 'Ciudades (ubicación aproximada)',
    townApprox: '{name}: ubicación aproximada (capital del distrito {district})',
    highway: 'Carretera Interoceánica (trazo aproximado)',
    highwayApprox: 'Trazo aproximado: tramos rectos entre {towns}; no sigue la vía.',
    reference: 'Referencia',
    approximate: 'aproximado',
    source: 'Fuente: {source}',
    cluster: 'Grupo de {n} lotes, riesgo más alto {risk}: {codes}.',
    clusterMore: '{codes} y {n} más',
    clusterExpand: 'Active para verlos por separado.',
    clusterTitle: '{n} lotes',
    clusterLegend: 'Grupo de lotes cercanos (número de lotes; borde: riesgo más alto)',
    clusterHint:
      'Un disco con un número agrupa lotes cercanos: actívelo (clic o Intro) para acercar el mapa y verlos por separado.',
    settings: 'Ajustes del mapa',
    tileUrl: 'Dirección de teselas del mapa base (opcional)',
    tileHelp:
      'Por ejemplo https://tile.openstreetmap.org/{z}/{x}/{y}.png. Vacío: sin mapa base, solo capas vectoriales (funciona sin red).',
    tileInvalid: 'La dirección debe empezar con https:// y contener {z}, {x} e {y}.',
    save: 'Guardar',
    clear: 'Quitar mapa base',
    zoomIn: 'Acercar',
    zoomOut: 'Alejar',
    leafletTitle: 'Biblioteca de mapas interactivos',
  },
  en: {
    districts: 'Districts',
    district: 'District {name} (province {province})',
    towns: 'Towns (approximate location)',
    townApprox: '{name}: approximate location (capital of the district {district})',
    highway: 'Interoceanic highway (approximate course)',
    highwayApprox: 'Approximate course: straight segments between {towns}; it does not follow the road.',
    reference: 'Reference',
    approximate: 'approximate',
    source: 'Source: {source}',
    cluster: 'Group of {n} lots, highest risk {risk}: {codes}.',
    clusterMore: '{codes} and {n} more',
    clusterExpand: 'Activate to see them one by one.',
    clusterTitle: '{n} lots',
    clusterLegend: 'Group of nearby lots (number of lots; ring: highest risk)',
    clusterHint:
      'A disc with a number groups nearby lots: activate it (click or Enter) to zoom in and see them one by one.',
    settings: 'Map settings',
    tileUrl: 'Basemap tile URL (optional)',
    tileHelp:
      'For example https://tile.openstreetmap.org/{z}/{x}/{y}.png. Empty: no basemap, vector layers only (works without network).',
    tileInvalid: 'The URL must start with https:// and contain {z}, {x} and {y}.',
    save: 'Save',
    clear: 'Remove basemap',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    leafletTitle: 'A JavaScript library for interactive maps',
  },
};
