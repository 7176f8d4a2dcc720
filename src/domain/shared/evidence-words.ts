/**
 * A flag's evidence for a person, in the reader's language: a sentence for the rules met most,
 * and every other fact as a labelled line (ids, bounding boxes and areas left out: the apps link
 * the subject and draw areas on maps). Every key a rule writes has words in both languages
 * (evidenceKeys, checked against the rules' SQL by a unit test); values that are codes (timber,
 * titled, in_transit…) are worded through words.ts; numbers and dates follow es-PE conventions
 * (as web/shared/numbers.ts formats them). Plain code, free of the DOM: the regulator's console
 * and the exporter and checkpoint apps show it (through web/shared/evidence.ts), and the LA/FT
 * report's CSV writes its evidence summary with it.
 */

import type { RuleCode } from './vocabulary.js';
import {
  actorKindWords,
  concessionKindWords,
  concessionStatusWords,
  inputWords,
  type WordLang as Lang,
  lotStatusWords,
  minerCategoryWords,
  miningMethodWords,
  paymentMethodWords,
  registrationStatusWords,
  registryWords,
  transferOperationWords,
  travelModeWords,
  wordFor,
  zoneKindWords,
} from './words.js';

/** Numbers and dates in the language's conventions: Peru's Spanish, or English (as web/shared/numbers.ts). */
const dateLocale = (lang: Lang): string => (lang === 'es' ? 'es-PE' : 'en-US');

type Evidence = Record<string, unknown>;

/** Every key the screening rules write into evidence (at any depth) that a person may read. */
export const evidenceKeys = [
  'actorRole',
  'amount',
  'areaCapacityFineG',
  'areaHa',
  'atExtraction',
  'atRegistration',
  'attribution',
  'authorization',
  'bandFromFineG',
  'bandHighRatio',
  'bandLowRatio',
  'bandPercent',
  'basis',
  'bizStep',
  'capacityFineG',
  'categoryCapacityFineG',
  'categoryDailyFineG',
  'categoryValidFrom',
  'categoryValidTo',
  'checkpointCode',
  'checkpointLocation',
  'checkpointMode',
  'checkpointName',
  'checkpointRoutes',
  'code',
  'concessionAreaHa',
  'concessionCode',
  'concessionName',
  'consigneeName',
  'corridorNames',
  'currency',
  'custodySince',
  'declared',
  'declaredFineG',
  'declaredOn',
  'declaredRoute',
  'depth',
  'depthM',
  'destination',
  'difference',
  'direction',
  'distanceKm',
  'distanceM',
  'elapsedMin',
  'endedAt',
  'endedBy',
  'estimatedValueUsd',
  'eventID',
  'excess',
  'exportedGrossWeightG',
  'extractedOn',
  'fastestRoute',
  'finding',
  'fineKgPerHaYear',
  'fineWeightG',
  'flightMin',
  'footprintSource',
  'from',
  'fromCheckpointCode',
  'fuelL',
  'fuelRatio',
  'fuelSupportsFineG',
  'geometryVersion',
  'goldFrom',
  'goldTo',
  'goldUsdPerOz',
  'grantedOn',
  'grossWeightG',
  'groundKmAfter',
  'groundKmBefore',
  'handedOnAt',
  'highFromUsd',
  'holderCategory',
  'holderName',
  'impliedKmh',
  'inForce',
  'inGrace',
  'input',
  'inputsFrom',
  'inputsTo',
  'invoice',
  'issuedOn',
  'judged',
  'kind',
  'kinds',
  'lagDays',
  'layerFrom',
  'layerName',
  'layerSource',
  'layerTo',
  'leadDays',
  'legalBasis',
  'lotCode',
  'lotCount',
  'lotFineG',
  'lotStatus',
  'lots',
  'lotsWithheld',
  'maxFineGPerLitre',
  'maxKmh',
  'maxMercuryKgPerKgGold',
  'mercuryKg',
  'mercuryKgPerKgGold',
  'mercuryRatio',
  'mercurySupportsFineG',
  'method',
  'minDiversionMercuryKg',
  'minLots',
  'minMercuryKgPerKgGold',
  'minPlausibleMin',
  'minWindowFineG',
  'minedAreaHa',
  'minedCapacityFineG',
  'minedFineKgPerHaYear',
  'miningMethod',
  'month',
  'movementCode',
  'movementsCounted',
  'multipleOperationsUsd',
  'name',
  'nearestDetectionM',
  'nearestDetectionPeriod',
  'number',
  'observed',
  'occurredAt',
  'operation',
  'operationCount',
  'operators',
  'origin',
  'originInOverlap',
  'otherCode',
  'otherGeometryVersion',
  'otherHolderName',
  'otherKind',
  'otherName',
  'otherScan',
  'otherStatus',
  'overlap',
  'overlapHa',
  'overlapShare',
  'overlapSimplified',
  'pattern',
  'payment',
  'peakFactor',
  'penPerUsd',
  'price',
  'priceUsd',
  'priceUsdPerFineG',
  'producerName',
  'provisional',
  'quantity',
  'quota',
  'ratio',
  'reasons',
  'received',
  'receivedAt',
  'receivedBy',
  'receivedGrossWeightG',
  'record',
  'reference',
  'referenceUsdPerFineG',
  'region',
  'registeredAt',
  'registeredOn',
  'registration',
  'registrationValidFrom',
  'registrationValidTo',
  'retiredOn',
  'route',
  'scan',
  'seenUpTo',
  'source',
  'sourceLotId',
  'sources',
  'status',
  'step',
  'thresholdFineG',
  'thresholdPen',
  'thresholdUsd',
  'thresholdsVersion',
  'to',
  'toCheckpointCode',
  'tolerance',
  'totalFineG',
  'totalUsd',
  'traderRegistration',
  'unit',
  'usdPerEur',
  'usdPerFineG',
  'validFrom',
  'validTo',
  'versionValidFrom',
  'versionValidTo',
  'via',
  'whollyInside',
  'windowDays',
  'windowFrom',
  'windowTo',
  'zone',
  'zoneKind',
  'zoneName',
  'zoneValidFrom',
  'zoneValidTo',
] as const;
type EvidenceKey = (typeof evidenceKeys)[number];

