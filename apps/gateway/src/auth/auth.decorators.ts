import { SetMetadata } from '@nestjs/common';
import { type Role } from '@lateral/identity';

export const IS_PUBLIC = 'lateral:public';
export const REQUIRED_ROLE = 'lateral:role';
export const SKIP_CSRF = 'lateral:skip-csrf';

/** Reachable without signing in (the caller is still resolved when a cookie or token is sent). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The least role allowed: reader < editor < admin. */
export const Roles = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

/**
 * For the few unsafe routes that must work without the CSRF token (signing in, where no session
 * exists yet); Nest's cross-origin protection still applies to them.
 */
export const SkipCsrf = () => SetMetadata(SKIP_CSRF, true);
