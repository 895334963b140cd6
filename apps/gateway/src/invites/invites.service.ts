import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Role } from '@lateral/identity';
import { Clock } from '@lateral/observability';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { AuthService } from '../auth/auth.service.js';
import { type SessionUser } from '../auth/current-user.js';
import { GatewayException } from '../errors/gateway-errors.js';
import { GatewayConfig } from '../gateway.config.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { type UserEntity } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { toPublicUser, type PublicUser } from '../users/users.service.js';
import { type InviteEntity } from './invite.entity.js';
import { InvitesRepository } from './invites.repository.js';
import { linkTokenHash, linkUrl, newLinkToken } from './one-time-link.js';

export interface InviteView {
  id: string;
  email: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

/** The creation answer: the only time the link exists anywhere but in the invitee's hands. */
export type NewInvite = InviteView & { url: string; token: string };

const UUID = /^[0-9a-f-]{36}$/i;

function view(invite: InviteEntity): InviteView {
  return {
    id: invite.id,
    email: invite.email,
    role: invite.role,
    createdBy: invite.createdBy,
    createdAt: invite.createdAt.toISOString(),
    expiresAt: invite.expiresAt.toISOString(),
  };
}

const invalid = () =>
  new GatewayException(
    'invite_invalid',
    'This invite link is not valid any more: it was used, withdrawn or has expired. Ask for a new one.',
  );

/**
 * Invites: an admin names an e-mail address and a role and gets a one-time link (only its hash
 * is stored; INVITE_TTL_HOURS); the invitee opens it, picks a name and password and is signed in.
 * Mailing the link is not built yet: the admin copies it (docs/gateway.md, People).
 */
@Injectable()
export class InvitesService {
  constructor(
    private readonly invites: InvitesRepository,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly auth: AuthService,
    private readonly config: GatewayConfig,
    private readonly clock: Clock,
  ) {}

  async create(creator: SessionUser, input: { email: string; role: Role }): Promise<NewInvite> {
    const email = input.email.toLowerCase();
    if (await this.users.findByEmail(email)) {
      throw new GatewayException('email_taken', 'Someone with this e-mail already has an account.');
    }
    const { token, hash } = newLinkToken('inv');
    const now = this.clock.now();
    const invite: InviteEntity = {
      id: randomUUID(),
      email,
      role: input.role,
      tokenHash: hash,
      createdBy: creator.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.people.inviteTtlMs),
      acceptedAt: null,
      acceptedBy: null,
      revokedAt: null,
    };
    await this.invites.insert(invite);
    return { ...view(invite), token, url: linkUrl(this.config.publicUrl, `/invite/${token}`) };
  }

  async listPending(): Promise<InviteView[]> {
    return (await this.invites.listPending(this.clock.now())).map(view);
  }

  async revoke(id: string): Promise<void> {
    if (!UUID.test(id) || !(await this.invites.revoke(id, this.clock.now()))) {
      throw new GatewayException('invite_not_found', 'No such pending invite.');
    }
  }

  /** What the invite page shows; invite_invalid (410) for unknown, used or expired links. */
  async describe(token: string): Promise<InviteView> {
    const hash = linkTokenHash(token, 'inv');
    const invite = hash ? await this.invites.findUsable(hash, this.clock.now()) : null;
    if (!invite) throw invalid();
    return view(invite);
  }

  /** Creates the account the invite names and signs the new person in (a fresh session). */
  async accept(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    input: { name: string; password: string },
  ): Promise<PublicUser> {
    const hash = linkTokenHash(token, 'inv');
    if (!hash) throw invalid();
    const user = await this.acceptByHash(hash, {
      name: input.name,
      passwordHash: await this.hasher.hash(input.password),
      oidcIssuer: null,
      oidcSubject: null,
    });
    await this.auth.startSession(user, request, reply);
    return toPublicUser(user);
  }

  /**
   * The invitee signed in with the identity provider instead of choosing a password: the account
   * gets the invite's e-mail and role and is linked to that provider account (OidcService starts
   * the session). A provider account that already has an account here is refused: it would be
   * a second account for the same person.
   */
  async acceptWithOidc(
    inviteHash: string,
    identity: {
      issuer: string;
      subject: string;
      name: string | undefined;
      email: string | undefined;
    },
  ): Promise<UserEntity> {
    if (await this.users.findByOidc(identity.issuer, identity.subject)) {
      throw new GatewayException(
        'oidc_failed',
        'This identity provider account already has an account here; sign in with it instead.',
      );
    }
    return this.acceptByHash(inviteHash, {
      name: (identity.name ?? identity.email ?? identity.subject).slice(0, 200),
      passwordHash: null,
      oidcIssuer: identity.issuer,
      oidcSubject: identity.subject,
    });
  }

  private async acceptByHash(
    hash: string,
    fields: Pick<UserEntity, 'name' | 'passwordHash' | 'oidcIssuer' | 'oidcSubject'>,
  ): Promise<UserEntity> {
    const id = randomUUID();
    const { invite, created } = await this.invites.accept(hash, this.clock.now(), {
      id,
      ...fields,
      disabledAt: null,
    });
    if (!invite) throw invalid();
    if (!created) {
      throw new GatewayException('email_taken', 'Someone with this e-mail already has an account.');
    }
    const user = await this.users.findById(id);
    if (!user) throw invalid();
    return user;
  }
}
