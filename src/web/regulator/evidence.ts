/**
 * A flag's evidence for a person: a sentence for the rules a regulator meets most, and the
 * remaining facts as labelled lines (ids left out: the console links the subject instead).
 */

import type { RuleCode } from '../shared/api-types.js';
import type { Lang } from '../shared/i18n.js';
import { formatDate, formatDecimal, zoneKindWords } from './i18n.js';

type Evidence = Record<string, unknown>;

const labels: Record<Lang, Record<string, string>> = {
  es: {
    zoneName: 'Zona',
    zoneKind: 'Tipo de zona',
    legalBasis: 'Base legal',
    depthM: 'Profundidad dentro de la zona (m)',
    distanceM: 'Distancia (m)',
    origin: 'Origen (lat, lon)',
    extractedOn: 'Fecha de extracción',
    code: 'Concesión',
    concessionCode: 'Concesión',
    name: 'Nombre',
    taxId: 'RUC',
    producerName: 'Productor',
    producerTaxId: 'RUC del productor',
    holderName: 'Titular',
    reasons: 'Motivos',
    otherKind: 'Otro derecho',
    otherCode: 'Código del otro derecho',
    overlapHa: 'Superposición (ha)',
    declaredFineG: 'Oro fino declarado (g)',
    capacityFineG: 'Capacidad (g)',
    ratio: 'Proporción',
    lotCount: 'Lotes',
    mercuryKg: 'Mercurio (kg)',
    fuelL: 'Combustible (L)',
    observed: 'Observado',
    declared: 'Declarado',
    difference: 'Diferencia',
    tolerance: 'Tolerancia',
    unit: 'Unidad',
    checkpointCode: 'Puesto de control',
    lotCode: 'Lote',
    movementCode: 'Movimiento',
    quantity: 'Cantidad',
    input: 'Insumo',
    month: 'Mes',
    quota: 'Cuota',
    excess: 'Exceso',
    distanceKm: 'Distancia (km)',
    elapsedMin: 'Minutos',
    impliedKmh: 'Velocidad implícita (km/h)',
    finding: 'Hallazgo',
    windowFrom: 'Desde',
    windowTo: 'Hasta',
    lots: 'Lotes',
    sourceLotId: 'Lote de origen',
    declaredRoute: 'Ruta declarada',
    zone: 'Zona',
    declaredOn: 'Fecha de declaración',
    whollyInside: 'Totalmente dentro',
    zoneValidFrom: 'Zona vigente desde',
    concessionName: 'Nombre de la concesión',
    layerName: 'Capa satelital',
    layerSource: 'Fuente de la capa',
    attribution: 'Atribución',
    layerFrom: 'La capa observa desde',
    layerTo: 'La capa observa hasta',
    inGrace: 'Extracción después del último periodo de la capa',
    seenUpTo: 'Detecciones contadas hasta',
    nearestDetectionM: 'Detección más cercana (m)',
    nearestDetectionPeriod: 'Periodo de la detección más cercana',
    concessionAreaHa: 'Área de la concesión (ha)',
    thresholdsVersion: 'Versión de umbrales',
    depth: 'Profundidad (m)',
    consigneeName: 'Destinatario',
    consigneeTaxId: 'RUC del destinatario',
    custodySince: 'Custodia desde',
    registeredOn: 'Fecha de registro',
    fineKgPerHaYear: 'Capacidad (kg/ha/año)',
    areaHa: 'Área (ha)',
    received: 'Recibido',
    route: 'Ruta',
    checkpointName: 'Nombre del puesto',
    checkpointRoutes: 'Rutas del puesto',
    lotStatus: 'Estado del lote',
    endedBy: 'Terminado por',
    endedAt: 'Terminado el',
    maxKmh: 'Velocidad máxima plausible (km/h)',
    fastestRoute:
      'Ruta más rápida plausible (ground: por tierra o río; air_link: vuelo conocido; air: vuelo sin enlace conocido, a velocidad de avión comercial)',
    minPlausibleMin: 'Tiempo mínimo plausible (min)',
    via: 'Vuelo considerado',
    judged: 'Juzgado (at_declaration: al declarar; after_lag: pasado el desfase)',
    windowDays: 'Días de la ventana',
    thresholdUsd: 'Umbral (US$)',
    thresholdFineG: 'Umbral (g fino)',
    record: 'Registro',
    otherHolderName: 'Titular del otro derecho',
    overlapShare: 'Proporción superpuesta',
    originInOverlap: 'Origen en la superposición',
    operation: 'Operación',
    occurredAt: 'Fecha de la entrega',
    from: 'Entregó',
    to: 'Recibió',
    price: 'Precio declarado',
    fineWeightG: 'Oro fino (g)',
    grossWeightG: 'Peso bruto (g)',
    payment: 'Pago',
    invoice: 'Factura',
    priceUsd: 'Precio (US$)',
    estimatedValueUsd: 'Valor estimado del oro (US$)',
    reference: 'Referencia (mes)',
    basis: 'Juzgado sobre',
    thresholdPen: 'Umbral (S/)',
    highFromUsd: 'Alta desde (US$)',
    priceUsdPerFineG: 'Precio por g fino (US$)',
    direction: 'Sentido',
    bandLowRatio: 'Banda: mínimo',
    bandHighRatio: 'Banda: máximo',
  },
  en: {
    zoneName: 'Zone',
    zoneKind: 'Zone kind',
    legalBasis: 'Legal basis',
    depthM: 'Depth inside the zone (m)',
    distanceM: 'Distance (m)',
    origin: 'Origin (lat, lon)',
    extractedOn: 'Extraction date',
    code: 'Concession',
    concessionCode: 'Concession',
    name: 'Name',
    taxId: 'Tax id',
    producerName: 'Producer',
    producerTaxId: 'Producer tax id',
    holderName: 'Holder',
    reasons: 'Reasons',
    otherKind: 'Other right',
    otherCode: 'Code of the other right',
    overlapHa: 'Overlap (ha)',
    declaredFineG: 'Fine gold declared (g)',
    capacityFineG: 'Capacity (g)',
    ratio: 'Ratio',
    lotCount: 'Lots',
    mercuryKg: 'Mercury (kg)',
    fuelL: 'Fuel (L)',
    observed: 'Observed',
    declared: 'Declared',
    difference: 'Difference',
    tolerance: 'Tolerance',
    unit: 'Unit',
    checkpointCode: 'Checkpoint',
    lotCode: 'Lot',
    movementCode: 'Movement',
    quantity: 'Quantity',
    input: 'Input',
    month: 'Month',
    quota: 'Quota',
    excess: 'Excess',
    distanceKm: 'Distance (km)',
    elapsedMin: 'Minutes',
    impliedKmh: 'Implied speed (km/h)',
    finding: 'Finding',
    windowFrom: 'From',
    windowTo: 'To',
    lots: 'Lots',
    sourceLotId: 'Source lot',
    declaredRoute: 'Declared route',
    zone: 'Zone',
    declaredOn: 'Declared on',
    whollyInside: 'Wholly inside',
    zoneValidFrom: 'Zone in force since',
    concessionName: 'Concession name',
    layerName: 'Satellite layer',
    layerSource: 'Layer source',
    attribution: 'Attribution',
    layerFrom: 'Layer observes from',
    layerTo: 'Layer observes until',
    inGrace: "Extracted after the layer's last period",
    seenUpTo: 'Detections counted up to',
    nearestDetectionM: 'Nearest detection (m)',
    nearestDetectionPeriod: 'Period of the nearest detection',
    concessionAreaHa: 'Concession area (ha)',
    thresholdsVersion: 'Thresholds version',
    depth: 'Depth (m)',
    consigneeName: 'Consignee',
    consigneeTaxId: 'Consignee tax id',
    custodySince: 'Custody since',
    registeredOn: 'Registered on',
    fineKgPerHaYear: 'Capacity (kg/ha/yr)',
    areaHa: 'Area (ha)',
    received: 'Received',
    route: 'Route',
    checkpointName: 'Checkpoint name',
    checkpointRoutes: 'Checkpoint routes',
    lotStatus: 'Lot status',
    endedBy: 'Ended by',
    endedAt: 'Ended at',
    maxKmh: 'Highest plausible speed (km/h)',
    fastestRoute:
      'Fastest plausible route (ground: by road or river; air_link: known flight; air: a flight with no known link, at airliner speed)',
    minPlausibleMin: 'Shortest plausible time (min)',
    via: 'Flight considered',
    judged: 'Judged (at_declaration: when declared; after_lag: once the lag passed)',
    windowDays: 'Window (days)',
    thresholdUsd: 'Threshold (US$)',
    thresholdFineG: 'Threshold (g fine)',
    record: 'Record',
    otherHolderName: 'Holder of the other right',
    overlapShare: 'Share overlapped',
    originInOverlap: 'Origin in the overlap',
    operation: 'Operation',
    occurredAt: 'Handed over at',
    from: 'Handed by',
    to: 'Received by',
    price: 'Declared price',
    fineWeightG: 'Fine gold (g)',
    grossWeightG: 'Gross weight (g)',
    payment: 'Payment',
    invoice: 'Invoice',
    priceUsd: 'Price (US$)',
    estimatedValueUsd: 'Estimated value of the gold (US$)',
    reference: 'Reference (month)',
    basis: 'Judged on',
    thresholdPen: 'Threshold (S/)',
    highFromUsd: 'High from (US$)',
    priceUsdPerFineG: 'Price per fine g (US$)',
    direction: 'Direction',
    bandLowRatio: 'Band: lowest',
    bandHighRatio: 'Band: highest',
  },
};

