/**
 * Reference data as the API answers it: actors and their registrations, concessions and their
 * operators, zones, checkpoints. Plain zod: the routes publish these shapes in the OpenAPI
 * document, the presenters return their inferred types, and the apps read the same types.
 * A shape that contains another is built by a function of its parts, so that the published
 * document can build it from the published parts (and refer to them by name).
 */
import { z } from 'zod';
import { areaSchema, pointSchema } from '../shared/geojson.js';
import {
  actorKinds,
  concessionKinds,
  concessionStatuses,
  minerCategories,
  miningMethods,
  permittedUses,
  registries,
  travelModes,
  zoneKinds,
} from '../shared/vocabulary.js';

export const registrationSchema = z.object({
  id: z.uuid(),
  actorId: z.uuid(),
  registry: z.enum(registries),
  status: z.string(),
  step: z.number().int().nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  quotas: z.array(z.object({ input: z.string(), monthly: z.string(), unit: z.string() })),
  createdAt: z.date(),
});

export const actorSchema = z.object({
  id: z.uuid(),
  taxId: z.string(),
  name: z.string(),
  kinds: z.array(z.enum(actorKinds)),
  createdAt: z.date(),
});

/** A miner's legal category and mining method over a period (actor_categories). */
export const minerCategorySchema = z.object({
  id: z.uuid(),
  actorId: z.uuid(),
  category: z.enum(minerCategories),
  miningMethod: z.enum(miningMethods).nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  createdAt: z.date(),
});

/** An actor with its registration history and, per registry, the registration in force today. */
export const actorDetailSchemaOf = (
  actor: typeof actorSchema,
  registration: typeof registrationSchema,
  minerCategory: typeof minerCategorySchema,
) =>
  actor.extend({
    registrations: z.array(registration).meta({ description: 'Whole history, oldest first per registry.' }),
    current: z
      .record(z.string(), registration.nullable())
      .meta({ description: 'Registration in force today, per registry (null where none).' }),
    category: z
      .enum(minerCategories)
      .meta({ description: 'Legal miner category in force today (none if not declared).' }),
    miningMethod: z.enum(miningMethods).nullable().meta({ description: 'Mining method declared with it.' }),
    categories: z.array(minerCategory).meta({ description: 'Category history, oldest first.' }),
  });
const actorDetailSchema = actorDetailSchemaOf(actorSchema, registrationSchema, minerCategorySchema);
export type ActorDetail = z.output<typeof actorDetailSchema>;

export const concessionOperatorSchema = z.object({
  id: z.uuid(),
  concessionId: z.uuid(),
  actorId: z.uuid(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  createdAt: z.date(),
});

export const concessionSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(concessionKinds),
  holderId: z.uuid().nullable(),
  status: z.enum(concessionStatuses),
  grantedOn: z.string().nullable(),
  areaHa: z.string().meta({ description: 'Geodesic area computed by PostGIS, hectares (4 decimals).' }),
  retiredOn: z.string().nullable(),
  createdAt: z.date(),
  geometry: areaSchema,
});
export type Concession = z.output<typeof concessionSchema>;

/** A concession with the contracts by which actors may work it. */
export const concessionDetailSchemaOf = (
  concession: typeof concessionSchema,
  operator: typeof concessionOperatorSchema,
) => concession.extend({ operators: z.array(operator) });

export const zoneSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(zoneKinds),
  legalBasis: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  sourceRef: z.string().nullable(),
  region: z.string().nullable().meta({
    description: 'mining_corridor: the department (INEI name, as admin areas carry it) it is declared for.',
  }),
  permittedUses: z
    .array(z.enum(permittedUses))
    .nullable()
    .meta({ description: 'micro_zoning: the uses the unit permits.' }),
  createdAt: z.date(),
  geometry: areaSchema,
});
export type Zone = z.output<typeof zoneSchema>;

export const checkpointSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  routes: z.array(z.string()),
  mode: z.enum(travelModes).meta({
    description: 'How goods reach and leave the post: road control, river port or airport',
  }),
  retiredOn: z.string().nullable(),
  createdAt: z.date(),
  location: pointSchema,
});
export type Checkpoint = z.output<typeof checkpointSchema>;

/** A known air link between two airport checkpoints, one way. */
export const airLinkSchema = z.object({
  fromCheckpointId: z.uuid(),
  fromCheckpointCode: z.string(),
  toCheckpointId: z.uuid(),
  toCheckpointCode: z.string(),
  minMinutes: z.number().int().meta({
    description:
      'Shortest time from a scan at the departure airport to one at the arrival: flight and handling',
  }),
  source: z.string().meta({ description: 'Where the schedule comes from' }),
  createdAt: z.date(),
});
export type AirLink = z.output<typeof airLinkSchema>;