const labels: Record<Lang, Record<EvidenceKey, string>> = {
  es: {
    geometryVersion: 'Versión de la geometría de la concesión',
    otherGeometryVersion: 'Versión de la geometría del otro derecho',
    versionValidFrom: 'Geometría vigente desde',
    versionValidTo: 'Geometría vigente hasta',
    region: 'Región (departamento)',
    corridorNames: 'Corredor minero',
    holderCategory: 'Categoría del minero',
    miningMethod: 'Método de minería',
    categoryDailyFineG: 'Tope legal de la categoría por día (g fino)',
    categoryCapacityFineG: 'Capacidad según la categoría (g fino)',
    categoryValidFrom: 'Categoría vigente desde',
    categoryValidTo: 'Categoría vigente hasta',
    actorRole: 'Papel del actor',
    amount: 'Monto',
    areaCapacityFineG: 'Capacidad según el área (g fino)',
    areaHa: 'Área (ha)',
    atExtraction: 'Registro a la fecha de extracción',
    atRegistration: 'Registro a la fecha de registro del lote',
    attribution: 'Atribución',
    authorization: 'Autorización',
    bandFromFineG: 'Banda desde (g fino)',
    bandHighRatio: 'Banda: máximo',
    bandLowRatio: 'Banda: mínimo',
    bandPercent: 'Ancho de la banda (%)',
    basis: 'Juzgado sobre',
    capacityFineG: 'Capacidad (g)',
    checkpointCode: 'Puesto de control',
    checkpointLocation: 'Ubicación del puesto (lat, lon)',
    checkpointMode: 'Tipo de puesto',
    checkpointName: 'Nombre del puesto',
    checkpointRoutes: 'Rutas del puesto',
    code: 'Concesión',
    concessionAreaHa: 'Área de la concesión (ha)',
    concessionCode: 'Concesión',
    concessionName: 'Nombre de la concesión',
    consigneeName: 'Destinatario',
    currency: 'Moneda',
    custodySince: 'Custodia desde',
    declared: 'Declarado',
    declaredFineG: 'Oro fino declarado (g)',
    declaredOn: 'Fecha de declaración',
    declaredRoute: 'Ruta declarada',
    depth: 'Profundidad (m)',
    depthM: 'Profundidad dentro de la zona (m)',
    destination: 'Destino (lat, lon)',
    difference: 'Diferencia',
    direction: 'Sentido',
    distanceKm: 'Distancia (km)',
    distanceM: 'Distancia (m)',
    elapsedMin: 'Minutos',
    endedAt: 'Terminado el',
    endedBy: 'Terminado por',
    estimatedValueUsd: 'Valor estimado del oro (US$)',
    excess: 'Exceso',
    extractedOn: 'Fecha de extracción',
    fastestRoute: 'Ruta más rápida plausible',
    finding: 'Hallazgo',
    fineKgPerHaYear: 'Capacidad (kg/ha/año)',
    fineWeightG: 'Oro fino (g)',
    flightMin: 'Duración del vuelo (min)',
    footprintSource: 'Fuente de la huella minera',
    from: 'Entregó',
    fromCheckpointCode: 'Desde el puesto',
    fuelL: 'Combustible (L)',
    fuelRatio: 'Proporción respecto al combustible',
    fuelSupportsFineG: 'Oro fino que justifica el combustible (g)',
    goldFrom: 'Oro declarado desde',
    goldTo: 'Oro declarado hasta',
    goldUsdPerOz: 'Precio del oro (US$/oz)',
    grantedOn: 'Otorgada el',
    grossWeightG: 'Peso bruto (g)',
    groundKmAfter: 'Tramo por tierra después del vuelo (km)',
    groundKmBefore: 'Tramo por tierra antes del vuelo (km)',
    handedOnAt: 'Entregado el',
    highFromUsd: 'Alta desde (US$)',
    holderName: 'Titular',
    impliedKmh: 'Velocidad implícita (km/h)',
    inForce: 'Vigente',
    inGrace: 'Extracción después del último periodo de la capa',
    input: 'Insumo',
    inputsFrom: 'Insumos recibidos desde',
    inputsTo: 'Insumos recibidos hasta',
    invoice: 'Factura',
    issuedOn: 'Emitida el',
    judged: 'Juzgado',
    kind: 'Tipo',
    kinds: 'Tipos',
    lagDays: 'Desfase (días)',
    layerFrom: 'La capa observa desde',
    layerName: 'Capa satelital',
    layerSource: 'Fuente de la capa',
    layerTo: 'La capa observa hasta',
    leadDays: 'Anticipación (días)',
    legalBasis: 'Base legal',
    lotCode: 'Lote',
    lotCount: 'Número de lotes',
    lotFineG: 'Oro fino del lote (g)',
    lotStatus: 'Estado del lote',
    lots: 'Lotes mostrados',
    lotsWithheld: 'Lotes no mostrados (de otros titulares)',
    maxFineGPerLitre: 'Máximo de oro fino por litro (g/L)',
    maxKmh: 'Velocidad máxima plausible (km/h)',
    maxMercuryKgPerKgGold: 'Máximo de mercurio por kg de oro (kg)',
    mercuryKg: 'Mercurio (kg)',
    mercuryKgPerKgGold: 'Mercurio por kg de oro (kg)',
    mercuryRatio: 'Proporción respecto al mercurio',
    mercurySupportsFineG: 'Oro fino que justifica el mercurio (g)',
    method: 'Medio de pago',
    minDiversionMercuryKg: 'Mínimo de mercurio para juzgar desvío (kg)',
    minLots: 'Mínimo de lotes',
    minMercuryKgPerKgGold: 'Mínimo de mercurio por kg de oro (kg)',
    minPlausibleMin: 'Tiempo mínimo plausible (min)',
    minWindowFineG: 'Mínimo de oro fino en la ventana (g)',
    minedAreaHa: 'Área minada detectada (ha)',
    minedCapacityFineG: 'Capacidad según el área minada (g fino)',
    minedFineKgPerHaYear: 'Capacidad del área minada (kg/ha/año)',
    month: 'Mes',
    movementCode: 'Movimiento',
    movementsCounted: 'Envíos contados',
    eventID: 'Identificador del evento EPCIS',
    bizStep: 'Paso de negocio (CBV)',
    receivedBy: 'Recibido por',
    receivedAt: 'Recibido el',
    exportedGrossWeightG: 'Peso bruto exportado (g)',
    receivedGrossWeightG: 'Peso bruto recibido (g)',
    multipleOperationsUsd: 'Umbral de operaciones múltiples (US$)',
    name: 'Nombre',
    nearestDetectionM: 'Detección más cercana (m)',
    nearestDetectionPeriod: 'Periodo de la detección más cercana',
    number: 'Número',
    observed: 'Observado',
    occurredAt: 'Fecha y hora',
    operation: 'Operación',
    operationCount: 'Operaciones',
    operators: 'Operadores autorizados',
    origin: 'Origen (lat, lon)',
    originInOverlap: 'Origen en la superposición',
    otherCode: 'Código del otro derecho',
    otherHolderName: 'Titular del otro derecho',
    otherKind: 'Otro derecho',
    otherName: 'Nombre del otro derecho',
    otherScan: 'Otro escaneo',
    otherStatus: 'Estado del otro derecho',
    overlap: 'Superposición',
    overlapHa: 'Superposición (ha)',
    overlapShare: 'Proporción superpuesta',
    overlapSimplified: 'Superposición simplificada en el mapa',
    pattern: 'Patrón',
    payment: 'Pago',
    peakFactor: 'Factor de pico',
    penPerUsd: 'Tipo de cambio (S/ por US$)',
    price: 'Precio declarado',
    priceUsd: 'Precio (US$)',
    priceUsdPerFineG: 'Precio por g fino (US$)',
    producerName: 'Productor',
    provisional: 'Referencia provisional',
    quantity: 'Cantidad',
    quota: 'Cuota',
    ratio: 'Proporción',
    reasons: 'Motivos',
    received: 'Recibido',
    record: 'Registro',
    reference: 'Referencia (mes)',
    referenceUsdPerFineG: 'Precio de referencia (US$/g fino)',
    registeredAt: 'Registrado el',
    registeredOn: 'Fecha de registro',
    registration: 'Registro',
    registrationValidFrom: 'Registro vigente desde',
    registrationValidTo: 'Registro vigente hasta',
    retiredOn: 'Retirada el',
    route: 'Ruta',
    scan: 'Escaneo',
    seenUpTo: 'Detecciones contadas hasta',
    source: 'Fuente',
    sourceLotId: 'Lote de origen',
    sources: 'Fuentes',
    status: 'Estado',
    step: 'Paso',
    thresholdFineG: 'Umbral (g fino)',
    thresholdPen: 'Umbral (S/)',
    thresholdUsd: 'Umbral (US$)',
    thresholdsVersion: 'Versión de umbrales',
    to: 'Recibió',
    toCheckpointCode: 'Hasta el puesto',
    tolerance: 'Tolerancia',
    totalFineG: 'Oro fino total (g)',
    totalUsd: 'Total (US$)',
    traderRegistration: 'Registro de comercializador',
    unit: 'Unidad',
    usdPerEur: 'Tipo de cambio (US$ por €)',
    usdPerFineG: 'Precio (US$/g fino)',
    validFrom: 'Vigente desde',
    validTo: 'Vigente hasta',
    via: 'Vuelo considerado',
    whollyInside: 'Totalmente dentro',
    windowDays: 'Días de la ventana',
    windowFrom: 'Desde',
    windowTo: 'Hasta',
    zone: 'Zona',
    zoneKind: 'Tipo de zona',
    zoneName: 'Zona',
    zoneValidFrom: 'Zona vigente desde',
    zoneValidTo: 'Zona vigente hasta',
  },
  en: {
    geometryVersion: 'Version of the concession geometry',
    otherGeometryVersion: "Version of the other right's geometry",
    versionValidFrom: 'Geometry in force from',
    versionValidTo: 'Geometry in force until',
    region: 'Region (department)',
    corridorNames: 'Mining corridor',
    holderCategory: 'Miner category',
    miningMethod: 'Mining method',
    categoryDailyFineG: "Category's legal ceiling per day (fine g)",
    categoryCapacityFineG: 'Capacity by category (fine g)',
    categoryValidFrom: 'Category in force from',
    categoryValidTo: 'Category in force until',
    actorRole: 'Actor role',
    amount: 'Amount',
    areaCapacityFineG: 'Capacity by area (g fine)',
    areaHa: 'Area (ha)',
    atExtraction: 'Registration on the extraction date',
    atRegistration: 'Registration on the lot’s registration date',
    attribution: 'Attribution',
    authorization: 'Authorization',
    bandFromFineG: 'Band from (g fine)',
    bandHighRatio: 'Band: highest',
    bandLowRatio: 'Band: lowest',
    bandPercent: 'Band width (%)',
    basis: 'Judged on',
    capacityFineG: 'Capacity (g)',
    checkpointCode: 'Checkpoint',
    checkpointLocation: 'Checkpoint location (lat, lon)',
    checkpointMode: 'Checkpoint kind',
    checkpointName: 'Checkpoint name',
    checkpointRoutes: 'Checkpoint routes',
    code: 'Concession',
    concessionAreaHa: 'Concession area (ha)',
    concessionCode: 'Concession',
    concessionName: 'Concession name',
    consigneeName: 'Consignee',
    currency: 'Currency',
    custodySince: 'Custody since',
    declared: 'Declared',
    declaredFineG: 'Fine gold declared (g)',
    declaredOn: 'Declared on',
    declaredRoute: 'Declared route',
    depth: 'Depth (m)',
    depthM: 'Depth inside the zone (m)',
    destination: 'Destination (lat, lon)',
    difference: 'Difference',
    direction: 'Direction',
    distanceKm: 'Distance (km)',
    distanceM: 'Distance (m)',
    elapsedMin: 'Minutes',
    endedAt: 'Ended at',
    endedBy: 'Ended by',
    estimatedValueUsd: 'Estimated value of the gold (US$)',
    excess: 'Excess',
    extractedOn: 'Extraction date',
    fastestRoute: 'Fastest plausible route',
    finding: 'Finding',
    fineKgPerHaYear: 'Capacity (kg/ha/yr)',
    fineWeightG: 'Fine gold (g)',
    flightMin: 'Flight time (min)',
    footprintSource: 'Mining footprint source',
    from: 'Handed by',
    fromCheckpointCode: 'From checkpoint',
    fuelL: 'Fuel (L)',
    fuelRatio: 'Ratio to fuel',
    fuelSupportsFineG: 'Fine gold the fuel supports (g)',
    goldFrom: 'Gold declared from',
    goldTo: 'Gold declared until',
    goldUsdPerOz: 'Gold price (US$/oz)',
    grantedOn: 'Granted on',
    grossWeightG: 'Gross weight (g)',
    groundKmAfter: 'Ground leg after the flight (km)',
    groundKmBefore: 'Ground leg before the flight (km)',
    handedOnAt: 'Handed on at',
    highFromUsd: 'High from (US$)',
    holderName: 'Holder',
    impliedKmh: 'Implied speed (km/h)',
    inForce: 'In force',
    inGrace: 'Extracted after the layer',
    input: 'Input',
    inputsFrom: 'Inputs received from',
    inputsTo: 'Inputs received until',
    invoice: 'Invoice',
    issuedOn: 'Issued on',
    judged: 'Judged',
    kind: 'Kind',
    kinds: 'Kinds',
    lagDays: 'Lag (days)',
    layerFrom: 'Layer observes from',
    layerName: 'Satellite layer',
    layerSource: 'Layer source',
    layerTo: 'Layer observes until',
    leadDays: 'Lead (days)',
    legalBasis: 'Legal basis',
    lotCode: 'Lot',
    lotCount: 'Number of lots',
    lotFineG: 'Fine gold of the lot (g)',
    lotStatus: 'Lot status',
    lots: 'Lots shown',
    lotsWithheld: 'Lots not shown (held by others)',
    maxFineGPerLitre: 'Most fine gold per litre (g/L)',
    maxKmh: 'Highest plausible speed (km/h)',
    maxMercuryKgPerKgGold: 'Most mercury per kg of gold (kg)',
    mercuryKg: 'Mercury (kg)',
    mercuryKgPerKgGold: 'Mercury per kg of gold (kg)',
    mercuryRatio: 'Ratio to mercury',
    mercurySupportsFineG: 'Fine gold the mercury supports (g)',
    method: 'Payment method',
    minDiversionMercuryKg: 'Least mercury judged for diversion (kg)',
    minLots: 'Fewest lots',
    minMercuryKgPerKgGold: 'Least mercury per kg of gold (kg)',
    minPlausibleMin: 'Shortest plausible time (min)',
    minWindowFineG: 'Least fine gold in the window (g)',
    minedAreaHa: 'Mined area detected (ha)',
    minedCapacityFineG: 'Capacity by mined area (g fine)',
    minedFineKgPerHaYear: 'Mined-area capacity (kg/ha/yr)',
    month: 'Month',
    movementCode: 'Movement',
    movementsCounted: 'Consignments counted',
    eventID: 'EPCIS event (eventID)',
    bizStep: 'Business step (CBV)',
    receivedBy: 'Received by',
    receivedAt: 'Received at',
    exportedGrossWeightG: 'Gross weight exported (g)',
    receivedGrossWeightG: 'Gross weight received (g)',
    multipleOperationsUsd: 'Multiple-operations threshold (US$)',
    name: 'Name',
    nearestDetectionM: 'Nearest detection (m)',
    nearestDetectionPeriod: 'Period of the nearest detection',
    number: 'Number',
    observed: 'Observed',
    occurredAt: 'Date and time',
    operation: 'Operation',
    operationCount: 'Operations',
    operators: 'Authorized operators',
    origin: 'Origin (lat, lon)',
    originInOverlap: 'Origin in the overlap',
    otherCode: 'Code of the other right',
    otherHolderName: 'Holder of the other right',
    otherKind: 'Other right',
    otherName: 'Name of the other right',
    otherScan: 'Other scan',
    otherStatus: 'Status of the other right',
    overlap: 'Overlap',
    overlapHa: 'Overlap (ha)',
    overlapShare: 'Share overlapped',
    overlapSimplified: 'Overlap simplified on the map',
    pattern: 'Pattern',
    payment: 'Payment',
    peakFactor: 'Peak factor',
    penPerUsd: 'Exchange rate (S/ per US$)',
    price: 'Declared price',
    priceUsd: 'Price (US$)',
    priceUsdPerFineG: 'Price per fine g (US$)',
    producerName: 'Producer',
    provisional: 'Provisional reference',
    quantity: 'Quantity',
    quota: 'Quota',
    ratio: 'Ratio',
    reasons: 'Reasons',
    received: 'Received',
    record: 'Record',
    reference: 'Reference (month)',
    referenceUsdPerFineG: 'Reference price (US$/fine g)',
    registeredAt: 'Registered at',
    registeredOn: 'Registered on',
    registration: 'Registration',
    registrationValidFrom: 'Registration valid from',
    registrationValidTo: 'Registration valid until',
    retiredOn: 'Retired on',
    route: 'Route',
    scan: 'Scan',
    seenUpTo: 'Detections counted up to',
    source: 'Source',
    sourceLotId: 'Source lot',
    sources: 'Sources',
    status: 'Status',
    step: 'Step',
    thresholdFineG: 'Threshold (g fine)',
    thresholdPen: 'Threshold (S/)',
    thresholdUsd: 'Threshold (US$)',
    thresholdsVersion: 'Thresholds version',
    to: 'Received by',
    toCheckpointCode: 'To checkpoint',
    tolerance: 'Tolerance',
    totalFineG: 'Total fine gold (g)',
    totalUsd: 'Total (US$)',
    traderRegistration: 'Trader registration',
    unit: 'Unit',
    usdPerEur: 'Exchange rate (US$ per €)',
    usdPerFineG: 'Price (US$/fine g)',
    validFrom: 'Valid from',
    validTo: 'Valid until',
    via: 'Flight considered',
    whollyInside: 'Wholly inside',
    windowDays: 'Window (days)',
    windowFrom: 'From',
    windowTo: 'To',
    zone: 'Zone',
    zoneKind: 'Zone kind',
    zoneName: 'Zone',
    zoneValidFrom: 'Zone in force since',
    zoneValidTo: 'Zone in force until',
  },
};

