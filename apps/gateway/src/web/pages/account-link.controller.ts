import { Body, Controller, Get, Param, Post, Redirect, Req, Res } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { ZodPipe } from '@lateral/http';
import { type z } from 'zod';
import { type View } from '../render/view.js';
import { ViewResponse } from '../render/view-response.js';
import {
  InvitesService,
  OidcService,
  PasswordResetsService,
  Public,
  acceptInviteFields,
  csrfTokenFor,
} from '../platform.js';
import { deadLinkView, inviteView, resetView } from './account-link.view.js';
import { formStrings, readForm, refusal } from './people-form.js';

const inviteForm = formStrings('name', 'password');
const resetForm = formStrings('password');
const resetFields = acceptInviteFields.pick({ password: true });
// Used or expired links get their own page; a taken e-mail is shown on the form.
const LINK_REFUSALS = { invite_invalid: 410, reset_link_invalid: 410, email_taken: 409 };

/**
 * The pages behind one-time links: `/invite/<token>` (sign up) and `/reset/<token>` (new
 * password). Both sign the person in and go to the home page.
 */
@Controller()
@Public()
export class AccountLinkController {
  constructor(
    private readonly invites: InvitesService,
    private readonly resets: PasswordResetsService,
    private readonly oidc: OidcService,
  ) {}

  @Get('invite/:token')
  async invite(@Param('token') token: string, @Req() req: FastifyRequest): Promise<View> {
    const invite = await this.invites.describe(token).catch(deadLink);
    return inviteView({
      ...invite,
      token,
      name: '',
      error: undefined,
      csrfToken: csrfTokenFor(req),
      oidc: this.oidc.enabled,
    });
  }

  @Post('invite/:token')
  @Redirect('/', 303)
  async accept(
    @Param('token') token: string,
    @Body(new ZodPipe(inviteForm)) body: z.infer<typeof inviteForm>,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ url: string }> {
    const invite = await this.invites.describe(token).catch(deadLink);
    const again = (error: string, status: number) =>
      new ViewResponse(
        inviteView({
          ...invite,
          token,
          name: body.name ?? '',
          error,
          csrfToken: csrfTokenFor(req),
          oidc: this.oidc.enabled,
        }),
        status,
      );
    const form = readForm(acceptInviteFields, body);
    if (!form.ok) throw again(form.error, form.status);
    let joined;
    try {
      joined = await this.invites.accept(req, reply, token, form.data);
    } catch (error) {
      const { status, message } = refusal(error, LINK_REFUSALS);
      throw status === 410 ? new ViewResponse(deadLinkView(message), 410) : again(message, status);
    }
    // Invited into a space: start there.
    return { url: joined.space ? `/spaces/${encodeURIComponent(joined.space.slug)}` : '/' };
  }

  @Get('reset/:token')
  async reset(@Param('token') token: string, @Req() req: FastifyRequest): Promise<View> {
    const user = await this.resets.describe(token).catch(deadLink);
    return resetView({ token, email: user.email, error: undefined, csrfToken: csrfTokenFor(req) });
  }

  @Post('reset/:token')
  @Redirect('/', 303)
  async setPassword(
    @Param('token') token: string,
    @Body(new ZodPipe(resetForm)) body: z.infer<typeof resetForm>,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ url: string }> {
    const user = await this.resets.describe(token).catch(deadLink);
    const form = readForm(resetFields, body);
    if (!form.ok) {
      throw new ViewResponse(
        resetView({ token, email: user.email, error: form.error, csrfToken: csrfTokenFor(req) }),
        form.status,
      );
    }
    try {
      await this.resets.use(req, reply, token, form.data.password);
    } catch (error) {
      throw new ViewResponse(deadLinkView(refusal(error, LINK_REFUSALS).message), 410);
    }
    return { url: '/' };
  }
}

function deadLink(error: unknown): never {
  throw new ViewResponse(deadLinkView(refusal(error, LINK_REFUSALS).message), 410);
}
