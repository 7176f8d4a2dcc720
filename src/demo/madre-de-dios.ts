/**
 * DEMO DATA over the real geography of Madre de Dios (Peru). The protected areas and the buffer
 * zone are the public SERNANP layers, simplified (geography.ts; sources and licences in
 * src/demo/README.md); the checkpoints stand at the gazetteer points of Mazuko and Puerto
 * Maldonado. The actors, concessions and lots are invented, placed where the policy brief
 * describes the situation: around the Interoceanic Highway between Mazuko and Puerto Maldonado,
 * in the Guacamayo–La Pampa corridor inside the Tambopata reserve's buffer zone, mining
 * concessions granted over a timber and a chestnut concession. Names carry "(demo)"; tax ids are
 * invented; concessions are rectangles, as the cadastre's grid-aligned claims are. Full-detail
 * layers (SERNANP, INGEMMET) are loaded with `npm run import`, never from this file.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { actors, checkpoints } from '../db/schema/index.js';
import { addRegistration, createActor, type NewActor } from '../domain/reference/actors.js';
import { createCheckpoint } from '../domain/reference/checkpoints.js';
import { addOperator, createConcession } from '../domain/reference/concessions.js';
import { createZone } from '../domain/reference/zones.js';
import { rectangle as box } from '../domain/shared/geojson.js';
import { type Principal, systemPrincipal } from '../domain/shared/principal.js';
import type { SigningKey } from '../keys/signing.js';
import { protectedAreas, tambopataBufferZone, townPoint } from './geography.js';
import { type DemoCase, loadScenario } from './scenario.js';

export const demoActors = {
  formalizedMiner: { taxId: '20600000011', name: 'Minera Guacamayo SAC (demo)', kinds: ['miner'] },
  inProcessMiner: {
    taxId: '10400000022',
    name: 'Juan Quispe Mamani, minero en formalización (demo)',
    kinds: ['miner'],
  },
  unregisteredMiner: { taxId: '10400000033', name: 'Operador informal La Pampa (demo)', kinds: ['miner'] },
  trader: { taxId: '20600000044', name: 'Acopiadora Inambari EIRL (demo)', kinds: ['trader'] },
  exporter: {
    taxId: '20600000055',
    name: 'Oro del Sur Exportaciones SAC (demo)',
    kinds: ['exporter', 'refiner'],
  },
  supplier: {
    taxId: '20600000066',
    name: 'Grifo y Suministros Mazuko SAC (demo)',
    kinds: ['supplier', 'transporter'],
  },
  chestnutHolder: { taxId: '10400000077', name: 'Castañeros Dos Hermanos (demo)', kinds: ['other'] },
  timberHolder: { taxId: '20600000088', name: 'Maderera Tambopata SRL (demo)', kinds: ['other'] },
} satisfies Record<string, NewActor>;

const demoCheckpoints = {
  mazuko: {
    code: 'PC-MAZUKO',
    name: 'Puesto de control Mazuko (demo)',
    location: townPoint('Mazuko'),
    routes: ['Interoceánica Sur: Cusco–Mazuko–Puerto Maldonado'],
  },
  puertoMaldonado: {
    code: 'PC-PTO-MALDONADO',
    name: 'Puesto de control Puerto Maldonado (demo)',
    location: townPoint('Puerto Maldonado'),
    routes: ['Interoceánica Sur: Cusco–Mazuko–Puerto Maldonado', 'Interoceánica: Puerto Maldonado–Iñapari'],
  },
};

/**
 * The founding decree of each protected area (the layers name the areas, not their legal basis),
 * as SERNANP's list of the national system of protected areas gives them.
 */
const foundingDecrees: Record<string, { decree: string; on: string }> = {
  Tambopata: { decree: 'D.S. N° 048-2000-AG', on: '2000-09-04' },
  'Bahuaja-Sonene': { decree: 'D.S. N° 012-96-AG', on: '1996-07-17' },
  Manu: { decree: 'D.S. N° 0644-73-AG', on: '1973-05-29' },
  Amarakaeri: { decree: 'D.S. N° 031-2002-AG', on: '2002-05-09' },
  'Alto Purús': { decree: 'D.S. N° 040-2004-AG', on: '2004-11-18' },
  Purús: { decree: 'D.S. N° 040-2004-AG', on: '2004-11-18' },
};

export interface DemoIds {
  exporterActorId: string;
  mazukoCheckpointId: string;
}

/** True when the demo has been loaded before (its exporter exists). */
export async function findDemo(db: Db): Promise<DemoIds | undefined> {
  const [exporter] = await db
    .select({ id: actors.id })
    .from(actors)
    .where(eq(actors.taxId, demoActors.exporter.taxId));
  const [mazuko] = await db
    .select({ id: checkpoints.id })
    .from(checkpoints)
    .where(eq(checkpoints.code, demoCheckpoints.mazuko.code));
  return exporter && mazuko ? { exporterActorId: exporter.id, mazukoCheckpointId: mazuko.id } : undefined;
}

/**
 * Loads the demo through the same domain functions the API uses, so every row has its event.
 * Given the ledger key, it also loads the scenario (scenario.ts): lots, movements, scans and
 * inspections on which the screening rules raise their flags.
 */
