import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock, LOGGER, type Logger } from '@lateral/observability';
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
import { resetMail } from '../mail/mail-messages.js';
import { MailService } from '../mail/mail.service.js';
import { RateLimitService } from '../rate-limit/rate-limit.service.js';
import { linkTokenHash, linkUrl, newLinkToken } from './one-time-link.js';
import { PasswordResetsRepository } from './password-resets.repository.js';

export interface NewResetLink {
  userId: string;
  url: string;
  token: string;
  expiresAt: string;
  /** The SMTP server took a mail with the link to the person (false without SMTP). */
  mailed: boolean;
}

const invalid = () =>
  new GatewayException(
    'reset_link_invalid',
    'This reset link is not valid any more: it was used, replaced or has expired. Ask an admin for a new one.',
  );

/**
 * Password reset links: an admin makes one for a person, or a person asks for one by e-mail on
 * the sign-in page when SMTP is set up (one-time, PASSWORD_RESET_TTL_MINUTES, only the newest
 * works); using it sets the password, ends every session the person had and signs them in here.
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
    private readonly mail: MailService,
    private readonly rateLimits: RateLimitService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** An admin's link for a person; mailed to them too when SMTP is set up. */
  async create(creator: SessionUser, userId: string): Promise<NewResetLink> {
    const user = await this.users.findById(userId);
    if (!user) throw new GatewayException('user_not_found', 'No such user.');
    const link = await this.newLink(user, creator.id);
    const mailed = this.mail.enabled && (await this.mail.send(this.mailFor(user, link, 'admin')));
    return { ...link, mailed };
  }

  /** Whether people can ask for a link themselves ("Forgot password" needs a mail server). */
  get selfServiceEnabled(): boolean {
    return this.mail.enabled;
  }

  /**
   * "Forgot password": mails a link to the active account with this e-mail and a password, if
   * there is one. The caller learns nothing either way (the page answers the same), and the
   * work, look-up included, runs after the answer, so its timing tells nothing either.
   * Accounts without a password (single sign-on) get no link: they sign in with the provider.
   */
  requestByEmail(email: string, clientIp: string): void {
    if (!this.mail.enabled) {
      throw new GatewayException(
        'mail_not_configured',
        'This wiki does not send mail: ask an admin for a password reset link.',
      );
    }
    const address = email.toLowerCase();
    // Per client and per address: neither a flood from one place nor mail-bombing one person.
    this.rateLimits.consume('reset', `ip:${clientIp}`);
    this.rateLimits.consume('reset', `email:${address}`);
    void this.mailLinkTo(address).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not handle a password reset request');
    });
  }

  private async mailLinkTo(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.disabledAt || !user.passwordHash) return;
    const link = await this.newLink(user, user.id);
    await this.mail.send(this.mailFor(user, link, 'self'));
  }

  private mailFor(user: UserEntity, link: Omit<NewResetLink, 'mailed'>, asked: 'self' | 'admin') {
    return resetMail({
      to: user.email,
      name: user.name,
      url: link.url,
      asked,
      wikiUrl: this.config.publicUrl.origin,
      expiresAt: new Date(link.expiresAt),
      now: this.clock.now(),
    });
  }

  private async newLink(
    user: UserEntity,
    createdBy: string,
  ): Promise<Omit<NewResetLink, 'mailed'>> {
    const { token, hash } = newLinkToken('rst');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.people.resetTtlMs);
    await this.resets.insertReplacing({
      id: randomUUID(),
      userId: user.id,
      tokenHash: hash,
      createdBy,
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
