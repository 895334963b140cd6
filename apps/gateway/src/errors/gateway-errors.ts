import { DomainException, type CommonErrorCode } from '@lateral/http';

/** Every code the gateway itself answers with. Upstream errors on the JSON API pass through as sent. */
export type GatewayErrorCode =
  | CommonErrorCode
  | 'unauthenticated'
  | 'login_required'
  | 'invalid_credentials'
  | 'csrf_failed'
  | 'version_conflict'
  | 'conflict'
  | 'upstream_unavailable'
  | 'bad_gateway'
  | 'token_not_found'
  | 'user_not_found'
  | 'email_taken'
  | 'oidc_not_configured'
  | 'oidc_failed'
  | 'oidc_link_required'
  | 'import_invalid'
  | 'import_too_large';

/** The one place gateway error codes become HTTP statuses. */
export function statusForCode(code: GatewayErrorCode): number {
  switch (code) {
    case 'validation_failed':
    case 'invalid_characters':
    case 'malformed_json':
    case 'import_invalid':
    case 'oidc_failed':
      return 400;
    case 'unauthenticated':
    case 'unauthorized':
    case 'invalid_credentials':
      return 401;
    case 'forbidden':
    case 'csrf_failed':
      return 403;
    case 'not_found':
    case 'route_not_found':
    case 'token_not_found':
    case 'user_not_found':
    case 'oidc_not_configured':
      return 404;
    case 'method_not_allowed':
      return 405;
    case 'version_conflict':
    case 'conflict':
    case 'email_taken':
    case 'oidc_link_required':
      return 409;
    case 'payload_too_large':
    case 'import_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'rate_limited':
      return 429;
    case 'login_required':
      // See Other: a browser follows it to the login page with a GET.
      return 303;
    case 'bad_gateway':
      return 502;
    case 'service_unavailable':
    case 'upstream_unavailable':
      return 503;
    case 'internal':
      return 500;
  }
}

/** For the shared filter, which sees codes as plain strings (unknown ones are our bug: 500). */
export function statusForAnyCode(code: string): number {
  return statusForCode(code as GatewayErrorCode) ?? 500;
}

export class GatewayException extends DomainException<GatewayErrorCode> {}
