import { type SQL, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { newId } from '../../src/domain/shared/ids.js';
import { fromDatabaseError } from '../../src/http/problem.js';
import { testDb } from '../helpers/db.js';

/**
 * The net under the schemas: what PostgreSQL (or PGlite, which reports its errors differently)
 * refuses as the client's fault becomes a 4xx problem, never a 500. Each case makes the database
 * itself refuse, so both drivers' error shapes are exercised.
 */

let db: Db;
beforeAll(async () => {
  db = await testDb();
});

async function refusal(query: SQL): Promise<unknown> {
  try {
    await db.execute(query);
  } catch (err) {
    return err;
  }
  throw new Error('the database accepted it');
}

describe('database refusals of bad values are answered as the client’s fault', () => {
  it.each([
    ['a NUL character in text', sql`SELECT ${'a\u0000b'}::text`],
    ['year 0000', sql`SELECT ${'0000-01-01'}::date`],
    ['a number wider than numeric(14,3)', sql`SELECT ${'999999999999.999'}::numeric(14,3)`],
    ['a UTC offset beyond ±15:59', sql`SELECT ${'2026-01-01T00:00:00+23:59'}::timestamptz`],
    ['text that is not a uuid', sql`SELECT ${'not-a-uuid'}::uuid`],
  ])('%s (class 22) is a 400 validation problem', async (_, query) => {
    const err = await refusal(query);
    const problem = fromDatabaseError(err);
    expect(problem?.code).toBe('validation');
    expect(problem?.status).toBe(400);
    expect(problem?.message).toMatch(/^the database refused a value: ./);
  });

  it('a request beyond a limit of the database (class 54) is a 422', async () => {
    const err = await refusal(sql`SELECT repeat('x', 1100000000)`);
    const problem = fromDatabaseError(err);
    expect(problem?.status).toBe(422);
    expect(problem?.message).toMatch(/^too large for the database: ./);
  });

  it('a missing required value names the field its column stores', async () => {
    const err = await refusal(sql`INSERT INTO actors (id, name, kinds) VALUES (${newId()}, 'x', '{miner}')`);
    const problem = fromDatabaseError(err);
    expect(problem?.status).toBe(422);
    expect(problem?.errors).toEqual([{ field: 'taxId', message: expect.stringMatching(/tax_id/) }]);
  });

  it('an error that is not the database’s is left to the caller (a 500, logged)', () => {
    expect(fromDatabaseError(new TypeError('x is undefined'))).toBeUndefined();
  });
});
