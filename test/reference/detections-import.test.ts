import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import {
  coverageOf,
  importDetections,
  importDistricts,
  periodDays,
} from '../../src/domain/reference/detections.js';
import { readFeatureCollection } from '../../src/domain/reference/import.js';
import { rectangle as box } from '../../src/domain/shared/geojson.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { migratedDataDir } from '../helpers/data-dir.js';

const dataPath = (name: string) => fileURLToPath(new URL(`../../../shared/data/${name}`, import.meta.url));
const data = (name: string) => JSON.parse(readFileSync(dataPath(name), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'orotrace-detections-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const layer = {
  source: 'test',
  name: 'Test layer',
  attribution: 'test',
  kind: 'footprint' as const,
  coverage: box(-71, -14, -68, -9),
};
const square = (lon: number, lat: number, d = 0.001) => box(lon, lat, lon + d, lat + d);
const feature = (i: number, period: string, geometry: unknown) => ({
  type: 'Feature',
  id: i,
  properties: {
    period,
    source_path: 'hand.geojson',
    source_index: i,
    polygon_area_ha: 1.2,
    mined_area_ha: 0.4,
  },
  geometry,
});

async function count(t: TestContext, table: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await t.db.execute(sql.raw(`SELECT count(*)::int AS n FROM ${table}`)));
  return row?.n ?? 0;
}

describe('periods', () => {
  it('reads years, quarters and days as the days they span', () => {
    expect(periodDays('2019')).toEqual({ from: '2019-01-01', to: '2019-12-31' });
    expect(periodDays('2025Q2')).toEqual({ from: '2025-04-01', to: '2025-06-30' });
    expect(periodDays('2024Q1')).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(periodDays('2025Q4')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(periodDays('2026-03-14')).toEqual({ from: '2026-03-14', to: '2026-03-14' });
    expect(periodDays('2025Q5')).toBeUndefined();
    expect(periodDays('2026-02-30')).toBeUndefined();
  });
});

describe('importDetections', () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testApp();
  });

  it('refuses a bad file whole, naming each bad feature and what is wrong, and writes nothing', async () => {
    const features = [
      feature(0, '2020', square(-70, -12.5)),
      feature(1, '2020Q7', square(-70.1, -12.5)),
      feature(2, '2021', {
        type: 'LineString',
        coordinates: [
          [-70, -12],
          [-70.1, -12.1],
        ],
      }),
      {
        ...feature(3, '2021', square(-70.2, -12.5)),
        properties: { source_path: 'hand.geojson', source_index: 3 },
      },
      feature(0, '2021', square(-70.3, -12.5)),
      { type: 'Point', coordinates: [0, 0] },
    ];
    const error = await importDetections(t.db, 'bad.geojson', features, layer).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^bad\.geojson: 5 bad features, nothing imported/);
    expect(message).toMatch(/feature \[1\] \(id 1\): period "2020Q7" is neither a year/);
    expect(message).toMatch(
      /feature \[2\] \(id 2\): geometry is a LineString, not a Polygon or MultiPolygon/,
    );
    expect(message).toMatch(/feature \[3\] \(id 3\): period: period is missing/);
    expect(message).toMatch(/feature \[4\] \(id 0\): same reference hand\.geojson#0 as feature \[0\]/);
    expect(message).toMatch(/feature \[5\]: not a GeoJSON Feature/);
    expect(await count(t, 'mining_detections')).toBe(0);
    expect(await count(t, 'detection_layers')).toBe(0);
  });

  it('repairs a self-intersecting footprint with ST_MakeValid into its polygons and says so; one with no area left refuses the file', async () => {
    const bowTie = {
      type: 'Polygon',
      coordinates: [
        [
          [-70, -12],
          [-69.99, -11.99],
          [-69.99, -12],
          [-70, -11.99],
          [-70, -12],
        ],
      ],
    };
    const s = await importDetections(
      t.db,
      'bow.geojson',
      [feature(0, '2022', bowTie), feature(1, '2022', square(-70.2, -12))],
      layer,
    );
    expect(s).toMatchObject({ total: 2, imported: 2, observedFrom: '2022-01-01', observedTo: '2022-12-31' });
    expect(s.repaired).toEqual([
      {
        index: 0,
        sourceRef: 'test:footprint:hand.geojson#0',
        reason: expect.stringMatching(/Self-intersection/),
      },
    ]);
    const [row] = rowsOf<{ type: string; parts: number; valid: boolean }>(
      await t.db.execute(sql`SELECT GeometryType(geom) AS type, ST_NumGeometries(geom) AS parts, ST_IsValid(geom) AS valid
        FROM mining_detections WHERE source_ref = 'test:footprint:hand.geojson#0'`),
    );
    expect(row).toEqual({ type: 'MULTIPOLYGON', parts: 2, valid: true });

    const flat = {
      type: 'Polygon',
      coordinates: [
        [
          [-70, -12],
          [-69.9, -12],
          [-69.8, -12],
          [-70, -12],
        ],
      ],
    };
    const layersBefore = await count(t, 'detection_layers');
    await expect(
      importDetections(
        t.db,
        'flat.geojson',
        [feature(5, '2022', square(-70.4, -12)), feature(6, '2022', flat)],
        layer,
      ),
    ).rejects.toThrow(/feature \[1\] \(test:footprint:hand\.geojson#6\): no area left after ST_MakeValid/);
    expect(await count(t, 'detection_layers')).toBe(layersBefore);
    expect(await count(t, 'mining_detections')).toBe(2);
  });

  it('refuses an invalid coverage', async () => {
    const bowTie = {
      type: 'Polygon',
      coordinates: [
        [
          [-70, -12],
          [-69, -11],
          [-69, -12],
          [-70, -11],
          [-70, -12],
        ],
      ],
    };
    await expect(
      importDetections(t.db, 'x.geojson', [feature(0, '2022', square(-70, -12))], {
        ...layer,
        coverage: bowTie as never,
      }),
    ).rejects.toThrow(/the coverage is not a valid area/);
    expect(await count(t, 'mining_detections')).toBe(0);
  });

  it('imports the INEI districts of Madre de Dios once', async () => {
    const features = readFeatureCollection(data('peru-madre-de-dios-distritos.geojson'));
    const first = await importDistricts(t.db, 'distritos', features);
    expect(first).toMatchObject({ total: 11, imported: 11, alreadyHeld: 0 });
    expect(await importDistricts(t.db, 'distritos', features)).toMatchObject({
      imported: 0,
      alreadyHeld: 11,
    });
    const names = rowsOf<{ name: string; province: string }>(
      await t.db.execute(sql`SELECT name, province FROM admin_areas WHERE level = 'district' ORDER BY name`),
    );
    expect(names).toContainEqual({ name: 'TAMBOPATA', province: 'TAMBOPATA' });
    expect(names).toContainEqual({ name: 'HUEPETUHE', province: 'MANU' });
  });

  it('a coverage from a FeatureCollection joins its areas', () => {
    const g = coverageOf(data('peru-madre-de-dios-distritos.geojson'), 'distritos');
    expect(g.type).toBe('MultiPolygon');
    expect(() => coverageOf({ type: 'Point', coordinates: [0, 0] }, 'p.geojson')).toThrow(
      /p\.geojson: coverage feature \[0\]/,
    );
  });
});

