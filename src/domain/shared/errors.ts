/**
 * The one error of the business. Domain code throws it with a stable code; the HTTP layer
 * turns it into problem+json (http/problem.ts). No HTTP knowledge here beyond the code names.
 */
export const problemCodes = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  preview_outdated: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  limit_exceeded: 422,
  invalid_geometry: 422,
  invalid_qr: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ProblemCode = keyof typeof problemCodes;

export interface FieldError {
  /** JSON pointer-like dotted path of the failing field, e.g. "geometry.coordinates.0". */
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: ProblemCode;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    code: ProblemCode,
    detail: string,
    opts: { errors?: FieldError[]; extra?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.name = 'ApiError';
    this.code = code;
    this.errors = opts.errors;
    this.extra = opts.extra;
  }

  get status(): number {
    return problemCodes[this.code];
  }
}

export const notFound = (what: string, id: string) =>
  new ApiError('not_found', `${what} ${id} does not exist`);
