import { Controller, Get, Param, ParseIntPipe, Post, Query, Redirect, Req } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { type View } from '../render/view.js';
import { RevisionsService } from './revisions.service.js';
import { Roles, CurrentUser, hasRole, type SessionUser, csrfTokenFor } from '../platform.js';

const canEdit = (user: SessionUser | undefined) => !!user && hasRole(user.role, 'editor');

@Controller('notes/:slug')
export class RevisionsController {
  constructor(private readonly revisions: RevisionsService) {}

  @Get('revisions')
  list(
    @Param('slug') slug: string,
    @CurrentUser() user: SessionUser | undefined,
    @Req() req: FastifyRequest,
  ): Promise<View> {
    return this.revisions.list(slug, canEdit(user), csrfTokenFor(req));
  }

  @Get('revisions/:n')
  show(
    @Param('slug') slug: string,
    @Param('n', ParseIntPipe) n: number,
    @CurrentUser() user: SessionUser | undefined,
    @Req() req: FastifyRequest,
  ): Promise<View> {
    return this.revisions.show(slug, n, canEdit(user), csrfTokenFor(req));
  }

  @Get('diff')
  diff(
    @Param('slug') slug: string,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
    @CurrentUser() user: SessionUser | undefined,
    @Req() req: FastifyRequest,
  ): Promise<View> {
    return this.revisions.diff(slug, from, to, canEdit(user), csrfTokenFor(req));
  }

  @Post('revisions/:n/restore')
  @Roles('editor')
  @Redirect('/', 303)
  async restore(
    @Param('slug') slug: string,
    @Param('n', ParseIntPipe) n: number,
  ): Promise<{ url: string }> {
    return { url: await this.revisions.restore(slug, n) };
  }
}
