/**
 * The business's codes in plain words, Spanish and English: every closed list of vocabulary.ts
 * (and the few lists the zod schemas spell inline) worded once. The apps, the public page and
 * the AML report show these instead of the codes. Each dictionary is typed by its list, so a new
 * value fails the typecheck until it is worded in both languages. Pure data: the server and the
 * browser bundles both read it.
 */
import type {
  ActorKind,
  AdminLevel,
  CheckEntry,
  ConcessionKind,
  ConcessionStatus,
  ControlledInput,
  DetectionKind,
  FlagStatus,
  InputUnit,
  InspectionOutcome,
  LotForm,
  LotOperation,
  LotStatus,
  ledgerIncidentKinds,
  MinerCategory,
  MiningMethod,
  MovementStatus,
  OverlapCaseStatus,
  OverlapFoundAt,
  OverlapOutcome,
  PaymentMethod,
  PermittedUse,
  Registry,
  RiskLevel,
  Role,
  RuleCode,
  SubjectType,
  TransferOperation,
  TravelMode,
  Verdict,
  ZoneKind,
} from './vocabulary.js';

/** The languages things are worded in: Spanish (the default), English on request. */
export const wordLanguages = ['es', 'en'] as const;
export type WordLang = (typeof wordLanguages)[number];

/** A dictionary of one closed list: every value worded in every language. */
export type Words<K extends string> = Record<WordLang, Record<K, string>>;

/** The statuses a registration may take in any registry (newRegistrationSchema, per registry). */
export type RegistrationStatus =
  | 'none'
  | 'in_process'
  | 'formalized'
  | 'suspended'
  | 'revoked'
  | 'registered'
  | 'authorized';

/** A regulator's decision on a flag (flag-review.ts). */
export type ReviewDecision = 'acknowledge' | 'escalate' | 'dismiss';

/** A ledger incident's kind (vocabulary.ts ledgerIncidentKinds). */
export type LedgerIncidentKind = (typeof ledgerIncidentKinds)[number];

