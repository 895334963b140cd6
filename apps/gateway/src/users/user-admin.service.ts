import { Injectable } from '@nestjs/common';
import { type Role } from '@lateral/identity';
import { type SessionUser } from '../auth/current-user.js';
import { SessionsService } from '../auth/sessions.service.js';
import { GatewayException } from '../errors/gateway-errors.js';
import { UsersRepository } from './users.repository.js';
import { toPublicUser, UsersService, type PublicUser } from './users.service.js';

export interface UserPage {
  items: PublicUser[];
  total: number;
  limit: number;
  offset: number;
}

/** What admins do to accounts (and people to their own name), with the rules around sessions. */
@Injectable()
export class UserAdminService {
  constructor(
    private readonly users: UsersService,
    private readonly repository: UsersRepository,
    private readonly sessions: SessionsService,
  ) {}

  async search(query: { q?: string; limit: number; offset: number }): Promise<UserPage> {
    const [rows, total] = await this.repository.search(query.q ?? '', query.limit, query.offset);
    return { items: rows.map(toPublicUser), total, limit: query.limit, offset: query.offset };
  }

  /**
   * Changes an account. A new password, a role change or disabling it ends the person's
   * sessions. Admins cannot change their own role or disable themselves: the last admin would
   * lock everyone out with one click.
   */
  async update(
    actor: SessionUser,
    id: string,
    patch: { name?: string; role?: Role; password?: string; disabled?: boolean },
  ): Promise<PublicUser> {
    if (id === actor.id && (patch.role !== undefined || patch.disabled !== undefined)) {
      throw new GatewayException(
        'self_change_refused',
        'You cannot change your own role or disable your own account; ask another admin.',
      );
    }
    const before = await this.users.findById(id);
    const user = await this.users.update(id, patch);
    const roleChanged = patch.role !== undefined && patch.role !== before?.role;
    if (patch.password !== undefined || roleChanged || patch.disabled) {
      await this.sessions.destroyAllFor(id);
    }
    return toPublicUser(user);
  }

  /** A person renames themselves. */
  async rename(caller: SessionUser, name: string): Promise<PublicUser> {
    return toPublicUser(await this.users.update(caller.id, { name }));
  }
}
