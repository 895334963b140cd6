import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type FastifyRequest } from 'fastify';
import { GatewayException } from '../errors/gateway-errors.js';
import { SKIP_CSRF } from './auth.decorators.js';
import { safeEqual } from './secrets.js';

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The per-session CSRF token for forms (`_csrf` hidden field) and htmx (`x-csrf-token` header).
 * Empty for anonymous requests: they carry no authority to forge.
 */
export function csrfTokenFor(request: FastifyRequest): string {
  return request.lateralAuth?.csrfToken ?? '';
}

/** The token a request presents: the header, a form/JSON `_csrf` field, or (multipart) the query. */
export function presentedCsrfToken(request: FastifyRequest): string | undefined {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string' && header) return header;
  const body = request.body as Record<string, unknown> | null | undefined;
  if (body && typeof body === 'object' && typeof body[CSRF_FIELD] === 'string') {
    return body[CSRF_FIELD];
  }
  // A multipart body is streamed after the guards run, so a plain upload form puts it in the URL.
  if ((request.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
    const query = request.query as Record<string, unknown> | undefined;
    if (typeof query?.[CSRF_FIELD] === 'string') return query[CSRF_FIELD];
  }
  return undefined;
}

/** True when the request may proceed as far as CSRF is concerned. */
export function csrfSatisfied(request: FastifyRequest): boolean {
  if (SAFE_METHODS.has(request.method)) return true;
  const auth = request.lateralAuth;
  // Bearer tokens are never sent by a browser on its own, so they cannot be forged cross-site.
  if (!auth || auth.method !== 'session' || !auth.csrfToken) return true;
  const presented = presentedCsrfToken(request);
  return presented !== undefined && safeEqual(presented, auth.csrfToken);
}

/** Global guard (after the AuthGuard): unsafe cookie-authenticated requests need the token. */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (
      this.reflector.getAllAndOverride<boolean>(SKIP_CSRF, [
        context.getHandler(),
        context.getClass(),
      ])
    ) {
      return true;
    }
    if (csrfSatisfied(context.switchToHttp().getRequest<FastifyRequest>())) return true;
    throw new GatewayException(
      'csrf_failed',
      'The form expired or did not come from this site. Reload the page and try again.',
    );
  }
}
