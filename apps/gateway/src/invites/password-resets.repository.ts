import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan, type Repository } from 'typeorm';
import { UserEntity } from '../users/user.entity.js';
import { PasswordResetEntity } from './password-reset.entity.js';

@Injectable()
export class PasswordResetsRepository {
  private readonly repo: Repository<PasswordResetEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(PasswordResetEntity);
  }

  /** Stores a new link and retires the person's earlier unused ones: only the newest works. */
  async insertReplacing(reset: PasswordResetEntity): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const resets = manager.getRepository(PasswordResetEntity);
      await resets.update({ userId: reset.userId, usedAt: IsNull() }, { usedAt: reset.createdAt });
      await resets.insert(reset);
    });
  }

  findUsable(tokenHash: string, now: Date): Promise<PasswordResetEntity | null> {
    return this.repo.findOneBy({ tokenHash, usedAt: IsNull(), expiresAt: MoreThan(now) });
  }

  /** Uses the link and sets the password in one transaction; false if it was used meanwhile. */
  use(id: string, userId: string, passwordHash: string, now: Date): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const claimed = await manager
        .getRepository(PasswordResetEntity)
        .update({ id, usedAt: IsNull(), expiresAt: MoreThan(now) }, { usedAt: now });
      if ((claimed.affected ?? 0) === 0) return false;
      await manager.getRepository(UserEntity).update({ id: userId }, { passwordHash });
      return true;
    });
  }
}
