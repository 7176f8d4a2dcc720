/**
 * What the flag queue and its review panel say, in Spanish (default) and English. A dictionary
 * of its own beside the console's (i18n.ts), so that the queue's words are found with the queue.
 */
import { type Dict, type Lang, useT } from '../shared/i18n.js';

const es = {
  flagsTitle: 'Cola de alertas',
  filters: 'Filtros',
  filtersAndOrder: 'Filtros y orden',
  status: 'Estado',
  rule: 'Regla',
  subjectType: 'Tipo de sujeto',
  severity: 'Gravedad',
  sort: 'Orden',
  sortSeverity: 'Más graves primero, luego las más antiguas',
  sortAge: 'Más antiguas primero',
  sortRecent: 'Más recientes primero',
  any: 'Todos',
  subjectLot: 'Lote',
  subjectMovement: 'Movimiento de insumo',
  noFlags: 'No hay alertas con estos filtros.',
  pageInfo: 'Página {page}: {n} alertas de {groups} lotes o movimientos, ordenadas por {order}.',
  orderSeverity: 'gravedad y antigüedad',
  orderAge: 'antigüedad',
  orderRecent: 'fecha, las más recientes primero',
  nextPage: 'Página siguiente',
  firstPage: 'Volver a la primera página',
  pagesNav: 'Páginas de la cola',
  groupCount: '{n} alertas en esta página',
  groupCountOne: '1 alerta en esta página',
  selectFlag: 'Seleccionar alerta {rule} de {code}',
  selectGroup: 'Seleccionar las {n} alertas de {code}',
  reviewThis: 'Revisar alerta {rule} de {code}',
  raised: 'Levantada {age}',
  evidence: 'Evidencia',
  inherited:
    'Copia heredada: una revisión se aplica a la alerta de origen, en el lote {code}, y a todas sus copias.',
  inheritedUnknown: 'Copia heredada: una revisión se aplica a la alerta de origen y a todas sus copias.',
  reviewed: 'Revisada por {who} el {date}: «{reason}»',
  openLot: 'Abrir el lote {code}',
  csv: 'Descargar CSV de la cola filtrada',
  csvReady: 'Archivo listo: {file}, {rows} alertas.',
  csvSave: 'Guardar {file}',
  // Review panel
  panelTitle: 'Revisión',
  panelNone: 'Seleccione alertas en la lista (casilla o «Revisar») para decidir sobre ellas aquí.',
  panelSelected: '{n} alertas seleccionadas',
  panelSelectedOne: '1 alerta seleccionada: {rule} de {code}',
  clearSelection: 'Quitar la selección',
  reason: 'Motivo de la decisión',
  reasonHelp: 'Obligatorio, al menos 3 caracteres. Queda registrado en el libro mayor.',
  reasonMissing: 'Escriba el motivo (al menos 3 caracteres) antes de decidir.',
  decideOne: '{decision} alerta {rule} de {code}',
  decideMany: '{decision} {n} alertas seleccionadas',
  acknowledge: 'Reconocer',
  escalate: 'Escalar',
  dismiss: 'Descartar',
  previewTitle: 'Antes de confirmar: esta decisión cambiará {n} alertas',
  previewTitleOne: 'Antes de confirmar: esta decisión cambiará 1 alerta',
  previewHelp:
    'Una decisión sobre una alerta se aplica también a sus copias heredadas en los lotes hechos con su oro. Revise la lista y confirme.',
  touchReviewed: 'la alerta revisada',
  touchCopy: 'copia heredada',
  touchNewCopy: 'nueva copia heredada (la escalada alcanza a este lote)',
  touchLine: '{kind} {code} ({change}): {before} → {after} — {rule}',
  touchNew: 'nueva',
  inheritedBadge: 'copia heredada',
  confirm: 'Confirmar: {decision} {n} alertas',
  confirmOne: 'Confirmar: {decision} 1 alerta',
  cancel: 'Cancelar',
  previewing: 'Calculando qué cambiará…',
  reviewDone: '{n} alertas revisadas: {status}.',
  reviewDoneOne: '1 alerta revisada: {status}.',
  reviewFailed: 'No se pudo revisar la alerta {rule} de {code}: {problem}',
  previewAgain: 'La lista se volvió a cargar: vea de nuevo qué cambiará antes de confirmar.',
  groupCountOf: '{n} de sus {total} alertas en esta página',
  selectWholeGroup: 'Seleccionar las {total} alertas de {code} (también las de otras páginas)',
  loadingGroup: 'Cargando las alertas de {code}…',
  previousPage: 'Página anterior',
  goToReview: 'Ir a la revisión: {n} alertas seleccionadas',
  goToReviewOne: 'Ir a la revisión: 1 alerta seleccionada',
} as const;