export const ruleWords: Words<RuleCode> = {
  es: {
    ORIGIN_IN_EXCLUSION_ZONE:
      'Oro extraído dentro de una zona de exclusión (área protegida, zona de amortiguamiento o prohibida)',
    ORIGIN_OUTSIDE_CONCESSION: 'El punto de origen está fuera de la concesión declarada',
    CONCESSION_NOT_VALID_MINING: 'La concesión declarada no es una concesión minera vigente',
    PRODUCER_NOT_FORMALIZED: 'El productor no estaba formalizado en la fecha de extracción',
    PRODUCER_NOT_OPERATOR: 'El productor no es titular ni operador autorizado de la concesión',
    CONCESSION_OVERLAPS_OTHER_RIGHTS:
      'La concesión se superpone con otros derechos (forestal, ecoturismo, castaña…)',
    CUSTODIAN_NOT_REGISTERED: 'El custodio no tiene registro de comercializador',
    PRODUCTION_OVER_CAPACITY: 'Producción mayor a la capacidad plausible de la concesión',
    INPUT_OUTPUT_MISMATCH: 'Oro desproporcionado respecto al mercurio y combustible recibidos (o al revés)',
    STRUCTURING: 'Fraccionamiento: muchos lotes justo debajo del umbral de reporte',
    QR_CLONED: 'Código QR clonado o reutilizado (viaje imposible o escaneo tras exportación)',
    WEIGHT_DISCREPANCY: 'El peso observado no coincide con el declarado',
    CONSIGNEE_NOT_AUTHORIZED: 'El destinatario del insumo no está autorizado',
    DESTINATION_IN_EXCLUSION_ZONE: 'El destino del insumo está en una zona de exclusión',
    OVER_QUOTA: 'El envío supera la cuota mensual autorizada',
    OFF_ROUTE: 'Inspeccionado fuera de su ruta declarada',
    NO_MINING_FOOTPRINT: 'Oro declarado de una concesión sin minería detectada por satélite',
    ORIGIN_FAR_FROM_FOOTPRINT: 'El punto de origen está lejos de toda minería detectada por satélite',
    CASH_ABOVE_THRESHOLD: 'Pago en efectivo por encima del umbral de la ley de bancarización',
    PRICE_ANOMALY: 'Precio por gramo fino muy lejos del precio de referencia',
    EXPORT_RECEIPT_MISMATCH:
      'La recepción en destino no coincide con lo exportado (peso distinto, o lote nunca exportado)',
    ORIGIN_OUTSIDE_MINING_CORRIDOR:
      'Oro extraído fuera del corredor minero declarado para su región (D.U. 012-2010 en Madre de Dios)',
    MINING_METHOD_FORBIDDEN:
      'El método de minería declarado está prohibido (dragas en ríos y cuerpos de agua)',
  },
  en: {
    ORIGIN_IN_EXCLUSION_ZONE:
      'Gold mined inside an exclusion zone (protected area, buffer zone or banned area)',
    ORIGIN_OUTSIDE_CONCESSION: 'The origin point lies outside the declared concession',
    CONCESSION_NOT_VALID_MINING: 'The declared concession is not a valid mining concession',
    PRODUCER_NOT_FORMALIZED: 'The producer was not formalized on the extraction date',
    PRODUCER_NOT_OPERATOR: 'The producer is neither holder nor authorized operator of the concession',
    CONCESSION_OVERLAPS_OTHER_RIGHTS: 'The concession overlaps other rights (timber, ecotourism, chestnut…)',
    CUSTODIAN_NOT_REGISTERED: 'The custodian holds no trader registration',
    PRODUCTION_OVER_CAPACITY: "Production beyond the concession's plausible capacity",
    INPUT_OUTPUT_MISMATCH: 'Gold out of proportion to the mercury and fuel received (or the reverse)',
    STRUCTURING: 'Structuring: many lots just under a reporting threshold',
    QR_CLONED: 'Cloned or reused QR code (impossible travel or scan after export)',
    WEIGHT_DISCREPANCY: 'The observed weight does not match the declared one',
    CONSIGNEE_NOT_AUTHORIZED: 'The consignee of the input is not authorized',
    DESTINATION_IN_EXCLUSION_ZONE: 'The destination of the input is in an exclusion zone',
    OVER_QUOTA: 'The consignment exceeds the authorized monthly quota',
    OFF_ROUTE: 'Inspected off its declared route',
    NO_MINING_FOOTPRINT: 'Gold declared from a concession where satellites detect no mining',
    ORIGIN_FAR_FROM_FOOTPRINT: 'The origin point is far from any mining detected by satellite',
    CASH_ABOVE_THRESHOLD: 'Paid in cash above the threshold of the bancarización law',
    PRICE_ANOMALY: 'Price per fine gram far from the reference price',
    EXPORT_RECEIPT_MISMATCH:
      'The receipt abroad does not match the export (other weight, or a lot never exported)',
    ORIGIN_OUTSIDE_MINING_CORRIDOR:
      'Gold mined outside the mining corridor declared for its region (D.U. 012-2010 in Madre de Dios)',
    MINING_METHOD_FORBIDDEN: 'The declared mining method is forbidden (dredges in rivers and water bodies)',
  },
};

