import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import type { TestContext } from './app.js';
import { type GoldWorld, goldWorld, registerLot } from './fixtures.js';
import { worldPerFile } from './world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

/** Rows per table and the position of every counter a test can observe. */
async function state() {
  const [row] = rowsOf<Record<string, string>>(
    await t.db.execute(sql`SELECT
      (SELECT count(*) FROM actors)::text AS actors,
      (SELECT count(*) FROM actor_registrations)::text AS registrations,
      (SELECT count(*) FROM movements)::text AS movements,
      (SELECT count(*) FROM lots)::text AS lots,
      (SELECT count(*) FROM flags)::text AS flags,
      (SELECT count(*) FROM events)::text AS events,
      (SELECT max(seq) FROM events)::text AS "lastEventSeq"`),
  );
  return row;
}

// The tests below run in order and depend on it: the first changes the world, the second sees it
// put back.
let before: Awaited<ReturnType<typeof state>>;
let after: Awaited<ReturnType<typeof state>>;
let firstCode: string;

describe('a world built once per file', () => {
  it('is there for the first test as built, and the test may change it', async () => {
    before = await state();
    expect(before).toMatchObject({ actors: '4', lots: '0', movements: '2' });
    const lot = await registerLot(t, w);
    firstCode = lot.code;
    after = await state();
    expect(after).not.toEqual(before);
  });

  it('is put back before the next test: the same rows, and the counters where they were', async () => {
    expect(await state()).toEqual(before);
    const lot = await registerLot(t, w);
    // Lot codes and the events' order come from sequences: the restore rewinds them, so the same
    // registration gives the same code and the same event numbers again.
    expect(lot.code).toBe(firstCode);
    expect(await state()).toEqual(after);
  });

  it('history the application may never delete (events, flags) is gone again all the same', async () => {
    expect(await state()).toEqual(before);
  });
});
