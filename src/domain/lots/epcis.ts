import { z } from 'zod';
import { pointSchema } from '../shared/geojson.js';
import { type EpcFormat, giai } from '../shared/gs1.js';
import { checkEntries } from '../shared/vocabulary.js';
import type { Provenance, ProvenanceEvent } from './schemas.js';

/**
 * A provenance as a GS1 EPCIS 2.0 JSON-LD document (DESIGN "Gold lots", Provenance). A pure
 * function of the provenance: no database, so the mapping can be read and tested on its own.
 *
 * Identifiers are the ledger's own resource URLs (`<base>/v1/lots/<id>`, `/v1/checkpoints/<id>`,
 * `/v1/actors/<id>`, `/v1/concessions/<id>`): EPCIS 2.0 accepts any URI where it wants an
 * identifier, these are stable, unique per ledger and resolve to the resource for anyone
 * allowed to read it. Lots carry no GTIN, so there is no EPC URN to give them.
 *
 * A lot is identified at class level (`epcClass` with a quantity), as a GS1 batch/lot (LGTIN)
 * is: its quantity is its FINE gold in grams (uom GRM, UN/ECE Rec. 20), the measure that the
 * ledger conserves. Every event uses that same identification, so a lot commissioned, split,
 * merged, refined, scanned and exported is one epcClass throughout and the fine grams can be
 * balanced across TransformationEvents.
 *
 * bizStep and disposition are CBV 2.0 bare words (what the GS1 JSON Schema enumerates); ledger
 * data without a CBV term goes in extension members under the `orotrace:` prefix, which the
 * document's @context defines.
 */

export const epcisContextUrl = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

interface QuantityElement {
  epcClass: string;
  quantity: number;
  uom: 'GRM';
}
type PartyType = 'owning_party' | 'possessing_party';
/** Ledger data with no EPCIS field, namespaced as EPCIS 2.0 extensions must be. */
type Extensions = { [member: `orotrace:${string}`]: unknown };

interface EventCommon extends Extensions {
  eventID: string;
  eventTime: string;
  eventTimeZoneOffset: string;
  recordTime: string;
  bizStep: string;
  disposition?: string;
  readPoint?: { id: string };
  bizLocation?: { id: string };
}
interface EpcisObjectEvent extends EventCommon {
  type: 'ObjectEvent';
  action: 'ADD' | 'OBSERVE';
  /** The lot as the individual thing it is: its GIAI (shared/gs1.ts). */
  epcList?: string[];
  quantityList: QuantityElement[];
  sourceList?: { type: PartyType; source: string }[];
  destinationList?: { type: PartyType; destination: string }[];
  ilmd?: Extensions;
}
interface EpcisTransformationEvent extends EventCommon {
  type: 'TransformationEvent';
  transformationID: string;
  inputEPCList?: string[];
  outputEPCList?: string[];
  inputQuantityList: QuantityElement[];
  outputQuantityList: QuantityElement[];
}
export type EpcisEvent = EpcisObjectEvent | EpcisTransformationEvent;

export interface EpcisDocument {
  '@context': [string, { orotrace: string }];
  type: 'EPCISDocument';
  schemaVersion: '2.0';
  creationDate: string;
  epcisBody: { eventList: EpcisEvent[] };
}

// The payloads the ledger writes (lots.ts, custody.ts, scans.ts beside this), as far as EPCIS needs
// them. Ids as z.guid(): any 8-4-4-4-12 hex id the uuid columns accept, whatever its version.
const grams = z.string();
const id = z.guid();
const payloads = {
  registered: z.object({
    code: z.string(),
    producerId: id,
    concessionId: id,
    origin: pointSchema,
    extractedOn: z.string(),
    grossWeightG: grams,
    fineness: z.string(),
    fineWeightG: grams,
    form: z.string(),
    custodianId: id,
  }),
  transferred: z.object({ from: id, to: id }),
  split: z.object({
    inputFineWeightG: grams,
    children: z.array(z.object({ id, fineWeightG: grams })).min(1),
  }),
  createdByMerge: z.object({ fineWeightG: grams }),
  refined: z.object({ into: id, inputFineWeightG: grams, outputFineWeightG: grams }),
  scanned: z.object({
    checkpointId: id,
    verdict: z.enum(['pass', 'hold']),
    reasons: z.array(z.string()),
    observedGrossWeightG: grams.nullable(),
    // Scans recorded before the field existed were all read from the QR.
    entry: z.enum(checkEntries).default('scanned'),
  }),
  exported: z.object({
    customsDeclaration: z.string(),
    destinationCountry: z.string(),
    exportedOn: z.string(),
  }),
  seized: z.object({ reason: z.string() }),
};

