import { Injectable } from '@nestjs/common';
import { preparedRows } from '@lateral/database';
import { type Role } from '@lateral/identity';
import { DataSource, LessThan, type Repository } from 'typeorm';
import { type UserEntity } from '../users/user.entity.js';
import { SessionEntity } from './session.entity.js';

/** A live session as a request needs it: its CSRF secret, its expiry and who it belongs to. */
export interface LiveSession {
  csrfSecret: string;
  lastSeenAt: Date;
  expiresAt: Date;
  user: Pick<UserEntity, 'id' | 'name' | 'email' | 'role' | 'disabledAt'>;
}

interface LiveSessionRow {
  csrf_secret: string;
  last_seen_at: Date;
  expires_at: Date;
  id: string;
  name: string;
  email: string;
  role: Role;
  disabled_at: Date | null;
}

@Injectable()
export class SessionsRepository {
  private readonly repo: Repository<SessionEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(SessionEntity);
  }

  async insert(session: SessionEntity): Promise<void> {
    await this.repo.insert(session);
  }

  /**
   * The live session with this hash and its user, in one statement: every signed-in request
   * asks, and a session then a user were two round trips to PostgreSQL before each page.
   */
  async findLiveWithUser(idHash: string, now: Date): Promise<LiveSession | null> {
    const [row] = await preparedRows<LiveSessionRow>(
      this.dataSource,
      `SELECT s.csrf_secret, s.last_seen_at, s.expires_at,
         u.id, u.name, u.email, u.role, u.disabled_at
       FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id_hash = $1 AND s.expires_at > $2`,
      [idHash, now],
    );
    if (!row) return null;
    return {
      csrfSecret: row.csrf_secret,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
      user: {
        id: row.id,
        name: row.name,
        email: row.email,
        role: row.role,
        disabledAt: row.disabled_at,
      },
    };
  }

  async touch(idHash: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
    await this.repo.update({ idHash }, { lastSeenAt, expiresAt });
  }

  async delete(idHash: string): Promise<void> {
    await this.repo.delete({ idHash });
  }

  async deleteForUser(userId: string): Promise<void> {
    await this.repo.delete({ userId });
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.repo.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