/** Keys never shown as lines: ids (the apps link the subject), bounding boxes and drawn areas. */
export const isHiddenEvidenceKey = (key: string): boolean =>
  (/Id$|^id$|Ids$/.test(key) && key !== 'sourceLotId') || /Bbox$/.test(key) || key === 'overlap';

/** The label of an evidence key in the reader's language; the key itself only if a rule is newer than the app. */
export const evidenceLabel = (key: string, lang: Lang): string =>
  (labels[lang] as Record<string, string>)[key] ?? key;

/** Codes some rules write as values, in words (the vocabulary's own lists come from words.ts). */
const codeWords: Record<Lang, Record<string, Record<string, string>>> = {
  es: {
    actorRole: { producer: 'productor', custodian: 'custodio' },
    pattern: {
      registrations: 'muchos lotes registrados justo debajo del umbral',
      handovers: 'muchas entregas justo debajo del umbral',
      monthly: 'entregas del mes a una misma contraparte',
    },
    record: { scan: 'escaneo', inspection: 'inspección' },
    finding: {
      impossible_travel: 'viaje imposible entre dos puestos',
      scan_after_end: 'escaneado después de terminar el lote',
    },
    fastestRoute: {
      ground: 'por tierra o río',
      air_link: 'vuelo conocido',
      air: 'vuelo sin enlace conocido, a velocidad de avión comercial',
    },
    judged: { at_declaration: 'al declararse', after_lag: 'pasado el desfase' },
    basis: {
      concession_area: 'el área de la concesión',
      mined_area: 'el área minada detectada',
      category: 'el tope legal de la categoría del titular',
      declared: 'el precio declarado',
      estimated: 'el valor estimado del oro',
      declared_and_estimated: 'el precio declarado y el valor estimado del oro',
    },
    direction: { below: 'por debajo', above: 'por encima' },
    // The price reference's sources, as money.ts writes them.
    sources: {
      'LBMA Gold Price PM monthly average; BCRP interbank S/ per US$; ECB euro reference rate':
        'LBMA Gold Price PM, promedio mensual; BCRP, tipo de cambio interbancario S/ por US$; BCE, tipo de cambio de referencia del euro',
    },
    endedBy: {
      'lot.split': 'división',
      'lot.merged': 'fusión',
      'lot.refined': 'refinación',
      'lot.exported': 'exportación',
      'lot.seized': 'incautación',
    },
  },
  en: {
    actorRole: { producer: 'producer', custodian: 'custodian' },
    pattern: {
      registrations: 'many lots registered just under the threshold',
      handovers: 'many hand-overs just under the threshold',
      monthly: "the month's hand-overs to one counterpart",
    },
    record: { scan: 'scan', inspection: 'inspection' },
    finding: {
      impossible_travel: 'impossible travel between two checkpoints',
      scan_after_end: 'scanned after the lot ended',
    },
    fastestRoute: {
      ground: 'by road or river',
      air_link: 'known flight',
      air: 'a flight with no known link, at airliner speed',
    },
    judged: { at_declaration: 'when declared', after_lag: 'once the lag passed' },
    basis: {
      concession_area: "the concession's area",
      mined_area: 'the mined area detected',
      category: "the legal ceiling of the holder's category",
      declared: 'the declared price',
      estimated: "the gold's estimated value",
      declared_and_estimated: "the declared price and the gold's estimated value",
    },
    direction: { below: 'below', above: 'above' },
    endedBy: {
      'lot.split': 'split',
      'lot.merged': 'merge',
      'lot.refined': 'refining',
      'lot.exported': 'export',
      'lot.seized': 'seizure',
    },
  },
};

