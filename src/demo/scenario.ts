/**
 * DEMO DATA — lots, movements, scans and inspections over the Madre de Dios reference data of
 * madre-de-dios.ts (real protected areas and buffer zone, invented concessions), written through the same domain functions the API uses so that the
 * screening rules run on them as they would in production. Each case is built so that one
 * pattern of the policy brief shows (gold from the reserve declared on a formal concession, an
 * informal miner, a chestnut concession "producing" gold, lots kept under the reporting
 * threshold, a cloned tag…), next to a clean lot and a clean consignment that raise nothing.
 * `demoCases` says which rules each case must raise; test/demo.test.ts holds the demo to it.
 */

import type { Db } from '../db/client.js';
import { captureDocument } from '../domain/epcis/capture.js';
import { epcisDocumentSchema } from '../domain/epcis/capture-schema.js';
import { declareMovement } from '../domain/inputs/declaration.js';
import { inspectMovement } from '../domain/inputs/inspections.js';
import { exportLot, splitLot, transferLot } from '../domain/lots/custody.js';
import { type NewLot, registerLot } from '../domain/lots/lots.js';
import { compactLinks } from '../domain/lots/qr.js';
import { recordScan } from '../domain/lots/scans.js';
import { createActor } from '../domain/reference/actors.js';
import { createConcession } from '../domain/reference/concessions.js';
import { importDetections } from '../domain/reference/detections.js';
import { rectangle as box } from '../domain/shared/geojson.js';
import { demonstrationCompanyPrefix, giai } from '../domain/shared/gs1.js';
import type { Principal } from '../domain/shared/principal.js';
import type { RuleCode, SubjectType } from '../domain/shared/vocabulary.js';
import type { SigningKey } from '../keys/signing.js';
import { townPoint } from './geography.js';

export interface DemoReferences {
  actors: Record<
    'formalizedMiner' | 'inProcessMiner' | 'unregisteredMiner' | 'trader' | 'exporter' | 'supplier',
    string
  >;
  concessions: Record<'guacamayo' | 'laPampa' | 'chestnut', string>;
  checkpoints: Record<'mazuko' | 'puertoMaldonado', string>;
  mazukoRoute: string;
  maldonadoOnlyRoute: string;
  admin: Principal;
}

/** A demo case: what it shows and the rules it must raise (no other). */
export interface DemoCase {
  kind: SubjectType;
  id: string;
  code: string;
  story: string;
  expect: RuleCode[];
}

const exporterOf = (actorId: string): Principal => ({ sub: `demo:${actorId}`, role: 'exporter', actorId });
const staffOf = (checkpointId: string): Principal => ({
  sub: `demo:staff:${checkpointId}`,
  role: 'checkpoint',
  checkpointId,
});

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