/** The ledger's resource URLs, used as EPCIS identifiers (see above). */
const urisOf = (baseUrl: string) => ({
  lot: (id: string) => `${baseUrl}/v1/lots/${id}`,
  actor: (id: string) => `${baseUrl}/v1/actors/${id}`,
  checkpoint: (id: string) => `${baseUrl}/v1/checkpoints/${id}`,
  concession: (id: string) => `${baseUrl}/v1/concessions/${id}`,
});

export interface MappingContext {
  uri: ReturnType<typeof urisOf>;
  /** Fine grams of each lot of the provenance: a lot's fine weight never changes once made. */
  fineOf: Map<string, string>;
  /** The GIAI of each lot (shared/gs1.ts), from its printed code, in the format asked for. */
  epcOf: Map<string, string>;
  edges: Pick<Provenance['edges'][number], 'parentId' | 'childId' | 'operation' | 'fineWeightG'>[];
}

/** How identifiers are written: the operator's GS1 Company Prefix, and the form a client asked for. */
export interface Gs1Options {
  companyPrefix: string;
  /** Earlier prefixes still accepted in what partners send (GS1_ACCEPTED_PREFIXES). */
  acceptedPrefixes?: readonly string[] | undefined;
  epcFormat: EpcFormat;
}

/** The mapping context of a set of lots (id, code, fine grams) and the edges of their merges. */
export function mappingContext(
  baseUrl: string,
  gs1: Gs1Options,
  lots: { id: string; code: string; fineWeightG: string }[],
  edges: MappingContext['edges'],
): MappingContext {
  return {
    uri: urisOf(baseUrl),
    fineOf: new Map(lots.map((l) => [l.id, l.fineWeightG])),
    epcOf: new Map(lots.map((l) => [l.id, giai(gs1.companyPrefix, l.code, gs1.epcFormat)])),
    edges,
  };
}

/** The lots' GIAIs, leaving out any the context does not know (none, for a complete context). */
const epcsOf = (c: MappingContext, ids: string[]): string[] =>
  ids.flatMap((id) => {
    const epc = c.epcOf.get(id);
    return epc === undefined ? [] : [epc];
  });

type Common = 'eventID' | 'eventTime' | 'eventTimeZoneOffset' | 'recordTime';
type ObserveFields = Omit<EpcisObjectEvent, Common | 'type' | 'action' | 'quantityList'>;

const common = (e: ProvenanceEvent): Pick<EventCommon, Common> => ({
  eventID: `urn:uuid:${e.id}`,
  eventTime: e.occurredAt.toISOString(),
  // The ledger keeps instants in UTC; it does not know the local offset of the place.
  eventTimeZoneOffset: '+00:00',
  recordTime: e.recordedAt.toISOString(),
});

/**
 * A lot and its fine grams as a quantity element. JSON numbers: a decimal of at most 15
 * significant digits (numeric(14,3)) survives a double and prints back as the same text.
 */
const quantity = (c: MappingContext, lotId: string, fineWeightG: string): QuantityElement => ({
  epcClass: c.uri.lot(lotId),
  quantity: Number(fineWeightG),
  uom: 'GRM',
});

/** An observation of the event's lot, with its fine grams. */
function observe(c: MappingContext, e: ProvenanceEvent, fields: ObserveFields): EpcisObjectEvent {
  const fine = c.fineOf.get(e.subjectId);
  if (fine === undefined) throw new Error(`event ${e.id} is on lot ${e.subjectId}, not in the provenance`);
  return {
    type: 'ObjectEvent',
    ...common(e),
    action: 'OBSERVE',
    epcList: epcsOf(c, [e.subjectId]),
    quantityList: [quantity(c, e.subjectId, fine)],
    ...fields,
  };
}

