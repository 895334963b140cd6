import { Controller, Get, Param, Post, Query, Redirect, Req } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { type View } from '../render/view.js';
import { Clock } from '@lateral/observability';
import { toNoteItem } from '../view-models/note-fields.js';
import { notePath } from '../components/components.js';
import { trashView } from './trash.view.js';
import {
  Roles,
  CurrentUser,
  hasRole,
  type SessionUser,
  csrfTokenFor,
  NotesClient,
} from '../platform.js';

const PAGE = 50;

@Controller('trash')
export class TrashController {
  constructor(
    private readonly notes: NotesClient,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(
    @Query('cursor') cursor: unknown,
    @Query('deleted') deleted: unknown,
    @CurrentUser() user: SessionUser | undefined,
    @Req() req: FastifyRequest,
  ): Promise<View> {
    const page = await this.notes.listTrash({
      limit: PAGE,
      ...(typeof cursor === 'string' && cursor ? { cursor } : {}),
    });
    const items = page.items.map(toNoteItem);
    return trashView({
      items,
      deleted:
        typeof deleted === 'string'
          ? (items.find((i) => i.slug === deleted)?.title ?? deleted)
          : undefined,
      nextUrl: page.nextCursor ? `/trash?cursor=${encodeURIComponent(page.nextCursor)}` : undefined,
      canEdit: !!user && hasRole(user.role, 'editor'),
      csrfToken: csrfTokenFor(req),
      now: this.clock.now(),
    });
  }

  @Post(':id/restore')
  @Roles('editor')
  @Redirect('/', 303)
  async restore(@Param('id') id: string): Promise<{ url: string }> {
    const note = await this.notes.restoreNote(id);
    return { url: notePath(note.slug) };
  }
}
