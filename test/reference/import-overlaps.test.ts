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
  type ConcessionMapping,
  importConcessions,
  readFeatureCollection,
} from '../../src/domain/reference/import.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { migratedDataDir } from '../helpers/data-dir.js';

/** The INGEMMET cadastre sample of ../shared/data (see its SOURCES.md), read where it is. */
const cadastreFile = 'ingemmet-catastro-17s-sample-not-mdd.geojson';
const cadastrePath = fileURLToPath(new URL(`../../../shared/data/${cadastreFile}`, import.meta.url));

interface CadastreFeature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: { type: 'Polygon'; coordinates: number[][][] };
}
const cadastre = () =>
  readFeatureCollection(JSON.parse(readFileSync(cadastrePath, 'utf8'))) as CadastreFeature[];

const mapping: ConcessionMapping = {
  code: { fields: ['CODIGOU'] },
  name: { fields: ['CONCESION'] },
  kind: { value: 'mining' },
  status: { value: 'titled' },
  grantedOn: { fields: ['FEC_DENU'] },
  holderTaxId: { fields: ['TIT_CONCES'] },
};

/** The feature's ring moved east by `share` of its own width. */
function shifted(f: CadastreFeature, share: number, code: string, name: string): CadastreFeature {
  const ring = f.geometry.coordinates[0] ?? [];
  const lons = ring.map((p) => p[0] ?? 0);
  const dx = (Math.max(...lons) - Math.min(...lons)) * share;
  return {
    ...f,
    properties: { ...f.properties, CODIGOU: code, CONCESION: name },
    geometry: { type: 'Polygon', coordinates: [ring.map(([lon = 0, lat = 0]) => [lon + dx, lat])] },
  };
}

let t: TestContext;
let admin: string;
let chestnutId: string;
beforeEach(async () => {
  t = await testApp();
  admin = await t.token('admin');
  // TITULAR-004 holds features 3, 12 and 13 of the sample (MARICIELO VI, V and II DE TAUCA).
  const holder = await t.call('POST', '/v1/actors', {
    token: admin,
    body: { taxId: 'TITULAR-004', name: 'Titular 004 (test)', kinds: ['miner'] },
  });
  expect(holder.status).toBe(201);
  // A chestnut right in force over the east half of feature 13's cadastre cell.
  const f13 = cadastre()[13] as CadastreFeature;
  const east = shifted(f13, 0.5, 'CAST-TEST', 'Castañal de prueba');
  const res = await t.call('POST', '/v1/concessions', {
    token: admin,
    body: {
      code: 'CAST-TEST',
      name: 'Castañal de prueba',
      kind: 'chestnut',
      status: 'titled',
      geometry: east.geometry,
    },
  });
  expect(res.status, res.text).toBe(201);
  chestnutId = res.body.id;
});

