import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { concessions, events, zones } from '../../src/db/schema/index.js';
import {
  type ConcessionMapping,
  importConcessions,
  importZones,
  readFeatureCollection,
  skippedByReason,
  type ZoneMapping,
} from '../../src/domain/reference/import.js';
import { getZone } from '../../src/domain/reference/zones.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { migratedDataDir } from '../helpers/data-dir.js';

/** The real layers of ../shared/data (see its SOURCES.md), read where they are, never copied. */
const dataPath = (name: string) => fileURLToPath(new URL(`../../../shared/data/${name}`, import.meta.url));
const features = (path: string) => readFeatureCollection(JSON.parse(readFileSync(path, 'utf8')));

const anpFile = 'peru-anp-madre-de-dios.geojson';
const bufferFile = 'tambopata-zona-amortiguamiento-partial.geojson';
const cadastreFile = 'ingemmet-catastro-17s-sample-not-mdd.geojson';

const anpMapping: ZoneMapping = {
  name: { fields: ['anp_cate', 'anp_nombre'] },
  kind: { value: 'protected_area' },
  legalBasis: { value: 'Ley 26834, Ley de Áreas Naturales Protegidas' },
  validFrom: { value: '2000-09-04' },
};
const bufferName = 'Zona de amortiguamiento de la Reserva Nacional Tambopata (parcial)';
const bufferMapping: ZoneMapping = {
  name: { value: bufferName },
  kind: { value: 'buffer_zone' },
  legalBasis: { fields: ['za_balea'] },
  validFrom: { fields: ['za_felea'] },
  idField: 'anp_codi',
};

const importAnp = (t: TestContext) =>
  importZones(t.db, features(dataPath(anpFile)), { source: anpFile, mapping: anpMapping });
const importBuffer = (t: TestContext) =>
  importZones(t.db, features(dataPath(bufferFile)), { source: bufferFile, mapping: bufferMapping });

const countEvents = async (t: TestContext) => t.db.$count(events);

