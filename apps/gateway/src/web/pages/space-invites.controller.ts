import { Body, Controller, HttpCode, Param, Post, Redirect, Req } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { ZodPipe } from '@lateral/http';
import { z } from 'zod';
import { type View } from '../render/view.js';
import { ViewResponse } from '../render/view-response.js';
import { readForm, refusal } from './people-form.js';
import { SpaceSettingsService } from './space-settings.service.js';
import {
  CurrentUser,
  InvitesService,
  inviteFields,
  NotesClient,
  type SessionUser,
} from '../platform.js';

// Shapes only: the e-mail is read by the invite schema, the roles by InvitesService's rules.
const inviteFormFields = z.object({
  email: z.string().max(1000).default(''),
  role: z.enum(['reader', 'editor', 'admin']).default('editor'),
  spaceRole: z.enum(['reader', 'editor', 'admin']).default('editor'),
});
const INVITE_REFUSALS = { email_taken: 409, role_too_high: 403, forbidden: 403 };

/** A space's admins invite people into it, and delete it once it is empty. */
@Controller('spaces')
export class SpaceInvitesController {
  constructor(
    private readonly settings: SpaceSettingsService,
    private readonly invites: InvitesService,
    private readonly notes: NotesClient,
  ) {}

  /** Invites someone new into the space; the page shows the link once (and mails it with SMTP). */
  @Post(':slug/invites')
  @HttpCode(200)
  async invite(
    @Param('slug') slug: string,
    @Body(new ZodPipe(inviteFormFields)) body: z.infer<typeof inviteFormFields>,
    @CurrentUser() user: SessionUser,
    @Req() req: FastifyRequest,
  ): Promise<View> {
    const space = await this.settings.adminSpace(slug);
    const form = readForm(inviteFields, { email: body.email.trim(), role: body.role });
    const again = async (message: string, status: number) =>
      new ViewResponse(
        await this.settings.page(space, req, { error: { section: 'invite', message } }),
        status,
      );
    if (!form.ok) throw await again(form.error, form.status);
    try {
      const invite = await this.invites.create(user, {
        ...form.data,
        spaceId: space.id,
        spaceRole: body.spaceRole,
      });
      return await this.settings.page(space, req, {
        invite: { email: invite.email, url: invite.url, mailed: invite.mailed },
      });
    } catch (error) {
      const { status, message } = refusal(error, INVITE_REFUSALS);
      throw await again(message, status);
    }
  }

  /** Deletes the space when it is empty; otherwise the settings say what is still in it. */
  @Post(':slug/delete')
  @Redirect('/', 303)
  async delete(@Param('slug') slug: string, @Req() req: FastifyRequest): Promise<{ url: string }> {
    const space = await this.settings.adminSpace(slug);
    await this.settings.refusedOnPage(space, req, 'delete', () => this.notes.deleteSpace(space.id));
    return { url: `/spaces?deleted=${encodeURIComponent(space.name)}` };
  }
}
