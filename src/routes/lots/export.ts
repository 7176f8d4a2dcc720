import type { Context } from 'hono';
import type { Queryable } from '../../db/client.js';
import { type Lot, listLots } from '../../domain/lots/lots.js';
import { type DirectoryEntry, directoryEntries } from '../../domain/reference/actor-directory.js';
import type { Page } from '../../domain/shared/page.js';
import { type ExportColumn, type ExportSpec, exportFile, pagesOf } from '../../http/bulk-export.js';
import type { AppEnv } from '../../http/env.js';
import { qrLinks } from '../../http/gs1.js';

/** A lot with the names of the actors it names, for people reading the file. */
interface NamedLot {
  lot: Lot;
  producer?: DirectoryEntry | undefined;
  custodian?: DirectoryEntry | undefined;
}

const unresolved = new Set(['open', 'escalated']);

const columns: ExportColumn<NamedLot>[] = [
  { es: 'Código', en: 'Code', value: (r) => r.lot.code },
  { es: 'Estado', en: 'Status', value: (r) => r.lot.status },
  { es: 'Forma', en: 'Form', value: (r) => r.lot.form },
  { es: 'Peso bruto (g)', en: 'Gross weight (g)', value: (r) => Number(r.lot.grossWeightG) },
  { es: 'Ley (‰)', en: 'Fineness (‰)', value: (r) => Number(r.lot.fineness) },
  { es: 'Oro fino (g)', en: 'Fine gold (g)', value: (r) => Number(r.lot.fineWeightG) },
  { es: 'Fecha de extracción', en: 'Extracted on', value: (r) => r.lot.extractedOn },
  { es: 'Latitud', en: 'Latitude', value: (r) => r.lot.origin?.coordinates[1] },
  { es: 'Longitud', en: 'Longitude', value: (r) => r.lot.origin?.coordinates[0] },
  { es: 'Concesión (id)', en: 'Concession (id)', value: (r) => r.lot.concessionId },
  { es: 'Productor', en: 'Producer', value: (r) => r.producer?.name },
  { es: 'RUC del productor', en: 'Producer tax id (RUC)', value: (r) => r.producer?.taxId },
  { es: 'Custodio', en: 'Custodian', value: (r) => r.custodian?.name },
  { es: 'RUC del custodio', en: 'Custodian tax id (RUC)', value: (r) => r.custodian?.taxId },
  { es: 'Nivel de riesgo', en: 'Risk level', value: (r) => r.lot.riskLevel },
  {
    es: 'Alertas sin resolver',
    en: 'Unresolved flags',
    value: (r) => r.lot.flags.filter((f) => unresolved.has(f.status)).length,
  },
  {
    es: 'Reglas de las alertas sin resolver',
    en: 'Rules of the unresolved flags',
    value: (r) =>
      [...new Set(r.lot.flags.filter((f) => unresolved.has(f.status)).map((f) => f.rule))].join(' '),
  },
  { es: 'Fecha de exportación', en: 'Exported on', value: (r) => r.lot.exportedOn },
  { es: 'País de destino', en: 'Destination country', value: (r) => r.lot.destinationCountry },
  { es: 'Declaración aduanera', en: 'Customs declaration', value: (r) => r.lot.customsDeclaration },
  { es: 'Registrado', en: 'Registered at', value: (r) => r.lot.createdAt.toISOString() },
  { es: 'Id', en: 'Id', value: (r) => r.lot.id },
];

const spec: ExportSpec<NamedLot> = {
  name: 'lotes',
  columns,
  id: (r) => r.lot.id,
  geometry: (r) => r.lot.origin ?? null,
  inGeometry: ['Latitude', 'Longitude'],
};

/** The pages of the list, each with its actors' names read in one query. */
async function* namedPages(db: Queryable, pages: AsyncGenerator<Lot[]>): AsyncGenerator<NamedLot[]> {
  for await (const lots of pages) {
    const ids = lots.flatMap((l) => [l.producerId, l.custodianId].filter((x): x is string => !!x));
    const byId = new Map((await directoryEntries(db, ids)).map((a) => [a.id, a]));
    yield lots.map((lot) => ({
      lot,
      producer: lot.producerId ? byId.get(lot.producerId) : undefined,
      custodian: byId.get(lot.custodianId),
    }));
  }
}

/** Every lot the list's filters match, as the file asked for, streamed. */
export async function exportLots(
  c: Context<AppEnv>,
  q: Parameters<typeof listLots>[2] & { format: 'csv' | 'geojson'; lang: 'es' | 'en' },
) {
  const { db } = c.var.services;
  const links = qrLinks(c);
  const page = (cursor: string | undefined): Promise<Page<Lot>> =>
    listLots(db, c.var.principal, { ...q, limit: 500, ...(cursor ? { cursor } : {}) }, links);
  const { body, headers } = exportFile(namedPages(db, await pagesOf(page)), spec, q.format, q.lang);
  return c.body(body, 200, headers);
}
