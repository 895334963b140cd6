import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { parseWith, safeText, singleLineText } from '@lateral/http';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainException } from '@lateral/http';
import { GatewayException } from '../errors/gateway-errors.js';
import { GatewayConfig } from '../gateway.config.js';
import { GatewayMetrics } from '../gateway.metrics.js';
import { UsersService } from '../users/users.service.js';
import { Public, SkipCsrf } from './auth.decorators.js';
import { AuthService } from './auth.service.js';
import { csrfTokenFor } from './csrf.js';
import { OidcService, type OidcFlowState } from './oidc.service.js';
import { safeNextPath } from './safe-redirect.js';

const loginBody = z.object({
  email: singleLineText().min(1).max(320),
  password: safeText().min(1).max(1024),
  // Never stored: safeNextPath drops a `next` with control characters and signs in anyway.
  next: z.string().optional(),
});

const OIDC_COOKIE = 'lateral_oidc';
const OIDC_COOKIE_PATH = '/auth/oidc';

/** A browser form post (answered with redirects) rather than an API client (answered with JSON). */
function isFormPost(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function loginPageWithError(code: string, next: string): string {
  const params = new URLSearchParams({ error: code });
  if (next !== '/') params.set('next', next);
  return `/login?${params.toString()}`;
}

/**
 * Sign-in and sign-out endpoints. The login page itself (GET /login) is rendered by the web UI;
 * its form posts here. Form posts get 303 redirects, JSON clients get JSON.
 */
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly oidc: OidcService,
    private readonly users: UsersService,
    private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  // No session exists yet, so there is no CSRF token; Nest's cross-origin protection
  // (Sec-Fetch-Site / Origin) still rejects login forms posted from other sites.
  @Post('login')
  @Public()
  @SkipCsrf()
  @HttpCode(200)
  async login(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() body: unknown,
  ) {
    const form = isFormPost(request);
    const next = safeNextPath((body as { next?: unknown } | undefined)?.next);
    try {
      const user = await this.auth.loginWithPassword(request, reply, parseWith(loginBody, body));
      if (form) return void reply.redirect(next, 303);
      return { user, next };
    } catch (error) {
      if (!form || !(error instanceof DomainException)) throw error;
      const domain = error as DomainException<string>;
      if (domain.headers?.['retry-after'])
        void reply.header('retry-after', domain.headers['retry-after']);
      return void reply.redirect(loginPageWithError(domain.code, next), 303);
    }
  }

  /** The signed-in caller and, for cookie sessions, the CSRF token for unsafe requests. */
  @Get('api/v1/session')
  session(@Req() request: FastifyRequest) {
    const auth = request.lateralAuth;
    return { user: auth?.user, method: auth?.method, csrfToken: csrfTokenFor(request) || null };
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.auth.logout(request, reply);
    if (isFormPost(request) || (request.headers.accept ?? '').includes('text/html')) {
      void reply.redirect('/login', 303);
    }
  }

  @Get('auth/oidc/login')
  @Public()
  async oidcLogin(
    @Req() request: FastifyRequest,
    @Query('next') nextParam: unknown,
    @Query('link') link: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // `?link=1` by a signed-in person (session, not a token): link the provider account to theirs.
    const auth = request.lateralAuth;
    const linkUserId = link === '1' && auth?.method === 'session' ? auth.user.id : undefined;
    if (link === '1' && !linkUserId) {
      throw new GatewayException('unauthenticated', 'Sign in first to link your account.');
    }
    const { url, flow } = await this.oidc.begin(safeNextPath(nextParam), linkUserId);
    void reply.setCookie(OIDC_COOKIE, JSON.stringify(flow), {
      path: OIDC_COOKIE_PATH,
      httpOnly: true,
      // Lax: the provider sends the browser back with a top-level GET, which carries it.
      sameSite: 'lax',
      secure: this.config.cookieSecure,
      signed: true,
      maxAge: 600,
    });
    void reply.redirect(url, 302);
  }

  @Get('auth/oidc/callback')
  @Public()
  async oidcCallback(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const flow = readFlowCookie(request);
    void reply.clearCookie(OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
    try {
      if (!flow)
        throw new GatewayException(
          'oidc_failed',
          'The sign-in took too long or came from another browser.',
        );
      const identity = await this.oidc.complete(request.url, flow);
      // Linking needs the same person still signed in in this browser when the provider answers.
      if (flow.linkUserId && request.lateralAuth?.user.id !== flow.linkUserId) {
        throw new GatewayException('oidc_failed', 'Sign in again to link your account.');
      }
      const user = await this.users.findOrCreateOidc({
        ...identity,
        defaultRole: this.config.oidc!.defaultRole,
        trustedEmailLinking: this.config.oidc!.trustedEmailLinking,
        ...(flow.linkUserId ? { linkTo: flow.linkUserId } : {}),
      });
      if (user.disabledAt) throw new GatewayException('oidc_failed', 'This account is disabled.');
      await this.auth.startSession(user, request, reply);
      this.metrics.logins.inc({ method: 'oidc', result: 'success' });
      void reply.redirect(flow.next, 303);
    } catch (error) {
      this.metrics.logins.inc({ method: 'oidc', result: 'failure' });
      if (!(request.headers.accept ?? '').includes('text/html')) throw error;
      const code =
        error instanceof DomainException ? (error as DomainException<string>).code : 'oidc_failed';
      void reply.redirect(loginPageWithError(code, flow?.next ?? '/'), 303);
    }
  }
}

function readFlowCookie(request: FastifyRequest): OidcFlowState | undefined {
  const raw = request.cookies?.[OIDC_COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return undefined;
  try {
    const flow = JSON.parse(unsigned.value) as Partial<OidcFlowState>;
    if (
      typeof flow.state === 'string' &&
      typeof flow.nonce === 'string' &&
      typeof flow.verifier === 'string' &&
      typeof flow.next === 'string'
    ) {
      return {
        state: flow.state,
        nonce: flow.nonce,
        verifier: flow.verifier,
        next: safeNextPath(flow.next),
        ...(typeof flow.linkUserId === 'string' ? { linkUserId: flow.linkUserId } : {}),
      };
    }
  } catch {
    // A tampered or old cookie: the flow starts over.
  }
  return undefined;
}
