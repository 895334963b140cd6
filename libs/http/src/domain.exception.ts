/** Codes every service shares; each app adds its own and maps all of them in one switch. */
export type CommonErrorCode =
  | 'validation_failed'
  /** NUL, control or bidi-override characters in a text field or the URL (400). */
  | 'invalid_characters'
  | 'malformed_json'
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

/** The JSON body of every error answer: a stable machine-readable code and a human message. */
export interface ErrorBody {
  error: { code: string; message: string; requestId?: string; details?: unknown };
}

/** Features throw these; the app's filter turns the code into an HTTP status. */
export class DomainException<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. `Retry-After` on a full queue. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainException';
  }
}
