import {
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Query,
  Redirect,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { ZodPipe, safeText, singleLineText } from '@lateral/http';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Public, SkipCsrf } from './auth.decorators.js';
import { AuthService } from './auth.service.js';
import { csrfTokenFor } from './csrf.js';
import { LoginFormInterceptor } from './login-form.interceptor.js';
import { isFormPost } from './login-redirect.js';
import { OidcService } from './oidc.service.js';
import { safeNextPath } from './safe-redirect.js';

const loginBody = z.object({
  email: singleLineText().min(1).max(320),
  password: safeText().min(1).max(1024),
  // Never stored: safeNextPath drops a `next` with control characters and signs in anyway.
  next: z
    .string()
    .optional()
    .transform((next) => safeNextPath(next)),
});

const oidcLoginQuery = z.object({
  // Checked by safeNextPath (same-site paths only) when the flow starts.
  next: z.string().optional(),
  // `1`: link the provider account to the signed-in person's.
  link: z.string().optional(),
  // An invite link's token: sign up with the provider (checked by OidcService.begin).
  invite: z.string().max(100).optional(),
});

/**
 * Sign-in and sign-out endpoints. The login page itself (GET /login) is rendered by the web UI;
 * its form posts here. Form posts get 303 redirects (LoginFormInterceptor), JSON clients get JSON.
 */
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly oidc: OidcService,
  ) {}

  // No session exists yet, so there is no CSRF token; Nest's cross-origin protection
  // (Sec-Fetch-Site / Origin) still rejects login forms posted from other sites.
  @Post('login')
  @Public()
  @SkipCsrf()
  @HttpCode(200)
  @UseInterceptors(LoginFormInterceptor)
  async login(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body(new ZodPipe(loginBody)) body: z.infer<typeof loginBody>,
  ) {
    return { user: await this.auth.loginWithPassword(request, reply, body), next: body.next };
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
  @Redirect('/', 302)
  oidcLogin(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query(new ZodPipe(oidcLoginQuery)) query: z.infer<typeof oidcLoginQuery>,
  ): Promise<{ url: string }> {
    return this.oidc.begin(request, reply, query);
  }

  @Get('auth/oidc/callback')
  @Public()
  @Redirect('/', 303)
  oidcCallback(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ url: string }> {
    return this.oidc.callback(request, reply);
  }
}
