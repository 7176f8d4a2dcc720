import { z } from 'zod';
import { unstorableText } from '../shared/text.js';

/**
 * What a partner may capture: EPCIS 2.0 events in their JSON/JSON-LD binding (EPCIS 2.0 §9 and
 * GS1's EPCIS-JSON-Schema.json, which this follows member for member), with the Core Business
 * Vocabulary 2.0 for business steps, dispositions and the other CBV lists. The schema is the
 * contract partners' systems are tested against, so the validator refuses what it refuses — a
 * bare word outside CBV, a quantity written as text, an undeclared member — and accepts what it
 * accepts; the one place it is stricter is the event type, where only the standard's five are
 * taken (an extended event type would have no meaning for this ledger's screening).
 *
 * Members beyond the standard's are extensions (EPCIS 2.0 §9.3): their names must be namespaced,
 * a CURIE (`example:myField`) or a whole URI, so that a reader knows whose vocabulary they are.
 */

/** xsd:dateTime with its offset (RFC 3339 date-time): a time without one names no instant. */
const dateTime = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/, 'a date-time with its offset')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'not a real date-time');

/** An absolute URI (RFC 3986: a scheme, then something); CURIEs pass as URIs with their prefix as scheme. */
const uri = z.string().regex(/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/, 'a URI');

/** An extension member's name: namespaced, as a CURIE or a URI. */
const namespaced = (name: string) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(name);

/** CBV 2.0 §7 (BizStep), §7.2 (Disp), §7.3 (BTT), §7.4 (SDT), §7.5 (ER): the standard words. */
const cbv = {
  BizStep: [
    'accepting',
    'arriving',
    'assembling',
    'collecting',
    'commissioning',
    'consigning',
    'creating_class_instance',
    'cycle_counting',
    'decommissioning',
    'departing',
    'destroying',
    'disassembling',
    'dispensing',
    'encoding',
    'entering_exiting',
    'holding',
    'inspecting',
    'installing',
    'killing',
    'loading',
    'other',
    'packing',
    'picking',
    'receiving',
    'removing',
    'repackaging',
    'repairing',
    'replacing',
    'reserving',
    'retail_selling',
    'shipping',
    'staging_outbound',
    'stock_taking',
    'stocking',
    'storing',
    'transporting',
    'unloading',
    'unpacking',
    'void_shipping',
    'sensor_reporting',
    'sampling',
  ],
  Disp: [
    'active',
    'container_closed',
    'damaged',
    'destroyed',
    'dispensed',
    'disposed',
    'encoded',
    'expired',
    'in_progress',
    'in_transit',
    'inactive',
    'no_pedigree_match',
    'non_sellable_other',
    'partially_dispensed',
    'recalled',
    'reserved',
    'retail_sold',
    'returned',
    'sellable_accessible',
    'sellable_not_accessible',
    'stolen',
    'unknown',
    'available',
    'completeness_verified',
    'completeness_inferred',
    'conformant',
    'container_open',
    'mismatch_instance',
    'mismatch_class',
    'mismatch_quantity',
    'needs_replacement',
    'non_conformant',
    'unavailable',
  ],
  BTT: [
    'bol',
    'cert',
    'desadv',
    'inv',
    'pedigree',
    'po',
    'poc',
    'prodorder',
    'recadv',
    'rma',
    'testprd',
    'testres',
    'upevt',
  ],
  SDT: ['owning_party', 'possessing_party', 'location'],
  ER: ['did_not_occur', 'incorrect_data'],
} as const;
type CbvList = keyof typeof cbv;

/**
 * A CBV value: a bare word of its list, its CBV 2.0 web URI (`https://ref.gs1.org/cbv/BizStep-x`,
 * x from the list), or a custom value as a URI or CURIE. The JSON binding writes standard values
 * bare, so their EPCIS 1.x URNs and the old ns.gs1.org URIs are refused (the schema's
 * vocab-other-uri), and a bare word CBV does not have is refused: it is a typo or a private word
 * passed off as a standard one.
 */
const cbvValue = (list: CbvList) =>
  z.string().superRefine((v, ctx) => {
    const words: readonly string[] = cbv[list];
    if (words.includes(v)) return;
    const web = new RegExp(`^https://ref\\.gs1\\.org/cbv/${list}-(.+)$`).exec(v);
    if (web) {
      if (!words.includes(web[1] ?? ''))
        ctx.addIssue({ code: 'custom', message: `"${v}": not a CBV ${list} value` });
      return;
    }
    if (/^(urn:epcglobal:cbv|https?:\/\/ns\.gs1\.org\/cbv\/)/.test(v))
      ctx.addIssue({ code: 'custom', message: `"${v}": a standard value is written as its bare word` });
    else if (!namespaced(v))
      ctx.addIssue({
        code: 'custom',
        message: `"${v}": not a CBV ${list} word; a custom value must be a URI or CURIE`,
      });
  });