export async function loadDemo(
  db: Db,
  by: Principal = systemPrincipal('system:demo'),
  scenario?: { ledgerKey: SigningKey; baseUrl: string },
): Promise<DemoIds & { cases: DemoCase[] }> {
  const ids: Record<keyof typeof demoActors, string> = Object.fromEntries(
    await Promise.all(
      Object.entries(demoActors).map(async ([key, a]) => [key, (await createActor(db, by, a)).id] as const),
    ),
  ) as Record<keyof typeof demoActors, string>;

  await addRegistration(db, by, ids.formalizedMiner, {
    registry: 'formalization',
    status: 'formalized',
    validFrom: '2019-06-01',
  });
  await addRegistration(db, by, ids.formalizedMiner, {
    registry: 'controlled_inputs',
    status: 'authorized',
    validFrom: '2024-01-01',
    quotas: [
      { input: 'mercury', monthly: '6.000', unit: 'kg' },
      { input: 'diesel', monthly: '12000.000', unit: 'L' },
    ],
  });
  await addRegistration(db, by, ids.inProcessMiner, {
    registry: 'formalization',
    status: 'in_process',
    step: 3,
    validFrom: '2022-03-15',
  });
  await addRegistration(db, by, ids.unregisteredMiner, {
    registry: 'formalization',
    status: 'none',
    validFrom: '2020-01-01',
  });
  await addRegistration(db, by, ids.trader, {
    registry: 'trader',
    status: 'registered',
    validFrom: '2021-02-01',
  });
  await addRegistration(db, by, ids.exporter, {
    registry: 'trader',
    status: 'registered',
    validFrom: '2018-05-10',
  });
  await addRegistration(db, by, ids.supplier, {
    registry: 'controlled_inputs',
    status: 'authorized',
    validFrom: '2023-01-01',
    quotas: [
      { input: 'mercury', monthly: '50.000', unit: 'kg' },
      { input: 'diesel', monthly: '200000.000', unit: 'L' },
      { input: 'gasoline', monthly: '80000.000', unit: 'L' },
    ],
  });

  // Zones: the SERNANP protected areas of Madre de Dios and the part of the Tambopata reserve's
  // buffer zone that the public layers hold (geography.ts), as the real ones lie. The layers carry
  // no legal basis: each is the area's founding decree, as SERNANP lists it.
  for (const area of protectedAreas.features) {
    const { anp_cate: category, anp_nombre: name } = area.properties;
    const founding = foundingDecrees[name];
    if (!founding) throw new Error(`no founding decree for the protected area ${name}`);
    await createZone(db, by, {
      name: `${category} ${name}`,
      kind: 'protected_area',
      legalBasis: `${founding.decree} (límite: SERNANP vía perugeopkg, simplificado)`,
      validFrom: founding.on,
      geometry: area.geometry,
    });
  }
  for (const part of tambopataBufferZone.features) {
    const za = part.properties;
    await createZone(db, by, {
      name: `Zona de amortiguamiento de la ${za.d_anp_codi} (tramo oeste; capa parcial)`,
      kind: 'buffer_zone',
      legalBasis: `${za.za_balea} (límite: SERNANP, recorte parcial de la capa, simplificado)`,
      validFrom: za.za_felea,
      geometry: part.geometry,
    });
  }

  // Guacamayo–La Pampa: mining concessions over a timber and a chestnut concession.
  const demoOverlapException = {
    legalBasis:
      'D.S. 014-92-EM art. 9 (la concesión minera es un inmueble distinto del predio); superposición con título forestal a resolver (demo)',
  };
  const guacamayo = await createConcession(db, by, {
    code: '07-DEMO-001',
    name: 'Guacamayo I (demo)',
    kind: 'mining',
    holderId: ids.formalizedMiner,
    status: 'titled',
    grantedOn: '2012-04-20',
    geometry: box(-70.12, -12.96, -70.08, -12.93),
  });
  const laPampa = await createConcession(db, by, {
    code: '07-DEMO-002',
    name: 'La Pampa II (demo)',
    kind: 'mining',
    holderId: ids.inProcessMiner,
    status: 'titled',
    grantedOn: '2015-08-11',
    geometry: box(-70.07, -12.95, -70.03, -12.92),
  });
  const chestnut = await createConcession(db, by, {
    code: 'CAST-DEMO-017',
    name: 'Castañal Dos Hermanos (demo)',
    kind: 'chestnut',
    holderId: ids.chestnutHolder,
    status: 'titled',
    grantedOn: '2006-03-01',
    geometry: box(-70.05, -12.94, -70.0, -12.9),
    // Over La Pampa II: the registry files it only under an exception, and opens an overlap case.
    overlapException: demoOverlapException,
  });
  await createConcession(db, by, {
    code: 'MAD-DEMO-044',
    name: 'Concesión forestal Tambopata (demo)',
    kind: 'timber',
    holderId: ids.timberHolder,
    status: 'titled',
    grantedOn: '2002-07-15',
    geometry: box(-70.14, -12.98, -70.1, -12.94),
    // Over Guacamayo I: filed under an exception, with its overlap case open.
    overlapException: demoOverlapException,
  });
  await addOperator(db, by, guacamayo.id, { actorId: ids.inProcessMiner, validFrom: '2023-01-01' });

  const mazuko = await createCheckpoint(db, by, demoCheckpoints.mazuko);
  const puertoMaldonado = await createCheckpoint(db, by, demoCheckpoints.puertoMaldonado);
  const cases = scenario
    ? await loadScenario(
        db,
        {
          actors: ids,
          concessions: { guacamayo: guacamayo.id, laPampa: laPampa.id, chestnut: chestnut.id },
          checkpoints: { mazuko: mazuko.id, puertoMaldonado: puertoMaldonado.id },
          mazukoRoute: demoCheckpoints.mazuko.routes[0] as string,
          maldonadoOnlyRoute: demoCheckpoints.puertoMaldonado.routes[1] as string,
          admin: by,
        },
        scenario.ledgerKey,
        scenario.baseUrl,
      )
    : [];
  return { exporterActorId: ids.exporter, mazukoCheckpointId: mazuko.id, cases };
}