/**
 * The dictionary a key's code values are worded with. `parent` is the object the key sits in:
 * a `status` inside a registration is a registry status, at the top a concession's.
 */
function wordsForKey(
  key: string,
  parent: string | undefined,
  lang: Lang,
): Readonly<Record<string, string>> | undefined {
  switch (key) {
    case 'input':
      return inputWords[lang];
    case 'zoneKind':
      return zoneKindWords[lang];
    case 'holderCategory':
      return minerCategoryWords[lang];
    case 'miningMethod':
      return miningMethodWords[lang];
    case 'kind':
    case 'otherKind':
      return concessionKindWords[lang];
    case 'status':
      return parent === undefined ? concessionStatusWords[lang] : registrationStatusWords[lang];
    case 'otherStatus':
      return concessionStatusWords[lang];
    case 'lotStatus':
      return lotStatusWords[lang];
    case 'operation':
      return transferOperationWords[lang];
    case 'checkpointMode':
      return travelModeWords[lang];
    case 'method':
      return paymentMethodWords[lang];
    case 'kinds':
      return actorKindWords[lang];
    case 'registry':
      return registryWords[lang];
    default:
      return codeWords[lang][key];
  }
}

const str = (v: unknown): string => (v === null || v === undefined ? '—' : String(v));

/** A number for reading: es-PE grouping, no trailing zeros; small ratios keep their digits. */
function num(v: unknown, lang: Lang): string {
  const n = typeof v === 'number' ? v : Number(v);
  if (v === null || v === undefined || v === '' || !Number.isFinite(n)) return str(v);
  return n.toLocaleString(dateLocale(lang), {
    minimumFractionDigits: 0,
    maximumFractionDigits: Math.abs(n) < 1 && n !== 0 ? 6 : 3,
  });
}

