/**
 * Codes every service shares. Each app adds its own codes (a union in `apps/<app>/src/errors`) and
 * maps only those; the statuses of these live once, in {@link COMMON_ERROR_STATUS}.
 */
export type CommonErrorCode =
  | 'validation_failed'
  /** NUL, control or bidi-override characters in a text field or the URL (400). */
  | 'invalid_characters'
  | 'malformed_json'
  /** A pagination cursor this service did not hand out, or one that was tampered with (400). */
  | 'invalid_cursor'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'not_found'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'service_unavailable'
  | 'internal';

/** The one status of each common code, in every service. */
export const COMMON_ERROR_STATUS = {
  validation_failed: 400,
  invalid_characters: 400,
  malformed_json: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  service_unavailable: 503,
} as const satisfies Record<CommonErrorCode, number>;

export function isCommonErrorCode(code: string): code is CommonErrorCode {
  return Object.hasOwn(COMMON_ERROR_STATUS, code);
}

/** The JSON body of every error answer: a stable machine-readable code and a human message. */
export interface ErrorBody {
  error: { code: string; message: string; requestId?: string; details?: unknown };
}

/**
 * Coded errors; an app's filter turns the code into an HTTP status. Apps throw their own subclass
 * (`NotesException`, ...) whose `Code` is the app's union. The code parameter is not used to infer
 * `Code` (`NoInfer`), so a bare `new DomainException('typo', ...)` is checked against the default,
 * the common codes, and does not compile; eslint forbids `new DomainException(` in apps altogether.
 */
export class DomainException<Code extends string = CommonErrorCode> extends Error {
  readonly code: Code;

  constructor(
    code: NoInfer<Code>,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. `Retry-After` on a full queue. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainException';
    this.code = code;
  }
}

/** `instanceof` alone types the code as `any`; thrown values are read as plain wire strings. */
export function isDomainException(error: unknown): error is DomainException<string> {
  return error instanceof DomainException;
}
