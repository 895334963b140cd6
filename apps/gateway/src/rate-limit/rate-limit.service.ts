import { Injectable } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { GatewayException } from '../errors/gateway-errors.js';
import { GatewayConfig } from '../gateway.config.js';
import { GatewayMetrics } from '../gateway.metrics.js';
import { clientIp } from './client-ip.js';
import { TokenBucketLimiter } from './token-bucket.js';

export type RateLimitScope = 'login' | 'api' | 'web' | 'password' | 'reset';

const MESSAGES: Record<RateLimitScope, string> = {
  login: 'Too many sign-in attempts. Wait a moment and try again.',
  api: 'Too many requests. Slow down and try again shortly.',
  web: 'Too many requests. Slow down and try again shortly.',
  password: 'Too many wrong passwords. Wait a few minutes and try again.',
  reset: 'Too many reset requests. Wait a while and try again.',
};

@Injectable()
export class RateLimitService {
  private readonly limiters: Record<RateLimitScope, TokenBucketLimiter>;

  constructor(
    private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
  ) {
    this.limiters = {
      login: new TokenBucketLimiter(config.rateLimits.loginPerMinute, 60_000),
      api: new TokenBucketLimiter(config.rateLimits.apiPerMinute, 60_000),
      web: new TokenBucketLimiter(config.rateLimits.webPerMinute, 60_000),
      password: new TokenBucketLimiter(config.rateLimits.passwordFailuresPer15Min, 15 * 60_000),
      reset: new TokenBucketLimiter(config.rateLimits.resetRequestsPerHour, 3600_000),
    };
  }

  clientIp(request: FastifyRequest): string {
    return clientIp(request, this.config.trustProxyHops);
  }

  refund(scope: RateLimitScope, key: string): void {
    this.limiters[scope].refund(key);
  }

  /** Takes one token for `key` in `scope`; throws 429 `rate_limited` with Retry-After when empty. */
  consume(scope: RateLimitScope, key: string): void {
    const result = this.limiters[scope].take(key);
    if (result.allowed) return;
    this.metrics.rateLimited.inc({ scope });
    throw new GatewayException(
      'rate_limited',
      MESSAGES[scope],
      { retryAfterSeconds: result.retryAfterSeconds },
      { 'retry-after': String(result.retryAfterSeconds) },
    );
  }
}