// Ownership and possession of a lot pass together in this ledger, so both party types are given.
const partyTypes = ['owning_party', 'possessing_party'] as const;
const sources = (c: MappingContext, actorId: string) =>
  partyTypes.map((type) => ({ type, source: c.uri.actor(actorId) }));
const destinations = (c: MappingContext, actorId: string) =>
  partyTypes.map((type) => ({ type, destination: c.uri.actor(actorId) }));

/** A lot and its fine grams, one side of an operation. */
type Part = { id: string; fineWeightG: string };

function transformation(
  c: MappingContext,
  e: ProvenanceEvent,
  operation: 'split' | 'merge' | 'refine',
  inputs: Part[],
  outputs: Part[],
): EpcisTransformationEvent {
  return {
    type: 'TransformationEvent',
    ...common(e),
    inputEPCList: epcsOf(
      c,
      inputs.map((p) => p.id),
    ),
    outputEPCList: epcsOf(
      c,
      outputs.map((p) => p.id),
    ),
    inputQuantityList: inputs.map((p) => quantity(c, p.id, p.fineWeightG)),
    outputQuantityList: outputs.map((p) => quantity(c, p.id, p.fineWeightG)),
    // One ledger event records the whole operation, so its id also names the transformation.
    transformationID: `urn:uuid:${e.id}`,
    // CBV `creating_class_instance`: "an instance or increased quantity of a class-level
    // identifier is produced": each output is a new lot (a new epcClass) with its fine grams.
    // CBV has no step for splitting, melting together or refining gold; `orotrace:operation`
    // names it.
    bizStep: 'creating_class_instance',
    // CBV `active`: the outputs have just entered the supply chain.
    disposition: 'active',
    'orotrace:operation': operation,
  };
}