/** Hand-made files and the CLI's own PGlite folders (~60 MB each) live here until the file ends. */
const scratch = mkdtempSync(join(tmpdir(), 'orotrace-import-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('bulk import of the real SERNANP layers as zones', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await testApp();
  });

  it('the six protected areas of Madre de Dios import as protected_area zones with their names, vertex for vertex', async () => {
    const progress: number[] = [];
    const summary = await importZones(t.db, features(dataPath(anpFile)), {
      source: anpFile,
      mapping: anpMapping,
      onProgress: (p) => progress.push(p.done),
    });

    expect(summary.skipped).toEqual([]);
    expect(summary.imported.map((i) => i.label)).toEqual([
      'Reserva Nacional Tambopata',
      'Parque Nacional Bahuaja-Sonene',
      'Parque Nacional Manu',
      'Reserva Comunal Amarakaeri',
      'Parque Nacional Alto Purús',
      'Reserva Comunal Purús',
    ]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);

    const rows = rowsOf<{ name: string; kind: string; source_ref: string; points: number }>(
      await t.db.execute(
        sql`SELECT name, kind, source_ref, ST_NPoints(geom) AS points FROM zones ORDER BY name`,
      ),
    );
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.kind === 'protected_area')).toBe(true);
    // Vertex counts of the source polygons (SOURCES.md): nothing simplified on the way in.
    const bahuaja = rows.find((r) => r.name === 'Parque Nacional Bahuaja-Sonene');
    expect(Number(bahuaja?.points)).toBe(10788);
    const tambopata = rows.find((r) => r.name === 'Reserva Nacional Tambopata');
    expect(Number(tambopata?.points)).toBe(6484);
    expect(tambopata?.source_ref).toBe(`${anpFile}#Reserva Nacional Tambopata`);

    // Each zone got its ledger event, written by the import's principal.
    const logged = await t.db.select().from(events).where(eq(events.type, 'zone.registered'));
    expect(logged).toHaveLength(6);
    expect(new Set(logged.map((e) => e.actorSub))).toEqual(new Set(['cli:import']));
  });

  it('the partial Tambopata buffer zone imports as a buffer_zone with its legal basis from za_balea', async () => {
    const summary = await importBuffer(t);
    expect(summary.skipped).toEqual([]);
    expect(summary.imported).toHaveLength(1);

    const zone = await getZone(t.db, summary.imported[0]?.id ?? '');
    expect(zone).toMatchObject({
      name: bufferName,
      kind: 'buffer_zone',
      legalBasis: 'R.J. Nº 290-2005 INRENA',
      validFrom: '2005-12-06',
      sourceRef: `${bufferFile}#RN09`,
    });
    const source = features(dataPath(bufferFile))[0] as { geometry: { coordinates: unknown[] } };
    expect(zone.geometry.type).toBe('MultiPolygon');
    expect(zone.geometry.coordinates).toHaveLength(source.geometry.coordinates.length);
  });

  it('a re-run imports nothing, reports every feature as already imported and writes no event', async () => {
    const eventsBefore = await countEvents(t);
    expect(eventsBefore).toBe(7);

    const anp = await importAnp(t);
    const buffer = await importBuffer(t);

    expect(anp.imported).toEqual([]);
    expect(buffer.imported).toEqual([]);
    expect(anp.skipped.map((s) => s.reason)).toEqual(Array(6).fill('already_imported'));
    expect(buffer.skipped).toMatchObject([
      { index: 0, reason: 'already_imported', detail: `sourceRef ${bufferFile}#RN09` },
    ]);
    expect(await countEvents(t)).toBe(eventsBefore);
    expect(await t.db.$count(zones)).toBe(7);
  });

  it('an admin finds the imported zones by bounding box as GeoJSON, and none of them near Lima', async () => {
    const token = await t.token('admin');
    const headers = { accept: 'application/geo+json' };
    const near = await t.call('GET', '/v1/zones?bbox=-70.2,-13.1,-69.9,-12.9', { token, headers });
    expect(near.status).toBe(200);
    expect(near.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    expect(near.body.type).toBe('FeatureCollection');
    const names = near.body.features.map((f: { properties: { name: string } }) => f.properties.name);
    expect(names).toContain('Reserva Nacional Tambopata');
    expect(names).toContain(bufferName);
    expect(names).not.toContain('Parque Nacional Alto Purús'); // far north, on the Brazilian border
    const buffer = near.body.features.find(
      (f: { properties: { name: string } }) => f.properties.name === bufferName,
    );
    expect(buffer.geometry.type).toBe('MultiPolygon');
    expect(buffer.properties.kind).toBe('buffer_zone');

    const lima = await t.call('GET', '/v1/zones?bbox=-77.2,-12.2,-76.9,-11.9', { token, headers });
    expect(lima.status).toBe(200);
    expect(lima.body).toEqual({ type: 'FeatureCollection', features: [] });
  });
});

/** A small FeatureCollection of hand-made cases, written to a temp dir. */
function square(w: number, s: number, size: number) {
  return [
    [
      [w, s],
      [w + size, s],
      [w + size, s + size],
      [w, s + size],
      [w, s],
    ],
  ];
}
const handMade = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { nombre: 'Cuadrado' },
      geometry: { type: 'Polygon', coordinates: square(-74, -9, 1) },
    },
    {
      type: 'Feature',
      properties: { nombre: 'Corbata' },
      // A bow-tie: its edges cross at (-73.5, -8.5).
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [-74, -9],
            [-73, -8],
            [-73, -9],
            [-74, -8],
            [-74, -9],
          ],
        ],
      },
    },
    { type: 'Feature', properties: { nombre: 'Punto' }, geometry: { type: 'Point', coordinates: [-74, -9] } },
    {
      type: 'Feature',
      properties: { otro: 'x' },
      geometry: { type: 'Polygon', coordinates: square(-72, -9, 1) },
    },
    {
      type: 'Feature',
      properties: { nombre: 'Cuadrado' },
      geometry: { type: 'Polygon', coordinates: square(-71, -9, 1) },
    },
    'not a feature',
  ],
};

