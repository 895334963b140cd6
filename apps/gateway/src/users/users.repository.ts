import { Injectable } from '@nestjs/common';
import { isUuid } from '@lateral/contracts';
import { DataSource, IsNull, type Repository } from 'typeorm';
import { UserEntity } from './user.entity.js';

@Injectable()
export class UsersRepository {
  private readonly repo: Repository<UserEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(UserEntity);
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  async findById(id: string): Promise<UserEntity | null> {
    if (!isUuid(id)) return null;
    return this.repo.findOneBy({ id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ email: email.toLowerCase() });
  }

  findByOidc(issuer: string, subject: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ oidcIssuer: issuer, oidcSubject: subject });
  }

  /**
   * A page of people whose name or e-mail contains `query` (case-insensitive; `%` and `_` match
   * themselves), by name, and how many match in all.
   */
  search(query: string, limit: number, offset: number): Promise<[UserEntity[], number]> {
    const builder = this.repo.createQueryBuilder('u');
    if (query) {
      const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      builder.where('(u.name ILIKE :pattern OR u.email ILIKE :pattern)', { pattern });
    }
    return builder
      .orderBy('u.name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(limit)
      .offset(offset)
      .getManyAndCount();
  }

  /** Inserts, or returns null when the email is already taken (unique index). */
  async insert(user: Omit<UserEntity, 'createdAt' | 'updatedAt'>): Promise<UserEntity | null> {
    const result = await this.repo
      .createQueryBuilder()
      .insert()
      .values(user)
      .orIgnore()
      .returning('*')
      .execute();
    if (result.identifiers.length === 0 || !result.raw || (result.raw as unknown[]).length === 0) {
      return null;
    }
    return this.findById(user.id);
  }

  async update(id: string, patch: Partial<UserEntity>): Promise<void> {
    await this.repo.update({ id }, patch);
  }

  /**
   * Applies `patch`, which takes `id` out of the active admins (a role change or disabling),
   * unless `id` is the last active admin: false then, and nothing changes. The active admins'
   * rows are locked first, so two admins demoting each other at once cannot both succeed.
   */
  async updateUnlessLastAdmin(id: string, patch: Partial<UserEntity>): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const admins = await manager
        .getRepository(UserEntity)
        .createQueryBuilder('u')
        .select('u.id')
        .where("u.role = 'admin' AND u.disabled_at IS NULL")
        .orderBy('u.id')
        .setLock('pessimistic_write')
        .getMany();
      if (admins.length === 1 && admins[0]!.id === id) return false;
      await manager.getRepository(UserEntity).update({ id }, patch);
      return true;
    });
  }

  async linkOidc(id: string, issuer: string, subject: string): Promise<boolean> {
    const result = await this.repo.update(
      { id, oidcSubject: IsNull() },
      { oidcIssuer: issuer, oidcSubject: subject },
    );
    return (result.affected ?? 0) > 0;
  }
}
