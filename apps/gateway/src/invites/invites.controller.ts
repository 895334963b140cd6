import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ROLES } from '@lateral/identity';
import { ZodPipe, singleLineText } from '@lateral/http';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Public, Roles } from '../auth/auth.decorators.js';
import { CurrentUser, type SessionUser } from '../auth/current-user.js';
import { ApiRateLimitGuard } from '../rate-limit/api-rate-limit.guard.js';
import { acceptInviteFields, inviteFields } from './invite-forms.js';
import { InvitesService } from './invites.service.js';

const createInvite = z.object({
  email: inviteFields.shape.email,
  role: z.enum(ROLES).default('editor'),
  /** Into a space (notes' id or slug): its admins may invite too; the invitee becomes a member. */
  spaceId: singleLineText().min(1).max(200).optional(),
  spaceRole: z.enum(ROLES).optional(),
});

/**
 * Admins invite people by e-mail (space admins: into their space); the invitee accepts with the
 * link's token (no sign-in).
 */
@Controller('api/v1/invites')
@UseGuards(ApiRateLimitGuard)
export class InvitesController {
  constructor(private readonly invites: InvitesService) {}

  @Get()
  @Roles('admin')
  async list() {
    return { items: await this.invites.listPending() };
  }

  /**
   * The answer's `url` is the link to pass on; it is not stored and never shown again. Who may
   * invite whom is InvitesService's rule (any signed-in caller gets there).
   */
  @Post()
  @HttpCode(201)
  create(
    @CurrentUser() user: SessionUser,
    @Body(new ZodPipe(createInvite)) body: z.infer<typeof createInvite>,
  ) {
    return this.invites.create(user, body);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  async revoke(@Param('id') id: string) {
    await this.invites.revoke(id);
  }

  /** Creates the account and answers with a session cookie, as `POST /login` does. */
  @Post(':token/accept')
  @Public()
  @HttpCode(201)
  async accept(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('token', new ZodPipe(singleLineText().max(100))) token: string,
    @Body(new ZodPipe(acceptInviteFields)) body: z.infer<typeof acceptInviteFields>,
  ) {
    return { user: await this.invites.accept(request, reply, token, body) };
  }
}
