/**
 * The web UI's one seam to the gateway platform (auth, CSRF, config, upstream clients), so the
 * rest of `src/web` depends on this file rather than on the platform's layout.
 */
export { Public, Roles } from '../auth/auth.decorators.js';
export { SignInRequired } from '../auth/auth.guard.js';
export { csrfTokenFor } from '../auth/csrf.js';
export { CurrentUser, hasRole, type SessionUser } from '../auth/current-user.js';
export { currentCaller } from '../auth/caller-context.js';
export { OidcService } from '../auth/oidc.service.js';
export { RequestAuthService } from '../auth/request-auth.service.js';
export { safeNextPath } from '../auth/safe-redirect.js';
export { GatewayException, gatewayErrors } from '../errors/gateway-errors.js';
export { GatewayConfig } from '../gateway.config.js';
export { GatewayMetrics } from '../gateway.metrics.js';
export { MediaAccessService } from '../upstream/media-access.service.js';
export { MediaClient } from '../upstream/media.client.js';
export { NotesClient } from '../upstream/notes.client.js';
export { UpstreamResponseError } from '../upstream/upstream-errors.js';
export { ImportService, type ImportResult } from '../import/import.service.js';
export { readImportUpload } from '../import/import-upload.js';
export { OpsStatusService, type OpsState } from '../ops/ops-status.service.js';
export { AuthService } from '../auth/auth.service.js';
export { ApiTokensService, type ApiTokenView } from '../tokens/api-tokens.service.js';
export { UserAdminService } from '../users/user-admin.service.js';
export { UsersService } from '../users/users.service.js';
export { InvitesService } from '../invites/invites.service.js';
export { PasswordResetsService } from '../invites/password-resets.service.js';
export { RateLimitService } from '../rate-limit/rate-limit.service.js';
export {
  acceptInviteFields,
  inviteFields,
  newPassword,
  personName,
} from '../invites/invite-forms.js';
