import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Role } from '@lateral/identity';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayException } from '../errors/gateway-errors.js';
import { IS_PUBLIC, REQUIRED_ROLE } from './auth.decorators.js';
import { hasRole } from './current-user.js';
import { RequestAuthService } from './request-auth.service.js';

const PROBE_ROUTES = new Set(['/healthz', '/readyz']);

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
    if (!auth) throw new SignInRequired();
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    if (required && !hasRole(auth.user.role, required)) {
      throw new GatewayException('forbidden', `This needs the ${required} role.`);
    }
    return true;
  }
}

/**
 * No caller on a route that needs one: 401 with a Bearer challenge for API clients. The web
 * layer's exception filter, which decides page-or-JSON for every answer, turns it into the way
 * to the login page for a browser (web/render/sign-in.ts).
 */
export class SignInRequired extends GatewayException {
  constructor() {
    super('unauthenticated', 'Sign in or send a bearer token.', undefined, {
      'www-authenticate': 'Bearer',
    });
  }
}