/** A day or an instant as people read it (Lima time for instants). */
function when(v: string, lang: Lang): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const d = new Date(day ? `${v}T12:00:00Z` : v);
  if (Number.isNaN(d.getTime())) return v;
  return day
    ? d.toLocaleDateString(dateLocale(lang), { dateStyle: 'medium', timeZone: 'UTC' })
    : d.toLocaleString(dateLocale(lang), {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: 'America/Lima',
      });
}

const isDateText = (v: unknown): v is string =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}(:?\d{2})?)?)?$/.test(v);

/** A geometry other than a point (bounding boxes, polygons): drawn on maps, not read. */
const isArea = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && 'coordinates' in v && (v as { type?: unknown }).type !== 'Point';

/** "lat, lon" of a GeoJSON point, as people read coordinates. */
export function latLon(v: unknown): string | null {
  const c = (v as { coordinates?: unknown } | null | undefined)?.coordinates;
  if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number') {
    return `${c[1].toFixed(5)}, ${c[0].toFixed(5)}`;
  }
  return null;
}

/** A value as a person reads it: codes worded, numbers and dates formatted, objects as "label: value; …". */
function evidenceValue(key: string, v: unknown, lang: Lang, parent?: string): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? (lang === 'es' ? 'sí' : 'yes') : 'no';
  const point = latLon(v);
  if (point) return point;
  const words = wordsForKey(key, parent, lang);
  if (words && typeof v === 'string') return wordFor(words, v);
  if (isDateText(v)) return when(v, lang);
  if (typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v))) return num(v, lang);
  if (Array.isArray(v)) {
    return v
      .map((x) => {
        if (typeof x !== 'object' || x === null) return words ? wordFor(words, str(x)) : str(x);
        const o = x as { code?: unknown; name?: unknown };
        return str(o.code ?? o.name ?? evidenceValue(key, x, lang, parent));
      })
      .join(', ');
  }
  if (typeof v === 'object') {
    const o = v as Evidence;
    // A party of a hand-over: its name and tax id, as people tell actors apart.
    if (typeof o.name === 'string' && typeof o.taxId === 'string') return `${o.name} (RUC ${o.taxId})`;
    return Object.entries(o)
      .filter(([k, x]) => x !== null && x !== undefined && !isHiddenEvidenceKey(k) && !isArea(x))
      .map(([k, x]) => `${evidenceLabel(k, lang)}: ${evidenceValue(k, x, lang, key)}`)
      .join('; ');
  }
  return str(v);
}

