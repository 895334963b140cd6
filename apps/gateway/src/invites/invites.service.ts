import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Space } from '@lateral/contracts';
import { type Role } from '@lateral/identity';
import { Clock, LOGGER, type Logger } from '@lateral/observability';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { AuthService } from '../auth/auth.service.js';
import { type SessionUser } from '../auth/current-user.js';
import { GatewayException } from '../errors/gateway-errors.js';
import { GatewayConfig } from '../gateway.config.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { type UserEntity } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { toPublicUser, toSessionUser, type PublicUser } from '../users/users.service.js';
import { BOOTSTRAP_USER_ID } from '../auth/request-auth.service.js';
import { inviteMail } from '../mail/mail-messages.js';
import { MailService } from '../mail/mail.service.js';
import { NotesClient } from '../upstream/notes.client.js';
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
  /** An invite into a space: accepting it makes the person a member there with `role`. */
  space: { id: string; name: string; role: Role } | null;
}

/**
 * The creation answer: the only time the link exists anywhere but in the invitee's hands.
 * `mailed`: the SMTP server took a mail with the link (false without SMTP or when it failed).
 */
export type NewInvite = InviteView & { url: string; token: string; mailed: boolean };

export interface InviteInput {
  email: string;
  role: Role;
  spaceId?: string | undefined;
  spaceRole?: Role | undefined;
}

const UUID = /^[0-9a-f-]{36}$/i;

function view(invite: InviteEntity): InviteView {
  return {
    id: invite.id,
    email: invite.email,
    role: invite.role,
    createdBy: invite.createdBy,
    createdAt: invite.createdAt.toISOString(),
    expiresAt: invite.expiresAt.toISOString(),
    space:
      invite.spaceId && invite.spaceName && invite.spaceRole
        ? { id: invite.spaceId, name: invite.spaceName, role: invite.spaceRole }
        : null,
  };
}

const ROLE_RANK: Record<Role, number> = { reader: 0, editor: 1, admin: 2 };

const invalid = () =>
  new GatewayException(
    'invite_invalid',
    'This invite link is not valid any more: it was used, withdrawn or has expired. Ask for a new one.',
  );

/**
 * Invites: an admin (or the admin of a space, into that space) names an e-mail address and a
 * role and gets a one-time link (only its hash is stored; INVITE_TTL_HOURS), mailed to the
 * address when SMTP is set up; the invitee opens it, picks a name and password and is signed in,
 * and an invite into a space makes them a member there.
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
    private readonly notes: NotesClient,
    private readonly mail: MailService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * A global admin invites with any role, into a space or not. Anyone else only into a space
   * they administer (notes decides, asked as them), with a global role no higher than their own
   * and never admin: a space admin brings people into their space, not into the whole wiki.
   */
  async create(creator: SessionUser, input: InviteInput): Promise<NewInvite> {
    const email = input.email.toLowerCase();
    const space = input.spaceId ? await this.spaceToInviteInto(creator, input.spaceId) : undefined;
    if (creator.role !== 'admin') {
      if (!space) {
        throw new GatewayException('forbidden', 'Only admins invite people to the whole wiki.');
      }
      if (input.role === 'admin' || ROLE_RANK[input.role] > ROLE_RANK[creator.role]) {
        throw new GatewayException(
          'role_too_high',
          'You can invite people with a role up to your own (not admin).',
        );
      }
    }
    if (await this.users.findByEmail(email)) {
      throw new GatewayException(
        'email_taken',
        space
          ? 'Someone with this e-mail already has an account: add them as a member instead.'
          : 'Someone with this e-mail already has an account.',
      );
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
      spaceId: space?.id ?? null,
      spaceName: space?.name ?? null,
      spaceRole: space ? (input.spaceRole ?? 'editor') : null,
    };
    await this.invites.insert(invite);
    const url = linkUrl(this.config.publicUrl, `/invite/${token}`);
    const mailed =
      this.mail.enabled &&
      (await this.mail.send(
        inviteMail({
          to: email,
          url,
          role: invite.role,
          invitedBy: creator.name,
          wikiUrl: this.config.publicUrl.origin,
          space: space && { name: space.name, role: invite.spaceRole! },
          expiresAt: invite.expiresAt,
          now,
        }),
      ));
    return { ...view(invite), token, url, mailed };
  }

  /** The space, if `creator` may invite into it: 404 when they cannot read it, 403 when not admin. */
  private async spaceToInviteInto(creator: SessionUser, spaceId: string): Promise<Space> {
    const space = await this.notes.getSpace(spaceId, creator);
    if (!space.canAdmin) {
      throw new GatewayException('forbidden', 'Only the admins of this space can invite into it.');
    }
    return space;
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
  ): Promise<PublicUser & { space?: { slug: string } }> {
    const hash = linkTokenHash(token, 'inv');
    if (!hash) throw invalid();
    const { user, invite } = await this.acceptByHash(hash, {
      name: input.name,
      passwordHash: await this.hasher.hash(input.password),
      oidcIssuer: null,
      oidcSubject: null,
    });
    await this.auth.startSession(user, request, reply);
    const space = await this.joinSpace(invite, user);
    return { ...toPublicUser(user), ...(space ? { space } : {}) };
  }

  /**
   * Makes the new person a member of the space the invite names, asked of notes as the person
   * who invited them: if that person may no longer administer the space, no membership is
   * granted (the account stays; the space admin can add them later). Answers the space's slug
   * when the person is a member now.
   */
  async joinSpace(invite: InviteEntity, user: UserEntity): Promise<{ slug: string } | undefined> {
    if (!invite.spaceId || !invite.spaceRole) return undefined;
    try {
      const inviter = await this.inviterOf(invite);
      if (!inviter) throw new Error('the inviter has no active account any more');
      await this.notes.setSpaceMember(invite.spaceId, user.id, { role: invite.spaceRole }, inviter);
      const space = await this.notes.getSpace(invite.spaceId, toSessionUser(user));
      return { slug: space.slug };
    } catch (error) {
      this.logger.warn(
        { err: error, inviteId: invite.id, spaceId: invite.spaceId },
        'invite accepted, but the space membership was not granted',
      );
      return undefined;
    }
  }

  /** Who the invite acts as in notes: its creator (the bootstrap token stays itself). */
  private async inviterOf(invite: InviteEntity): Promise<SessionUser | undefined> {
    if (invite.createdBy === BOOTSTRAP_USER_ID) {
      return { id: BOOTSTRAP_USER_ID, name: 'Bootstrap token', role: 'admin' };
    }
    const inviter = await this.users.findById(invite.createdBy);
    return inviter && !inviter.disabledAt ? toSessionUser(inviter) : undefined;
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
    const { user, invite } = await this.acceptByHash(inviteHash, {
      name: (identity.name ?? identity.email ?? identity.subject).slice(0, 200),
      passwordHash: null,
      oidcIssuer: identity.issuer,
      oidcSubject: identity.subject,
    });
    await this.joinSpace(invite, user);
    return user;
  }

  private async acceptByHash(
    hash: string,
    fields: Pick<UserEntity, 'name' | 'passwordHash' | 'oidcIssuer' | 'oidcSubject'>,
  ): Promise<{ user: UserEntity; invite: InviteEntity }> {
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
    return { user, invite };
  }
}
