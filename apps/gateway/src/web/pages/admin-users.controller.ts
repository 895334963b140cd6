import { Body, Controller, Get, HttpCode, Param, Post, Query, Redirect, Req } from '@nestjs/common';
import { ROLES } from '@lateral/identity';
import { ZodPipe, singleLineText } from '@lateral/http';
import { Clock } from '@lateral/observability';
import { type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type View } from '../render/view.js';
import { ViewResponse } from '../render/view-response.js';
import {
  CurrentUser,
  InvitesService,
  PasswordResetsService,
  Roles,
  UserAdminService,
  csrfTokenFor,
  inviteFields,
  type SessionUser,
} from '../platform.js';
import { adminUsersView, type AdminUsersModel } from './admin-users.view.js';
import { formStrings, readForm, refusal } from './people-form.js';

const PAGE_SIZE = 50;
const NOTICES: Record<string, string> = {
  role: 'The role is changed; that person was signed out everywhere.',
  disabled: 'The account is disabled: its sessions and API tokens no longer work.',
  enabled: 'The account is enabled again.',
  withdrawn: 'The invite is withdrawn; its link no longer works.',
};
const listQuery = z.object({
  q: singleLineText().max(200).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  saved: z.string().max(20).optional(),
});
const inviteForm = formStrings('email', 'role');
const roleForm = z.object({ role: z.enum(ROLES) });
const REFUSALS = {
  email_taken: 409,
  self_change_refused: 409,
  last_admin: 409,
  user_not_found: 404,
  invite_not_found: 404,
};

/** `/admin/users`: accounts, invites and reset links (admins only). */
@Controller('admin')
@Roles('admin')
export class AdminUsersController {
  constructor(
    private readonly people: UserAdminService,
    private readonly invites: InvitesService,
    private readonly resets: PasswordResetsService,
    private readonly clock: Clock,
  ) {}

  private async page(
    user: SessionUser,
    req: FastifyRequest,
    query: { q?: string | undefined; page: number },
    extra: Partial<AdminUsersModel> = {},
  ): Promise<View> {
    const q = query.q?.trim() ?? '';
    const found = await this.people.search({
      q,
      limit: PAGE_SIZE,
      offset: (query.page - 1) * PAGE_SIZE,
    });
    return adminUsersView({
      users: found.items,
      total: found.total,
      query: q,
      page: query.page,
      pageSize: PAGE_SIZE,
      invites: await this.invites.listPending(),
      selfId: user.id,
      csrfToken: csrfTokenFor(req),
      now: this.clock.now(),
      ...extra,
    });
  }

  private async refused(user: SessionUser, req: FastifyRequest, error: unknown, extra = {}) {
    const { status, message } = refusal(error, REFUSALS);
    return new ViewResponse(
      await this.page(user, req, { page: 1 }, { error: message, ...extra }),
      status,
    );
  }

  @Get('users')
  list(
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
    @Query(new ZodPipe(listQuery)) query: z.infer<typeof listQuery>,
  ): Promise<View> {
    return this.page(user, req, query, {
      notice: query.saved ? NOTICES[query.saved] : undefined,
    });
  }

  /** Answers the page with the link to copy (it is not stored, so it is shown this once). */
  @Post('invites')
  @HttpCode(201)
  async invite(
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
    @Body(new ZodPipe(inviteForm)) body: z.infer<typeof inviteForm>,
  ): Promise<View> {
    const kept = {
      email: body.email ?? '',
      role: ROLES.find((r) => r === body.role) ?? ('editor' as const),
    };
    const form = readForm(inviteFields, body);
    if (!form.ok) {
      throw new ViewResponse(
        await this.page(user, req, { page: 1 }, { error: form.error, inviteForm: kept }),
        form.status,
      );
    }
    try {
      const invite = await this.invites.create(user, form.data);
      return await this.page(
        user,
        req,
        { page: 1 },
        {
          link: {
            label: `Invite link for ${invite.email} (${invite.role})`,
            url: invite.url,
            note: invite.mailed
              ? `Mailed to ${invite.email}. It works once; this is the only other place it is shown.`
              : 'Copy it and send it to them: it is shown only this once and works once.',
          },
        },
      );
    } catch (error) {
      throw await this.refused(user, req, error, { inviteForm: kept });
    }
  }

  @Post('invites/:id/revoke')
  @Redirect('/admin/users?saved=withdrawn', 303)
  async withdraw(@Param('id') id: string): Promise<void> {
    await this.invites.revoke(id);
  }

  @Post('users/:id/role')
  @Redirect('/admin/users?saved=role', 303)
  async changeRole(
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
    @Param('id') id: string,
    @Body(new ZodPipe(roleForm)) body: z.infer<typeof roleForm>,
  ): Promise<void> {
    await this.people.update(user, id, { role: body.role }).catch(async (error: unknown) => {
      throw await this.refused(user, req, error);
    });
  }

  @Post('users/:id/disable')
  @Redirect('/admin/users?saved=disabled', 303)
  async disable(
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
    @Param('id') id: string,
  ): Promise<void> {
    await this.people.update(user, id, { disabled: true }).catch(async (error: unknown) => {
      throw await this.refused(user, req, error);
    });
  }

  @Post('users/:id/enable')
  @Redirect('/admin/users?saved=enabled', 303)
  async enable(
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
    @Param('id') id: string,
  ): Promise<void> {
    await this.people.update(user, id, { disabled: false }).catch(async (error: unknown) => {
      throw await this.refused(user, req, error);
    });
  }

  @Post('users/:id/reset-link')
  @HttpCode(201)
  async resetLink(
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
    @Param('id') id: string,
  ): Promise<View> {
    try {
      const link = await this.resets.create(user, id);
      return await this.page(
        user,
        req,
        { page: 1 },
        {
          link: {
            label: 'Password reset link',
            url: link.url,
            note: link.mailed
              ? 'Mailed to them. It works once; this is the only other place it is shown.'
              : 'Copy it and send it to them: it works once and is shown only now.',
          },
        },
      );
    } catch (error) {
      throw await this.refused(user, req, error);
    }
  }
}
