import { Injectable } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayException } from '../errors/gateway-errors.js';
import { Clock } from '@lateral/observability';
import { GatewayConfig } from '../gateway.config.js';
import { ApiTokensService } from '../tokens/api-tokens.service.js';
import { bindCaller } from './caller-context.js';
import { type RequestAuth } from './request-auth.js';
import { safeEqual } from './secrets.js';
import { SessionCookie } from './session-cookie.js';
import { SessionsService } from './sessions.service.js';

/**
 * The bootstrap token acts as this fixed, well-known id: services that store who wrote what
 * (notes' revisions) get a UUID like every other caller's.
 */
export const BOOTSTRAP_USER_ID = '00000000-0000-4000-8000-000000000000';
const BOOTSTRAP_USER = { id: BOOTSTRAP_USER_ID, name: 'Bootstrap token', role: 'admin' } as const;

/** Works out who is calling: a bearer token (API token or the bootstrap token) or a session cookie. */
@Injectable()
export class RequestAuthService {
  constructor(
    private readonly config: GatewayConfig,
    private readonly sessions: SessionsService,
    private readonly tokens: ApiTokensService,
    private readonly cookie: SessionCookie,
    private readonly clock: Clock,
  ) {}

  /** Resolves once per request and remembers the answer on it. */
  async resolve(request: FastifyRequest, reply: FastifyReply): Promise<RequestAuth | null> {
    if (request.lateralAuth !== undefined) return request.lateralAuth;
    const auth = await this.resolveUncached(request, reply);
    request.lateralAuth = auth;
    if (auth && request.lateralContext) {
      request.lateralContext.userId = auth.user.id;
      bindCaller(request.lateralContext, auth.user);
    }
    return auth;
  }

  private async resolveUncached(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<RequestAuth | null> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      const auth = match ? await this.fromBearer(match[1]!) : null;
      if (!auth) {
        throw new GatewayException('unauthenticated', 'The bearer token is not valid.', undefined, {
          'www-authenticate': 'Bearer error="invalid_token"',
        });
      }
      return auth;
    }
    const cookieValue = this.cookie.read(request);
    if (!cookieValue) return null;
    const now = this.clock.now();
    const session = await this.sessions.resolve(cookieValue, now);
    if (!session || session.user.disabledAt) {
      this.cookie.clear(reply);
      return null;
    }
    const { user } = session;
    // The expiry slid forward: move the cookie's with it.
    if (session.lastSeenAt.getTime() === now.getTime()) {
      this.cookie.set(reply, cookieValue, session.expiresAt);
    }
    return {
      user: { id: user.id, name: user.name, email: user.email, role: user.role },
      method: 'session',
      csrfToken: session.csrfSecret,
    };
  }

  private async fromBearer(token: string): Promise<RequestAuth | null> {
    const bootstrap = this.config.bootstrapToken;
    if (bootstrap && safeEqual(token, bootstrap)) {
      return { user: { ...BOOTSTRAP_USER }, method: 'bootstrap' };
    }
    const found = await this.tokens.authenticate(token);
    return found ? { user: found.user, method: 'token', tokenId: found.tokenId } : null;
  }
}
