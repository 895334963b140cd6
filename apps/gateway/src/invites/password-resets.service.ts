import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@lateral/observability';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { AuthService } from '../auth/auth.service.js';
import { type SessionUser } from '../auth/current-user.js';
import { SessionsService } from '../auth/sessions.service.js';
import { GatewayException } from '../errors/gateway-errors.js';
import { GatewayConfig } from '../gateway.config.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { type UserEntity } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { toPublicUser, type PublicUser } from '../users/users.service.js';
import { linkTokenHash, linkUrl, newLinkToken } from './one-time-link.js';
import { PasswordResetsRepository } from './password-resets.repository.js';

export interface NewResetLink {
  userId: string;
  url: string;
  token: string;
  expiresAt: string;
}

const invalid = () =>
  new GatewayException(
    'reset_link_invalid',
    'This reset link is not valid any more: it was used, replaced or has expired. Ask an admin for a new one.',
  );

/**
 * Password reset links: an admin makes one for a person (one-time, PASSWORD_RESET_TTL_MINUTES,
 * only the newest works); using it sets the password, ends every session the person had and
 * signs them in here.
 */
@Injectable()
export class PasswordResetsService {
  constructor(
    private readonly resets: PasswordResetsRepository,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly auth: AuthService,
    private readonly config: GatewayConfig,
    private readonly clock: Clock,
  ) {}

  async create(creator: SessionUser, userId: string): Promise<NewResetLink> {
    const user = await this.users.findById(userId);
    if (!user) throw new GatewayException('user_not_found', 'No such user.');
    const { token, hash } = newLinkToken('rst');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.people.resetTtlMs);
    await this.resets.insertReplacing({
      id: randomUUID(),
      userId: user.id,
      tokenHash: hash,
      createdBy: creator.id,
      createdAt: now,
      expiresAt,
      usedAt: null,
    });
    return {
      userId: user.id,
      token,
      url: linkUrl(this.config.publicUrl, `/reset/${token}`),
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** Whose password the link sets; reset_link_invalid (410) otherwise. */
  async describe(token: string): Promise<UserEntity> {
    const hash = linkTokenHash(token, 'rst');
    const reset = hash ? await this.resets.findUsable(hash, this.clock.now()) : null;
    const user = reset ? await this.users.findById(reset.userId) : null;
    if (!user || user.disabledAt) throw invalid();
    return user;
  }

  async use(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    password: string,
  ): Promise<PublicUser> {
    const hash = linkTokenHash(token, 'rst');
    const now = this.clock.now();
    const reset = hash ? await this.resets.findUsable(hash, now) : null;
    const user = reset ? await this.users.findById(reset.userId) : null;
    if (!reset || !user || user.disabledAt) throw invalid();
    const passwordHash = await this.hasher.hash(password);
    if (!(await this.resets.use(reset.id, user.id, passwordHash, now))) throw invalid();
    // Whoever else holds a session of this person (the reason for a reset, often) is out.
    await this.sessions.destroyAllFor(user.id);
    await this.auth.startSession(user, request, reply);
    return toPublicUser(user);
  }
}