/** One ledger event as an EPCIS event; undefined for events that have none (see the default). */
export function toEpcisEvent(c: MappingContext, e: ProvenanceEvent): EpcisEvent | undefined {
  switch (e.type) {
    case 'lot.registered': {
      const r = payloads.registered.parse(e.payload);
      const [lon, lat] = r.origin.coordinates;
      return {
        type: 'ObjectEvent',
        ...common(e),
        // CBV `commissioning`: the lot's identifier is associated with the gold for the first time.
        action: 'ADD',
        epcList: epcsOf(c, [e.subjectId]),
        quantityList: [quantity(c, e.subjectId, r.fineWeightG)],
        bizStep: 'commissioning',
        disposition: 'active',
        // Where the gold came out of the ground (RFC 5870 geo URI, latitude first), and the
        // concession it was declared from.
        readPoint: { id: `geo:${lat},${lon}` },
        bizLocation: { id: c.uri.concession(r.concessionId) },
        // Instance/lot master data: what the lot was declared as when it came into being.
        ilmd: {
          'orotrace:code': r.code,
          'orotrace:producer': c.uri.actor(r.producerId),
          'orotrace:extractedOn': r.extractedOn,
          'orotrace:grossWeightG': r.grossWeightG,
          'orotrace:fineness': r.fineness,
          'orotrace:form': r.form,
        },
      };
    }
    case 'lot.transferred': {
      const t = payloads.transferred.parse(e.payload);
      // CBV `accepting`: "an object changes possession and/or ownership", which is what a
      // transfer records: from then on the new actor holds the lot. Not `shipping` (staging,
      // loading and departing: the gold would be in transit, which the ledger never says) nor
      // `receiving` (arrival at a location and entry into its inventory, not observed here).
      return observe(c, e, {
        bizStep: 'accepting',
        sourceList: sources(c, t.from),
        destinationList: destinations(c, t.to),
      });
    }
    case 'lot.scanned': {
      const s = payloads.scanned.parse(e.payload);
      return observe(c, e, {
        // CBV `inspecting`: reviewing objects for physical or documentation defects.
        bizStep: 'inspecting',
        // CBV 2.0 `conformant` / `non_conformant`: the outcome of that review (pass / hold).
        disposition: s.verdict === 'pass' ? 'conformant' : 'non_conformant',
        // The checkpoint is where the lot was read. No bizLocation: EPCIS reads bizLocation as
        // where the object stays until the next event, and gold does not stay at a road post.
        readPoint: { id: c.uri.checkpoint(s.checkpointId) },
        'orotrace:verdict': s.verdict,
        'orotrace:reasons': s.reasons,
        // Whether the label's QR was read, or its printed code typed (the label then not verified).
        'orotrace:entry': s.entry,
        ...(s.observedGrossWeightG ? { 'orotrace:observedGrossWeightG': s.observedGrossWeightG } : {}),
      });
    }
    case 'lot.exported': {
      const x = payloads.exported.parse(e.payload);
      return observe(c, e, {
        // CBV `departing`: the lot leaves on its way to a destination abroad; `in_transit` until
        // someone downstream records its arrival.
        bizStep: 'departing',
        disposition: 'in_transit',
        ...(e.actorId ? { sourceList: sources(c, e.actorId) } : {}),
        'orotrace:customsDeclaration': x.customsDeclaration,
        'orotrace:destinationCountry': x.destinationCountry,
        'orotrace:exportedOn': x.exportedOn,
      });
    }
    case 'lot.seized': {
      const s = payloads.seized.parse(e.payload);
      return observe(c, e, {
        // CBV `holding`: segregated for further review. `non_sellable_other`: it may not be
        // sold, for a reason no other CBV disposition covers; not `stolen` (the state took it
        // lawfully), not `recalled` (a safety recall), not `destroyed`.
        bizStep: 'holding',
        disposition: 'non_sellable_other',
        'orotrace:seizureReason': s.reason,
      });
    }
    case 'lot.split': {
      const s = payloads.split.parse(e.payload);
      return transformation(
        c,
        e,
        'split',
        [{ id: e.subjectId, fineWeightG: s.inputFineWeightG }],
        s.children,
      );
    }
    case 'lot.created_by_merge': {
      const m = payloads.createdByMerge.parse(e.payload);
      // Mapped from the merged lot's event: that lot is in every provenance the merge belongs to,
      // an input need not be. Each input's fine grams are on its edge to the merged lot.
      const inputs = c.edges.filter((x) => x.childId === e.subjectId && x.operation === 'merge');
      return transformation(
        c,
        e,
        'merge',
        inputs.map((x) => ({ id: x.parentId, fineWeightG: x.fineWeightG })),
        [{ id: e.subjectId, fineWeightG: m.fineWeightG }],
      );
    }
    case 'lot.refined': {
      const r = payloads.refined.parse(e.payload);
      return transformation(
        c,
        e,
        'refine',
        [{ id: e.subjectId, fineWeightG: r.inputFineWeightG }],
        [{ id: r.into, fineWeightG: r.outputFineWeightG }],
      );
    }
    // lot.created_by_split, lot.merged, lot.created_by_refine: the other side of an operation
    // mapped above (one TransformationEvent per operation, not one per lot it touched). Any
    // other event has no EPCIS meaning yet: left out of the document, kept in the JSON.
    default:
      return undefined;
  }
}

export function toEpcisDocument(
  p: Pick<Provenance, 'lot' | 'ancestors' | 'descendants' | 'edges' | 'events'>,
  ctx: { baseUrl: string; now: Date; gs1: Gs1Options },
): EpcisDocument {
  const c = mappingContext(ctx.baseUrl, ctx.gs1, [p.lot, ...p.ancestors, ...p.descendants], p.edges);
  const eventList: EpcisEvent[] = [];
  for (const e of p.events) {
    const mapped = toEpcisEvent(c, e);
    if (mapped) eventList.push(mapped);
  }
  return {
    // The `orotrace:` extension members are terms of this ledger's namespace.
    '@context': [epcisContextUrl, { orotrace: `${ctx.baseUrl}/ns/epcis#` }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: ctx.now.toISOString(),
    epcisBody: { eventList },
  };
}