/** The sample with a copy of feature 12 moved a quarter of its width west (away from 3), under a new code. */
const sampleWithOverlap = () => {
  const features = cadastre();
  return [...features, shifted(features[12] as CadastreFeature, -0.25, '030099999', 'MARICIELO V BIS')];
};
const count = async (table: 'concessions' | 'overlap_cases') =>
  Number(
    rowsOf<{ n: number }>(await t.db.execute(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`))[0]
      ?.n,
  );

describe('importing the INGEMMET cadastre sample over rights in force', () => {
  it('reports each overlap, with the registry and inside the file, as a pair with areas; the features are skipped whole and the rest imported', async () => {
    const summary = await importConcessions(t.db, sampleWithOverlap(), { source: cadastreFile, mapping });
    expect(summary.imported.map((i) => i.label)).toEqual(['MARICIELO VI DE TAUCA', 'MARICIELO V DE TAUCA']);
    expect(summary.overlaps).toEqual([
      expect.objectContaining({
        index: 13,
        label: 'MARICIELO II DE TAUCA',
        code: '030092725',
        other: expect.objectContaining({ concessionId: chestnutId, code: 'CAST-TEST', kind: 'chestnut' }),
        inFile: false,
        outcome: 'skipped',
      }),
      expect.objectContaining({
        index: 50,
        code: '030099999',
        other: expect.objectContaining({
          name: 'MARICIELO V DE TAUCA',
          kind: 'mining',
          holderName: 'Titular 004 (test)',
        }),
        inFile: true,
        outcome: 'skipped',
      }),
    ]);
    // Feature 13 is an irregular claim of ~300 ha; the chestnut right is its own outline moved
    // half its width east, so the overlap is the same share of both (a third, ~99 ha).
    const [withChestnut, inFile] = summary.overlaps;
    expect(Number(withChestnut?.overlapHa)).toBeGreaterThan(95);
    expect(Number(withChestnut?.overlapHa)).toBeLessThan(102);
    expect(Number(withChestnut?.shareOfFiled)).toBeCloseTo(0.33, 1);
    expect(withChestnut?.shareOfOther).toBe(withChestnut?.shareOfFiled);
    // The copy of feature 12 moved a quarter of its width: about two thirds of either (irregular).
    expect(Number(inFile?.shareOfFiled)).toBeGreaterThan(0.6);
    expect(Number(inFile?.shareOfFiled)).toBeLessThan(0.8);
    expect(inFile?.shareOfOther).toBe(inFile?.shareOfFiled);
    expect(summary.skipped.filter((s) => s.reason === 'overlaps').map((s) => s.index)).toEqual([13, 50]);
    // Nothing of a skipped feature is written: no right, no case.
    expect(await count('concessions')).toBe(3);
    expect(await count('overlap_cases')).toBe(0);
  });

  it('with the exception, the overlapping features are imported and each overlap is an open case found at import', async () => {
    const summary = await importConcessions(t.db, sampleWithOverlap(), {
      source: cadastreFile,
      mapping,
      overlaps: {
        mode: 'except',
        legalBasis: 'D.S. 014-92-EM art. 9; superposición a resolver por la autoridad',
      },
    });
    expect(summary.imported).toHaveLength(4);
    expect(summary.overlaps.map((o) => [o.code, o.other.code, o.inFile, o.outcome])).toEqual([
      ['030092725', 'CAST-TEST', false, 'case_opened'],
      ['030099999', '030092625', true, 'case_opened'],
    ]);
    const cases = rowsOf<{ found_at: string; status: string; exception_note: string }>(
      await t.db.execute(sql`SELECT found_at, status, exception_note FROM overlap_cases ORDER BY created_at`),
    );
    expect(cases).toEqual([
      { found_at: 'import', status: 'open', exception_note: `imported from ${cadastreFile}` },
      { found_at: 'import', status: 'open', exception_note: `imported from ${cadastreFile}` },
    ]);
  });
});

// Its own embedded database on either leg of CI: the PGlite leg alone runs it (see import.test.ts).
const ownEmbedded = describe.skipIf(!!process.env.DATABASE_URL);
const cliTitle =
  'npm run import -- concessions (the CLI as a separate process): the table of overlapping pairs';
ownEmbedded(cliTitle, () => {
  const run = promisify(execFile);
  const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
  const cli = fileURLToPath(new URL('../../src/cli/import.ts', import.meta.url));
  // Its own embedded PGlite in a fresh DATA_DIR: never the suite's database (see import.test.ts).
  const { BASE_URL: _base, DATABASE_URL: _url, MIGRATION_DATABASE_URL: _murl, ...env } = process.env;
  const scratch = mkdtempSync(join(tmpdir(), 'orotrace-import-overlaps-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const importCli = (dataDir: string, ...args: string[]) =>
    run(tsx, [cli, ...args], { env: { ...env, DATA_DIR: dataDir } });

  it('prints each pair with its areas and what became of the feature; bad overlap options exit 2', async () => {
    const file = join(scratch, 'cadastre-pair.geojson');
    const f12 = cadastre()[12] as CadastreFeature;
    writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [f12, shifted(f12, -0.25, '030099999', 'MARICIELO V BIS')],
      }),
    );
    const args = [
      'concessions',
      file,
      '--code-field',
      'CODIGOU',
      '--name-field',
      'CONCESION',
      '--concession-kind',
      'mining',
      '--status',
      'titled',
    ];
    const dataDir = await migratedDataDir(mkdtempSync(join(scratch, 'cli-')));
    await expect(importCli(dataDir, ...args, '--overlaps', 'except')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--overlaps except needs --overlap-legal-basis/),
    });
    const { stdout } = await importCli(dataDir, ...args);
    expect(stdout).toMatch(/2 features, imported 1, skipped 1/);
    expect(stdout).toMatch(/skipped, overlaps rights in force \(1\):/);
    expect(stdout).toMatch(
      /overlaps \(1\):\n.*\n {4}\[1\] MARICIELO V BIS \| 030099999 \| 030092625 MARICIELO V DE TAUCA \(mining, no holder\) \| yes \| \d+\.\d{4} \| \d+\.\d % \| \d+\.\d % \| skipped/,
    );
  }, 120_000);
});
