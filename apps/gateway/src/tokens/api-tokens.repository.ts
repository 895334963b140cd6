import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type Repository } from 'typeorm';
import { UserEntity } from '../users/user.entity.js';
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

  /**
   * An active token and the person it acts for, in one round trip: this runs on every API
   * request, and a second query for the owner added about a third of the gateway's CPU per
   * proxied request (docs/gateway.md, Benchmark).
   */
  async findActiveWithOwner(
    tokenHash: string,
    now: Date,
  ): Promise<{ token: ApiTokenEntity; owner: UserEntity | null } | null> {
    const token = await this.repo
      .createQueryBuilder('token')
      .leftJoinAndMapOne('token.owner', UserEntity, 'owner', 'owner.id = token.ownerId')
      .where(
        'token.tokenHash = :tokenHash AND token.revokedAt IS NULL AND (token.expiresAt IS NULL OR token.expiresAt > :now)',
        { tokenHash, now },
      )
      .getOne();
    if (!token) return null;
    const { owner, ...fields } = token as ApiTokenEntity & { owner?: UserEntity | null };
    return { token: Object.assign(new ApiTokenEntity(), fields), owner: owner ?? null };
  }

  list(ownerId?: string): Promise<ApiTokenEntity[]> {
    return this.repo.find({
      where: ownerId ? { ownerId } : {},
      order: { createdAt: 'DESC' },
    });
  }

  /** Every token with its owner's name and e-mail, newest first (the admin's list). */
  async listWithOwners(): Promise<{ token: ApiTokenEntity; owner: UserEntity | null }[]> {
    const tokens = await this.repo
      .createQueryBuilder('token')
      .leftJoinAndMapOne('token.owner', UserEntity, 'owner', 'owner.id = token.ownerId')
      .orderBy('token.createdAt', 'DESC')
      .getMany();
    return tokens.map((found) => {
      const { owner, ...fields } = found as ApiTokenEntity & { owner?: UserEntity | null };
      return { token: Object.assign(new ApiTokenEntity(), fields), owner: owner ?? null };
    });
  }

  findById(id: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** Revokes an active token (only one of `ownerId`'s when given). */
  async revoke(id: string, now: Date, ownerId?: string): Promise<boolean> {
    const result = await this.repo.update(
      { id, revokedAt: IsNull(), ...(ownerId ? { ownerId } : {}) },
      { revokedAt: now },
    );
    return (result.affected ?? 0) > 0;
  }

  async markUsed(id: string, now: Date): Promise<void> {
    await this.repo.update({ id }, { lastUsedAt: now });
  }
}