/** A geometry other than a point (bounding boxes, polygons): drawn on maps, not read. */
const isArea = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && 'coordinates' in v && (v as { type?: unknown }).type !== 'Point';

const inputWords: Record<Lang, Record<string, string>> = {
  es: { mercury: 'mercurio', diesel: 'diésel', gasoline: 'gasolina', cyanide: 'cianuro' },
  en: { mercury: 'mercury', diesel: 'diesel', gasoline: 'gasoline', cyanide: 'cyanide' },
};

const str = (v: unknown): string => (v === null || v === undefined ? '—' : String(v));

/** "lat, lon" of a GeoJSON point, as people read coordinates. */
export function latLon(v: unknown): string | null {
  const c = (v as { coordinates?: unknown } | null | undefined)?.coordinates;
  if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number') {
    return `${c[1].toFixed(5)}, ${c[0].toFixed(5)}`;
  }
  return null;
}

function displayValue(key: string, v: unknown, lang: Lang): string {
  if (key === 'input') return inputWords[lang][str(v)] ?? str(v);
  if (typeof v === 'boolean') return v ? (lang === 'es' ? 'sí' : 'yes') : 'no';
  if (key === 'origin' || key === 'destination') return latLon(v) ?? JSON.stringify(v);
  if (key === 'zoneKind' || key === 'otherKind') return zoneKindWords[lang][str(v)] ?? str(v);
  if (/On$|^window(From|To)$|^layer(From|To)$|^seenUpTo$/.test(key) && typeof v === 'string')
    return formatDate(v, lang);
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return formatDecimal(v, lang);
  if (typeof v === 'number') return formatDecimal(String(v), lang);
  if (Array.isArray(v)) {
    return v
      .map((x) =>
        typeof x === 'object' && x !== null
          ? str(
              (x as { code?: unknown; name?: unknown }).code ??
                (x as { name?: unknown }).name ??
                JSON.stringify(x),
            )
          : str(x),
      )
      .join(', ');
  }
  if (typeof v === 'object' && v !== null) {
    return Object.entries(v as Evidence)
      .filter(([k]) => !/id$/i.test(k))
      .map(([k, x]) => `${k}: ${typeof x === 'object' ? JSON.stringify(x) : str(x)}`)
      .join('; ');
  }
  return str(v);
}

