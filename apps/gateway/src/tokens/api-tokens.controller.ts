import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ROLES } from '@lateral/identity';
import { ZodPipe, singleLineText } from '@lateral/http';
import { z } from 'zod';
import { Roles } from '../auth/auth.decorators.js';
import { CurrentUser, type SessionUser } from '../auth/current-user.js';
import { ApiRateLimitGuard } from '../rate-limit/api-rate-limit.guard.js';
import { ApiTokensService } from './api-tokens.service.js';

const expiresInDays = z.coerce.number().int().min(1).max(3650);
const createToken = z.object({
  name: singleLineText().min(1).max(100),
  role: z.enum(ROLES).default('editor'),
  ownerId: z.uuid().optional(),
  expiresInDays: expiresInDays.optional(),
});
const createTokenFor = createToken.omit({ ownerId: true });

/**
 * Admins: every API token (owner, role, last use, expiry), tokens for anyone (a service account
 * for automation: `POST /api/v1/users/:id/tokens`), revoking any token. The secret is in the
 * creation answer only. People's own tokens: MyTokensController.
 */
@Controller('api/v1')
@UseGuards(ApiRateLimitGuard)
@Roles('admin')
export class TokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post('tokens')
  @HttpCode(201)
  create(
    @CurrentUser() user: SessionUser,
    @Body(new ZodPipe(createToken)) body: z.infer<typeof createToken>,
  ) {
    return this.tokens.create(user, body);
  }

  @Post('users/:id/tokens')
  @HttpCode(201)
  createFor(
    @CurrentUser() user: SessionUser,
    @Param('id', new ZodPipe(z.uuid())) ownerId: string,
    @Body(new ZodPipe(createTokenFor)) body: z.infer<typeof createTokenFor>,
  ) {
    return this.tokens.create(user, { ...body, ownerId });
  }

  @Get('tokens')
  async list() {
    return { items: await this.tokens.list() };
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  async revoke(@Param('id') id: string) {
    await this.tokens.revoke(id);
  }
}
