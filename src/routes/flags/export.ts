import type { Context } from 'hono';
import type { Queryable } from '../../db/client.js';
import {
  type CsvLang,
  type FlagCells,
  flagCells,
  flagColumns,
  type PlacedFlag,
  placeFlags,
} from '../../domain/screening/flags-csv.js';
import {
  cursorFlag,
  type FlagListQuery,
  flagsPage,
  type QueuedFlag,
} from '../../domain/screening/flags-list.js';
import type { Page } from '../../domain/shared/page.js';
import { type ExportSpec, exportFile, pagesOf } from '../../http/bulk-export.js';
import type { AppEnv } from '../../http/env.js';

/** Flags read a page at a time: a queue of 25,000 is 50 pages, one of them in memory at a time. */
const exportPage = 500;

/** A flag, where it is placed, and its cells already worded in the file's language. */
interface FlagRow {
  placed: PlacedFlag;
  cells: FlagCells;
}

const specOf = (lang: CsvLang): ExportSpec<FlagRow> => ({
  name: lang === 'es' ? 'alertas' : 'flags',
  columns: flagColumns().map(({ key, es, en }) => ({ es, en, value: (r) => r.cells[key] })),
  id: (r) => r.placed.flag.id,
  geometry: (r) => r.placed.place?.point ?? null,
  inGeometry: ['Latitude', 'Longitude'],
});

/** Each page placed on the map (one query a page) and worded. */
async function* rowPages(
  db: Queryable,
  pages: AsyncGenerator<QueuedFlag[]>,
  lang: CsvLang,
): AsyncGenerator<FlagRow[]> {
  for await (const page of pages)
    yield (await placeFlags(db, page)).map((placed) => ({ placed, cells: flagCells(placed, lang) }));
}

/** Every flag the queue's filters match, in the order asked, as the file asked for, streamed. */
export async function exportFlags(
  c: Context<AppEnv>,
  q: FlagListQuery & { cursor?: string; format: 'csv' | 'geojson'; lang: CsvLang },
) {
  const { db } = c.var.services;
  // A cursor sent with the request is checked once; the next pages' cursors are the export's own.
  await cursorFlag(db, q.cursor);
  const page = (cursor: string | undefined): Promise<Page<QueuedFlag>> =>
    flagsPage(db, { ...q, limit: exportPage, ...(cursor ? { cursor } : {}) });
  const { body, headers } = exportFile(
    rowPages(db, await pagesOf(page), q.lang),
    specOf(q.lang),
    q.format,
    q.lang,
  );
  return c.body(body, 200, headers);
}