/** One sentence for the rules met most; null for the others (their lines say it). */
export function evidenceSentence(rule: RuleCode, e: Evidence, lang: Lang): string | null {
  const kind = zoneKindWords[lang][str(e.zoneKind)] ?? str(e.zoneKind);
  const d = (x: unknown) => formatDecimal(str(x), lang);
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
    case 'WEIGHT_DISCREPANCY':
      if (e.observed === undefined) return null;
      return lang === 'es'
        ? `Pesado ${e.checkpointCode ? `en ${str(e.checkpointCode)} ` : ''}con ${d(e.observed)} ${str(e.unit)} frente a ${d(e.declared)} ${str(e.unit)} declarados: ${d(e.difference)} ${str(e.unit)} de diferencia, más que la tolerancia de ${d(e.tolerance)} ${str(e.unit)}.`
        : `Weighed ${e.checkpointCode ? `at ${str(e.checkpointCode)} ` : ''}at ${d(e.observed)} ${str(e.unit)} against ${d(e.declared)} ${str(e.unit)} declared: ${d(e.difference)} ${str(e.unit)} off, beyond the tolerance of ${d(e.tolerance)} ${str(e.unit)}.`;
    case 'PRODUCTION_OVER_CAPACITY':
      if (e.ratio === undefined) return null;
      return lang === 'es'
        ? `La concesión ${str(e.concessionCode)} declaró ${d(e.declaredFineG)} g de oro fino en ${str(e.lotCount)} lotes${e.windowDays !== undefined ? ` en ${str(e.windowDays)} días` : ''}, ${d(e.ratio)} veces su capacidad de ${d(e.capacityFineG)} g${e.basis === 'mined_area' ? ` según las ${d(e.minedAreaHa)} ha de minería detectadas en ella` : ''}.`
        : `Concession ${str(e.concessionCode)} declared ${d(e.declaredFineG)} g of fine gold over ${str(e.lotCount)} lots${e.windowDays !== undefined ? ` in ${str(e.windowDays)} days` : ''}, ${d(e.ratio)}× its capacity of ${d(e.capacityFineG)} g${e.basis === 'mined_area' ? ` on the ${d(e.minedAreaHa)} ha of mining detected on it` : ''}.`;
    case 'DESTINATION_IN_EXCLUSION_ZONE':
      if (e.zoneName === undefined) return null;
      return lang === 'es'
        ? `${d(e.quantity)} ${str(e.unit)} de ${inputWords.es[str(e.input)] ?? str(e.input)} (${str(e.movementCode)}) con destino ${e.concessionCode ? `a la concesión ${str(e.concessionCode)}` : `a ${latLon(e.destination) ?? '—'}`}, ${e.whollyInside === true ? 'totalmente dentro de' : e.overlapHa !== undefined ? `con ${d(e.overlapHa)} ha dentro de` : `${d(e.depthM)} m dentro de`} «${str(e.zoneName)}» (${kind.toLowerCase()}, ${str(e.legalBasis)}).`
        : `${d(e.quantity)} ${str(e.unit)} of ${str(e.input)} (${str(e.movementCode)}) bound for ${e.concessionCode ? `concession ${str(e.concessionCode)}` : (latLon(e.destination) ?? '—')}, ${e.whollyInside === true ? 'wholly inside' : e.overlapHa !== undefined ? `${d(e.overlapHa)} ha of it inside` : `${d(e.depthM)} m inside`} “${str(e.zoneName)}” (${kind.toLowerCase()}, ${str(e.legalBasis)}).`;
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

/** The evidence's facts as labelled lines, ids left out. */
export function evidenceLines(e: Evidence, lang: Lang): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  for (const [key, v] of Object.entries(e)) {
    if (v === null || v === undefined) continue;
    if (/Id$|^id$|Ids$/.test(key) && key !== 'sourceLotId') continue;
    if (/Bbox$/.test(key) || isArea(v)) continue;
    out.push({ label: labels[lang][key] ?? key, value: displayValue(key, v, lang) });
  }
  return out;
}