/** One sentence for the rules met most; null for the others (their lines say it). */
export function evidenceSentence(rule: RuleCode, e: Evidence, lang: Lang): string | null {
  const kind = wordFor(zoneKindWords[lang], str(e.zoneKind));
  const d = (x: unknown) => num(x, lang);
  const formatDate = (x: string, l: Lang) => when(x, l);
  switch (rule) {
    case 'ORIGIN_IN_EXCLUSION_ZONE':
      if (e.zoneName === undefined) return null;
      return lang === 'es'
        ? `El origen (${latLon(e.origin) ?? '—'}) está ${d(e.depthM)} m dentro de «${str(e.zoneName)}» (${kind.toLowerCase()}, ${str(e.legalBasis)}), vigente en la fecha de extracción ${formatDate(str(e.extractedOn), lang)}.`
        : `The origin (${latLon(e.origin) ?? '—'}) lies ${d(e.depthM)} m inside “${str(e.zoneName)}” (${kind.toLowerCase()}, ${str(e.legalBasis)}), in force on the extraction date ${formatDate(str(e.extractedOn), lang)}.`;
    case 'ORIGIN_OUTSIDE_CONCESSION':
      if (e.distanceM === undefined) return null;
      return lang === 'es'
        ? `El origen (${latLon(e.origin) ?? '—'}) está ${d(e.distanceM)} m fuera de la concesión declarada ${str(e.code)}.`
        : `The origin (${latLon(e.origin) ?? '—'}) lies ${d(e.distanceM)} m outside the declared concession ${str(e.code)}.`;
    case 'ORIGIN_OUTSIDE_MINING_CORRIDOR':
      if (e.distanceM === undefined) return null;
      return lang === 'es'
        ? `El origen (${latLon(e.origin) ?? '—'}), en ${str(e.region)}, está ${d(e.distanceM)} m fuera del corredor minero vigente allí en la fecha de extracción ${formatDate(str(e.extractedOn), lang)} (${str(e.legalBasis)}).`
        : `The origin (${latLon(e.origin) ?? '—'}), in ${str(e.region)}, lies ${d(e.distanceM)} m outside the mining corridor in force there on the extraction date ${formatDate(str(e.extractedOn), lang)} (${str(e.legalBasis)}).`;
    case 'MINING_METHOD_FORBIDDEN':
      if (e.miningMethod === undefined) return null;
      return lang === 'es'
        ? `El productor declaraba «${wordFor(miningMethodWords.es, str(e.miningMethod))}» como método en la fecha de extracción ${formatDate(str(e.extractedOn), lang)}, prohibido por ${str(e.legalBasis)}.`
        : `The producer declared “${wordFor(miningMethodWords.en, str(e.miningMethod))}” as its method on the extraction date ${formatDate(str(e.extractedOn), lang)}, forbidden by ${str(e.legalBasis)}.`;
    case 'WEIGHT_DISCREPANCY':
      if (e.observed === undefined) return null;
      return lang === 'es'
        ? `Pesado ${e.checkpointCode ? `en ${str(e.checkpointCode)} ` : ''}con ${d(e.observed)} ${str(e.unit)} frente a ${d(e.declared)} ${str(e.unit)} declarados: ${d(e.difference)} ${str(e.unit)} de diferencia, más que la tolerancia de ${d(e.tolerance)} ${str(e.unit)}.`
        : `Weighed ${e.checkpointCode ? `at ${str(e.checkpointCode)} ` : ''}at ${d(e.observed)} ${str(e.unit)} against ${d(e.declared)} ${str(e.unit)} declared: ${d(e.difference)} ${str(e.unit)} off, beyond the tolerance of ${d(e.tolerance)} ${str(e.unit)}.`;
    case 'PRODUCTION_OVER_CAPACITY':
      if (e.ratio === undefined) return null;
      return lang === 'es'
        ? `La concesión ${str(e.concessionCode)} declaró ${d(e.declaredFineG)} g de oro fino en ${str(e.lotCount)} ${Number(e.lotCount) === 1 ? 'lote' : 'lotes'}${e.windowDays !== undefined ? ` en ${str(e.windowDays)} días` : ''}, ${d(e.ratio)} veces su capacidad de ${d(e.capacityFineG)} g${e.basis === 'mined_area' ? ` según las ${d(e.minedAreaHa)} ha de minería detectadas en ella` : e.basis === 'category' ? `, el tope legal de su titular como ${wordFor(minerCategoryWords.es, str(e.holderCategory))}` : ''}.`
        : `Concession ${str(e.concessionCode)} declared ${d(e.declaredFineG)} g of fine gold over ${str(e.lotCount)} ${Number(e.lotCount) === 1 ? 'lot' : 'lots'}${e.windowDays !== undefined ? ` in ${str(e.windowDays)} days` : ''}, ${d(e.ratio)}× its capacity of ${d(e.capacityFineG)} g${e.basis === 'mined_area' ? ` on the ${d(e.minedAreaHa)} ha of mining detected on it` : e.basis === 'category' ? `, the legal ceiling of its holder as ${wordFor(minerCategoryWords.en, str(e.holderCategory))}` : ''}.`;
    case 'DESTINATION_IN_EXCLUSION_ZONE':
      if (e.zoneName === undefined) return null;
      return lang === 'es'
        ? `${d(e.quantity)} ${str(e.unit)} de ${wordFor(inputWords.es, str(e.input))} (${str(e.movementCode)}) con destino ${e.concessionCode ? `a la concesión ${str(e.concessionCode)}` : `a ${latLon(e.destination) ?? '—'}`}, ${e.whollyInside === true ? 'totalmente dentro de' : e.overlapHa !== undefined ? `con ${d(e.overlapHa)} ha dentro de` : `${d(e.depthM)} m dentro de`} «${str(e.zoneName)}» (${kind.toLowerCase()}, ${str(e.legalBasis)}).`
        : `${d(e.quantity)} ${str(e.unit)} of ${wordFor(inputWords.en, str(e.input))} (${str(e.movementCode)}) bound for ${e.concessionCode ? `concession ${str(e.concessionCode)}` : (latLon(e.destination) ?? '—')}, ${e.whollyInside === true ? 'wholly inside' : e.overlapHa !== undefined ? `${d(e.overlapHa)} ha of it inside` : `${d(e.depthM)} m inside`} “${str(e.zoneName)}” (${kind.toLowerCase()}, ${str(e.legalBasis)}).`;
    case 'CASH_ABOVE_THRESHOLD': {
      const price = e.price as { amount?: unknown; currency?: unknown } | null | undefined;
      if (e.estimatedValueUsd === undefined) return null;
      const paid = price ? `${str(price.currency)} ${d(price.amount)}` : null;
      return lang === 'es'
        ? `Pagado en efectivo${paid ? ` (${paid})` : ', sin precio declarado'} por ${d(e.fineWeightG)} g de oro fino con un valor estimado de US$ ${d(e.estimatedValueUsd)}: igual o por encima del umbral de bancarización de S/ ${d(e.thresholdPen)} o US$ ${d(e.thresholdUsd)} (Ley 28194, art. 4).`
        : `Paid in cash${paid ? ` (${paid})` : ', no price declared'} for ${d(e.fineWeightG)} g of fine gold worth about US$ ${d(e.estimatedValueUsd)}: at or above the bancarización threshold of S/ ${d(e.thresholdPen)} or US$ ${d(e.thresholdUsd)} (Ley 28194 art. 4).`;
    }
    case 'PRICE_ANOMALY': {
      const ref = e.reference as { month?: unknown; usdPerFineG?: unknown } | undefined;
      if (e.ratio === undefined || !ref) return null;
      const below = e.direction === 'below';
      return lang === 'es'
        ? `US$ ${d(e.priceUsdPerFineG)} por g fino, ${d(e.ratio)} veces la referencia de ${str(ref.month)} (US$ ${d(ref.usdPerFineG)}/g): ${below ? 'muy por debajo' : 'muy por encima'} de la banda ${d(e.bandLowRatio)}–${d(e.bandHighRatio)}.`
        : `US$ ${d(e.priceUsdPerFineG)} per fine g, ${d(e.ratio)}× the ${str(ref.month)} reference (US$ ${d(ref.usdPerFineG)}/g): far ${below ? 'below' : 'above'} the band ${d(e.bandLowRatio)}–${d(e.bandHighRatio)}.`;
    }
    case 'NO_MINING_FOOTPRINT':
      if (e.layerName === undefined) return null;
      return lang === 'es'
        ? `${str(e.layerName)} no muestra minería en la concesión ${str(e.concessionCode)} (${d(e.areaHa)} ha) ni a menos de ${d(e.distanceM)} m hasta el ${formatDate(str(e.seenUpTo), lang)}, pero se declara oro extraído de ella el ${formatDate(str(e.extractedOn), lang)}.${e.nearestDetectionM == null ? '' : ` La detección más cercana está a ${d(e.nearestDetectionM)} m.`}`
        : `${str(e.layerName)} shows no mining in concession ${str(e.concessionCode)} (${d(e.areaHa)} ha) nor within ${d(e.distanceM)} m of it up to ${formatDate(str(e.seenUpTo), lang)}, yet gold extracted on ${formatDate(str(e.extractedOn), lang)} is declared from it.${e.nearestDetectionM == null ? '' : ` The nearest detection is ${d(e.nearestDetectionM)} m away.`}`;
    case 'ORIGIN_FAR_FROM_FOOTPRINT':
      if (e.layerName === undefined) return null;
      return lang === 'es'
        ? `El origen (${latLon(e.origin) ?? '—'}) está a más de ${d(e.distanceM)} m de toda minería que ${str(e.layerName)} detectó hasta el ${formatDate(str(e.seenUpTo), lang)}.${e.nearestDetectionM == null ? '' : ` La detección más cercana está a ${d(e.nearestDetectionM)} m.`}`
        : `The origin (${latLon(e.origin) ?? '—'}) lies more than ${d(e.distanceM)} m from any mining ${str(e.layerName)} detected up to ${formatDate(str(e.seenUpTo), lang)}.${e.nearestDetectionM == null ? '' : ` The nearest detection is ${d(e.nearestDetectionM)} m away.`}`;
    case 'CONCESSION_OVERLAPS_OTHER_RIGHTS': {
      if (e.otherCode === undefined) return null;
      const other = wordFor(concessionKindWords[lang], str(e.otherKind));
      const share = num(Number(e.overlapShare) * 100, lang);
      return lang === 'es'
        ? `La concesión minera ${str(e.code)} se superpone ${d(e.overlapHa)} ha (${share} % de su área) con el derecho ${other} ${str(e.otherCode)}${e.otherName ? ` «${str(e.otherName)}»` : ''}${e.otherHolderName ? `, de ${str(e.otherHolderName)}` : ''}${e.originInOverlap === true ? '; el origen del oro está en la superposición' : ''}.`
        : `Mining concession ${str(e.code)} overlaps ${d(e.overlapHa)} ha (${share} % of its area) of the ${other} right ${str(e.otherCode)}${e.otherName ? ` “${str(e.otherName)}”` : ''}${e.otherHolderName ? `, held by ${str(e.otherHolderName)}` : ''}${e.originInOverlap === true ? '; the origin of the gold lies in the overlap' : ''}.`;
    }
    case 'CONCESSION_NOT_VALID_MINING': {
      if (e.kind === undefined) return null;
      const kindWord = wordFor(concessionKindWords[lang], str(e.kind));
      const statusWord = wordFor(concessionStatusWords[lang], str(e.status));
      return lang === 'es'
        ? `La concesión declarada ${str(e.code)} es ${kindWord} y está ${statusWord}; el oro se declara extraído el ${formatDate(str(e.extractedOn), lang)}${e.grantedOn ? ` (otorgada el ${formatDate(str(e.grantedOn), lang)}` : ' ('}${e.retiredOn ? `, retirada el ${formatDate(str(e.retiredOn), lang)})` : ')'}.`
        : `The declared concession ${str(e.code)} is ${kindWord} and ${statusWord}; the gold is declared extracted on ${formatDate(str(e.extractedOn), lang)}${e.grantedOn ? ` (granted on ${formatDate(str(e.grantedOn), lang)}` : ' ('}${e.retiredOn ? `, retired on ${formatDate(str(e.retiredOn), lang)})` : ')'}.`;
    }
    case 'OVER_QUOTA':
      if (e.quota === undefined) return null;
      return lang === 'es'
        ? `Con ${str(e.movementCode)}, el ${wordFor(inputWords.es, str(e.input))} recibido en ${str(e.month)} llega a ${d(e.received)} ${str(e.unit)}: ${d(e.excess)} ${str(e.unit)} más que la cuota mensual de ${d(e.quota)} ${str(e.unit)}.`
        : `With ${str(e.movementCode)}, the ${wordFor(inputWords.en, str(e.input))} received in ${str(e.month)} reaches ${d(e.received)} ${str(e.unit)}: ${d(e.excess)} ${str(e.unit)} over the monthly quota of ${d(e.quota)} ${str(e.unit)}.`;
    case 'EXPORT_RECEIPT_MISMATCH':
      if (e.finding === 'not_exported')
        return lang === 'es'
          ? `Un destinatario en el extranjero informó haber recibido el lote ${str(e.lotCode)}, que nunca fue exportado (estado: ${str(e.lotStatus)}).`
          : `A recipient abroad reported receiving lot ${str(e.lotCode)}, which was never exported (status: ${str(e.lotStatus)}).`;
      if (e.receivedGrossWeightG === undefined) return null;
      return lang === 'es'
        ? `Recibido en destino con ${d(e.receivedGrossWeightG)} g frente a ${d(e.exportedGrossWeightG)} g exportados: ${d(e.difference)} g de diferencia, más que la tolerancia de ${d(e.tolerance)} g.`
        : `Received abroad at ${d(e.receivedGrossWeightG)} g against ${d(e.exportedGrossWeightG)} g exported: ${d(e.difference)} g off, beyond the tolerance of ${d(e.tolerance)} g.`;
    default:
      return null;
  }
}

