import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type {
  ActorKind,
  ControlledInput,
  InputUnit,
  MinerCategory,
  MiningMethod,
  Registry,
} from '../../domain/shared/vocabulary.js';

export interface Quota {
  input: ControlledInput;
  /** Monthly amount, exact decimal with three places ("10.000"). */
  monthly: string;
  unit: InputUnit;
}

export const actors = pgTable(
  'actors',
  {
    id: uuid('id').primaryKey(),
    taxId: text('tax_id').notNull().unique(),
    name: text('name').notNull(),
    kinds: text('kinds').array().$type<ActorKind[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('actors_name_idx').on(t.name)],
);

/**
 * Registrations are history: a new one for the same registry closes the open one (valid_to),
 * nothing is overwritten, so "what was the status on date D" always has an answer.
 */
export const registrations = pgTable(
  'actor_registrations',
  {
    id: uuid('id').primaryKey(),
    actorId: uuid('actor_id')
      .notNull()
      .references(() => actors.id),
    registry: text('registry').$type<Registry>().notNull(),
    status: text('status').notNull(),
    step: integer('step'),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    quotas: jsonb('quotas').$type<Quota[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('actor_registrations_actor_idx').on(t.actorId, t.registry, t.validFrom),
    check('actor_registrations_period', sql`${t.validTo} IS NULL OR ${t.validTo} >= ${t.validFrom}`),
    check('actor_registrations_step', sql`${t.step} IS NULL OR ${t.step} BETWEEN 1 AND 5`),
  ],
);

/**
 * A miner's legal category (artisanal, small producer…) and mining method, as history like the
 * registrations: a new one closes the one in force, so rules ask what held on the extraction date.
 */
export const actorCategories = pgTable(
  'actor_categories',
  {
    id: uuid('id').primaryKey(),
    actorId: uuid('actor_id')
      .notNull()
      .references(() => actors.id),
    category: text('category').$type<MinerCategory>().notNull(),
    miningMethod: text('mining_method').$type<MiningMethod>(),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('actor_categories_actor_idx').on(t.actorId, t.validFrom),
    check('actor_categories_period', sql`${t.validTo} IS NULL OR ${t.validTo} >= ${t.validFrom}`),
  ],
);
