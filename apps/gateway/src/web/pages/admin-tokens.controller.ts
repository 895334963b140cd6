import { Controller, Get, Param, Post, Query, Redirect, Req } from '@nestjs/common';
import { ZodPipe } from '@lateral/http';
import { Clock } from '@lateral/observability';
import { type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type View } from '../render/view.js';
import { ApiTokensService, Roles, csrfTokenFor } from '../platform.js';
import { adminTokensView } from './admin-tokens.view.js';

const tokensQuery = z.object({ saved: z.string().max(20).optional() });

/** `/admin/tokens`: every API token (admins only). */
@Controller('admin/tokens')
@Roles('admin')
export class AdminTokensController {
  constructor(
    private readonly tokens: ApiTokensService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Query(new ZodPipe(tokensQuery)) query: z.infer<typeof tokensQuery>,
  ): Promise<View> {
    return adminTokensView({
      tokens: await this.tokens.list(),
      notice: query.saved === 'revoked' ? 'The token is revoked; it no longer works.' : undefined,
      csrfToken: csrfTokenFor(req),
      now: this.clock.now(),
    });
  }

  @Post(':id/revoke')
  @Redirect('/admin/tokens?saved=revoked', 303)
  async revoke(@Param('id') id: string): Promise<void> {
    await this.tokens.revoke(id);
  }
}
