import { Clock } from '@lateral/observability';
import { describe, expect, it } from 'vitest';
import { type PasswordHasher } from './password-hasher.js';
import { type UserEntity } from './user.entity.js';
import { type UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

function anAdmin(): UserEntity {
  return {
    id: 'admin-1',
    email: 'admin@example.test',
    name: 'Admin',
    role: 'admin',
    passwordHash: 'x',
    oidcIssuer: null,
    oidcSubject: null,
    disabledAt: null,
    createdAt: new Date(0),
  } as UserEntity;
}

/** Users in memory, with the repository's link-only-if-unlinked rule. */
function usersWith(...users: UserEntity[]) {
  const repo = {
    findByOidc: (issuer: string, subject: string) =>
      Promise.resolve(
        users.find((u) => u.oidcIssuer === issuer && u.oidcSubject === subject) ?? null,
      ),
    findByEmail: (email: string) => Promise.resolve(users.find((u) => u.email === email) ?? null),
    findById: (id: string) => Promise.resolve(users.find((u) => u.id === id) ?? null),
    linkOidc: (id: string, issuer: string, subject: string) => {
      const user = users.find((u) => u.id === id && u.oidcSubject === null);
      if (user) Object.assign(user, { oidcIssuer: issuer, oidcSubject: subject });
      return Promise.resolve(Boolean(user));
    },
    insert: (user: UserEntity) =>
      Promise.resolve(users.some((u) => u.email === user.email) ? null : (users.push(user), user)),
  };
  return new UsersService(repo as unknown as UsersRepository, {} as PasswordHasher, new Clock());
}

const claims = {
  issuer: 'https://idp.example',
  subject: 'sub-x',
  email: 'admin@example.test',
  emailVerified: true,
  name: 'Mallory',
  defaultRole: 'editor' as const,
};

describe('UsersService.findOrCreateOidc linking', () => {
  it('refuses to link by verified e-mail unless the provider is trusted', async () => {
    const admin = anAdmin();
    const users = usersWith(admin);
    await expect(
      users.findOrCreateOidc({ ...claims, trustedEmailLinking: false }),
    ).rejects.toMatchObject({ code: 'oidc_link_required' });
    expect(admin.oidcSubject).toBeNull();
  });

  it('links by verified e-mail when OIDC_TRUSTED_EMAIL_LINKING is on', async () => {
    const users = usersWith(anAdmin());
    const user = await users.findOrCreateOidc({ ...claims, trustedEmailLinking: true });
    expect([user.id, user.oidcSubject]).toEqual(['admin-1', 'sub-x']);
  });

  it('links explicitly for the signed-in person, never a subject linked to someone else', async () => {
    const users = usersWith(anAdmin(), { ...anAdmin(), id: 'other', email: 'o@example.test' });
    const user = await users.findOrCreateOidc({
      ...claims,
      email: 'unrelated@idp.example',
      trustedEmailLinking: false,
      linkTo: 'admin-1',
    });
    expect(user.id).toBe('admin-1');
    await expect(
      users.findOrCreateOidc({ ...claims, trustedEmailLinking: false, linkTo: 'other' }),
    ).rejects.toMatchObject({ code: 'oidc_failed' });
  });
});