/**
 * An object with `known` members (each with its schema, those in `required` mandatory) and, if
 * `extensible`, any namespaced member beside them; every other member is refused by name.
 */
const members = <S extends z.ZodRawShape>(shape: S, extensible: boolean) =>
  z.looseObject(shape).superRefine((v, ctx) => {
    for (const key of Object.keys(v))
      if (!(key in shape) && !(extensible && namespaced(key)))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: extensible
            ? `"${key}": not a member of the standard, and an extension must be namespaced (prefix:name or a URI)`
            : `"${key}": not a member here`,
        });
  });

const uriList = z.array(uri);
const decimal = z.number({ error: 'a number' });
const quantityElement = members(
  {
    epcClass: uri,
    quantity: decimal.optional(),
    /** UN/CEFACT Recommendation 20 unit code. */
    uom: z
      .string()
      .regex(/^[A-Z0-9]{2,3}$/, 'a UN/CEFACT unit code')
      .optional(),
  },
  false,
);
const quantityList = z.array(quantityElement);
const place = members({ id: uri }, true);
const bizTransaction = members({ type: cbvValue('BTT').optional(), bizTransaction: uri }, false);
const source = members({ type: cbvValue('SDT'), source: uri }, false);
const destination = members({ type: cbvValue('SDT'), destination: uri }, false);
const persistentDisposition = members(
  { set: z.array(cbvValue('Disp')).min(1).optional(), unset: z.array(cbvValue('Disp')).min(1).optional() },
  false,
).refine((v) => v.set !== undefined || v.unset !== undefined, 'set or unset');
const errorDeclaration = members(
  {
    declarationTime: dateTime,
    reason: cbvValue('ER').optional(),
    correctiveEventIDs: uriList.optional(),
  },
  true,
);
const extensionsOnly = z.record(z.string(), z.unknown()).superRefine((v, ctx) => {
  for (const key of Object.keys(v))
    if (!namespaced(key))
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `"${key}": must be namespaced (prefix:name or a URI)`,
      });
});
const sensorMetadata = members(
  {
    time: dateTime.optional(),
    deviceID: uri.optional(),
    deviceMetadata: uri.optional(),
    rawData: uri.optional(),
    startTime: dateTime.optional(),
    endTime: dateTime.optional(),
    dataProcessingMethod: uri.optional(),
    bizRules: uri.optional(),
  },
  true,
);
/**
 * A word of one of GS1 Web Vocabulary's lists (gs1:MeasurementType, gs1:SensorAlertType, the
 * coordinate components), or a URI of someone else's vocabulary: a gs1.org/voc URI is refused,
 * as the JSON binding writes GS1's own terms bare.
 */