describe('features that cannot be recorded as they are', () => {
  let t: TestContext;
  const mapping: ZoneMapping = {
    name: { fields: ['nombre'] },
    kind: { value: 'mining_exclusion' },
    legalBasis: { value: 'D.L. 1100 (test)' },
    validFrom: { value: '2012-02-18' },
  };
  const file = join(scratch, 'casos.geojson');
  writeFileSync(file, JSON.stringify(handMade));
  beforeAll(async () => {
    t = await testApp();
  });

  it("are skipped grouped by reason, an invalid polygon with PostGIS's reason; with makeValid it is repaired and imported", async () => {
    const summary = await importZones(t.db, features(file), { source: 'casos.geojson', mapping });

    expect(summary.imported.map((i) => [i.index, i.label])).toEqual([[0, 'Cuadrado']]);
    const groups = skippedByReason(summary);
    expect([...groups.keys()]).toEqual([
      'duplicate_in_file',
      'not_a_feature',
      'invalid_geometry',
      'missing_field',
    ]);
    expect(groups.get('invalid_geometry')).toMatchObject([
      { index: 1, label: 'Corbata', detail: 'Self-intersection[-73.5 -8.5]' },
      { index: 2, label: 'Punto', detail: expect.stringMatching(/Point; only a Polygon or a MultiPolygon/) },
    ]);
    expect(groups.get('missing_field')).toMatchObject([{ index: 3, detail: 'no value in nombre' }]);
    expect(groups.get('duplicate_in_file')).toMatchObject([
      { index: 4, detail: 'casos.geojson#Cuadrado is also the id of feature [0]' },
    ]);
    expect(groups.get('not_a_feature')).toMatchObject([{ index: 5 }]);
    expect(await t.db.$count(zones)).toBe(1);

    const repaired = await importZones(t.db, features(file), {
      source: 'casos.geojson',
      mapping,
      makeValid: true,
    });
    expect(repaired.imported).toMatchObject([
      { index: 1, label: 'Corbata', repairedFrom: 'Self-intersection[-73.5 -8.5]' },
    ]);
    expect(repaired.skipped.find((s) => s.index === 0)?.reason).toBe('already_imported');
    const corbata = await getZone(t.db, repaired.imported[0]?.id ?? '');
    // ST_MakeValid splits the bow-tie at its crossing into two triangles of a quarter degree² each.
    expect(corbata.geometry.type).toBe('MultiPolygon');
    expect(corbata.geometry.coordinates).toHaveLength(2);
    const [area] = rowsOf<{ area: number }>(
      await t.db.execute(sql`SELECT ST_Area(geom) AS area FROM zones WHERE id = ${corbata.id}`),
    );
    expect(Number(area?.area)).toBeCloseTo(0.5, 9);
  });
});

describe('reading a FeatureCollection', () => {
  const named = (name: string) => ({
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name } },
    features: [handMade.features[0]],
  });

  it('refuses a file that declares projected coordinates, and accepts WGS84 lon/lat', () => {
    expect(() => readFeatureCollection(named('urn:ogc:def:crs:EPSG::32719'))).toThrow(
      /crs urn:ogc:def:crs:EPSG::32719; .*reproject it first/,
    );
    expect(readFeatureCollection(named('urn:ogc:def:crs:OGC:1.3:CRS84'))).toHaveLength(1);
    expect(() => readFeatureCollection({ type: 'Feature', features: 'none' })).toThrow(
      'not a GeoJSON FeatureCollection: type: must be "FeatureCollection"; features: must be an array',
    );
  });
});

describe('bulk import of concessions from the INGEMMET cadastre format', () => {
  let t: TestContext;
  const mapping: ConcessionMapping = {
    code: { fields: ['CODIGOU'] },
    name: { fields: ['CONCESION'] },
    kind: { value: 'mining' },
    status: { value: 'titled' },
    grantedOn: { fields: ['FEC_DENU'] },
    holderTaxId: { fields: ['TIT_CONCES'] },
  };
  beforeAll(async () => {
    t = await testApp();
  });

  it('links each concession to its holder by tax id and skips those whose holder is not registered', async () => {
    const admin = await t.token('admin');
    const holder = await t.call('POST', '/v1/actors', {
      token: admin,
      body: { taxId: 'TITULAR-004', name: 'Titular 004 (test)', kinds: ['miner'] },
    });
    expect(holder.status).toBe(201);
    const eventsBefore = await countEvents(t);

    const cadastre = features(dataPath(cadastreFile));
    const summary = await importConcessions(t.db, cadastre, { source: cadastreFile, mapping });

    // TITULAR-004 holds features 3, 12 and 13 of the sample; the other 47 holders are unknown.
    expect(summary.imported.map((i) => [i.index, i.label])).toEqual([
      [3, 'MARICIELO VI DE TAUCA'],
      [12, 'MARICIELO V DE TAUCA'],
      [13, 'MARICIELO II DE TAUCA'],
    ]);
    expect(summary.skipped).toHaveLength(47);
    expect(summary.skipped[0]).toEqual({
      index: 0,
      label: 'MINERA CHRISGIN UNO',
      reason: 'unknown_holder',
      detail: 'no actor with tax id TITULAR-001',
    });
    expect(new Set(summary.skipped.map((s) => s.reason))).toEqual(new Set(['unknown_holder']));

    const [vi] = await t.db.select().from(concessions).where(eq(concessions.code, '030092525'));
    expect(vi).toMatchObject({
      name: 'MARICIELO VI DE TAUCA',
      kind: 'mining',
      status: 'titled',
      holderId: holder.body.id,
      grantedOn: '2025-12-31', // "Wed Dec 31 2025 00:00:00 GMT-0500": the date as shown, not UTC's
    });
    // A 1 km × 1 km cadastre grid cell: about 100 ha, computed by PostGIS on the spheroid.
    expect(Number(vi?.areaHa)).toBeGreaterThan(99);
    expect(Number(vi?.areaHa)).toBeLessThan(101);
    expect(await countEvents(t)).toBe(eventsBefore + 3);

    const again = await importConcessions(t.db, cadastre, { source: cadastreFile, mapping });
    expect(again.imported).toEqual([]);
    expect(again.skipped.filter((s) => s.reason === 'already_imported').map((s) => s.index)).toEqual([
      3, 12, 13,
    ]);
    expect(await countEvents(t)).toBe(eventsBefore + 3);
  });
});

