import { z } from 'zod';

/**
 * The tables the state check holds against the log, and the running totals (window_totals) held
 * against the rows they count.
 */
const stateTables = ['lots', 'movements', 'window_totals'] as const;

const stateDifferenceSchema = z.object({
  table: z.enum(stateTables),
  id: z.string().meta({
    description: 'The row; for window_totals, scope:subject:item:day (item empty for gold).',
  }),
  field: z.string().meta({
    description:
      'A column as the API names it (grossWeightG, custodianId, status, parentIds …), or `row` when the row or its creating event is missing.',
  }),
  tableValue: z.string().nullable().meta({ description: 'What the table holds (null: nothing).' }),
  logValue: z.string().nullable().meta({
    description:
      'What replaying the events gives (null: nothing); for window_totals, what the rows add up to.',
  }),
});
export type StateDifference = z.output<typeof stateDifferenceSchema>;

/** Replaying the event log to the current state of every lot and movement, held against the tables. */
export const stateCheckSchema = z.object({
  ok: z.boolean().meta({ description: 'True when every lot and movement is as its events make it.' }),
  lotsChecked: z.number().int(),
  movementsChecked: z.number().int(),
  eventsReplayed: z
    .number()
    .int()
    .meta({ description: 'Events replayed, in insertion order; those the sequencer refused are not.' }),
  differences: z
    .array(stateDifferenceSchema)
    .meta({ description: 'The first 100 differences, lots then movements, by id, then running totals.' }),
  differencesTotal: z.number().int(),
});
export type StateCheck = z.output<typeof stateCheckSchema>;
