import { Injectable } from '@nestjs/common';
import { Clock } from '@lateral/observability';
import { GatewayConfig } from '../gateway.config.js';
import { type UserEntity } from '../users/user.entity.js';
import { hmacHex, randomSecret } from './secrets.js';
import { SessionsRepository, type LiveSession } from './sessions.repository.js';

/** Sliding expiry is written at most this often, so browsing does not write a row per request. */
const TOUCH_INTERVAL_MS = 5 * 60_000;

export interface NewSession {
  /** The cookie value: shown to the browser once, stored only as an HMAC. */
  cookieValue: string;
  csrfSecret: string;
  expiresAt: Date;
}

@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly config: GatewayConfig,
    private readonly clock: Clock,
  ) {}

  private hash(cookieValue: string): string {
    return hmacHex(this.config.sessionSecret, `session:${cookieValue}`);
  }

  async create(
    user: UserEntity,
    userAgent: string | undefined,
    now = this.clock.now(),
  ): Promise<NewSession> {
    const cookieValue = randomSecret(32);
    const csrfSecret = randomSecret(32);
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlMs);
    await this.sessions.insert({
      idHash: this.hash(cookieValue),
      userId: user.id,
      csrfSecret,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      userAgent: userAgent?.slice(0, 256) ?? null,
    });
    return { cookieValue, csrfSecret, expiresAt };
  }

  /** The live session for a cookie value with its user, its expiry slid forward when it is due. */
  async resolve(cookieValue: string, now = this.clock.now()): Promise<LiveSession | null> {
    if (!/^[\w-]{43}$/.test(cookieValue)) return null;
    const idHash = this.hash(cookieValue);
    const session = await this.sessions.findLiveWithUser(idHash, now);
    if (!session) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
      session.lastSeenAt = now;
      session.expiresAt = new Date(now.getTime() + this.config.sessionTtlMs);
      await this.sessions.touch(idHash, session.lastSeenAt, session.expiresAt);
    }
    return session;
  }

  async destroy(cookieValue: string): Promise<void> {
    await this.sessions.delete(this.hash(cookieValue));
  }

  destroyAllFor(userId: string): Promise<void> {
    return this.sessions.deleteForUser(userId);
  }

  purgeExpired(now = this.clock.now()): Promise<number> {
    return this.sessions.deleteExpired(now);
  }
}
