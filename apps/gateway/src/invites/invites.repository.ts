import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan, type Repository } from 'typeorm';
import { UserEntity } from '../users/user.entity.js';
import { InviteEntity } from './invite.entity.js';

@Injectable()
export class InvitesRepository {
  private readonly repo: Repository<InviteEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(InviteEntity);
  }

  async insert(invite: InviteEntity): Promise<void> {
    await this.repo.insert(invite);
  }

  /** Invites nobody accepted or revoked yet that still work, newest first. */
  listPending(now: Date): Promise<InviteEntity[]> {
    return this.repo.find({
      where: { acceptedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { createdAt: 'DESC' },
    });
  }

  /** The invite behind a token if it can still be used. */
  findUsable(tokenHash: string, now: Date): Promise<InviteEntity | null> {
    return this.repo.findOneBy({
      tokenHash,
      acceptedAt: IsNull(),
      revokedAt: IsNull(),
      expiresAt: MoreThan(now),
    });
  }

  async revoke(id: string, now: Date): Promise<boolean> {
    const result = await this.repo.update(
      { id, acceptedAt: IsNull(), revokedAt: IsNull() },
      { revokedAt: now },
    );
    return (result.affected ?? 0) > 0;
  }

  /**
   * Uses the invite and creates its account in one transaction: of two people opening the same
   * link at once, one gets the account and the other a used link; an e-mail taken since the
   * invite was made leaves the invite unused. Answers what happened.
   */
  accept(
    tokenHash: string,
    now: Date,
    user: Omit<UserEntity, 'createdAt' | 'updatedAt' | 'email' | 'role'>,
  ): Promise<{ invite: InviteEntity | null; created: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const invites = manager.getRepository(InviteEntity);
      const claimed = await invites
        .createQueryBuilder()
        .update()
        .set({ acceptedAt: now })
        .where(
          'token_hash = :tokenHash AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > :now',
          { tokenHash, now },
        )
        .returning('*')
        .execute();
      const row = (claimed.raw as Record<string, unknown>[])[0];
      if (!row) return { invite: null, created: false };
      const invite = (await invites.findOneBy({ id: row.id as string }))!;
      const inserted = await manager
        .getRepository(UserEntity)
        .createQueryBuilder()
        .insert()
        .values({ ...user, email: invite.email, role: invite.role })
        .orIgnore()
        .returning('id')
        .execute();
      if ((inserted.raw as unknown[]).length === 0) {
        // The e-mail is taken: roll the claim back so the invite shows as still pending.
        await invites.update({ id: invite.id }, { acceptedAt: null });
        return { invite, created: false };
      }
      await invites.update({ id: invite.id }, { acceptedBy: user.id });
      return { invite, created: true };
    });
  }
}