export const severityWords: Words<RiskLevel> = {
  es: { none: 'sin riesgo', low: 'bajo', medium: 'medio', high: 'alto', critical: 'crítico' },
  en: { none: 'no risk', low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
};

export const flagStatusWords: Words<FlagStatus> = {
  es: { open: 'abierta', acknowledged: 'reconocida', escalated: 'escalada', dismissed: 'descartada' },
  en: { open: 'open', acknowledged: 'acknowledged', escalated: 'escalated', dismissed: 'dismissed' },
};

export const reviewDecisionWords: Words<ReviewDecision> = {
  es: { acknowledge: 'reconocer', escalate: 'escalar', dismiss: 'descartar' },
  en: { acknowledge: 'acknowledge', escalate: 'escalate', dismiss: 'dismiss' },
};

export const lotStatusWords: Words<LotStatus> = {
  es: { active: 'activo', consumed: 'consumido', exported: 'exportado', seized: 'incautado' },
  en: { active: 'active', consumed: 'consumed', exported: 'exported', seized: 'seized' },
};

export const formWords: Words<LotForm> = {
  es: {
    dore: 'doré',
    nugget: 'pepita',
    amalgam: 'amalgama',
    sponge: 'esponja',
    granules: 'granallas',
    bar: 'barra',
    recycled: 'reciclado',
  },
  en: {
    dore: 'doré',
    nugget: 'nugget',
    amalgam: 'amalgam',
    sponge: 'sponge',
    granules: 'granules',
    bar: 'bar',
    recycled: 'recycled',
  },
};

export const lotOperationWords: Words<LotOperation> = {
  es: { split: 'división', merge: 'fusión', refine: 'refinación' },
  en: { split: 'split', merge: 'merge', refine: 'refining' },
};

export const inputWords: Words<ControlledInput> = {
  es: { mercury: 'mercurio', diesel: 'diésel', gasoline: 'gasolina' },
  en: { mercury: 'mercury', diesel: 'diesel', gasoline: 'gasoline' },
};

/** Units in full; the symbols (kg, L) are the same in both languages. */
export const unitWords: Words<InputUnit> = {
  es: { kg: 'kilogramos', L: 'litros' },
  en: { kg: 'kilograms', L: 'litres' },
};

export const movementStatusWords: Words<MovementStatus> = {
  es: { declared: 'declarado', in_transit: 'en tránsito', delivered: 'entregado', seized: 'incautado' },
  en: { declared: 'declared', in_transit: 'in transit', delivered: 'delivered', seized: 'seized' },
};

export const inspectionOutcomeWords: Words<InspectionOutcome> = {
  es: { passed: 'conforme', discrepancy: 'con discrepancia', seized: 'incautado' },
  en: { passed: 'passed', discrepancy: 'discrepancy', seized: 'seized' },
};

export const verdictWords: Words<Verdict> = {
  es: { pass: 'puede continuar', hold: 'retener' },
  en: { pass: 'may proceed', hold: 'hold' },
};

/** How a checkpoint came to a lot or consignment: its QR read, or its printed code typed. */
export const checkEntryWords: Words<CheckEntry> = {
  es: { scanned: 'QR leído', typed: 'código escrito, etiqueta no leída' },
  en: { scanned: 'QR read', typed: 'code typed, label not read' },
};

export const subjectTypeWords: Words<SubjectType> = {
  es: { lot: 'lote de oro', movement: 'envío de insumos' },
  en: { lot: 'gold lot', movement: 'input consignment' },
};

export const concessionKindWords: Words<ConcessionKind> = {
  es: {
    mining: 'minera',
    timber: 'forestal maderable',
    reforestation: 'reforestación',
    ecotourism: 'ecoturismo',
    chestnut: 'castaña',
    agriculture: 'agrícola',
    conservation: 'conservación',
    other: 'otra',
  },
  en: {
    mining: 'mining',
    timber: 'timber',
    reforestation: 'reforestation',
    ecotourism: 'ecotourism',
    chestnut: 'Brazil nut',
    agriculture: 'agriculture',
    conservation: 'conservation',
    other: 'other',
  },
};

export const concessionStatusWords: Words<ConcessionStatus> = {
  es: { titled: 'titulada', in_process: 'en trámite', expired: 'vencida', cancelled: 'cancelada' },
  en: { titled: 'titled', in_process: 'in process', expired: 'expired', cancelled: 'cancelled' },
};

export const zoneKindWords: Words<ZoneKind> = {
  es: {
    protected_area: 'área natural protegida',
    buffer_zone: 'zona de amortiguamiento',
    mining_exclusion: 'zona de exclusión minera',
    indigenous_territory: 'territorio indígena',
    other: 'otra zona',
    mining_corridor: 'corredor minero',
    micro_zoning: 'unidad de microzonificación',
  },
  en: {
    protected_area: 'protected area',
    buffer_zone: 'buffer zone',
    mining_exclusion: 'mining exclusion zone',
    indigenous_territory: 'indigenous territory',
    other: 'other zone',
    mining_corridor: 'mining corridor',
    micro_zoning: 'micro-zoning unit',
  },
};

export const registryWords: Words<Registry> = {
  es: {
    formalization: 'formalización minera (REINFO)',
    trader: 'registro de comercializadores',
    controlled_inputs: 'bienes fiscalizados (mercurio y combustible)',
  },
  en: {
    formalization: 'mining formalization (REINFO)',
    trader: 'trader registry',
    controlled_inputs: 'controlled inputs (mercury and fuel)',
  },
};

export const registrationStatusWords: Words<RegistrationStatus> = {
  es: {
    none: 'sin registro',
    in_process: 'en proceso',
    formalized: 'formalizado',
    suspended: 'suspendido',
    revoked: 'revocado',
    registered: 'inscrito',
    authorized: 'autorizado',
  },
  en: {
    none: 'not registered',
    in_process: 'in process',
    formalized: 'formalized',
    suspended: 'suspended',
    revoked: 'revoked',
    registered: 'registered',
    authorized: 'authorized',
  },
};

export const actorKindWords: Words<ActorKind> = {
  es: {
    miner: 'minero',
    processor: 'procesador',
    trader: 'comercializador (acopiador)',
    exporter: 'exportador',
    supplier: 'proveedor de insumos',
    transporter: 'transportista',
    refiner: 'refinador',
    other: 'otro',
  },
  en: {
    miner: 'miner',
    processor: 'processor',
    trader: 'trader',
    exporter: 'exporter',
    supplier: 'input supplier',
    transporter: 'transporter',
    refiner: 'refiner',
    other: 'other',
  },
};

export const roleWords: Words<Role> = {
  es: {
    checkpoint: 'personal de puesto de control',
    exporter: 'operador',
    regulator: 'regulador',
    admin: 'administrador',
  },
  en: {
    checkpoint: 'checkpoint staff',
    exporter: 'operator',
    regulator: 'regulator',
    admin: 'administrator',
  },
};

export const travelModeWords: Words<TravelMode> = {
  es: { road: 'carretera', river: 'fluvial', air: 'aéreo' },
  en: { road: 'road', river: 'river', air: 'air' },
};

export const transferOperationWords: Words<TransferOperation> = {
  es: { transfer: 'transferencia', export: 'exportación' },
  en: { transfer: 'transfer', export: 'export' },
};

export const paymentMethodWords: Words<PaymentMethod> = {
  es: { cash: 'efectivo', bank_transfer: 'transferencia bancaria', cheque: 'cheque', other: 'otro' },
  en: { cash: 'cash', bank_transfer: 'bank transfer', cheque: 'cheque', other: 'other' },
};

export const detectionKindWords: Words<DetectionKind> = {
  es: { footprint: 'huella de minería (área)', alert: 'alerta de minería (punto)' },
  en: { footprint: 'mining footprint (area)', alert: 'mining alert (point)' },
};

export const adminLevelWords: Words<AdminLevel> = {
  es: { department: 'departamento', province: 'provincia', district: 'distrito' },
  en: { department: 'department', province: 'province', district: 'district' },
};

export const ledgerIncidentWords: Words<LedgerIncidentKind> = {
  es: {
    event_unsigned: 'evento sin firma de escritura',
    event_signature_invalid: 'la firma de escritura del evento no verifica',
    tree_mismatch: 'el árbol guardado no da la última cabeza firmada',
    head_signature_invalid: 'la firma de la cabeza no verifica',
  },
  en: {
    event_unsigned: 'event without a write signature',
    event_signature_invalid: "the event's write signature does not verify",
    tree_mismatch: 'the stored tree does not give the last signed head',
    head_signature_invalid: "the head's signature does not verify",
  },
};

/** A word for a code, or the code itself when the dictionary does not know it (a value newer than the app). */
export const overlapCaseStatusWords: Words<OverlapCaseStatus> = {
  es: { open: 'abierto', in_mediation: 'en mediación', resolved: 'resuelto', annulled: 'anulado' },
  en: { open: 'open', in_mediation: 'in mediation', resolved: 'resolved', annulled: 'annulled' },
};

export const overlapFoundAtWords: Words<OverlapFoundAt> = {
  es: {
    registration: 'al registrar el derecho',
    import: 'en una importación',
    scan: 'en una revisión del registro',
  },
  en: { registration: 'when the right was filed', import: 'in an import', scan: 'in a scan of the registry' },
};

export const overlapOutcomeWords: Words<OverlapOutcome> = {
  es: {
    coexistence: 'coexistencia acordada',
    right_reduced: 'un derecho reducido',
    right_annulled: 'un derecho anulado',
    dismissed: 'desestimado',
  },
  en: {
    coexistence: 'coexistence agreed',
    right_reduced: 'one right reduced',
    right_annulled: 'one right annulled',
    dismissed: 'dismissed',
  },
};

export const wordFor = (words: Readonly<Record<string, string>>, code: string): string => words[code] ?? code;

/** Where a flag is placed on a map (the flags' GeoJSON export): the place its evidence points to. */
export type FlagPlace = 'lot_origin' | 'movement_destination' | 'checkpoint';
export const flagPlaceWords: Words<FlagPlace> = {
  es: {
    lot_origin: 'origen del lote',
    movement_destination: 'destino del envío',
    checkpoint: 'puesto de control',
  },
  en: { lot_origin: 'lot origin', movement_destination: 'consignment destination', checkpoint: 'checkpoint' },
};

export const minerCategoryWords: Words<MinerCategory> = {
  es: {
    artisanal: 'productor minero artesanal (PMA)',
    small_producer: 'pequeño productor minero (PPM)',
    medium: 'mediana minería (régimen general)',
    large: 'gran minería (régimen general)',
    none: 'sin categoría declarada',
  },
  en: {
    artisanal: 'artisanal mining producer (PMA)',
    small_producer: 'small mining producer (PPM)',
    medium: 'medium-scale mining (general regime)',
    large: 'large-scale mining (general regime)',
    none: 'no category declared',
  },
};

export const miningMethodWords: Words<MiningMethod> = {
  es: {
    alluvial: 'aluvial',
    dredge: 'draga',
    hydraulic: 'hidráulico (chupadera, carranchera)',
    other: 'otro',
  },
  en: {
    alluvial: 'alluvial',
    dredge: 'dredge',
    hydraulic: 'hydraulic (suction pump, monitor)',
    other: 'other',
  },
};

export const permittedUseWords: Words<PermittedUse> = {
  es: {
    mining: 'minería',
    forestry: 'forestal',
    agriculture: 'agricultura',
    conservation: 'conservación',
    tourism: 'turismo',
    urban: 'urbano',
    other: 'otro',
  },
  en: {
    mining: 'mining',
    forestry: 'forestry',
    agriculture: 'agriculture',
    conservation: 'conservation',
    tourism: 'tourism',
    urban: 'urban',
    other: 'other',
  },
};

/**
 * Every type of event the ledger records (events.type), as the console's event lists name them.
 * A test reads the types the domain writes and fails on one missing here.
 */
export const ledgerEventTypes = [
  'actor.category_recorded',
  'actor.registered',
  'actor.registration_recorded',
  'checkpoint.air_link_declared',
  'checkpoint.registered',
  'checkpoint.retired',
  'concession.operator_added',
  'concession.registered',
  'concession.retired',
  'concession.updated',
  'detection_layer.imported',
  'epcis.capture_job',
  'epcis.captured',
  'flag.inherited',
  'flag.raised',
  'flag.reviewed',
  'lot.created_by_merge',
  'lot.created_by_refine',
  'lot.created_by_split',
  'lot.exported',
  'lot.merged',
  'lot.receipt_reported',
  'lot.refined',
  'lot.registered',
  'lot.scanned',
  'lot.seized',
  'lot.split',
  'lot.transferred',
  'movement.declared',
  'movement.delivered',
  'movement.inspected',
  'overlap_case.decided',
  'overlap_case.mediation_started',
  'overlap_case.opened',
  'screening.due_judged',
  'screening.rescreened',
  'zone.registered',
  'zone.retired',
] as const;
export type LedgerEventType = (typeof ledgerEventTypes)[number];

export const ledgerEventWords: Words<LedgerEventType> = {
  es: {
    'actor.category_recorded': 'Categoría del productor registrada',
    'actor.registered': 'Actor registrado',
    'actor.registration_recorded': 'Inscripción del actor registrada',
    'checkpoint.air_link_declared': 'Enlace aéreo del puesto declarado',
    'checkpoint.registered': 'Puesto de control registrado',
    'checkpoint.retired': 'Puesto de control retirado',
    'concession.operator_added': 'Operador autorizado añadido a la concesión',
    'concession.registered': 'Concesión registrada',
    'concession.retired': 'Concesión retirada',
    'concession.updated': 'Concesión actualizada',
    'detection_layer.imported': 'Capa satelital importada',
    'epcis.capture_job': 'Documento EPCIS capturado',
    'epcis.captured': 'Evento EPCIS de un socio',
    'flag.inherited': 'Alerta heredada',
    'flag.raised': 'Alerta levantada',
    'flag.reviewed': 'Alerta revisada',
    'lot.created_by_merge': 'Creado por fusión',
    'lot.created_by_refine': 'Creado por refinación',
    'lot.created_by_split': 'Creado por división',
    'lot.exported': 'Exportado',
    'lot.merged': 'Lote fusionado',
    'lot.receipt_reported': 'Recepción informada en destino (EPCIS)',
    'lot.refined': 'Lote refinado',
    'lot.registered': 'Lote registrado',
    'lot.scanned': 'Escaneado en un puesto de control',
    'lot.seized': 'Incautado',
    'lot.split': 'Lote dividido',
    'lot.transferred': 'Custodia transferida',
    'movement.declared': 'Envío de insumos declarado',
    'movement.delivered': 'Envío de insumos entregado',
    'movement.inspected': 'Envío inspeccionado en un puesto de control',
    'overlap_case.decided': 'Caso de superposición resuelto',
    'overlap_case.mediation_started': 'Mediación iniciada en un caso de superposición',
    'overlap_case.opened': 'Caso de superposición abierto',
    'screening.due_judged': 'Envíos de mercurio evaluados al vencer su plazo',
    'screening.rescreened': 'Evaluado de nuevo',
    'zone.registered': 'Zona registrada',
    'zone.retired': 'Zona retirada',
  },
  en: {
    'actor.category_recorded': 'Producer category recorded',
    'actor.registered': 'Actor registered',
    'actor.registration_recorded': 'Actor registration recorded',
    'checkpoint.air_link_declared': 'Checkpoint air link declared',
    'checkpoint.registered': 'Checkpoint registered',
    'checkpoint.retired': 'Checkpoint retired',
    'concession.operator_added': 'Authorised operator added to the concession',
    'concession.registered': 'Concession registered',
    'concession.retired': 'Concession retired',
    'concession.updated': 'Concession updated',
    'detection_layer.imported': 'Satellite layer imported',
    'epcis.capture_job': 'EPCIS document captured',
    'epcis.captured': 'EPCIS event from a partner',
    'flag.inherited': 'Flag inherited',
    'flag.raised': 'Flag raised',
    'flag.reviewed': 'Flag reviewed',
    'lot.created_by_merge': 'Created by a merge',
    'lot.created_by_refine': 'Created by refining',
    'lot.created_by_split': 'Created by a split',
    'lot.exported': 'Exported',
    'lot.merged': 'Lot merged',
    'lot.receipt_reported': 'Receipt reported abroad (EPCIS)',
    'lot.refined': 'Lot refined',
    'lot.registered': 'Lot registered',
    'lot.scanned': 'Scanned at a checkpoint',
    'lot.seized': 'Seized',
    'lot.split': 'Lot split',
    'lot.transferred': 'Custody transferred',
    'movement.declared': 'Input consignment declared',
    'movement.delivered': 'Input consignment delivered',
    'movement.inspected': 'Consignment inspected at a checkpoint',
    'overlap_case.decided': 'Overlap case decided',
    'overlap_case.mediation_started': 'Mediation started in an overlap case',
    'overlap_case.opened': 'Overlap case opened',
    'screening.due_judged': 'Mercury consignments judged when their lag ran out',
    'screening.rescreened': 'Screened again',
    'zone.registered': 'Zone registered',
    'zone.retired': 'Zone retired',
  },
};

/** A checkpoint as a place, by how goods pass it (checkpoints.mode): what a map popup calls it. */
export const checkpointPlaceWords: Words<TravelMode> = {
  es: { road: 'Control en carretera', river: 'Puerto fluvial', air: 'Aeropuerto' },
  en: { road: 'Road control', river: 'River port', air: 'Airport' },
};
