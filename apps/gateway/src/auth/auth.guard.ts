import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Role } from '@lateral/identity';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayException } from '../errors/gateway-errors.js';
import { IS_PUBLIC, REQUIRED_ROLE } from './auth.decorators.js';
import { hasRole } from './current-user.js';
import { RequestAuthService } from './request-auth.service.js';

const PROBE_ROUTES = new Set(['/healthz', '/readyz']);

/** Browsers asking for a page get sent to sign in; API clients get a 401 JSON answer. */
function wantsHtml(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '/';
  return !path.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
}

/**
 * Global guard: resolves the caller (bearer token or session cookie) on every request, then
 * enforces `@Public()` and `@Roles()`. Routes without `@Public()` need a signed-in caller.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: RequestAuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const auth = await this.auth.resolve(request, http.getResponse<FastifyReply>());
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    // Kubernetes probes (the shared HealthController cannot carry our @Public()).
    if (PROBE_ROUTES.has(request.routeOptions.url ?? '')) return true;
    if (!auth) throw unauthenticated(request);
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    if (required && !hasRole(auth.user.role, required)) {
      throw new GatewayException('forbidden', `This needs the ${required} role.`);
    }
    return true;
  }
}

/** The answer for a caller who must sign in: a redirect for pages, 401 JSON for the API. */
export function unauthenticated(request: FastifyRequest): GatewayException {
  const next = encodeURIComponent(request.url);
  if (request.headers['hx-request'] === 'true') {
    return new GatewayException('unauthenticated', 'Sign in to continue.', undefined, {
      'hx-redirect': `/login?next=${next}`,
    });
  }
  if (wantsHtml(request)) {
    return new GatewayException('login_required', 'Sign in to continue.', undefined, {
      location: `/login?next=${next}`,
    });
  }
  return new GatewayException('unauthenticated', 'Sign in or send a bearer token.', undefined, {
    'www-authenticate': 'Bearer',
  });
}
