import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ROLES } from '@lateral/identity';
import { ZodPipe, singleLineText } from '@lateral/http';
import { z } from 'zod';
import { Roles } from '../auth/auth.decorators.js';
import { CurrentUser, type SessionUser } from '../auth/current-user.js';
import { ApiRateLimitGuard } from '../rate-limit/api-rate-limit.guard.js';
import { ApiTokensService } from './api-tokens.service.js';

const createToken = z.object({
  name: singleLineText().min(1).max(100),
  role: z.enum(ROLES).default('editor'),
  ownerId: z.uuid().optional(),
});

/** Admins create (secret shown once), list and revoke API tokens. */
@Controller('api/v1/tokens')
@UseGuards(ApiRateLimitGuard)
@Roles('admin')
export class TokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @HttpCode(201)
  create(
    @CurrentUser() user: SessionUser,
    @Body(new ZodPipe(createToken)) body: z.infer<typeof createToken>,
  ) {
    return this.tokens.create(user, body);
  }

  @Get()
  async list() {
    return { items: await this.tokens.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id') id: string) {
    await this.tokens.revoke(id);
  }
}