/** The evidence's facts as labelled lines, ids, boxes and areas left out. */
export function evidenceLines(e: Evidence, lang: Lang): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  for (const [key, v] of Object.entries(e)) {
    if (v === null || v === undefined) continue;
    if (isHiddenEvidenceKey(key) || isArea(v)) continue;
    // CONCESSION_NOT_VALID_MINING's reasons are English sentences; its kind, status and dates say the same.
    if (key === 'reasons' && Array.isArray(v) && v.every((x) => typeof x === 'string' && / /.test(x)))
      continue;
    // `from`/`to` are parties in a hand-over, days in a window.
    const label =
      (key === 'from' || key === 'to') && typeof v === 'string'
        ? evidenceLabel(key === 'from' ? 'windowFrom' : 'windowTo', lang)
        : evidenceLabel(key, lang);
    out.push({ label, value: evidenceValue(key, v, lang) });
  }
  return out;
}

/**
 * A flag's evidence in one line of text, for files (the LA/FT report's CSV): the rule's sentence
 * where it has one, else its facts as "label: value; …" — the same words the screens show.
 * An inherited copy says which lot it came from.
 */
export function evidenceSummary(rule: RuleCode, e: Evidence, lang: Lang, inherited: boolean): string {
  const facts = () =>
    evidenceLines(e, lang)
      .filter((l) => l.label !== evidenceLabel('sourceLotId', lang))
      .map((l) => `${l.label}: ${l.value}`)
      .join('; ');
  const text = evidenceSentence(rule, e, lang) ?? facts();
  const source = e.sourceLotId;
  if (!inherited || typeof source !== 'string') return text;
  return lang === 'es' ? `${text} (heredada del lote ${source})` : `${text} (inherited from lot ${source})`;
}
