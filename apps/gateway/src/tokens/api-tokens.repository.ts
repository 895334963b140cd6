import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type Repository } from 'typeorm';
import { ApiTokenEntity } from './api-token.entity.js';

@Injectable()
export class ApiTokensRepository {
  private readonly repo: Repository<ApiTokenEntity>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(ApiTokenEntity);
  }

  async insert(token: ApiTokenEntity): Promise<void> {
    await this.repo.insert(token);
  }

  findActiveByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOneBy({ tokenHash, revokedAt: IsNull() });
  }

  list(ownerId?: string): Promise<ApiTokenEntity[]> {
    return this.repo.find({
      where: ownerId ? { ownerId } : {},
      order: { createdAt: 'DESC' },
    });
  }

  findById(id: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOneBy({ id });
  }

  async revoke(id: string, now: Date): Promise<boolean> {
    const result = await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: now });
    return (result.affected ?? 0) > 0;
  }

  async markUsed(id: string, now: Date): Promise<void> {
    await this.repo.update({ id }, { lastUsedAt: now });
  }
}
