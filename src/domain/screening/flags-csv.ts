import { sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.js';
import { anyUuid } from '../../db/sql.js';
import {
  type FlagPlace,
  flagPlaceWords,
  flagStatusWords,
  ruleWords,
  severityWords,
  subjectTypeWords,
} from '../shared/words.js';
import type { QueuedFlag } from './flags-list.js';

/**
 * The flag queue as a file people open in other tools (GET /v1/flags?format=csv|geojson): one
 * row per flag, headers and values in words — Spanish unless English is asked for — since the
 * people who open it in Excel or QGIS read words, not the API's codes (the rule's code stays in a
 * column of its own, for lookups). The words are the ones every app shows (domain/shared/words.ts).
 * Each flag is placed where its evidence happened: the checkpoint it names (a scan's weight, an
 * inspection off route, a cloned code), else its subject — a lot's origin, a movement's
 * destination (its declared point, or a point inside its destination concession).
 */

export const csvLangs = ['es', 'en'] as const;
export type CsvLang = (typeof csvLangs)[number];

const columns = [
  'severity',
  'rule',
  'subjectType',
  'subjectCode',
  'status',
  'raisedAt',
  'inheritedFrom',
  'reviewedBy',
  'reviewedAt',
  'reviewReason',
  'ruleCode',
  'evidence',
  'id',
  'subjectId',
  'place',
  'latitude',
  'longitude',
] as const;
type Column = (typeof columns)[number];

const headers: Record<CsvLang, Record<Column, string>> = {
  es: {
    severity: 'Gravedad',
    rule: 'Regla',
    subjectType: 'Tipo de sujeto',
    subjectCode: 'Código del lote o movimiento',
    status: 'Estado',
    raisedAt: 'Levantada (UTC)',
    inheritedFrom: 'Heredada de la alerta',
    reviewedBy: 'Revisada por',
    reviewedAt: 'Revisada (UTC)',
    reviewReason: 'Motivo de la revisión',
    ruleCode: 'Código de la regla',
    evidence: 'Evidencia (JSON)',
    id: 'Id de la alerta',
    subjectId: 'Id del lote o movimiento',
    place: 'Lugar',
    latitude: 'Latitud',
    longitude: 'Longitud',
  },
  en: {
    severity: 'Severity',
    rule: 'Rule',
    subjectType: 'Subject type',
    subjectCode: 'Lot or movement code',
    status: 'Status',
    raisedAt: 'Raised (UTC)',
    inheritedFrom: 'Inherited from flag',
    reviewedBy: 'Reviewed by',
    reviewedAt: 'Reviewed (UTC)',
    reviewReason: 'Review reason',
    ruleCode: 'Rule code',
    evidence: 'Evidence (JSON)',
    id: 'Flag id',
    subjectId: 'Lot or movement id',
    place: 'Place',
    latitude: 'Latitude',
    longitude: 'Longitude',
  },
};

/** A time as a spreadsheet reads it: "2026-12-07 08:53:07", UTC (the header says so). */
const when = (d: Date | null): string => (d ? d.toISOString().slice(0, 19).replace('T', ' ') : '');

/** A flag with the point it is placed at, if its subject or checkpoint has one. */
export interface PlacedFlag {
  flag: QueuedFlag;
  place?: { kind: FlagPlace; point: { type: 'Point'; coordinates: number[] } } | undefined;
}

export type FlagCells = Record<Column, string | number | undefined>;

/** One flag's cells, worded in `lang`, by column. */
export function flagCells(r: PlacedFlag, lang: CsvLang): FlagCells {
  const f = r.flag;
  return {
    severity: severityWords[lang][f.severity],
    rule: ruleWords[lang][f.rule] ?? f.rule,
    subjectType: subjectTypeWords[lang][f.subjectType],
    subjectCode: f.subjectCode ?? '',
    status: flagStatusWords[lang][f.status],
    raisedAt: when(f.createdAt),
    inheritedFrom: f.inheritedFrom ?? '',
    reviewedBy: f.reviewedBy ?? '',
    reviewedAt: when(f.reviewedAt),
    reviewReason: f.reviewReason ?? '',
    ruleCode: f.rule,
    evidence: JSON.stringify(f.evidence),
    id: f.id,
    subjectId: f.subjectId,
    place: r.place ? flagPlaceWords[lang][r.place.kind] : '',
    latitude: r.place?.point.coordinates[1],
    longitude: r.place?.point.coordinates[0],
  };
}

/** The columns in order, each with its header in `lang`. */
export const flagColumns = (): { key: Column; es: string; en: string }[] =>
  columns.map((key) => ({ key, es: headers.es[key], en: headers.en[key] }));

/** Column headers in order, for the OpenAPI description. */
export const flagsCsvHeaders = (lang: CsvLang): string[] => columns.map((c) => headers[lang][c]);

/**
 * The place of each flag of a page, one query for the page. The checkpoint is matched by its id
 * as text: evidence is free JSON, and a value that is no uuid must match nothing, not fail a cast.
 */
export async function placeFlags(db: Queryable, page: QueuedFlag[]): Promise<PlacedFlag[]> {
  if (page.length === 0) return [];
  const rows = rowsOf<{ id: string; kind: FlagPlace | null; point: string | null }>(
    await db.execute(sql`
      SELECT f.id,
             CASE WHEN k.id IS NOT NULL THEN 'checkpoint'
                  WHEN l.origin IS NOT NULL THEN 'lot_origin'
                  WHEN m.id IS NOT NULL THEN 'movement_destination' END AS kind,
             ST_AsGeoJSON(COALESCE(k.location, l.origin, m.destination_point, ST_PointOnSurface(c.geom)), 6) AS point
        FROM flags f
        LEFT JOIN checkpoints k
          ON k.id::text = COALESCE(f.evidence->>'checkpointId', f.evidence#>>'{scan,checkpointId}')
        LEFT JOIN lots l ON f.subject_type = 'lot' AND l.id = f.subject_id
        LEFT JOIN movements m ON f.subject_type = 'movement' AND m.id = f.subject_id
        LEFT JOIN concessions c ON c.id = m.destination_concession_id
       WHERE f.id = ${anyUuid(page.map((f) => f.id))}`),
  );
  const places = new Map(rows.map((r) => [r.id, r]));
  return page.map((flag) => {
    const p = places.get(flag.id);
    return {
      flag,
      place:
        p?.kind && p.point
          ? { kind: p.kind, point: JSON.parse(p.point) as { type: 'Point'; coordinates: number[] } }
          : undefined,
    };
  });
}
