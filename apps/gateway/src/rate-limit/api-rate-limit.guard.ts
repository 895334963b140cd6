import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { RateLimitService } from './rate-limit.service.js';

/**
 * Per-caller budget on the JSON API: keyed by API token, else user, else client IP. Runs after
 * the global AuthGuard, so the caller is known.
 */
@Injectable()
export class ApiRateLimitGuard implements CanActivate {
  constructor(private readonly limits: RateLimitService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const auth = request.lateralAuth;
    const key = auth?.tokenId
      ? `token:${auth.tokenId}`
      : auth
        ? `user:${auth.user.id}`
        : `ip:${this.limits.clientIp(request)}`;
    this.limits.consume('api', key);
    return true;
  }
}
