import { type FastifyRequest } from 'fastify';
import { type SessionUser } from './current-user.js';

/** How the caller proved who they are; only `session` requests need the CSRF token. */
export type AuthMethod = 'session' | 'token' | 'bootstrap';

export interface RequestAuth {
  user: SessionUser;
  method: AuthMethod;
  /** Set for `session`: the per-session CSRF secret. */
  csrfToken?: string;
  /** Set for `token`: the API token id (the rate-limit key). */
  tokenId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Resolved once per request by the AuthGuard; null when anonymous. */
    lateralAuth?: RequestAuth | null;
  }
}

export function requestAuth(request: FastifyRequest): RequestAuth | null {
  return request.lateralAuth ?? null;
}
