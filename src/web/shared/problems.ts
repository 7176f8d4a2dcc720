/**
 * What went wrong, in the person's language. The API's problems (RFC 9457) carry a stable
 * `type` ("/problems/not-found") and an English `detail` written for integrators; the apps show
 * the type's own words in the current language, the failing fields by name, and the English
 * detail only to someone reading in English. Network failures and camera refusals are worded
 * here too, with what the person can do about them.
 */
import type { ProblemCode } from '../../domain/shared/errors.js';
import { ApiProblem, NetworkError } from './api.js';
import { type Lang, useLang } from './i18n.js';

type ProblemSlug = ProblemCode;

const problemWords: Record<Lang, Record<ProblemSlug, string>> = {
  es: {
    validation: 'Hay datos que faltan o no son válidos.',
    unauthenticated: 'Su sesión no es válida o venció. Vuelva a ingresar.',
    forbidden: 'Su rol no permite esta acción.',
    not_found: 'No existe (revise el código o el enlace).',
    method_not_allowed: 'Acción no disponible.',
    conflict: 'No se puede hacer en el estado actual (otro registro cambió primero o ya existe).',
    preview_outdated:
      'Algo cambió desde la revisión: la operación levantaría alertas que no se le mostraron. No se registró nada; revise de nuevo.',
    payload_too_large: 'El envío es demasiado grande.',
    unsupported_media_type: 'Formato de envío no aceptado.',
    unprocessable: 'La operación no es posible con estos datos.',
    limit_exceeded: 'Se superó un límite permitido.',
    invalid_geometry: 'La geometría no es válida.',
    invalid_qr: 'El código QR no es auténtico: su firma no se verifica.',
    rate_limited: 'Demasiadas solicitudes. Espere un momento y reintente.',
    internal: 'Error interno del servidor. Reintente; si persiste, avise al administrador.',
    unavailable: 'El servicio no está disponible por ahora. Reintente en unos minutos.',
  },
  en: {
    validation: 'Some data is missing or not valid.',
    unauthenticated: 'Your session is not valid or has expired. Sign in again.',
    forbidden: 'Your role does not allow this.',
    not_found: 'Does not exist (check the code or the link).',
    method_not_allowed: 'Action not available.',
    conflict: 'Not possible in the current state (another record changed first, or it exists).',
    preview_outdated:
      'Something changed since the review: the operation would raise flags you were not shown. Nothing was recorded; review again.',
    payload_too_large: 'The request is too large.',
    unsupported_media_type: 'Format not accepted.',
    unprocessable: 'The operation is not possible with this data.',
    limit_exceeded: 'A permitted limit was exceeded.',
    invalid_geometry: 'The geometry is not valid.',
    invalid_qr: 'The QR code is not genuine: its signature does not verify.',
    rate_limited: 'Too many requests. Wait a moment and retry.',
    internal: 'Internal server error. Retry; if it persists, tell the administrator.',
    unavailable: 'The service is unavailable for now. Retry in a few minutes.',
  },
};

/**
 * The EPCIS interface's own problems (`epcisException:<Kind>`, as the EPCIS 2.0 REST bindings
 * name them; routes/epcis), worded like the ledger's.
 */
const epcisExceptionWords: Record<Lang, Record<string, string>> = {
  es: {
    ValidationException: 'El documento EPCIS no es válido.',
    ResourceAlreadyExistsException: 'Ese evento EPCIS ya fue registrado.',
    CaptureLimitExceededException: 'El documento EPCIS tiene demasiados eventos o es demasiado grande.',
    UnsupportedMediaTypeException: 'Formato de documento EPCIS no aceptado.',
    NoSuchResourceException: 'No existe (o no tiene permiso para verlo).',
    NoSuchNameException: 'No existe ese nombre en la consulta EPCIS.',
    QueryParameterException: 'Un parámetro de la consulta EPCIS no es válido.',
    QueryTooLargeException: 'La consulta EPCIS devuelve demasiados eventos: acótela.',
  },
  en: {
    ValidationException: 'The EPCIS document is not valid.',
    ResourceAlreadyExistsException: 'That EPCIS event is already recorded.',
    CaptureLimitExceededException: 'The EPCIS document has too many events or is too large.',
    UnsupportedMediaTypeException: 'EPCIS document format not accepted.',
    NoSuchResourceException: 'Does not exist (or you may not see it).',
    NoSuchNameException: 'No such name in the EPCIS query.',
    QueryParameterException: 'A parameter of the EPCIS query is not valid.',
    QueryTooLargeException: 'The EPCIS query returns too many events: narrow it.',
  },
};

/** The words of a problem's `type`, in `lang`, if the type is one the API writes. */
export function problemTypeWords(type: string, lang: Lang): string | undefined {
  const epcis = /^epcisException:(\w+)$/.exec(type)?.[1];
  if (epcis) return epcisExceptionWords[lang][epcis];
  const code = problemCodeOf(type);
  return code ? problemWords[lang][code] : undefined;
}

const other: Record<Lang, { network: string; fields: string; unknown: string }> = {
  es: {
    network: 'Sin conexión con el servidor. Revise la señal y reintente.',
    fields: 'Revise',
    unknown: 'Ocurrió un error inesperado.',
  },
  en: {
    network: 'No connection to the server. Check the signal and retry.',
    fields: 'Check',
    unknown: 'An unexpected error occurred.',
  },
};

/** The problem code of a problem's `type` ("/problems/not-found" → "not_found"), if known. */
function problemCodeOf(type: string): ProblemSlug | undefined {
  const slug = type.split('/').pop()?.replaceAll('-', '_') ?? '';
  return slug in problemWords.es ? (slug as ProblemSlug) : undefined;
}

/**
 * A message for any error a call may throw, in `lang`: the problem type's words, then the
 * failing fields by name (what the form calls them, when `fieldNames` knows them); the server's
 * English detail is added for English readers, who can read it.
 */
export function describeProblem(err: unknown, lang: Lang, fieldNames: Record<string, string> = {}): string {
  if (err instanceof NetworkError) return other[lang].network;
  if (err instanceof ApiProblem) {
    const words = problemTypeWords(err.problem.type, lang);
    const fields = [...new Set((err.problem.errors ?? []).map((e) => fieldNames[e.field] ?? e.field))];
    const parts = [words ?? (lang === 'en' ? err.describe() : other[lang].unknown)];
    if (fields.length) parts.push(`${other[lang].fields}: ${fields.join(', ')}.`);
    if (lang === 'en' && words && err.problem.detail) parts.push(err.problem.detail);
    return parts.join(' ');
  }
  if (lang === 'en' && err instanceof Error) return err.message;
  return other[lang].unknown;
}

/** describeProblem in the current language. */
export function useDescribeProblem(): (err: unknown, fieldNames?: Record<string, string>) => string {
  const lang = useLang();
  return (err, fieldNames) => describeProblem(err, lang, fieldNames);
}
