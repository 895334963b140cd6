import { Body, Controller, Get, HttpCode, Param, Post, Query, Redirect, Req } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { type View } from '../render/view.js';
import { EditorService } from './editor.service.js';
import { Roles, csrfTokenFor } from '../platform.js';

type Redirection = { url: string };

@Controller()
@Roles('editor')
export class EditorController {
  constructor(private readonly editor: EditorService) {}

  @Get('new')
  newPage(@Query('title') title: unknown, @Req() req: FastifyRequest): Promise<View> {
    return this.editor.newPage(typeof title === 'string' ? title : undefined, csrfTokenFor(req));
  }

  @Post('new')
  @Redirect('/', 303)
  async create(@Body() body: unknown, @Req() req: FastifyRequest): Promise<Redirection> {
    return { url: await this.editor.create(body, csrfTokenFor(req)) };
  }

  @Get('notes/:slug/edit')
  edit(@Param('slug') slug: string, @Req() req: FastifyRequest): Promise<View> {
    return this.editor.editPage(slug, csrfTokenFor(req));
  }

  @Post('notes/:slug/edit')
  @Redirect('/', 303)
  async save(
    @Param('slug') slug: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ): Promise<Redirection> {
    return { url: await this.editor.save(slug, body, csrfTokenFor(req)) };
  }

  @Post('notes/:slug/delete')
  @Redirect('/', 303)
  async trash(@Param('slug') slug: string): Promise<Redirection> {
    return { url: await this.editor.trash(slug) };
  }

  @Post('preview')
  @HttpCode(200)
  preview(@Body() body: unknown): Promise<View> {
    return this.editor.preview(body);
  }
}
