import { Controller, Get, Param, Post, Query, Redirect, Req } from '@nestjs/common';
import { ZodPipe, safeText } from '@lateral/http';
import { type FastifyRequest } from 'fastify';
import { z } from 'zod';
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

const trashQuery = z.object({
  // Opaque: notes checks it (400 invalid_cursor).
  cursor: safeText().optional(),
  // The slug of the page just moved here (the editor's redirect): named in the notice.
  deleted: safeText().optional(),
});

@Controller('trash')
export class TrashController {
  constructor(
    private readonly notes: NotesClient,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(
    @Query(new ZodPipe(trashQuery)) { cursor, deleted }: z.infer<typeof trashQuery>,
    @CurrentUser() user: SessionUser | undefined,
    @Req() req: FastifyRequest,
  ): Promise<View> {
    const page = await this.notes.listTrash({
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    const items = page.items.map(toNoteItem);
    return trashView({
      items,
      deleted:
        deleted === undefined
          ? undefined
          : (items.find((i) => i.slug === deleted)?.title ?? deleted),
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
