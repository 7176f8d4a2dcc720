import { type SQL, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Queryable, rowsOf } from '../../src/db/client.js';
import { anyUuid, arrayLiteral, jsonColumn, pgArray, uuidArray } from '../../src/db/sql.js';
import { testDb } from '../helpers/db.js';

/**
 * The helpers against a real database, through the driver of this run (PGlite, or postgres.js
 * with DATABASE_URL) and, with DATABASE_URL, also through postgres.js configured as the Worker
 * configures it (`fetch_types: false`: no array types, so no array serializers or parsers).
 */
const handles: { name: string; db: () => Queryable }[] = [];
let main: Queryable;
let workerLike: ReturnType<typeof postgres> | undefined;
let workerDb: Queryable;

beforeAll(async () => {
  main = await testDb();
  if (process.env.DATABASE_URL) {
    workerLike = postgres(process.env.DATABASE_URL, { max: 1, fetch_types: false, onnotice: () => {} });
    workerDb = drizzle(workerLike) as unknown as Queryable;
  }
});
afterAll(async () => {
  await workerLike?.end();
});
handles.push({ name: process.env.DATABASE_URL ? 'postgres.js' : 'PGlite', db: () => main });
if (process.env.DATABASE_URL) handles.push({ name: 'postgres.js without type fetching', db: () => workerDb });

const one = async <T>(db: Queryable, query: SQL): Promise<T> => {
  const [row] = rowsOf<{ v: unknown }>(await db.execute(query));
  if (!row) throw new Error('no row');
  return row.v as T;
};

/** Values a naive `'{' + values.join(',') + '}'` gets wrong, one way or another. */
const awkward = [
  'plain',
  'with, a comma',
  'a "quoted" word',
  'back\\slash and \\" both',
  '{braces}',
  'NULL',
  '',
  '  padded  ',
  "it's",
  'línea\nnueva ñ 金',
];

describe.each(handles)('database helpers through $name', ({ db }) => {
  it('jsonColumn reads a JSON object, a JSON array, JSON text and NULL', async () => {
    const object = { a: 1, b: [true, null, 'x'], c: { d: 'é' } };
    const row = rowsOf<{ o: unknown; a: unknown; t: unknown; n: unknown; jn: unknown }>(
      await db().execute(sql`SELECT ${JSON.stringify(object)}::json AS o,
        '[1, "two", {"three": 3}]'::jsonb AS a,
        ST_AsGeoJSON(ST_SetSRID(ST_MakePoint(-69.19, -12.6), 4326)) AS t,
        NULL::json AS n, 'null'::jsonb AS jn`),
    )[0];
    expect(jsonColumn<typeof object>(row?.o)).toEqual(object);
    expect(jsonColumn<unknown[]>(row?.a)).toEqual([1, 'two', { three: 3 }]);
    // ST_AsGeoJSON answers text on both drivers: the case the helper exists for.
    expect(typeof row?.t).toBe('string');
    expect(jsonColumn<{ type: string; coordinates: number[] }>(row?.t)).toEqual({
      type: 'Point',
      coordinates: [-69.19, -12.6],
    });
    expect(jsonColumn<object | null>(row?.n)).toBeNull();
    expect(jsonColumn<object | null>(row?.jn)).toBeNull();
  });

  it('jsonColumn refuses a JSON scalar, which it could not tell from JSON text', async () => {
    const text = await one<unknown>(db(), sql`SELECT '"a string"'::json AS v`);
    expect(() => jsonColumn<object>(text)).toThrow();
    const number = await one<unknown>(db(), sql`SELECT '42'::jsonb AS v`);
    expect(() => jsonColumn<object>(number)).toThrow(TypeError);
  });

  it('pgArray carries quotes, commas, backslashes, braces, the word NULL and empty strings intact', async () => {
    const back = await one<unknown>(db(), sql`SELECT array_to_json(${pgArray(awkward, 'text')}) AS v`);
    expect(jsonColumn<string[]>(back)).toEqual(awkward);
    const count = await one<number>(db(), sql`SELECT cardinality(${pgArray(awkward, 'text')}) AS v`);
    expect(Number(count)).toBe(awkward.length);
  });

  it('pgArray keeps a null element NULL, apart from the text "NULL"', async () => {
    const back = await one<unknown>(
      db(),
      sql`SELECT json_agg(x IS NULL ORDER BY o) AS v FROM unnest(${pgArray(['NULL', null, 'null'], 'text')}) WITH ORDINALITY AS t(x, o)`,
    );
    expect(jsonColumn<boolean[]>(back)).toEqual([false, true, false]);
  });

  it('pgArray of nothing is an empty array, and ANY of it matches nothing', async () => {
    expect(await one<number>(db(), sql`SELECT cardinality(${pgArray([], 'text')}) AS v`)).toBe(0);
    const hits = await one<number>(
      db(),
      sql`SELECT count(*)::int AS v FROM (VALUES (gen_random_uuid())) t(id) WHERE id = ${anyUuid([])}`,
    );
    expect(hits).toBe(0);
  });

  it('pgArray carries numbers as smallint, bigint and numeric, and uuids as uuid', async () => {
    const numbers = await one<unknown>(
      db(),
      sql`SELECT json_build_array(${pgArray([1, -2, 32767], 'smallint')}, ${pgArray([9007199254740991, 0n], 'bigint')}::text[], ${pgArray(['0.001', '12.5'], 'numeric')}::text[]) AS v`,
    );
    expect(jsonColumn<unknown[]>(numbers)).toEqual([
      [1, -2, 32767],
      ['9007199254740991', '0'],
      ['0.001', '12.5'],
    ]);
    const ids = ['0190a6e2-4b1c-7000-8000-000000000001', '0190a6e2-4b1c-7000-8000-000000000002'];
    const found = await one<unknown>(
      db(),
      sql`SELECT json_agg(id ORDER BY id) AS v FROM unnest(${uuidArray(ids)}) AS t(id) WHERE id = ${anyUuid([ids[1] as string])}`,
    );
    expect(jsonColumn<string[]>(found)).toEqual([ids[1]]);
  });

  it('pgArray survives inlineParams, as prepared statements write their arguments', async () => {
    const back = await one<unknown>(
      db(),
      sql`SELECT array_to_json(${pgArray(awkward, 'text')}) AS v`.inlineParams(),
    );
    expect(jsonColumn<string[]>(back)).toEqual(awkward);
  });

  it('a malformed uuid is refused by the database, not split into other values', async () => {
    await expect(
      db().execute(sql`SELECT ${uuidArray(['not-a-uuid,0190a6e2-4b1c-7000-8000-000000000001'])} AS v`),
    ).rejects.toThrow();
  });
});

describe('arrayLiteral', () => {
  it('quotes every element and escapes backslashes and double quotes', () => {
    expect(arrayLiteral(['a,b', 'c"d', 'e\\f', null, 3])).toBe('{"a,b","c\\"d","e\\\\f",NULL,"3"}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('refuses what PostgreSQL could not store or would misread', () => {
    expect(() => arrayLiteral(['nul\u0000byte'])).toThrow(RangeError);
    expect(() => arrayLiteral([Number.NaN])).toThrow(RangeError);
    expect(() => arrayLiteral([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});
