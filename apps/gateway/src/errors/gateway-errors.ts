import { DomainException, errorModel, type CommonErrorCode } from '@lateral/http';

/** The gateway's own codes. Upstream errors on the JSON API pass through as sent. */
type GatewayOwnErrorCode =
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
  | 'invite_not_found'
  | 'invite_invalid'
  | 'reset_link_invalid'
  | 'role_too_high'
  | 'self_change_refused'
  | 'last_admin'
  | 'oidc_not_configured'
  | 'mail_not_configured'
  | 'oidc_failed'
  | 'oidc_link_required'
  | 'import_invalid'
  | 'import_too_large';

/** Every code the gateway itself answers with. */
export type GatewayErrorCode = CommonErrorCode | GatewayOwnErrorCode;

/** The one place the gateway's own codes become HTTP statuses (common codes: @lateral/http). */
const GATEWAY_ERROR_STATUS = {
  import_invalid: 400,
  oidc_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf_failed: 403,
  token_not_found: 404,
  user_not_found: 404,
  invite_not_found: 404,
  // Gone: the link existed but is used, revoked or expired (or never existed; we do not say which).
  invite_invalid: 410,
  reset_link_invalid: 410,
  role_too_high: 403,
  oidc_not_configured: 404,
  // "Forgot password" needs SMTP; without it an admin makes the reset link.
  mail_not_configured: 404,
  version_conflict: 409,
  conflict: 409,
  email_taken: 409,
  self_change_refused: 409,
  // Demoting or disabling the last active admin would leave nobody to run the wiki.
  last_admin: 409,
  oidc_link_required: 409,
  import_too_large: 413,
  // See Other: a browser follows it to the login page with a GET.
  login_required: 303,
  bad_gateway: 502,
  upstream_unavailable: 503,
} satisfies Record<GatewayOwnErrorCode, number>;

export class GatewayException extends DomainException<GatewayErrorCode> {}

export const gatewayErrors = errorModel(GatewayException, GATEWAY_ERROR_STATUS);