// The CLI runs on an embedded database of its own whichever database the suite runs on: the same
// work on both legs of CI, so the PGlite leg alone runs it.
const ownEmbedded = describe.skipIf(!!process.env.DATABASE_URL);
ownEmbedded('npm run import (the CLI as a separate process)', () => {
  const run = promisify(execFile);
  const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
  const cli = fileURLToPath(new URL('../../src/cli/import.ts', import.meta.url));
  // Its own embedded PGlite in a fresh DATA_DIR: never the suite's database. vitest puts Vite's
  // BASE_URL ('/') into process.env, which the CLI's config would refuse.
  const { BASE_URL: _base, DATABASE_URL: _url, MIGRATION_DATABASE_URL: _murl, ...env } = process.env;
  const importCli = (dataDir: string, ...args: string[]) =>
    run(tsx, [cli, ...args], { env: { ...env, DATA_DIR: dataDir } });
  const bufferArgs = [
    'zones',
    dataPath(bufferFile),
    '--name',
    bufferName,
    '--kind',
    'buffer_zone',
    '--legal-basis-field',
    'za_balea',
    '--valid-from-field',
    'za_felea',
    '--id-field',
    'anp_codi',
  ];

  it('imports a file into its own database, prints the summary, and a second run finds it imported', async () => {
    const dataDir = await migratedDataDir(mkdtempSync(join(scratch, 'cli-')));
    const first = await importCli(dataDir, ...bufferArgs);
    expect(first.stdout).toMatch(/^zones from .*tambopata.*: 1 features, imported 1, skipped 0 \(/);
    expect(first.stderr).not.toMatch(/features \|/); // no progress bar when stderr is not a terminal

    const second = await importCli(dataDir, ...bufferArgs);
    expect(second.stdout).toMatch(/imported 0, skipped 1/);
    expect(second.stdout).toMatch(
      /skipped, already imported \(1\):\n {4}\[0\] Zona de amortiguamiento .*: sourceRef tambopata-zona-amortiguamiento-partial\.geojson#RN09/,
    );
  }, 120_000);

  it('exits 2 on bad options and 1 on a file that is not a FeatureCollection, before opening any database', async () => {
    const dataDir = mkdtempSync(join(scratch, 'cli-'));
    await expect(importCli(dataDir, 'zones', dataPath(bufferFile), '--kind', 'park')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--kind "park": must be one of protected_area/),
    });
    await expect(
      importCli(
        dataDir,
        'zones',
        dataPath('SOURCES.md'),
        '--kind',
        'other',
        '--legal-basis',
        'x',
        '--valid-from',
        '2020-01-01',
      ),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/cannot read .*SOURCES\.md/) });
    const notCollection = join(dataDir, 'feature.geojson');
    writeFileSync(notCollection, JSON.stringify(handMade.features[0]));
    await expect(
      importCli(
        dataDir,
        'zones',
        notCollection,
        '--kind',
        'other',
        '--legal-basis',
        'x',
        '--valid-from',
        '2020-01-01',
      ),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/not a GeoJSON FeatureCollection/) });
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(false);
  }, 60_000);
});
