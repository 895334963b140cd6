import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { RateLimitService } from './rate-limit.service.js';

/** Routes with a budget of their own (the API, sign-in) or none (probes, static assets). */
function hasOwnBudget(request: FastifyRequest): boolean {
  const route = request.routeOptions.url ?? '';
  if (route.startsWith('/api/') || route.startsWith('/assets/')) return true;
  if (route === '/healthz' || route === '/readyz') return true;
  return request.method === 'POST' && route === '/login';
}

/**
 * Per-caller budget on the web UI (pages, htmx fragments, `/preview`, diffs), which renders
 * markdown and diffs and calls notes on every request: keyed by user, else client IP, with a
 * generous default (RATE_LIMIT_WEB_PER_MINUTE). A global guard after the AuthGuard, so the
 * caller is known; an excess is a 429 `rate_limited` with Retry-After, which the web error
 * filter renders as a page or, for htmx, a fragment.
 */
@Injectable()
export class WebRateLimitGuard implements CanActivate {
  constructor(private readonly limits: RateLimitService) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (hasOwnBudget(request)) return true;
    const user = request.lateralAuth?.user;
    this.limits.consume('web', user ? `user:${user.id}` : `ip:${this.limits.clientIp(request)}`);
    return true;
  }
}
