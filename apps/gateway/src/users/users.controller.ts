import {
  Body,
  Controller,
  Get,
  Param,
  Patch,
  Post,
  Put,
  Query,
  HttpCode,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ROLES } from '@lateral/identity';
import { ZodPipe, safeText, singleLineText } from '@lateral/http';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Roles } from '../auth/auth.decorators.js';
import { AuthService } from '../auth/auth.service.js';
import { CurrentUser, type SessionUser } from '../auth/current-user.js';
import { PasswordResetsService } from '../invites/password-resets.service.js';
import { ApiRateLimitGuard } from '../rate-limit/api-rate-limit.guard.js';
import { UserAdminService } from './user-admin.service.js';
import { UsersService, toPublicUser } from './users.service.js';

const password = safeText().min(12, 'must be at least 12 characters').max(1024);
const createUser = z.object({
  email: singleLineText().max(320).pipe(z.email()),
  name: singleLineText().min(1).max(200),
  role: z.enum(ROLES).default('editor'),
  password: password.optional(),
});
const changePassword = z.object({
  currentPassword: safeText().min(1).max(1024),
  newPassword: password,
});
const updateUser = z.object({
  name: singleLineText().min(1).max(200).optional(),
  role: z.enum(ROLES).optional(),
  password: password.optional(),
  disabled: z.boolean().optional(),
});
const updateMe = z.object({ name: singleLineText().min(1).max(200) });
const listUsers = z.object({
  q: singleLineText().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

@Controller('api/v1')
@UseGuards(ApiRateLimitGuard)
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly admin: UserAdminService,
    private readonly resets: PasswordResetsService,
    private readonly auth: AuthService,
  ) {}

  /** Who am I: handy for scripts checking a token, and for the UI. */
  @Get('me')
  me(@CurrentUser() user: SessionUser) {
    return { user };
  }

  @Put('me')
  async rename(
    @CurrentUser() user: SessionUser,
    @Body(new ZodPipe(updateMe)) body: z.infer<typeof updateMe>,
  ) {
    return { user: await this.admin.rename(user, body.name) };
  }

  /** People change their own password (the first admin's printed one, above all). */
  @Post('me/password')
  @HttpCode(204)
  async changePassword(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentUser() user: SessionUser,
    @Body(new ZodPipe(changePassword)) body: z.infer<typeof changePassword>,
  ) {
    await this.auth.changeOwnPassword(request, reply, user, {
      current: body.currentPassword,
      next: body.newPassword,
    });
  }

  @Get('users')
  @Roles('admin')
  list(@Query(new ZodPipe(listUsers)) query: z.infer<typeof listUsers>) {
    return this.admin.search(query);
  }

  @Post('users')
  @Roles('admin')
  @HttpCode(201)
  async create(@Body(new ZodPipe(createUser)) body: z.infer<typeof createUser>) {
    return toPublicUser(await this.users.create(body));
  }

  @Patch('users/:id')
  @Roles('admin')
  update(
    @CurrentUser() actor: SessionUser,
    @Param('id') id: string,
    @Body(new ZodPipe(updateUser)) body: z.infer<typeof updateUser>,
  ) {
    return this.admin.update(actor, id, body);
  }

  /** A one-time link that sets the person's password (shown to the admin to pass on). */
  @Post('users/:id/reset-link')
  @Roles('admin')
  @HttpCode(201)
  resetLink(@CurrentUser() actor: SessionUser, @Param('id') id: string) {
    return this.resets.create(actor, id);
  }
}
