/**
 * Bulk exports people open in other tools (a spreadsheet, QGIS): every row a list's filters
 * match, as CSV or GeoJSON, written while it is read — page after page of the list's own query
 * (its keyset cursor), so a large export holds one page in memory, never the whole result.
 *
 * CSV: RFC 4180 (CRLF, fields quoted when they must be), UTF-8 with a byte-order mark so that
 * Excel reads accents; headers in Spanish unless `lang=en`; a text cell that a spreadsheet would
 * run as a formula (starting with = + - @, a tab or a carriage return) is written with a leading
 * apostrophe (OWASP "CSV Injection"). Numbers are written as numbers, with a decimal point.
 * GeoJSON: one FeatureCollection (RFC 7946), each row a Feature with its point, or none.
 */
import { z } from '@hono/zod-openapi';
import { csvField } from '../domain/shared/csv.js';
import type { Page } from '../domain/shared/page.js';

export type ExportLang = 'es' | 'en';

/** `?format=` and `?lang=` of a list that can also be exported whole (http/bulk-export.ts). */
export const exportQuery = {
  format: z.enum(['json', 'csv', 'geojson']).default('json').openapi({
    description:
      'json: one page (limit, cursor). csv or geojson: every row the filters match, streamed as a file (limit and cursor ignored)',
  }),
  lang: z
    .enum(['es', 'en'])
    .default('es')
    .openapi({ description: 'CSV headers: Spanish (default) or English' }),
};

export interface ExportColumn<T> {
  es: string;
  en: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

/**
 * Every page of a list, in its order, until its cursor runs out. The first page is read before
 * the answer starts, so that a refusal (a role, a filter) is still answered as a problem, not as
 * a file cut short.
 */
export async function pagesOf<T>(
  page: (cursor: string | undefined) => Promise<Page<T>>,
): Promise<AsyncGenerator<T[]>> {
  const first = await page(undefined);
  async function* rest(): AsyncGenerator<T[]> {
    if (first.items.length > 0) yield first.items;
    let cursor = first.nextCursor ?? undefined;
    while (cursor) {
      const p = await page(cursor);
      if (p.items.length > 0) yield p.items;
      cursor = p.nextCursor ?? undefined;
    }
  }
  return rest();
}

const encoder = new TextEncoder();

/** A stream of text chunks from an async source, encoded as UTF-8, pulled as the client reads. */
function streamOf(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

function csvStream<T>(
  pages: AsyncGenerator<T[]>,
  columns: ExportColumn<T>[],
  lang: ExportLang,
): ReadableStream<Uint8Array> {
  async function* lines() {
    yield `\uFEFF${columns.map((c) => csvField(c[lang])).join(',')}\r\n`;
    for await (const rows of pages)
      yield rows.map((r) => `${columns.map((c) => csvField(c.value(r))).join(',')}\r\n`).join('');
  }
  return streamOf(lines());
}

interface ExportFeature {
  type: 'Feature';
  id: string;
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown>;
}

function geoJsonStream<T>(
  pages: AsyncGenerator<T[]>,
  feature: (row: T) => ExportFeature,
): ReadableStream<Uint8Array> {
  async function* parts() {
    yield '{"type":"FeatureCollection","features":[';
    let first = true;
    for await (const rows of pages) {
      const text = rows.map((r) => JSON.stringify(feature(r))).join(',');
      yield first ? text : `,${text}`;
      first = false;
    }
    yield ']}\n';
  }
  return streamOf(parts());
}

/** What a list's file is made of: its columns, and where each row lies for GeoJSON. */
export interface ExportSpec<T> {
  /** The file name's stem ("lotes": lotes-2026-12-07.csv). */
  name: string;
  columns: ExportColumn<T>[];
  id: (row: T) => string;
  geometry: (row: T) => ExportFeature['geometry'];
  /** The columns (by their English header) a GeoJSON leaves to its geometry: the coordinates. */
  inGeometry: string[];
}

/** The file of a list in `format`, with its headers: CSV rows, or a Feature per row. */
export function exportFile<T>(
  pages: AsyncGenerator<T[]>,
  spec: ExportSpec<T>,
  format: 'csv' | 'geojson',
  lang: ExportLang,
): { body: ReadableStream<Uint8Array>; headers: Record<string, string> } {
  const properties = spec.columns.filter((col) => !spec.inGeometry.includes(col.en));
  const body =
    format === 'csv'
      ? csvStream(pages, spec.columns, lang)
      : geoJsonStream(pages, (r) => ({
          type: 'Feature',
          id: spec.id(r),
          geometry: spec.geometry(r),
          properties: Object.fromEntries(properties.map((col) => [col.en, col.value(r)])),
        }));
  return { body, headers: exportHeaders(format, spec.name) };
}

/** The headers of an export: its type, and a file name for the browser to save it under. */
function exportHeaders(format: 'csv' | 'geojson', name: string, now = new Date()): Record<string, string> {
  const day = now.toISOString().slice(0, 10);
  return format === 'csv'
    ? {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${name}-${day}.csv"`,
      }
    : {
        'content-type': 'application/geo+json',
        'content-disposition': `attachment; filename="${name}-${day}.geojson"`,
      };
}
