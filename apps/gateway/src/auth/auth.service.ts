import { Injectable } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayException } from '../errors/gateway-errors.js';
import { GatewayMetrics } from '../gateway.metrics.js';
import { RateLimitService } from '../rate-limit/rate-limit.service.js';
import { type UserEntity } from '../users/user.entity.js';
import { UsersService, toSessionUser } from '../users/users.service.js';
import { type SessionUser } from './current-user.js';
import { SessionCookie } from './session-cookie.js';
import { SessionsService } from './sessions.service.js';

/** Signing in and out; the HTTP shapes live in the controller, the rules here. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly cookie: SessionCookie,
    private readonly limits: RateLimitService,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** Local account sign-in: rate limited per client IP, argon2id-verified, a fresh session. */
  async loginWithPassword(
    request: FastifyRequest,
    reply: FastifyReply,
    credentials: { email: string; password: string },
  ): Promise<SessionUser> {
    // Taken before the (deliberately slow) password check so parallel guesses are bounded too;
    // given back on success so people signing in often never hit the limit.
    const ip = this.limits.clientIp(request);
    this.limits.consume('login', ip);
    const user = await this.users.verifyPassword(credentials.email, credentials.password);
    if (user) this.limits.refund('login', ip);
    if (!user) {
      this.metrics.logins.inc({ method: 'local', result: 'failure' });
      throw new GatewayException('invalid_credentials', 'The email or password is not right.');
    }
    await this.startSession(user, request, reply);
    this.metrics.logins.inc({ method: 'local', result: 'success' });
    return toSessionUser(user);
  }

  /**
   * A person changes their own password. Wrong current passwords are limited per user (a stolen
   * session must not become an unlimited password oracle): the token is taken before the slow
   * check and given back on success. On success every session of the person ends, the ones
   * another device or an attacker holds included; a cookie caller gets a new session (new id)
   * in the same answer, so they stay signed in here only.
   */
  async changeOwnPassword(
    request: FastifyRequest,
    reply: FastifyReply,
    caller: SessionUser,
    passwords: { current: string; next: string },
  ): Promise<void> {
    const key = `user:${caller.id}`;
    this.limits.consume('password', key);
    await this.users.changeOwnPassword(caller, passwords.current, passwords.next);
    this.limits.refund('password', key);
    const hadSession = request.lateralAuth?.method === 'session' && this.cookie.read(request);
    await this.sessions.destroyAllFor(caller.id);
    const user = await this.users.findById(caller.id);
    if (hadSession && user) {
      const session = await this.sessions.create(user, request.headers['user-agent']);
      this.cookie.set(reply, session.cookieValue, session.expiresAt);
    }
  }

  /**
   * A new session for a person who just proved who they are. Any session the browser had is
   * ended first, so a session id planted before sign-in never gains authority (fixation).
   */
  async startSession(
    user: UserEntity,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const previous = this.cookie.read(request);
    if (previous) await this.sessions.destroy(previous);
    const session = await this.sessions.create(user, request.headers['user-agent']);
    this.cookie.set(reply, session.cookieValue, session.expiresAt);
  }

  async logout(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const cookieValue = this.cookie.read(request);
    if (cookieValue) await this.sessions.destroy(cookieValue);
    this.cookie.clear(reply);
  }
}