export async function loadScenario(
  db: Db,
  ref: DemoReferences,
  ledgerKey: SigningKey,
  baseUrl: string,
): Promise<DemoCase[]> {
  // The demo's codes are compact: the scenario is about the rules, not the printed form.
  const links = compactLinks(baseUrl, demonstrationCompanyPrefix);
  const ctx = { signer: ledgerKey, links };
  const recordCtx = { ledgerKeys: [ledgerKey.publicJwk], links };
  const a = ref.actors;
  const miner = exporterOf(a.formalizedMiner);
  const cases: DemoCase[] = [];
  const lotCase = async (by: Principal, input: NewLot, story: string, expect: RuleCode[]) => {
    const lot = await registerLot(db, by, input, ctx);
    cases.push({ kind: 'lot', id: lot.id, code: lot.code, story, expect });
    return lot;
  };

  // A clean mining concession away from every zone and other right, for the clean cases: north of
  // Huepetuhe, some 8 km outside the Amarakaeri communal reserve.
  const huaypetue = await createConcession(db, ref.admin, {
    code: '07-DEMO-003',
    name: 'Huaypetue Norte (demo)',
    kind: 'mining',
    holderId: a.formalizedMiner,
    status: 'titled',
    grantedOn: '2010-05-03',
    geometry: box(-70.55, -12.75, -70.5, -12.7),
  });
  // A mining concession of about 2 ha: no more than ~3 kg of gold a year can come out of it.
  const tiny = await createConcession(db, ref.admin, {
    code: '07-DEMO-004',
    name: 'Pequeña Aurífera (demo)',
    kind: 'mining',
    holderId: a.formalizedMiner,
    status: 'titled',
    grantedOn: '2018-01-10',
    geometry: box(-70.45, -12.7, -70.4487, -12.6987),
  });

  // Inputs first: the formalized miner's mercury and diesel, declared by the supplier.
  const supplier = exporterOf(a.supplier);
  const movement = (over: Partial<Parameters<typeof declareMovement>[2]>) =>
    declareMovement(
      db,
      supplier,
      {
        input: 'mercury',
        quantity: '3.000',
        unit: 'kg',
        consignorId: a.supplier,
        consigneeId: a.formalizedMiner,
        destination: { concessionId: huaypetue.id },
        vehicle: 'V2B-481',
        route: ref.mazukoRoute,
        ...over,
      },
      ctx,
    );
  const m1 = await movement({});
  cases.push({
    kind: 'movement',
    id: m1.id,
    code: m1.code,
    story: 'mercury to an authorized, formalized miner within quota: clean',
    expect: [],
  });
  const m1b = await movement({ input: 'diesel', quantity: '5000.000', unit: 'L', vehicle: 'V2B-482' });
  cases.push({
    kind: 'movement',
    id: m1b.id,
    code: m1b.code,
    story: 'diesel within quota: clean',
    expect: [],
  });
  // More mercury than the month's quota allows; received all the same, so it counts as an input.
  const overQuota = await movement({ quantity: '8.000', vehicle: 'V2B-483' });
  cases.push({
    kind: 'movement',
    id: overQuota.id,
    code: overQuota.code,
    story: '8 kg of mercury on top of 3 kg this month against a quota of 6 kg a month',
    expect: ['OVER_QUOTA'],
  });

  const origin = (lon: number, lat: number) => ({ type: 'Point' as const, coordinates: [lon, lat] });
  const lot = (over: Partial<NewLot>): NewLot => ({
    producerId: a.formalizedMiner,
    concessionId: huaypetue.id,
    origin: origin(-70.52, -12.72),
    extractedOn: daysAgo(10),
    grossWeightG: '500.000',
    fineness: '900',
    form: 'dore',
    ...over,
  });

  const clean = await lotCase(
    miner,
    lot({}),
    'a formalized miner, its own titled concession, inputs on record, sold to the registered exporter: clean',
    [],
  );
  // The exporter the printed demo token signs in as holds it, so the exporter desk has a lot to work on.
  await transferLot(db, miner, clean.id, {
    toActorId: a.exporter,
    price: { amount: '58000.00', currency: 'USD' },
    payment: { method: 'bank_transfer', reference: 'BCP 0012345678' },
    invoice: { number: 'F001-00000101', issuedOn: daysAgo(0) },
  });
  const fromReserve = await lotCase(
    miner,
    lot({ origin: origin(-70.0, -13.05), grossWeightG: '1000.000' }),
    'gold mined 3 km inside the Tambopata reserve, south of La Pampa, declared on a formal concession far away',
    ['ORIGIN_IN_EXCLUSION_ZONE', 'ORIGIN_OUTSIDE_CONCESSION'],
  );
  // Taint: the reserve's gold split in two; both parts carry its flags, inherited.
  const { children: parts } = await splitLot(
    db,
    miner,
    fromReserve.id,
    { parts: [{ grossWeightG: '600.000' }, { grossWeightG: '399.500' }] },
    ctx,
  );
  for (const { id, code } of parts) {
    cases.push({
      kind: 'lot',
      id,
      code,
      story: `made from ${fromReserve.code}, the reserve's gold: inherits its flags`,
      expect: ['ORIGIN_IN_EXCLUSION_ZONE', 'ORIGIN_OUTSIDE_CONCESSION'],
    });
  }
  await lotCase(
    miner,
    lot({
      concessionId: ref.concessions.guacamayo,
      origin: origin(-70.105, -12.955),
      grossWeightG: '800.000',
    }),
    'Guacamayo: origin in the buffer zone and in the part of the concession granted over a timber concession',
    ['ORIGIN_IN_EXCLUSION_ZONE', 'CONCESSION_OVERLAPS_OTHER_RIGHTS'],
  );
  await lotCase(
    exporterOf(a.inProcessMiner),
    lot({
      producerId: a.inProcessMiner,
      concessionId: ref.concessions.laPampa,
      origin: origin(-70.065, -12.925),
      grossWeightG: '60.000',
    }),
    'a miner still in formalization (step 3), in the buffer zone, on a concession granted over a chestnut concession',
    ['ORIGIN_IN_EXCLUSION_ZONE', 'PRODUCER_NOT_FORMALIZED', 'CONCESSION_OVERLAPS_OTHER_RIGHTS'],
  );
  await lotCase(
    exporterOf(a.unregisteredMiner),
    lot({
      producerId: a.unregisteredMiner,
      concessionId: ref.concessions.guacamayo,
      origin: origin(-70.09, -12.935),
      grossWeightG: '400.000',
    }),
    'an informal miner declaring gold from the buffer zone on a concession it neither holds nor operates, with no inputs on record',
    [
      'ORIGIN_IN_EXCLUSION_ZONE',
      'PRODUCER_NOT_FORMALIZED',
      'PRODUCER_NOT_OPERATOR',
      'CONCESSION_OVERLAPS_OTHER_RIGHTS',
      'INPUT_OUTPUT_MISMATCH',
    ],
  );
  await lotCase(
    miner,
    lot({ concessionId: ref.concessions.chestnut, origin: origin(-70.01, -12.91), grossWeightG: '300.000' }),
    'gold declared from a chestnut concession in the buffer zone',
    ['ORIGIN_IN_EXCLUSION_ZONE', 'CONCESSION_NOT_VALID_MINING', 'PRODUCER_NOT_OPERATOR'],
  );
  await lotCase(
    miner,
    lot({ concessionId: tiny.id, origin: origin(-70.4493, -12.6993), grossWeightG: '4500.000' }),
    '4 kg of fine gold from a concession of about 2 ha',
    ['PRODUCTION_OVER_CAPACITY'],
  );

  // Mining seen from space: a hand-made layer (NOT real detections; the real Amazon Mining Watch
  // layer is loaded with `npm run import -- detections`) that looks only at a box east of the
  // other cases, with one footprint this year. A concession under it shows mining; another, in
  // the same box, none — the "paper concession".
  const year = daysAgo(10).slice(0, 4);
  await importDetections(
    db,
    'demo',
    [
      {
        type: 'Feature',
        id: 'demo-1',
        properties: { period: year, polygon_area_ha: 120, mined_area_ha: 40 },
        geometry: box(-69.575, -12.395, -69.565, -12.385),
      },
    ],
    {
      source: 'demo',
      name: 'Huellas mineras (demo)',
      attribution: 'Capa de demostración dibujada a mano, no son detecciones reales',
      kind: 'footprint',
      coverage: box(-69.7, -12.5, -69.5, -12.3),
    },
    { by: ref.admin },
  );
  const seen = await createConcession(db, ref.admin, {
    code: '07-DEMO-005',
    name: 'Tajo Visible (demo)',
    kind: 'mining',
    holderId: a.formalizedMiner,
    status: 'titled',
    grantedOn: '2015-03-02',
    geometry: box(-69.58, -12.4, -69.55, -12.37),
  });
  const paper = await createConcession(db, ref.admin, {
    code: '07-DEMO-006',
    name: 'Concesión de Papel (demo)',
    kind: 'mining',
    holderId: a.formalizedMiner,
    status: 'titled',
    grantedOn: '2015-03-02',
    geometry: box(-69.66, -12.46, -69.63, -12.43),
  });
  await lotCase(
    miner,
    lot({ concessionId: seen.id, origin: origin(-69.57, -12.39), grossWeightG: '100.000' }),
    'gold from a concession where satellites see the mine it comes from: clean',
    [],
  );
  await lotCase(
    miner,
    lot({ concessionId: paper.id, origin: origin(-69.645, -12.445), grossWeightG: '100.000' }),
    'gold declared from a concession where satellites see no mining (a paper concession)',
    ['NO_MINING_FOOTPRINT', 'ORIGIN_FAR_FROM_FOOTPRINT'],
  );

  // Structuring: a trader registers three lots each just under the reporting threshold.
  const trader = exporterOf(a.trader);
  for (const i of [0, 1, 2]) {
    await lotCase(
      trader,
      lot({ grossWeightG: '85.000', origin: origin(-70.53 + i * 0.001, -12.73) }),
      `lot ${i + 1} of three of 76.5 g fine, each just under the US$ 10,000 reporting threshold`,
      i === 2 ? ['STRUCTURING'] : [],
    );
  }

  // Custody: a lot sold to a buyer without a trader registration.
  const buyer = await createActor(db, ref.admin, {
    taxId: '10400000099',
    name: 'Compra-venta de oro Laberinto (demo, sin registro)',
    kinds: ['trader'],
  });
  const sold = await lotCase(
    miner,
    lot({ grossWeightG: '200.000', origin: origin(-70.51, -12.74) }),
    'sold to a buyer with no trader registration',
    ['CUSTODIAN_NOT_REGISTERED'],
  );
  await transferLot(db, miner, sold.id, { toActorId: buyer.id });

  // The money trail: 270 g of fine gold (about US$ 35,000) sold to the registered trader for
  // S/ 40,000 in cash — a third of its value, paid where the law requires a bank.
  const cashSale = await lotCase(
    miner,
    lot({ grossWeightG: '300.000', origin: origin(-70.512, -12.742) }),
    'sold to a trader for S/ 40,000 in cash, a third of the gold’s value',
    ['CASH_ABOVE_THRESHOLD', 'PRICE_ANOMALY'],
  );
  await transferLot(db, miner, cashSale.id, {
    toActorId: a.trader,
    price: { amount: '40000.00', currency: 'PEN' },
    payment: { method: 'cash' },
    invoice: { number: 'B001-00000007', issuedOn: daysAgo(0) },
  });

  // Checkpoints: one tag seen at Mazuko and ten minutes later at Puerto Maldonado (~140 km).
  const cloned = await lotCase(
    miner,
    lot({ grossWeightG: '150.000', origin: origin(-70.515, -12.715) }),
    'its QR seen at Mazuko and at Puerto Maldonado ten minutes apart: a cloned tag',
    ['QR_CLONED'],
  );
  const scan = (lotQr: string, checkpoint: string, at: string, clientId: string, observed?: string) =>
    recordScan(
      db,
      staffOf(checkpoint),
      {
        token: lotQr,
        checkpointId: checkpoint,
        entry: 'scanned',
        occurredAt: at,
        clientId,
        ...(observed ? { observedGrossWeightG: observed } : {}),
      },
      recordCtx,
    );
  await scan(cloned.qrUrl, ref.checkpoints.mazuko, minutesAgo(120), `demo-scan-${cloned.id}-1`);
  await scan(cloned.qrUrl, ref.checkpoints.puertoMaldonado, minutesAgo(110), `demo-scan-${cloned.id}-2`);
  const shaved = await lotCase(
    miner,
    lot({ grossWeightG: '250.000', origin: origin(-70.525, -12.705) }),
    'weighed at Mazuko at 231.4 g against 250 g declared',
    ['WEIGHT_DISCREPANCY'],
  );
  await scan(shaved.qrUrl, ref.checkpoints.mazuko, minutesAgo(30), `demo-scan-${shaved.id}-1`, '231.400');

  // Abroad: a bar exported to a refinery in Switzerland, whose EPCIS receipt (captured as a
  // partner's system would send it) weighs 3.6 g less than the bar that left.
  const shipped = await lotCase(
    miner,
    lot({ grossWeightG: '150.000', origin: origin(-70.519, -12.719) }),
    'exported to a Swiss refinery whose EPCIS receipt reports 146.4 g against 150 g exported',
    ['EXPORT_RECEIPT_MISMATCH'],
  );
  await exportLot(db, miner, shipped.id, {
    customsDeclaration: 'DAM 262-2026-40-000777',
    destinationCountry: 'CH',
    exportedOn: daysAgo(2),
  });
  const refinery = await createActor(db, ref.admin, {
    taxId: 'CHE105934576',
    name: 'Raffinerie du Jura SA (demo)',
    kinds: ['refiner'],
  });
  await captureDocument(
    db,
    exporterOf(refinery.id),
    epcisDocumentSchema.parse({
      '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: minutesAgo(5),
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            eventTime: minutesAgo(10),
            eventTimeZoneOffset: '+00:00',
            action: 'OBSERVE',
            bizStep: 'receiving',
            disposition: 'in_progress',
            epcList: [giai(demonstrationCompanyPrefix, shipped.code)],
            quantityList: [{ epcClass: `${baseUrl}/v1/lots/${shipped.id}`, quantity: 146.4, uom: 'GRM' }],
          },
        ],
      },
    }),
    { companyPrefix: demonstrationCompanyPrefix, baseUrl },
  );

  // Movements that the rules must catch.
  const toInformal = await movement({
    consigneeId: a.unregisteredMiner,
    destination: { point: townPoint('Huepetuhe') },
    quantity: '2.000',
  });
  cases.push({
    kind: 'movement',
    id: toInformal.id,
    code: toInformal.code,
    story: 'mercury to an informal miner in Huepetuhe with no controlled-inputs authorization',
    expect: ['CONSIGNEE_NOT_AUTHORIZED'],
  });
  const intoExclusion = await movement({
    input: 'diesel',
    quantity: '1000.000',
    unit: 'L',
    destination: { point: origin(-69.7, -13.0) },
  });
  cases.push({
    kind: 'movement',
    id: intoExclusion.id,
    code: intoExclusion.code,
    story: 'diesel bound for a point 3 km inside the Tambopata reserve',
    expect: ['DESTINATION_IN_EXCLUSION_ZONE'],
  });
  const offRoute = await movement({
    input: 'diesel',
    quantity: '2000.000',
    unit: 'L',
    route: ref.maldonadoOnlyRoute,
  });
  await inspectMovement(
    db,
    staffOf(ref.checkpoints.mazuko),
    {
      movementId: offRoute.id,
      checkpointId: ref.checkpoints.mazuko,
      observedQuantity: '2400.000',
      outcome: 'discrepancy',
      occurredAt: minutesAgo(15),
      clientId: `demo-inspection-${offRoute.id}`,
    },
    recordCtx,
  );
  cases.push({
    kind: 'movement',
    id: offRoute.id,
    code: offRoute.code,
    story: 'declared for the Iñapari road, inspected at Mazuko with 400 L more than declared',
    expect: ['OFF_ROUTE', 'WEIGHT_DISCREPANCY'],
  });
  return cases;
}
