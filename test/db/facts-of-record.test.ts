import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { testDb } from '../helpers/db.js';
import { declareMovement, type InputsWorld, inputsWorld } from '../helpers/inputs.js';
import { worldPerFile } from '../helpers/world.js';

/**
 * The facts of record of a lot (its origin among them) and of a movement (its destination point
 * among them) are refused any change by the database's triggers, whoever updates them; a point
 * rewritten to the very same place is no change. The geometries are compared as their EWKB bytes
 * so that a pg_dump of the database restores (test/ops/pg-backup.test.ts).
 */
const world = worldPerFile(async (t) => {
  const w = await inputsWorld(t);
  const lot = await t.call('POST', '/v1/lots', {
    token: w.minerToken,
    body: {
      producerId: w.miner.id,
      concessionId: w.concession.id,
      origin: { type: 'Point', coordinates: [-70.1, -12.945] },
      extractedOn: '2026-10-01',
      grossWeightG: '100.000',
      fineness: '870',
      form: 'dore',
    },
  });
  if (lot.status !== 201) throw new Error(`register lot: ${lot.status} ${lot.text}`);
  const movement = await declareMovement(t, w, {
    destination: { point: { type: 'Point', coordinates: [-70.1, -12.945] } },
  });
  return { w, lot: lot.body as { id: string }, movement: movement as { id: string } };
});

let made: { w: InputsWorld; lot: { id: string }; movement: { id: string } };
beforeEach(async () => {
  ({ w: made } = await world());
});

const refusal = (statement: ReturnType<typeof sql>) =>
  testDb().then((db) =>
    db.execute(statement).then(
      () => 'done',
      (e: unknown) => {
        for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause) {
          const m = (c as { message?: unknown }).message;
          if (typeof m === 'string' && m.includes('never change')) return m;
        }
        throw e;
      },
    ),
  );

describe('facts of record', () => {
  it("refuses a change of a lot's origin, and lets the same point be written again", async () => {
    expect(
      await refusal(
        sql`UPDATE lots SET origin = ST_SetSRID(ST_MakePoint(-70.2, -12.9), 4326) WHERE id = ${made.lot.id}`,
      ),
    ).toContain("a lot's facts of record never change");
    expect(await refusal(sql`UPDATE lots SET origin = origin WHERE id = ${made.lot.id}`)).toBe('done');
  });

  it("refuses a change of a movement's destination point, and lets the same point be written again", async () => {
    expect(
      await refusal(
        sql`UPDATE movements SET destination_point = ST_SetSRID(ST_MakePoint(-70.2, -12.9), 4326) WHERE id = ${made.movement.id}`,
      ),
    ).toContain("a movement's declaration never changes");
    expect(
      await refusal(
        sql`UPDATE movements SET destination_point = destination_point WHERE id = ${made.movement.id}`,
      ),
    ).toBe('done');
  });
});