type Key = keyof typeof es;

const en: Record<Key, string> = {
  flagsTitle: 'Flag queue',
  filters: 'Filters',
  filtersAndOrder: 'Filters and order',
  status: 'Status',
  rule: 'Rule',
  subjectType: 'Subject type',
  severity: 'Severity',
  sort: 'Order',
  sortSeverity: 'Most severe first, then oldest',
  sortAge: 'Oldest first',
  sortRecent: 'Newest first',
  any: 'Any',
  subjectLot: 'Lot',
  subjectMovement: 'Input movement',
  noFlags: 'No flags match these filters.',
  pageInfo: 'Page {page}: {n} flags on {groups} lots or movements, ordered by {order}.',
  orderSeverity: 'severity and age',
  orderAge: 'age',
  orderRecent: 'date, newest first',
  nextPage: 'Next page',
  firstPage: 'Back to the first page',
  pagesNav: 'Pages of the queue',
  groupCount: '{n} flags on this page',
  groupCountOne: '1 flag on this page',
  selectFlag: 'Select flag {rule} on {code}',
  selectGroup: 'Select the {n} flags on {code}',
  reviewThis: 'Review flag {rule} on {code}',
  raised: 'Raised {age}',
  evidence: 'Evidence',
  inherited: 'Inherited copy: a review applies to the source flag, on lot {code}, and to all its copies.',
  inheritedUnknown: 'Inherited copy: a review applies to the source flag and to all its copies.',
  reviewed: 'Reviewed by {who} on {date}: “{reason}”',
  openLot: 'Open lot {code}',
  csv: 'Download CSV of the filtered queue',
  csvReady: 'File ready: {file}, {rows} flags.',
  csvSave: 'Save {file}',
  panelTitle: 'Review',
  panelNone: 'Select flags in the list (checkbox or “Review”) to decide on them here.',
  panelSelected: '{n} flags selected',
  panelSelectedOne: '1 flag selected: {rule} on {code}',
  clearSelection: 'Clear the selection',
  reason: 'Reason for the decision',
  reasonHelp: 'Required, at least 3 characters. It is recorded in the ledger.',
  reasonMissing: 'Write the reason (at least 3 characters) before deciding.',
  decideOne: '{decision} flag {rule} on {code}',
  decideMany: '{decision} {n} selected flags',
  acknowledge: 'Acknowledge',
  escalate: 'Escalate',
  dismiss: 'Dismiss',
  previewTitle: 'Before you confirm: this decision will change {n} flags',
  previewTitleOne: 'Before you confirm: this decision will change 1 flag',
  previewHelp:
    'A decision on a flag also applies to its inherited copies on the lots made from its gold. Check the list and confirm.',
  touchReviewed: 'the reviewed flag',
  touchCopy: 'inherited copy',
  touchNewCopy: 'new inherited copy (the escalation reaches this lot)',
  touchLine: '{kind} {code} ({change}): {before} → {after} — {rule}',
  touchNew: 'new',
  inheritedBadge: 'inherited copy',
  confirm: 'Confirm: {decision} {n} flags',
  confirmOne: 'Confirm: {decision} 1 flag',
  cancel: 'Cancel',
  previewing: 'Working out what will change…',
  reviewDone: '{n} flags reviewed: {status}.',
  reviewDoneOne: '1 flag reviewed: {status}.',
  reviewFailed: 'Flag {rule} on {code} could not be reviewed: {problem}',
  previewAgain: 'The list was reloaded: see again what will change before you confirm.',
  groupCountOf: '{n} of its {total} flags on this page',
  selectWholeGroup: 'Select the {total} flags on {code} (those on other pages too)',
  loadingGroup: 'Loading the flags on {code}…',
  previousPage: 'Previous page',
  goToReview: 'Go to the review: {n} flags selected',
  goToReviewOne: 'Go to the review: 1 flag selected',
};

const dict: Dict<Key> = { es, en };

export type FlagT = (key: Key, params?: Record<string, string | number>) => string;
export const useFlagT = (): FlagT => useT(dict);

/** "hace 3 días", "3 days ago": how long a flag has waited. */
export function ageOf(iso: string, lang: Lang, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(lang === 'es' ? 'es-PE' : 'en', { numeric: 'auto' });
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of steps) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.trunc(seconds / size), unit);
  }
  return rtf.format(0, 'minute');
}

/** Accessible names made unique: a repeated one gets " (2)", " (3)"… in order. */
export function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n} (${k})`;
  });
}
