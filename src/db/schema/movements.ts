import { sql } from 'drizzle-orm';
import { bigint, check, index, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type {
  CheckEntry,
  ControlledInput,
  InputUnit,
  InspectionOutcome,
  MovementStatus,
  Verdict,
} from '../../domain/shared/vocabulary.js';
import { point } from '../columns.js';
import { actors, registrations } from './actors.js';
import { checkpoints } from './checkpoints.js';
import { concessions } from './concessions.js';

/**
 * A consignment of a controlled input (mercury in kg; diesel, gasoline in L) from a supplier to
 * a consignee along a declared fiscal route, with its own signed QR code.
 */
export const movements = pgTable(
  'movements',
  {
    id: uuid('id').primaryKey(),
    /** Printed on the consignment's papers: MV-<year>-<6 digits>, from movement_code_seq. */
    code: text('code').notNull().unique(),
    input: text('input').$type<ControlledInput>().notNull(),
    quantity: numeric('quantity', { precision: 14, scale: 3 }).notNull(),
    unit: text('unit').$type<InputUnit>().notNull(),
    consignorId: uuid('consignor_id')
      .notNull()
      .references(() => actors.id),
    consigneeId: uuid('consignee_id')
      .notNull()
      .references(() => actors.id),
    destinationConcessionId: uuid('destination_concession_id').references(() => concessions.id),
    destinationPoint: point('destination_point'),
    vehicle: text('vehicle').notNull(),
    route: text('route').notNull(),
    /** The controlled-inputs registration of the consignee that this consignment draws on. */
    authorizationId: uuid('authorization_id').references(() => registrations.id),
    status: text('status').$type<MovementStatus>().notNull().default('declared'),
    qrToken: text('qr_token').notNull(),
    declaredAt: timestamp('declared_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('movements_consignee_idx').on(t.consigneeId, t.declaredAt),
    index('movements_route_idx').on(t.route, t.declaredAt),
    index('movements_destination_gist').using('gist', t.destinationPoint),
    // The movements bound for a concession: what a zone or concession change screens again.
    index('movements_destination_concession_idx').on(t.destinationConcessionId),
    check('movements_quantity_positive', sql`${t.quantity} > 0`),
    check(
      'movements_unit',
      sql`(${t.input} = 'mercury' AND ${t.unit} = 'kg') OR (${t.input} <> 'mercury' AND ${t.unit} = 'L')`,
    ),
    check(
      'movements_one_destination',
      sql`(${t.destinationConcessionId} IS NULL) <> (${t.destinationPoint} IS NULL)`,
    ),
  ],
);

/** A movement seen at a checkpoint. `clientId` is the device's id for the record: a retry is applied once. */
export const inspections = pgTable(
  'inspections',
  {
    id: uuid('id').primaryKey(),
    clientId: text('client_id').notNull().unique(),
    movementId: uuid('movement_id')
      .notNull()
      .references(() => movements.id),
    checkpointId: uuid('checkpoint_id')
      .notNull()
      .references(() => checkpoints.id),
    observedQuantity: numeric('observed_quantity', { precision: 14, scale: 3 }).notNull(),
    outcome: text('outcome').$type<InspectionOutcome>().notNull(),
    notes: text('notes'),
    verdict: text('verdict').$type<Verdict>().notNull(),
    reasons: jsonb('reasons').$type<string[]>().notNull(),
    inspectedBy: text('inspected_by').notNull(),
    /** From the QR, or from the printed code typed (or no code: the movement picked from a list). */
    entry: text('entry').$type<CheckEntry>().notNull().default('scanned'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  },
  (t) => [
    index('inspections_movement_idx').on(t.movementId, t.occurredAt),
    index('inspections_checkpoint_idx').on(t.checkpointId, t.occurredAt),
    check('inspections_entry', sql`${t.entry} IN ('scanned', 'typed')`),
  ],
);