const webVocabulary = (words: readonly string[], what: string) =>
  z.string().superRefine((v, ctx) => {
    if (words.includes(v)) return;
    if (/^https?:\/\/(www\.)?gs1\.org\/voc\//.test(v) || !namespaced(v))
      ctx.addIssue({
        code: 'custom',
        message: `"${v}": not a ${what}; another vocabulary's term must be a URI`,
      });
  });
// biome-ignore format: a word list
const measurementTypes = ['AbsoluteHumidity', 'AbsorbedDose', 'AbsorbedDoseRate', 'Acceleration', 'Radioactivity', 'Altitude', 'AmountOfSubstance', 'AmountOfSubstancePerUnitVolume', 'Angle', 'AngularAcceleration', 'AngularMomentum', 'AngularVelocity', 'Area', 'Capacitance', 'Conductance', 'Conductivity', 'Count', 'Density', 'Dimensionless', 'DoseEquivalent', 'DoseEquivalentRate', 'DynamicViscosity', 'ElectricCharge', 'ElectricCurrent', 'ElectricCurrentDensity', 'ElectricFieldStrength', 'Energy', 'Exposure', 'Force', 'Frequency', 'Illuminance', 'Inductance', 'Irradiance', 'KinematicViscosity', 'Length', 'LinearMomentum', 'Luminance', 'LuminousFlux', 'LuminousIntensity', 'MagneticFlux', 'MagneticFluxDensity', 'MagneticVectorPotential', 'Mass', 'MassConcentration', 'MassFlowRate', 'MassPerAreaTime', 'MemoryCapacity', 'MolalityOfSolute', 'MolarEnergy', 'MolarMass', 'MolarVolume', 'Power', 'Pressure', 'RadiantFlux', 'RadiantIntensity', 'RelativeHumidity', 'Resistance', 'Resistivity', 'SolidAngle', 'SpecificVolume', 'Speed', 'SurfaceDensity', 'SurfaceTension', 'Temperature', 'Time', 'Torque', 'Voltage', 'Volume', 'VolumeFlowRate', 'VolumeFraction', 'VolumetricFlux', 'Wavenumber'];
// biome-ignore format: a word list
const components = ['x', 'y', 'z', 'axial_distance', 'azimuth', 'height', 'spherical_radius', 'polar_angle', 'elevation_angle', 'easting', 'northing', 'latitude', 'longitude', 'altitude'];
const sensorReport = members(
  {
    type: webVocabulary(measurementTypes, 'gs1:MeasurementType'),
    exception: webVocabulary(['ALARM_CONDITION', 'ERROR_CONDITION'], 'gs1:SensorAlertType').optional(),
    deviceID: uri.optional(),
    deviceMetadata: uri.optional(),
    rawData: uri.optional(),
    dataProcessingMethod: uri.optional(),
    bizRules: uri.optional(),
    time: dateTime.optional(),
    microorganism: uri.optional(),
    chemicalSubstance: uri.optional(),
    coordinateReferenceSystem: uri.optional(),
    value: decimal.optional(),
    component: z
      .string()
      .refine((v) => components.includes(v) || namespaced(v), 'a coordinate component')
      .optional(),
    stringValue: z.string().optional(),
    booleanValue: z.boolean().optional(),
    hexBinaryValue: z
      .string()
      .regex(/^[0-9A-Fa-f]*$/, 'hexadecimal')
      .optional(),
    uriValue: uri.optional(),
    minValue: decimal.optional(),
    maxValue: decimal.optional(),
    meanValue: decimal.optional(),
    sDev: decimal.optional(),
    percRank: decimal.optional(),
    percValue: decimal.optional(),
    uom: z.string().optional(),
  },
  true,
);
const sensorElement = members(
  { sensorMetadata: sensorMetadata.optional(), sensorReport: z.array(sensorReport).min(1) },
  true,
);

/** JSON-LD's @context: a URI, an object of terms, or a list of those. */
const ldContext = z.union([
  uri,
  z.record(z.string(), z.unknown()),
  z.array(z.union([uri, z.record(z.string(), z.unknown())])).min(1),
]);

/** What every event has (EPCIS 2.0 §7.4.1 EPCISEvent). */
const common = {
  '@context': ldContext.optional(),
  eventTime: dateTime,
  recordTime: dateTime.optional(),
  eventTimeZoneOffset: z
    .string()
    .regex(/^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$/, 'an offset ±hh:mm between -14:00 and +14:00'),
  eventID: uri.optional(),
  certificationInfo: z.union([uri, uriList]).optional(),
  errorDeclaration: errorDeclaration.optional(),
};
const action = z.enum(['ADD', 'OBSERVE', 'DELETE'], { error: 'ADD, OBSERVE or DELETE' });
const what = {
  bizStep: cbvValue('BizStep').optional(),
  disposition: cbvValue('Disp').optional(),
  readPoint: place.optional(),
  bizLocation: place.optional(),
  bizTransactionList: z.array(bizTransaction).optional(),
  sourceList: z.array(source).optional(),
  destinationList: z.array(destination).optional(),
  sensorElementList: z.array(sensorElement).optional(),
};

const nonEmpty = (v: unknown[] | undefined) => v !== undefined && v.length > 0;

const objectEvent = members(
  {
    ...common,
    ...what,
    type: z.literal('ObjectEvent'),
    action,
    epcList: uriList.optional(),
    quantityList: quantityList.optional(),
    persistentDisposition: persistentDisposition.optional(),
    ilmd: extensionsOnly.optional(),
  },
  true,
)
  // What it is about (the identifiers), unless it is a sensor reading at a place; instance/lot
  // master data (ilmd) is given when things come into being (ADD), not when observed or deleted.
  .refine(
    (e) =>
      e.epcList !== undefined ||
      nonEmpty(e.quantityList) ||
      (nonEmpty(e.sensorElementList) && e.readPoint !== undefined),
    {
      message:
        'an ObjectEvent names what it is about: epcList or quantityList (or, for sensor readings, sensorElementList and readPoint)',
      path: ['epcList'],
    },
  )
  .refine((e) => e.ilmd === undefined || e.action === 'ADD', {
    message: 'ilmd only with action ADD',
    path: ['ilmd'],
  });

const aggregation = {
  ...common,
  ...what,
  action,
  parentID: uri.optional(),
  childEPCs: uriList.optional(),
  childQuantityList: quantityList.optional(),
};
const childrenNamed = (e: { childEPCs?: string[]; childQuantityList?: unknown[]; action: string }) =>
  nonEmpty(e.childEPCs) || nonEmpty(e.childQuantityList) || e.action === 'DELETE';
const aggregationEvent = members({ ...aggregation, type: z.literal('AggregationEvent') }, true).refine(
  childrenNamed,
  { message: 'an AggregationEvent names its children: childEPCs or childQuantityList', path: ['childEPCs'] },
);
const associationEvent = members(
  { ...aggregation, type: z.literal('AssociationEvent'), parentID: uri },
  true,
).refine(childrenNamed, {
  message: 'an AssociationEvent names its children: childEPCs or childQuantityList',
  path: ['childEPCs'],
});
const transactionEvent = members(
  {
    ...common,
    ...what,
    type: z.literal('TransactionEvent'),
    action,
    bizTransactionList: z.array(bizTransaction).min(1, 'a TransactionEvent names its business transactions'),
    parentID: uri.optional(),
    epcList: uriList.optional(),
    quantityList: quantityList.optional(),
  },
  true,
).refine((e) => e.epcList !== undefined || nonEmpty(e.quantityList) || e.action === 'DELETE', {
  message: 'a TransactionEvent names what it is about: epcList or quantityList',
  path: ['epcList'],
});
const transformationEvent = members(
  {
    ...common,
    ...what,
    type: z.literal('TransformationEvent'),
    inputEPCList: uriList.optional(),
    inputQuantityList: quantityList.optional(),
    outputEPCList: uriList.optional(),
    outputQuantityList: quantityList.optional(),
    transformationID: uri.optional(),
    persistentDisposition: persistentDisposition.optional(),
    ilmd: extensionsOnly.optional(),
  },
  true,
).superRefine((e, ctx) => {
  // Inputs and outputs; or one side only, when a transformationID ties it to the other side's event.
  const inputs = nonEmpty(e.inputEPCList) || nonEmpty(e.inputQuantityList);
  const outputs = nonEmpty(e.outputEPCList) || nonEmpty(e.outputQuantityList);
  if (inputs && outputs) return;
  if ((inputs || outputs) && e.transformationID !== undefined) return;
  ctx.addIssue({
    code: 'custom',
    path: ['inputEPCList'],
    message:
      inputs || outputs
        ? 'a TransformationEvent with only inputs or only outputs carries its transformationID'
        : 'a TransformationEvent names its inputs and outputs',
  });
});

const epcisEventTypes = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const;

/** One event of the five types; chosen by its `type` so that errors speak of that type alone. */
const epcisEventSchema = z.discriminatedUnion(
  'type',
  [objectEvent, aggregationEvent, transactionEvent, transformationEvent, associationEvent],
  { error: `type: one of ${epcisEventTypes.join(', ')}` },
);
export type CapturedEvent = z.infer<typeof epcisEventSchema>;

/**
 * Captured events are stored whole, extension members included, as jsonb: text PostgreSQL
 * cannot store is refused here, where it is named, not by the database.
 */
function storable(value: unknown, ctx: z.RefinementCtx): void {
  const bad = unstorableText(value);
  if (bad) ctx.addIssue({ code: 'custom', path: bad.path, message: bad.message });
}

/** One event sent alone (POST /epcis/events): JSON-LD, so it carries its own @context. */
export const standaloneEventSchema = epcisEventSchema
  .refine((e) => e['@context'] !== undefined, {
    message: 'an event sent alone carries its @context',
    path: ['@context'],
  })
  .superRefine(storable);

/** An EPCISDocument (EPCIS 2.0 §9.8): the header members and the events in epcisBody.eventList. */
export const epcisDocumentSchema = members(
  {
    '@context': ldContext,
    type: z.literal('EPCISDocument'),
    schemaVersion: z.string().regex(/^\d+(\.\d+)*$/, 'a version such as 2.0'),
    creationDate: dateTime,
    id: uri.optional(),
    instanceIdentifier: z.string().optional(),
    sender: z.string().optional(),
    receiver: z.string().optional(),
    epcisHeader: z.record(z.string(), z.unknown()).optional(),
    epcisBody: members({ eventList: z.array(epcisEventSchema) }, false),
  },
  true,
).superRefine(storable);
export type EpcisDocument = z.infer<typeof epcisDocumentSchema>;

/** A failure named by where it is (a JSON path, `epcisBody.eventList.1.bizStep`) and what is wrong. */
export interface CaptureIssue {
  path: string;
  message: string;
}

export const issuesOf = (error: z.ZodError): CaptureIssue[] =>
  error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
