import { Injectable } from '@nestjs/common';
import { DataSource, LessThan, type Repository } from 'typeorm';
import { SessionEntity } from './session.entity.js';

@Injectable()
export class SessionsRepository {
  private readonly repo: Repository<SessionEntity>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(SessionEntity);
  }

  async insert(session: SessionEntity): Promise<void> {
    await this.repo.insert(session);
  }

  findLive(idHash: string, now: Date): Promise<SessionEntity | null> {
    return this.repo
      .createQueryBuilder('s')
      .where('s.id_hash = :idHash AND s.expires_at > :now', { idHash, now })
      .getOne();
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
