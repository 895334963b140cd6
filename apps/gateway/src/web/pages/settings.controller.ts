import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Redirect,
  Req,
  Res,
} from '@nestjs/common';
import { ROLES } from '@lateral/identity';
import { ZodPipe, safeText, singleLineText } from '@lateral/http';
import { Clock } from '@lateral/observability';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type View } from '../render/view.js';
import { ViewResponse } from '../render/view-response.js';
import {
  ApiTokensService,
  AuthService,
  CurrentUser,
  GatewayConfig,
  UserAdminService,
  UsersService,
  csrfTokenFor,
  newPassword,
  personName,
  type SessionUser,
} from '../platform.js';
import { formStrings, readForm, refusal } from './people-form.js';
import { settingsView, type SettingsModel, type SettingsSection } from './settings.view.js';

const NOTICES: Record<string, string> = {
  name: 'Your name is saved.',
  password: 'Your password is changed. Every other session of yours has ended.',
  revoked: 'The token is revoked; it no longer works.',
};
const settingsQuery = z.object({ saved: z.string().max(20).optional() });
const nameForm = formStrings('name');
const passwordForm = formStrings('currentPassword', 'newPassword');
const tokenForm = formStrings('name', 'role', 'expiresInDays');
const passwordFields = z.object({
  currentPassword: safeText().min(1, 'Enter your current password.').max(1024),
  newPassword,
});
const tokenFields = z.object({
  name: singleLineText().min(1, 'Name the token.').max(100, 'Keep the name under 100 characters.'),
  role: z.enum(ROLES, 'Choose a role.'),
  expiresInDays: z.coerce.number('Choose an expiry.').int().min(1).max(3650),
});
const REFUSALS = {
  invalid_credentials: 422,
  rate_limited: 429,
  role_too_high: 403,
  forbidden: 403,
  user_not_found: 404,
};

/** `/settings` for everyone signed in: name, password, API tokens. */
@Controller('settings')
export class SettingsController {
  constructor(
    private readonly users: UsersService,
    private readonly admin: UserAdminService,
    private readonly auth: AuthService,
    private readonly tokens: ApiTokensService,
    private readonly config: GatewayConfig,
    private readonly clock: Clock,
  ) {}

  private async page(
    user: SessionUser,
    req: FastifyRequest,
    extra: Partial<SettingsModel> = {},
  ): Promise<View> {
    const account = await this.users.findById(user.id);
    return settingsView({
      name: account?.name ?? user.name,
      email: account?.email ?? user.email,
      role: user.role,
      hasPassword: account?.passwordHash != null,
      tokens: await this.tokens.listMine(user),
      maxTokenDays: this.config.people.tokenMaxDays,
      csrfToken: csrfTokenFor(req),
      now: this.clock.now(),
      ...extra,
    });
  }

  /** The page again with the section's error, as a status other than 200. */
  private async refused(
    user: SessionUser,
    req: FastifyRequest,
    section: SettingsSection,
    message: string,
    status: number,
  ): Promise<ViewResponse> {
    return new ViewResponse(await this.page(user, req, { error: { section, message } }), status);
  }

  @Get()
  show(
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
    @Query(new ZodPipe(settingsQuery)) query: z.infer<typeof settingsQuery>,
  ): Promise<View> {
    return this.page(user, req, { notice: query.saved ? NOTICES[query.saved] : undefined });
  }

  @Post('name')
  @Redirect('/settings?saved=name', 303)
  async rename(
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
    @Body(new ZodPipe(nameForm)) body: z.infer<typeof nameForm>,
  ): Promise<void> {
    const form = readForm(z.object({ name: personName }), body);
    if (!form.ok) throw await this.refused(user, req, 'name', form.error, form.status);
    try {
      await this.admin.rename(user, form.data.name);
    } catch (error) {
      const { status, message } = refusal(error, REFUSALS);
      throw await this.refused(user, req, 'name', message, status);
    }
  }

  @Post('password')
  @Redirect('/settings?saved=password', 303)
  async changePassword(
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body(new ZodPipe(passwordForm)) body: z.infer<typeof passwordForm>,
  ): Promise<void> {
    const form = readForm(passwordFields, body);
    if (!form.ok) throw await this.refused(user, req, 'password', form.error, form.status);
    try {
      await this.auth.changeOwnPassword(req, reply, user, {
        current: form.data.currentPassword,
        next: form.data.newPassword,
      });
    } catch (error) {
      const { status, message } = refusal(error, REFUSALS);
      throw await this.refused(user, req, 'password', message, status);
    }
  }

  /** Answers the page itself (not a redirect): the secret is shown this once. */
  @Post('tokens')
  @HttpCode(201)
  async createToken(
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
    @Body(new ZodPipe(tokenForm)) body: z.infer<typeof tokenForm>,
  ): Promise<View> {
    const form = readForm(tokenFields, body);
    if (!form.ok) throw await this.refused(user, req, 'tokens', form.error, form.status);
    try {
      const created = await this.tokens.createMine(
        user,
        form.data,
        req.lateralAuth?.method === 'token',
      );
      return await this.page(user, req, { newToken: { name: created.name, token: created.token } });
    } catch (error) {
      const { status, message } = refusal(error, REFUSALS);
      throw await this.refused(user, req, 'tokens', message, status);
    }
  }

  @Post('tokens/:id/revoke')
  @Redirect('/settings?saved=revoked', 303)
  async revokeToken(@CurrentUser() user: SessionUser, @Param('id') id: string): Promise<void> {
    await this.tokens.revoke(id, user.id);
  }
}
