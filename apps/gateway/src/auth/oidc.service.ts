import { Inject, Injectable } from '@nestjs/common';
import { type Role } from '@lateral/identity';
import { LOGGER, type Logger } from '@lateral/observability';
import { isDomainException } from '@lateral/http';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GatewayException } from '../errors/gateway-errors.js';
import { GatewayConfig } from '../gateway.config.js';
import { GatewayMetrics } from '../gateway.metrics.js';
import { InvitesService } from '../invites/invites.service.js';
import { linkTokenHash } from '../invites/one-time-link.js';
import { type UserEntity } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { AuthService } from './auth.service.js';
import { roleFromGroups } from './oidc-roles.js';
import { SessionsService } from './sessions.service.js';
import { loginPageWithError } from './login-redirect.js';
import { OidcClient, type OidcFlowState } from './oidc.client.js';
import { safeNextPath } from './safe-redirect.js';

const OIDC_COOKIE = 'lateral_oidc';
const OIDC_COOKIE_PATH = '/auth/oidc';

/**
 * Single sign-on as a flow: the redirect to the provider (its state kept in a signed cookie), then
 * the callback that checks it, finds or links the account and starts a session. The protocol
 * itself is OidcClient's.
 */
@Injectable()
export class OidcService {
  constructor(
    private readonly client: OidcClient,
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly invites: InvitesService,
    private readonly sessions: SessionsService,
    private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get enabled(): boolean {
    return this.config.oidc !== undefined;
  }

  /** Where to send the browser to sign in (or, with `link`, to link the provider account). */
  async begin(
    request: FastifyRequest,
    reply: FastifyReply,
    query: { next?: string | undefined; link?: string | undefined; invite?: string | undefined },
  ): Promise<{ url: string }> {
    // `?link=1` by a signed-in person (session, not a token): link the provider account to theirs.
    const auth = request.lateralAuth;
    const link = query.link === '1';
    const linkUserId = link && auth?.method === 'session' ? auth.user.id : undefined;
    if (link && !linkUserId) {
      throw new GatewayException('unauthenticated', 'Sign in first to link your account.');
    }
    // `?invite=<token>`: the invitee signs up with the provider instead of a password. Only the
    // token's hash rides in the (signed, HttpOnly) cookie; the invite is checked at the callback.
    const inviteHash = query.invite === undefined ? undefined : linkTokenHash(query.invite, 'inv');
    if (query.invite !== undefined && !inviteHash) {
      throw new GatewayException('invite_invalid', 'This invite link is not valid.');
    }
    const begun = await this.client.begin(safeNextPath(query.next), linkUserId);
    const flow = { ...begun.flow, ...(inviteHash ? { inviteHash } : {}) };
    const url = begun.url;
    void reply.setCookie(OIDC_COOKIE, JSON.stringify(flow), {
      path: OIDC_COOKIE_PATH,
      httpOnly: true,
      // Lax: the provider sends the browser back with a top-level GET, which carries it.
      sameSite: 'lax',
      secure: this.config.cookieSecure,
      signed: true,
      maxAge: 600,
    });
    return { url };
  }

  /**
   * The provider's answer: where to send the browser (its `next`, signed in). A browser that
   * fails is sent back to the login page with the code; other callers get the error itself.
   */
  async callback(request: FastifyRequest, reply: FastifyReply): Promise<{ url: string }> {
    const flow = readFlowCookie(request);
    void reply.clearCookie(OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
    try {
      const next = await this.signIn(request, reply, flow);
      this.metrics.logins.inc({ method: 'oidc', result: 'success' });
      return { url: next };
    } catch (error) {
      this.metrics.logins.inc({ method: 'oidc', result: 'failure' });
      if (!(request.headers.accept ?? '').includes('text/html')) throw error;
      const code = isDomainException(error) ? error.code : 'oidc_failed';
      return { url: loginPageWithError(code, flow?.next ?? '/') };
    }
  }

  private async signIn(
    request: FastifyRequest,
    reply: FastifyReply,
    flow: OidcFlowState | undefined,
  ): Promise<string> {
    if (!flow)
      throw new GatewayException(
        'oidc_failed',
        'The sign-in took too long or came from another browser.',
      );
    const identity = await this.client.complete(request.url, flow);
    // Linking needs the same person still signed in in this browser when the provider answers.
    if (flow.linkUserId && request.lateralAuth?.user.id !== flow.linkUserId) {
      throw new GatewayException('oidc_failed', 'Sign in again to link your account.');
    }
    const settings = this.config.oidc!;
    // With OIDC_*_GROUPS set the provider's groups decide the role at every sign-in (an invite's
    // role holds until the next one).
    const groupRole =
      settings.roleGroups &&
      roleFromGroups(identity.groups, settings.roleGroups, settings.defaultRole);
    let user = flow.inviteHash
      ? await this.invites.acceptWithOidc(flow.inviteHash, identity)
      : await this.users.findOrCreateOidc({
          ...identity,
          defaultRole: groupRole ?? settings.defaultRole,
          trustedEmailLinking: settings.trustedEmailLinking,
          ...(flow.linkUserId ? { linkTo: flow.linkUserId } : {}),
        });
    if (groupRole && !flow.inviteHash && user.role !== groupRole && !user.disabledAt) {
      user = await this.applyGroupRole(user, groupRole);
    }
    if (user.disabledAt) throw new GatewayException('oidc_failed', 'This account is disabled.');
    await this.auth.startSession(user, request, reply);
    return flow.next;
  }

  /**
   * The role the provider's groups give. A change ends the person's other sessions, as when an
   * admin changes it; the wiki's last active admin keeps the role (and signs in), so a group
   * change at the provider cannot leave the wiki without an admin.
   */
  private async applyGroupRole(user: UserEntity, role: Role): Promise<UserEntity> {
    try {
      const changed = await this.users.update(user.id, { role });
      await this.sessions.destroyAllFor(user.id);
      return changed;
    } catch (error) {
      if (!(isDomainException(error) && error.code === 'last_admin')) throw error;
      this.logger.warn(
        { userId: user.id },
        'the identity provider no longer makes the last active admin an admin; the role is kept',
      );
      return user;
    }
  }
}

/** What the signed cookie must hold; anything else (tampered, old) starts the flow over. */
const flowCookie = z.object({
  state: z.string(),
  nonce: z.string(),
  verifier: z.string(),
  next: z.string().transform((next) => safeNextPath(next)),
  linkUserId: z.string().optional(),
  inviteHash: z.string().optional(),
});

/** The flow state from the signed cookie, or nothing when it is missing, forged or stale. */
function readFlowCookie(request: FastifyRequest): OidcFlowState | undefined {
  const raw = request.cookies?.[OIDC_COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return undefined;
  try {
    const parsed = flowCookie.safeParse(JSON.parse(unsigned.value));
    if (!parsed.success) return undefined;
    const { linkUserId, inviteHash, ...flow } = parsed.data;
    return {
      ...flow,
      ...(linkUserId ? { linkUserId } : {}),
      ...(inviteHash ? { inviteHash } : {}),
    };
  } catch {
    // Not JSON: a tampered or old cookie; the flow starts over.
    return undefined;
  }
}
