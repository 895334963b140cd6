import { Clock } from '@lateral/observability';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Role } from '@lateral/identity';
import { type SessionUser } from '../auth/current-user.js';
import { GatewayConfig } from '../gateway.config.js';
import { randomSecret, sha256Hex } from '../auth/secrets.js';
import { GatewayException } from '../errors/gateway-errors.js';
import { UsersRepository } from '../users/users.repository.js';
import { type ApiTokenEntity } from './api-token.entity.js';
import { ApiTokensRepository } from './api-tokens.repository.js';

const TOKEN_PREFIX = 'lat_';
/** `last_used_at` is advisory; writing it on every call would put a write on every read. */
const MARK_USED_INTERVAL_MS = 60_000;
const ROLE_RANK: Record<Role, number> = { reader: 0, editor: 1, admin: 2 };

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  ownerId: string | null;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  expiresAt: string | null;
}

/** The admin's list: who each token acts for. */
export interface ApiTokenWithOwner extends ApiTokenView {
  owner: { id: string; name: string; email: string } | null;
}

export type NewApiToken = ApiTokenView & { token: string };

const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f-]{36}$/i;

export function hashApiToken(token: string): string {
  return sha256Hex(token);
}

/** A token is never more powerful than the person it acts for. */
export function effectiveRole(tokenRole: Role, ownerRole: Role | undefined): Role {
  if (ownerRole === undefined) return tokenRole;
  return ROLE_RANK[tokenRole] <= ROLE_RANK[ownerRole] ? tokenRole : ownerRole;
}

function view(token: ApiTokenEntity): ApiTokenView {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    role: token.role,
    ownerId: token.ownerId,
    createdBy: token.createdBy,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    expiresAt: token.expiresAt?.toISOString() ?? null,
  };
}

@Injectable()
export class ApiTokensService {
  constructor(
    private readonly tokens: ApiTokensRepository,
    private readonly users: UsersRepository,
    private readonly clock: Clock,
    private readonly config: GatewayConfig,
  ) {}

  /**
   * A person's own token (/settings, /api/v1/me/tokens): never a role above theirs, always with
   * an expiry (at most API_TOKEN_MAX_DAYS).
   */
  async createMine(
    caller: SessionUser,
    input: { name: string; role: Role; expiresInDays: number },
    viaToken: boolean,
  ): Promise<NewApiToken> {
    // A leaked short-lived token must not be able to mint itself a long-lived successor.
    if (viaToken) {
      throw new GatewayException('forbidden', 'Sign in to create your API tokens.');
    }
    if (ROLE_RANK[input.role] > ROLE_RANK[caller.role]) {
      throw new GatewayException(
        'role_too_high',
        `A token cannot have a role above yours (${caller.role}).`,
      );
    }
    return this.create(caller, {
      name: input.name,
      role: input.role,
      expiresInDays: Math.min(input.expiresInDays, this.config.people.tokenMaxDays),
    });
  }

  /** Creates a token; the secret is in the result only, never stored or shown again. */
  async create(
    creator: SessionUser,
    input: { name: string; role: Role; ownerId?: string; expiresInDays?: number },
  ): Promise<NewApiToken> {
    let ownerId: string | null = null;
    if (input.ownerId) {
      if (!(await this.users.findById(input.ownerId))) {
        throw new GatewayException('user_not_found', 'The token owner does not exist.');
      }
      ownerId = input.ownerId;
    } else if (await this.users.findById(creator.id)) {
      // Made by a person: it acts for them. Made by automation (bootstrap or an ownerless token):
      // it stands on its own.
      ownerId = creator.id;
    }
    const token = `${TOKEN_PREFIX}${randomSecret(32)}`;
    const now = this.clock.now();
    const entity: ApiTokenEntity = {
      id: randomUUID(),
      name: input.name,
      tokenHash: hashApiToken(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      role: input.role,
      ownerId,
      createdBy: creator.id,
      createdAt: now,
      lastUsedAt: null,
      revokedAt: null,
      expiresAt:
        input.expiresInDays === undefined
          ? null
          : new Date(now.getTime() + input.expiresInDays * DAY_MS),
    };
    await this.tokens.insert(entity);
    return { ...view(entity), token };
  }

  async list(): Promise<ApiTokenWithOwner[]> {
    return (await this.tokens.listWithOwners()).map(({ token, owner }) => ({
      ...view(token),
      owner: owner ? { id: owner.id, name: owner.name, email: owner.email } : null,
    }));
  }

  async listMine(caller: SessionUser): Promise<ApiTokenView[]> {
    return (await this.tokens.list(caller.id)).map(view);
  }

  /** Revokes any token (admins), or with `ownerId` only one of that person's. */
  async revoke(id: string, ownerId?: string): Promise<void> {
    if (!UUID.test(id) || !(await this.tokens.revoke(id, this.clock.now(), ownerId))) {
      throw new GatewayException('token_not_found', 'No such active token.');
    }
  }

  /** The caller behind a bearer token, or null for unknown, revoked or disabled-owner tokens. */
  async authenticate(
    token: string,
    now = this.clock.now(),
  ): Promise<{ user: SessionUser; tokenId: string } | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const found = await this.tokens.findActiveWithOwner(hashApiToken(token), now);
    if (!found) return null;
    const { token: entity, owner } = found;
    let user: SessionUser;
    if (entity.ownerId) {
      if (!owner || owner.disabledAt) return null;
      user = {
        id: owner.id,
        name: owner.name,
        email: owner.email,
        role: effectiveRole(entity.role, owner.role),
      };
    } else {
      user = { id: entity.id, name: entity.name, role: entity.role };
    }
    if (!entity.lastUsedAt || now.getTime() - entity.lastUsedAt.getTime() > MARK_USED_INTERVAL_MS) {
      await this.tokens.markUsed(entity.id, now);
    }
    return { user, tokenId: entity.id };
  }
}
