import { Body, Controller, Get, HttpCode, Param, Post, Query, Redirect, Req } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { type View } from '../render/view.js';
import { ZodPipe, singleLineText } from '@lateral/http';
import { z } from 'zod';
import { EditorService } from './editor.service.js';
import { EditorDraftsService } from './editor-drafts.service.js';
import { noteFormFields, previewFields } from './note-form.js';
import { Roles, csrfTokenFor } from '../platform.js';

type Redirection = { url: string };
type NoteFields = z.infer<typeof noteFormFields>;

// Only prefills the title field; the editor cuts it to 200 characters.
const newPageQuery = z.object({
  title: singleLineText().optional(),
  draft: z.literal('restore').optional(),
});
// `?draft=restore`: open the editor with the person's draft instead of the saved text.
const editQuery = z.object({ draft: z.literal('restore').optional() });

@Controller()
@Roles('editor')
export class EditorController {
  constructor(
    private readonly editor: EditorService,
    private readonly drafts: EditorDraftsService,
  ) {}

  @Get('new')
  newPage(
    @Query(new ZodPipe(newPageQuery)) query: z.infer<typeof newPageQuery>,
    @Req() req: FastifyRequest,
  ): Promise<View> {
    return this.editor.newPage(query.title, csrfTokenFor(req), query.draft === 'restore');
  }

  @Post('new/draft')
  @HttpCode(200)
  saveNewDraft(@Body(new ZodPipe(noteFormFields)) body: NoteFields): Promise<View> {
    return this.drafts.save(null, body);
  }

  @Post('new/draft/discard')
  @Redirect('/', 303)
  async discardNewDraft(): Promise<Redirection> {
    return { url: await this.drafts.discard(null) };
  }

  @Post('new')
  @Redirect('/', 303)
  async create(
    @Body(new ZodPipe(noteFormFields)) body: z.infer<typeof noteFormFields>,
    @Req() req: FastifyRequest,
  ): Promise<Redirection> {
    return { url: await this.editor.create(body, csrfTokenFor(req)) };
  }

  @Get('notes/:slug/edit')
  edit(
    @Param('slug') slug: string,
    @Query(new ZodPipe(editQuery)) query: z.infer<typeof editQuery>,
    @Req() req: FastifyRequest,
  ): Promise<View> {
    return this.editor.editPage(slug, csrfTokenFor(req), query.draft === 'restore');
  }

  @Post('notes/:slug/draft')
  @HttpCode(200)
  saveDraft(
    @Param('slug') slug: string,
    @Body(new ZodPipe(noteFormFields)) body: NoteFields,
  ): Promise<View> {
    return this.drafts.save(slug, body);
  }

  @Post('notes/:slug/draft/discard')
  @Redirect('/', 303)
  async discardDraft(@Param('slug') slug: string): Promise<Redirection> {
    return { url: await this.drafts.discard(slug) };
  }

  @Post('notes/:slug/edit')
  @Redirect('/', 303)
  async save(
    @Param('slug') slug: string,
    @Body(new ZodPipe(noteFormFields)) body: z.infer<typeof noteFormFields>,
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
  preview(@Body(new ZodPipe(previewFields)) body: z.infer<typeof previewFields>): Promise<View> {
    return this.editor.preview(body.body);
  }
}
