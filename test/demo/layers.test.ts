import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { districts, interoceanicHighway, protectedAreas, towns } from '../../src/demo/geography.js';

const demoDir = join(import.meta.dirname, '../../src/demo');
const geoDir = join(demoDir, 'geo');

/** The rows of the README's table of layers, by file name: [features, source, licence, attribution, date, simplification]. */
async function readmeRows(): Promise<Map<string, string[]>> {
  const readme = await readFile(join(demoDir, 'README.md'), 'utf8');
  const rows = new Map<string, string[]>();
  for (const line of readme.split('\n')) {
    // Cells padded or not (a formatter aligns the columns).
    const m = /^\|\s*`([^`]+\.geo\.json)`\s*\|(.*)\|\s*$/.exec(line);
    if (m?.[1] && m[2])
      rows.set(
        m[1],
        m[2].split('|').map((c) => c.trim()),
      );
  }
  return rows;
}

function positionsOf(value: unknown, out: number[][] = []): number[][] {
  if (Array.isArray(value) && typeof value[0] === 'number') out.push(value as number[]);
  else if (Array.isArray(value)) for (const v of value) positionsOf(v, out);
  return out;
}

describe('the geographic layers copied into src/demo/geo', () => {
  it('are each listed in src/demo/README.md with its source, licence, attribution, date and simplification', async () => {
    const files = (await readdir(geoDir)).filter((f) => f.endsWith('.geo.json')).sort();
    const rows = await readmeRows();
    expect(files.length).toBeGreaterThan(0);
    expect([...rows.keys()].sort()).toEqual(files);
    for (const f of files) {
      const [features, source, licence, attribution, date, simplification] = rows.get(f) ?? [];
      expect({ f, features }).toEqual({ f, features: expect.stringMatching(/^\d+ /) });
      for (const cell of [source, licence, attribution, simplification])
        expect(cell?.length).toBeGreaterThan(5);
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const fc = JSON.parse(await readFile(join(geoDir, f), 'utf8'));
      expect(fc.type).toBe('FeatureCollection');
      expect(fc.features).toHaveLength(Number(features?.split(' ')[0]));
    }
  });

  it('stay small: each file under 40 kB, all together under 100 kB, coordinates to 5 decimals within Madre de Dios', async () => {
    let total = 0;
    for (const f of await readdir(geoDir)) {
      const { size } = await stat(join(geoDir, f));
      expect({ f, small: size < 40_000 }).toEqual({ f, small: true });
      total += size;
      const fc = JSON.parse(await readFile(join(geoDir, f), 'utf8'));
      for (const feature of fc.features) {
        for (const [lon = 0, lat = 0, ...rest] of positionsOf(feature.geometry.coordinates)) {
          expect(rest).toEqual([]);
          for (const n of [lon, lat]) expect(String(n)).toMatch(/^-?\d+(\.\d{1,5})?$/);
          // Madre de Dios and the parts of its protected areas over the border (Cusco, Puno, Ucayali).
          expect(lon).toBeGreaterThan(-73);
          expect(lon).toBeLessThan(-68.5);
          expect(lat).toBeGreaterThan(-14.1);
          expect(lat).toBeLessThan(-9.5);
        }
      }
    }
    expect(total).toBeLessThan(100_000);
  });

  it('name the eleven districts and the six protected areas, and mark the towns and the highway approximate with their source', () => {
    expect(districts.features.map((d) => d.properties.distrito).sort()).toEqual([
      'FITZCARRALD',
      'HUEPETUHE',
      'IBERIA',
      'INAMBARI',
      'IÑAPARI',
      'LABERINTO',
      'LAS PIEDRAS',
      'MADRE DE DIOS',
      'MANU',
      'TAHUAMANU',
      'TAMBOPATA',
    ]);
    expect(protectedAreas.features).toHaveLength(6);
    for (const town of towns.features) {
      expect(town.properties.approximate).toBe(true);
      expect(town.properties.source).toContain(`district ${town.properties.ubigeo}`);
    }
    const [road] = interoceanicHighway.features;
    expect(road?.properties.approximate).toBe(true);
    // Every vertex of the highway is a town's gazetteer point, in the order the file names them.
    const byName = new Map(towns.features.map((t) => [t.properties.name, t.geometry.coordinates]));
    expect(road?.geometry.coordinates).toEqual(road?.properties.vertices.map((n) => byName.get(n)));
  });
});
