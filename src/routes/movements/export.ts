import type { Context } from 'hono';
import type { Queryable } from '../../db/client.js';
import { listMovements, type Movement } from '../../domain/inputs/movements.js';
import { type DirectoryEntry, directoryEntries } from '../../domain/reference/actor-directory.js';
import { pointsInside } from '../../domain/reference/concessions.js';
import type { Page } from '../../domain/shared/page.js';
import { type ExportColumn, type ExportSpec, exportFile, pagesOf } from '../../http/bulk-export.js';
import type { AppEnv } from '../../http/env.js';
import { qrLinks } from '../../http/gs1.js';

/** A movement with its parties' names and where it is bound, for people reading the file. */
interface NamedMovement {
  m: Movement;
  consignor?: DirectoryEntry | undefined;
  consignee?: DirectoryEntry | undefined;
  /** The declared point, or a point inside the destination concession (ST_PointOnSurface). */
  bound?: { type: 'Point'; coordinates: number[] } | undefined;
}

const unresolved = new Set(['open', 'escalated']);
const point = (r: NamedMovement) => r.bound?.coordinates;

const columns: ExportColumn<NamedMovement>[] = [
  { es: 'Código', en: 'Code', value: (r) => r.m.code },
  { es: 'Estado', en: 'Status', value: (r) => r.m.status },
  { es: 'Insumo', en: 'Input', value: (r) => r.m.input },
  { es: 'Cantidad', en: 'Quantity', value: (r) => Number(r.m.quantity) },
  { es: 'Unidad', en: 'Unit', value: (r) => r.m.unit },
  { es: 'Remitente', en: 'Consignor', value: (r) => r.consignor?.name },
  { es: 'RUC del remitente', en: 'Consignor tax id (RUC)', value: (r) => r.consignor?.taxId },
  { es: 'Destinatario', en: 'Consignee', value: (r) => r.consignee?.name },
  { es: 'RUC del destinatario', en: 'Consignee tax id (RUC)', value: (r) => r.consignee?.taxId },
  {
    es: 'Concesión de destino (id)',
    en: 'Destination concession (id)',
    value: (r) => ('concessionId' in r.m.destination ? r.m.destination.concessionId : null),
  },
  { es: 'Latitud de destino', en: 'Destination latitude', value: (r) => point(r)?.[1] },
  { es: 'Longitud de destino', en: 'Destination longitude', value: (r) => point(r)?.[0] },
  { es: 'Vehículo', en: 'Vehicle', value: (r) => r.m.vehicle },
  { es: 'Ruta', en: 'Route', value: (r) => r.m.route },
  { es: 'Nivel de riesgo', en: 'Risk level', value: (r) => r.m.riskLevel },
  {
    es: 'Alertas sin resolver',
    en: 'Unresolved flags',
    value: (r) => r.m.flags.filter((f) => unresolved.has(f.status)).length,
  },
  {
    es: 'Reglas de las alertas sin resolver',
    en: 'Rules of the unresolved flags',
    value: (r) =>
      [...new Set(r.m.flags.filter((f) => unresolved.has(f.status)).map((f) => f.rule))].join(' '),
  },
  { es: 'Declarado', en: 'Declared at', value: (r) => r.m.declaredAt.toISOString() },
  { es: 'Entregado', en: 'Delivered at', value: (r) => r.m.deliveredAt?.toISOString() },
  { es: 'Id', en: 'Id', value: (r) => r.m.id },
];

const spec: ExportSpec<NamedMovement> = {
  name: 'movimientos',
  columns,
  id: (r) => r.m.id,
  geometry: (r) => r.bound ?? null,
  inGeometry: ['Destination latitude', 'Destination longitude'],
};

/** The pages of the list, each with its parties' names and its concessions' points, two queries a page. */
async function* namedPages(
  db: Queryable,
  pages: AsyncGenerator<Movement[]>,
): AsyncGenerator<NamedMovement[]> {
  for await (const page of pages) {
    const names = new Map(
      (
        await directoryEntries(
          db,
          page.flatMap((m) => [m.consignorId, m.consigneeId]),
        )
      ).map((a) => [a.id, a]),
    );
    const inside = await pointsInside(
      db,
      page.flatMap((m) => ('concessionId' in m.destination ? [m.destination.concessionId] : [])),
    );
    yield page.map((m) => ({
      m,
      consignor: names.get(m.consignorId),
      consignee: names.get(m.consigneeId),
      bound: 'point' in m.destination ? m.destination.point : inside.get(m.destination.concessionId),
    }));
  }
}

/** Every movement the list's filters match, as the file asked for, streamed. */
export async function exportMovements(
  c: Context<AppEnv>,
  q: Parameters<typeof listMovements>[2] & { format: 'csv' | 'geojson'; lang: 'es' | 'en' },
) {
  const { db } = c.var.services;
  const links = qrLinks(c);
  const page = (cursor: string | undefined): Promise<Page<Movement>> =>
    listMovements(db, c.var.principal, { ...q, limit: 500, ...(cursor ? { cursor } : {}) }, links);
  const { body, headers } = exportFile(namedPages(db, await pagesOf(page)), spec, q.format, q.lang);
  return c.body(body, 200, headers);
}
