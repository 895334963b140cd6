import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { ROLES } from '@lateral/identity';
import { ZodPipe, singleLineText } from '@lateral/http';
import { type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CurrentUser, type SessionUser } from '../auth/current-user.js';
import { ApiRateLimitGuard } from '../rate-limit/api-rate-limit.guard.js';
import { ApiTokensService } from './api-tokens.service.js';

const createMyToken = z.object({
  name: singleLineText().min(1).max(100),
  role: z.enum(ROLES).default('reader'),
  expiresInDays: z.coerce.number().int().min(1).max(3650).default(90),
});

/** Everyone signed in: their own API tokens (a role no higher than theirs, always expiring). */
@Controller('api/v1/me/tokens')
@UseGuards(ApiRateLimitGuard)
export class MyTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Get()
  async list(@CurrentUser() user: SessionUser) {
    return { items: await this.tokens.listMine(user) };
  }

  @Post()
  @HttpCode(201)
  create(
    @Req() request: FastifyRequest,
    @CurrentUser() user: SessionUser,
    @Body(new ZodPipe(createMyToken)) body: z.infer<typeof createMyToken>,
  ) {
    return this.tokens.createMine(user, body, request.lateralAuth?.method === 'token');
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentUser() user: SessionUser, @Param('id') id: string) {
    await this.tokens.revoke(id, user.id);
  }
}