// Its own embedded database on either leg of CI: the PGlite leg alone runs it (see import.test.ts).
const ownEmbedded = describe.skipIf(!!process.env.DATABASE_URL);
ownEmbedded('npm run import -- detections|districts (the CLI as a separate process)', () => {
  const run = promisify(execFile);
  const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
  const cli = fileURLToPath(new URL('../../src/cli/import.ts', import.meta.url));
  const { BASE_URL: _base, DATABASE_URL: _url, MIGRATION_DATABASE_URL: _murl, ...env } = process.env;
  const importCli = (dataDir: string, ...args: string[]) =>
    run(tsx, [cli, ...args], { env: { ...env, DATA_DIR: dataDir } });
  const amwArgs = (file: string) => [
    'detections',
    file,
    '--source',
    'amw',
    '--layer-name',
    'Amazon Mining Watch',
    '--attribution',
    'Earth Genome / Amazon Mining Watch, CC BY 4.0',
    '--coverage',
    dataPath('peru-madre-de-dios-departamento.geojson'),
  ];

  it('imports the real AMW layer and the districts with plain progress lines off a terminal; a bad file changes nothing', async () => {
    const dataDir = await migratedDataDir(mkdtempSync(join(scratch, 'cli-')));
    // A bad copy of the first 300 features: one period mistyped. Refused whole.
    const all = data('amw-mining-detections-madre-de-dios.geojson');
    const bad = join(dataDir, 'bad.geojson');
    const head = all.features.slice(0, 300);
    head[250] = { ...head[250], properties: { ...head[250].properties, period: '2019Q9' } };
    writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: head }));
    await expect(importCli(dataDir, ...amwArgs(bad))).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /bad\.geojson: 1 bad feature, nothing imported: feature \[250\] \(id 251\): period "2019Q9"/,
      ),
    });

    const first = await importCli(
      dataDir,
      ...amwArgs(dataPath('amw-mining-detections-madre-de-dios.geojson')),
    );
    expect(first.stdout).toMatch(
      /^detections from .*amw-mining-detections.*: 2570 features, imported 2570, already held 0 \(/,
    );
    expect(first.stdout).toMatch(/periods 2019-01-01 to 2025-12-31/);
    expect(first.stderr).toMatch(/detections: 200\/2570 features checked and written\n/);
    expect(first.stderr).toMatch(/detections: 2570\/2570 features/);

    const missing = await importCli(dataDir, 'detections', bad, '--source', 'amw').catch((e) => e);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/give --layer-name/) });

    const districts = await importCli(dataDir, 'districts', dataPath('peru-madre-de-dios-distritos.geojson'));
    expect(districts.stdout).toMatch(/districts from .*: 11 features, imported 11, already held 0/);
  }, 180_000);
});
