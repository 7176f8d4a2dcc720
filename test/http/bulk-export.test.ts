import { beforeEach, describe, expect, it } from 'vitest';
import { csvField } from '../../src/domain/shared/csv.js';
import type { TestContext } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

async function download(path: string, token = w.regulatorToken) {
  const res = await t.app.request(path, { headers: { authorization: `Bearer ${token}` } });
  // Decoded keeping the byte-order mark, which res.text() would drop.
  return { res, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer()) };
}
/** RFC 4180 rows (no field here holds a line break). */
const rowsOf = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)?.map((f) => f.replace(/,$/, '')) ?? []);

describe('cells a spreadsheet would run', () => {
  it('are written with a leading apostrophe; numbers and quotes as RFC 4180 writes them', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+51 999')).toBe("'+51 999");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-12.945')).toBe('-12.945');
    expect(csvField(-70.1)).toBe('-70.1');
    expect(csvField('Peña, Hijos')).toBe('"Peña, Hijos"');
    expect(csvField(null)).toBe('');
  });
});

describe('GET /v1/lots?format=csv|geojson: every lot the filters match, as a file', () => {
  it('a CSV people open in a spreadsheet: BOM, Spanish headers, names beside ids, one row per lot', async () => {
    const lots = [await registerLot(t, w), await registerLot(t, w, { grossWeightG: '1250.5' })];
    const { res, text } = await download('/v1/lots?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="lotes-\d{4}-\d\d-\d\d\.csv"$/,
    );
    expect(text.startsWith('\uFEFFCódigo,Estado,Forma,Peso bruto (g)')).toBe(true);
    const [header, ...rows] = rowsOf(text);
    expect(rows).toHaveLength(2);
    const col = (name: string) => header?.indexOf(name) ?? -1;
    const second = rows.find((r) => r[col('Código')] === lots[1]?.code);
    expect(second?.[col('Peso bruto (g)')]).toBe('1250.5');
    expect(second?.[col('Productor')]).toBe(w.miner.name);
    expect(second?.[col('RUC del productor')]).toBe(w.miner.taxId);
    const english = await download('/v1/lots?format=csv&lang=en');
    expect(english.text.startsWith('\uFEFFCode,Status,Form,Gross weight (g)')).toBe(true);
  });

  it('filters as the list does, and an exporter exports only the lots it knows', async () => {
    const lot = await registerLot(t, w);
    await registerLot(t, w, {}, w.traderToken);
    await t.call('POST', `/v1/lots/${lot.id}/seize`, { token: w.regulatorToken, body: { reason: 'prueba' } });
    const seized = rowsOf((await download('/v1/lots?format=csv&status=seized')).text);
    expect(seized.slice(1).map((r) => r[0])).toEqual([lot.code]);
    const traders = rowsOf((await download('/v1/lots?format=csv', w.traderToken)).text);
    expect(traders).toHaveLength(2);
    expect(traders[1]?.[0]).not.toBe(lot.code);
    expect((await download('/v1/lots?format=csv', w.mazukoToken)).res.status).toBe(403);
  });

  it('streams past the list’s page size, every lot once, as CSV and as GeoJSON', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 505; i++) codes.add((await registerLot(t, w)).code);
    const csv = rowsOf((await download('/v1/lots?format=csv')).text).slice(1);
    expect(csv).toHaveLength(505);
    expect(new Set(csv.map((r) => r[0]))).toEqual(codes);
    const geo = await download('/v1/lots?format=geojson');
    expect(geo.res.headers.get('content-type')).toBe('application/geo+json');
    const fc = JSON.parse(geo.text) as {
      type: string;
      features: { geometry: { type: string; coordinates: number[] }; properties: Record<string, unknown> }[];
    };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(505);
    expect(fc.features[0]?.geometry).toEqual({ type: 'Point', coordinates: [-70.1, -12.945] });
    expect(new Set(fc.features.map((f) => f.properties.Code))).toEqual(codes);
  });

  it('refuses a format it does not write', async () => {
    const { res } = await download('/v1/lots?format=xlsx');
    expect(res.status).toBe(400);
  });
});

describe('GET /v1/movements?format=csv|geojson', () => {
  it('every movement the filters match, with its parties by name and where it is bound', async () => {
    const { res, text } = await download('/v1/movements?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/filename="movimientos-/);
    const [header, ...rows] = rowsOf(text);
    expect(header?.slice(0, 5)).toEqual(['Código', 'Estado', 'Insumo', 'Cantidad', 'Unidad']);
    expect(rows).toHaveLength(2);
    const col = (name: string) => header?.indexOf(name) ?? -1;
    for (const r of rows) {
      expect(r[col('Remitente')]).toBe(w.supplier.name);
      expect(r[col('Destinatario')]).toBe(w.miner.name);
      expect(r[col('Concesión de destino (id)')]).toBe(w.concession.id);
      // A point inside the destination concession.
      expect(Number(r[col('Latitud de destino')])).toBeLessThan(-12);
    }
    expect(rowsOf((await download('/v1/movements?format=csv&input=mercury')).text)).toHaveLength(2);
    // The consignee exports its own; a trader with none exports a header alone.
    expect(rowsOf((await download('/v1/movements?format=csv', w.minerToken)).text)).toHaveLength(3);
    expect(rowsOf((await download('/v1/movements?format=csv', w.traderToken)).text)).toHaveLength(1);
    const fc = JSON.parse((await download('/v1/movements?format=geojson')).text) as {
      features: { geometry: { type: string } | null; properties: Record<string, unknown> }[];
    };
    expect(fc.features.map((f) => f.geometry?.type)).toEqual(['Point', 'Point']);
    expect(fc.features[0]?.properties.Consignee).toBe(w.miner.name);
  });
});
