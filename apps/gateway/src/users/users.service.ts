import { Clock } from '@lateral/observability';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Role } from '@lateral/identity';
import { GatewayException } from '../errors/gateway-errors.js';
import { type SessionUser } from '../auth/current-user.js';
import { randomSecret } from '../auth/secrets.js';
import { PasswordHasher } from './password-hasher.js';
import { type UserEntity } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  hasPassword: boolean;
  oidc: boolean;
  disabled: boolean;
  createdAt: string;
}

export function toSessionUser(user: UserEntity): SessionUser {
  return { id: user.id, name: user.name, email: user.email, role: user.role };
}

export function toPublicUser(user: UserEntity): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    hasPassword: user.passwordHash !== null,
    oidc: user.oidcSubject !== null,
    disabled: user.disabledAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findById(id);
  }

  async create(input: {
    email: string;
    name: string;
    role: Role;
    password?: string;
  }): Promise<UserEntity> {
    const user = await this.users.insert({
      id: randomUUID(),
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      passwordHash: input.password ? await this.hasher.hash(input.password) : null,
      oidcIssuer: null,
      oidcSubject: null,
      disabledAt: null,
    });
    if (!user) throw new GatewayException('email_taken', 'A user with this email already exists.');
    return user;
  }

  async update(
    id: string,
    patch: { name?: string; role?: Role; password?: string; disabled?: boolean },
  ): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw new GatewayException('user_not_found', 'No such user.');
    const fields: Partial<UserEntity> = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.password !== undefined
        ? { passwordHash: await this.hasher.hash(patch.password) }
        : {}),
      ...(patch.disabled !== undefined
        ? { disabledAt: patch.disabled ? this.clock.now() : null }
        : {}),
    };
    const leavesAdmins =
      user.role === 'admin' &&
      !user.disabledAt &&
      ((patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true);
    if (!leavesAdmins) {
      await this.users.update(id, fields);
    } else if (!(await this.users.updateUnlessLastAdmin(id, fields))) {
      throw new GatewayException(
        'last_admin',
        'This is the last active admin: make someone else an admin first.',
      );
    }
    return (await this.users.findById(id))!;
  }

  async changeOwnPassword(caller: SessionUser, current: string, next: string): Promise<void> {
    const user = await this.users.findById(caller.id);
    if (!user || !(await this.hasher.verify(user.passwordHash, current))) {
      throw new GatewayException('invalid_credentials', 'The current password is not right.');
    }
    await this.users.update(user.id, { passwordHash: await this.hasher.hash(next) });
  }

  /** The user if the email and password match an enabled local account; argon2 timing either way. */
  async verifyPassword(email: string, password: string): Promise<UserEntity | null> {
    const user = await this.users.findByEmail(email);
    const ok = await this.hasher.verify(user?.passwordHash ?? null, password);
    return ok && user && user.disabledAt === null ? user : null;
  }

  private async linkExplicitly(
    userId: string,
    known: UserEntity | null,
    claims: { issuer: string; subject: string },
  ): Promise<UserEntity> {
    if (known && known.id !== userId) {
      throw new GatewayException(
        'oidc_failed',
        'This identity provider account is already linked to another account.',
      );
    }
    if (!known && !(await this.users.linkOidc(userId, claims.issuer, claims.subject))) {
      throw new GatewayException(
        'oidc_failed',
        'Your account is already linked to another identity provider account.',
      );
    }
    const user = await this.users.findById(userId);
    if (!user) throw new GatewayException('user_not_found', 'No such user.');
    return user;
  }

  /**
   * First boot: with no users at all, creates an admin so someone can sign in. Returns the
   * generated password (to be shown once) when none was configured.
   */
  async ensureFirstAdmin(
    email: string,
    configuredPassword: string | undefined,
  ): Promise<{ email: string; password: string | undefined } | undefined> {
    if ((await this.users.count()) > 0) return undefined;
    const password = configuredPassword ?? randomSecret(12);
    try {
      await this.create({ email, name: 'Admin', role: 'admin', password });
    } catch (error) {
      // Another replica created it between the count and the insert.
      if (error instanceof GatewayException && error.code === 'email_taken') return undefined;
      throw error;
    }
    return { email, password: configuredPassword ? undefined : password };
  }

  /**
   * Finds the person behind an OIDC subject, or links or creates them. A provider account is
   * linked to an existing local account only explicitly: `linkTo` (the signed-in person who
   * started the sign-in to link their account), or by verified e-mail when the operator trusts
   * the provider's e-mails (OIDC_TRUSTED_EMAIL_LINKING). Otherwise anyone who can get an
   * admin's e-mail verified at the provider would sign in as that admin.
   */
  async findOrCreateOidc(claims: {
    issuer: string;
    subject: string;
    email: string | undefined;
    emailVerified: boolean;
    name: string | undefined;
    defaultRole: Role;
    trustedEmailLinking: boolean;
    linkTo?: string;
  }): Promise<UserEntity> {
    const known = await this.users.findByOidc(claims.issuer, claims.subject);
    if (claims.linkTo) return this.linkExplicitly(claims.linkTo, known, claims);
    if (known) return known;
    if (claims.email && claims.emailVerified) {
      const byEmail = await this.users.findByEmail(claims.email);
      if (byEmail && !claims.trustedEmailLinking) {
        throw new GatewayException(
          'oidc_link_required',
          'An account with this e-mail already exists. Sign in with it, then link your identity provider account.',
        );
      }
      if (byEmail && (await this.users.linkOidc(byEmail.id, claims.issuer, claims.subject))) {
        return (await this.users.findById(byEmail.id))!;
      }
    }
    const email =
      (claims.email && claims.emailVerified ? claims.email : undefined) ??
      `${claims.subject.replace(/[^\w.-]/g, '_')}@oidc.invalid`;
    const user = await this.users.insert({
      id: randomUUID(),
      email: email.toLowerCase(),
      name: claims.name ?? claims.email ?? claims.subject,
      role: claims.defaultRole,
      passwordHash: null,
      oidcIssuer: claims.issuer,
      oidcSubject: claims.subject,
      disabledAt: null,
    });
    if (user) return user;
    // A concurrent first sign-in of the same person created them a moment ago.
    const raced = await this.users.findByOidc(claims.issuer, claims.subject);
    if (raced) return raced;
    // The email belongs to another account that is already linked to a different subject.
    throw new GatewayException(
      'oidc_failed',
      'This identity provider account cannot be linked: its email is used by another account.',
    );
  }
}
