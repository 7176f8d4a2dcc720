import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type {
  CheckEntry,
  Currency,
  LotForm,
  LotOperation,
  LotStatus,
  PaymentMethod,
  TransferOperation,
  Verdict,
} from '../../domain/shared/vocabulary.js';
import { point } from '../columns.js';
import { actors } from './actors.js';
import { checkpoints } from './checkpoints.js';
import { concessions } from './concessions.js';

/**
 * A gold lot. Weights are exact numerics in grams with three decimals; the fine weight is the
 * authority on how much gold a lot carries, and no operation may make the fine weight of its
 * outputs exceed that of its inputs (checked in domain/lots/custody.ts and by the edges below).
 */
export const lots = pgTable(
  'lots',
  {
    id: uuid('id').primaryKey(),
    /** Printed on the label: AU-<year>-<6 digits>, from the sequence lot_code_seq. */
    code: text('code').notNull().unique(),
    /** Who mined it; null for a lot merged from several producers' gold (they stay on its parents). */
    producerId: uuid('producer_id').references(() => actors.id),
    /** The declared concession; derived lots keep it when all their gold comes from one. */
    concessionId: uuid('concession_id').references(() => concessions.id),
    origin: point('origin'),
    extractedOn: date('extracted_on'),
    grossWeightG: numeric('gross_weight_g', { precision: 14, scale: 3 }).notNull(),
    fineness: numeric('fineness', { precision: 7, scale: 3 }).notNull(),
    fineWeightG: numeric('fine_weight_g', { precision: 14, scale: 3 }).notNull(),
    form: text('form').$type<LotForm>().notNull(),
    custodianId: uuid('custodian_id')
      .notNull()
      .references(() => actors.id),
    status: text('status').$type<LotStatus>().notNull().default('active'),
    /** When the custodian took custody (registration or transfer): what custody rules date by. */
    custodySince: timestamp('custody_since', { withTimezone: true }).notNull().defaultNow(),
    /** The compact JWS printed in the lot's QR code, signed once at registration. */
    qrToken: text('qr_token').notNull(),
    exportedOn: date('exported_on'),
    customsDeclaration: text('customs_declaration'),
    destinationCountry: text('destination_country'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('lots_custodian_idx').on(t.custodianId, t.status),
    // The screening windows: a producer's lots by registration time (INPUT_OUTPUT_MISMATCH,
    // STRUCTURING) and a concession's in extraction order, registration and id breaking ties
    // (PRODUCTION_OVER_CAPACITY reads a busy day from its first new lot on).
    index('lots_producer_idx').on(t.producerId, t.createdAt),
    index('lots_concession_order_idx').on(t.concessionId, t.extractedOn, t.createdAt, t.id),
    index('lots_custodian_created_idx').on(t.custodianId, t.createdAt),
    index('lots_origin_gist').using('gist', t.origin),
    check('lots_weights_positive', sql`${t.grossWeightG} > 0 AND ${t.fineWeightG} >= 0`),
    check('lots_fineness_range', sql`${t.fineness} > 0 AND ${t.fineness} <= 1000`),
    check('lots_fine_within_gross', sql`${t.fineWeightG} <= ${t.grossWeightG}`),
  ],
);

/** The DAG of lots: one edge per parent→child, with the fine gold the parent gave the child. */
export const lotEdges = pgTable(
  'lot_edges',
  {
    parentId: uuid('parent_id')
      .notNull()
      .references(() => lots.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => lots.id),
    operation: text('operation').$type<LotOperation>().notNull(),
    fineWeightG: numeric('fine_weight_g', { precision: 14, scale: 3 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.parentId, t.childId] }), index('lot_edges_child_idx').on(t.childId)],
);

/**
 * Every hand-over of a lot to another party, with its money trail: a transfer between actors, or
 * an export (to a buyer abroad, no actor). The lot's weights at the time are kept, so that
 * aggregates over a counterpart's operations (structuring) and price checks need no replay. The
 * price, payment and invoice are as the parties declared them; all three are optional.
 */
export const lotTransfers = pgTable(
  'lot_transfers',
  {
    id: uuid('id').primaryKey(),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    operation: text('operation').$type<TransferOperation>().notNull(),
    fromActorId: uuid('from_actor_id')
      .notNull()
      .references(() => actors.id),
    /** The receiving actor; null for an export. */
    toActorId: uuid('to_actor_id').references(() => actors.id),
    grossWeightG: numeric('gross_weight_g', { precision: 14, scale: 3 }).notNull(),
    fineWeightG: numeric('fine_weight_g', { precision: 14, scale: 3 }).notNull(),
    priceAmount: numeric('price_amount', { precision: 16, scale: 2 }),
    priceCurrency: text('price_currency').$type<Currency>(),
    paymentMethod: text('payment_method').$type<PaymentMethod>(),
    paymentReference: text('payment_reference'),
    invoiceNumber: text('invoice_number'),
    invoiceIssuedOn: date('invoice_issued_on'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('lot_transfers_lot_idx').on(t.lotId),
    index('lot_transfers_from_idx').on(t.fromActorId, t.occurredAt),
    index('lot_transfers_to_idx').on(t.toActorId, t.occurredAt),
    check('lot_transfers_operation', sql`${t.operation} IN ('transfer', 'export')`),
    check('lot_transfers_counterpart', sql`(${t.operation} = 'export') = (${t.toActorId} IS NULL)`),
    check('lot_transfers_price', sql`(${t.priceAmount} IS NULL) = (${t.priceCurrency} IS NULL)`),
    check('lot_transfers_price_positive', sql`${t.priceAmount} IS NULL OR ${t.priceAmount} > 0`),
    check(
      'lot_transfers_payment',
      sql`${t.paymentMethod} IS NULL OR ${t.paymentMethod} IN ('cash', 'bank_transfer', 'cheque', 'other')`,
    ),
    check('lot_transfers_invoice', sql`(${t.invoiceNumber} IS NULL) = (${t.invoiceIssuedOn} IS NULL)`),
  ],
);

/** A lot seen at a checkpoint. `clientId` is the device's id for the record: a retry is applied once. */
export const scans = pgTable(
  'scans',
  {
    id: uuid('id').primaryKey(),
    clientId: text('client_id').notNull().unique(),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    checkpointId: uuid('checkpoint_id')
      .notNull()
      .references(() => checkpoints.id),
    observedGrossWeightG: numeric('observed_gross_weight_g', { precision: 14, scale: 3 }),
    verdict: text('verdict').$type<Verdict>().notNull(),
    reasons: jsonb('reasons').$type<string[]>().notNull(),
    scannedBy: text('scanned_by').notNull(),
    /** Read from the QR, or the printed code typed: an auditor tells a label-verified check apart. */
    entry: text('entry').$type<CheckEntry>().notNull().default('scanned'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  },
  (t) => [
    index('scans_lot_idx').on(t.lotId, t.occurredAt),
    check('scans_entry', sql`${t.entry} IN ('scanned', 'typed')`),
  ],
);
