import { Controller, Get, Param, Post, Query, Redirect, Req } from '@nestjs/common';
import { ZodPipe, safeText } from '@lateral/http';
import { type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type View } from '../render/view.js';
import { Clock } from '@lateral/observability';
import { toNoteItem } from '../view-models/note-fields.js';
import { notePath } from '../components/components.js';
import { trashView } from './trash.view.js';
import { confirmDeleteView, confirmEmptyView, toTrashedItem } from './trashed-note.view.js';
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
  // The title of the page just deleted for good, or how many pages emptying the trash deleted.
  purged: safeText().max(300).optional(),
  emptied: z.coerce.number().int().min(0).optional(),
});

const idParam = new ZodPipe(safeText().min(1).max(200));

@Controller('trash')
export class TrashController {
  constructor(
    private readonly notes: NotesClient,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(
    @Query(new ZodPipe(trashQuery)) query: z.infer<typeof trashQuery>,
    @CurrentUser() user: SessionUser | undefined,
    @Req() req: FastifyRequest,
  ): Promise<View> {
    const { cursor, deleted } = query;
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
      purged: query.purged,
      emptied: query.emptied,
      nextUrl: page.nextCursor ? `/trash?cursor=${encodeURIComponent(page.nextCursor)}` : undefined,
      canEdit: !!user && hasRole(user.role, 'editor'),
      canDelete: !!user && hasRole(user.role, 'admin'),
      csrfToken: csrfTokenFor(req),
      now: this.clock.now(),
    });
  }

  @Post(':id/restore')
  @Roles('editor')
  @Redirect('/', 303)
  async restore(@Param('id', idParam) id: string): Promise<{ url: string }> {
    const note = await this.notes.restoreNote(id);
    return { url: notePath(note.slug) };
  }

  /** The confirmation page (the step works without JavaScript). */
  @Get('empty')
  @Roles('admin')
  async confirmEmpty(@Req() req: FastifyRequest): Promise<View> {
    const page = await this.notes.listTrash({ limit: PAGE });
    const count = page.nextCursor
      ? `More than ${PAGE} pages`
      : `${page.items.length} ${page.items.length === 1 ? 'page' : 'pages'}`;
    return confirmEmptyView(count, csrfTokenFor(req));
  }

  @Post('empty')
  @Roles('admin')
  @Redirect('/trash', 303)
  async empty(): Promise<{ url: string }> {
    const { deleted } = await this.notes.emptyTrash();
    return { url: `/trash?emptied=${deleted}` };
  }

  @Get(':id/delete')
  @Roles('admin')
  async confirmDelete(@Param('id', idParam) id: string, @Req() req: FastifyRequest): Promise<View> {
    const page = toTrashedItem(await this.notes.getTrashed(id));
    return confirmDeleteView(page, csrfTokenFor(req), this.clock.now());
  }

  @Post(':id/delete')
  @Roles('admin')
  @Redirect('/trash', 303)
  async deleteForever(@Param('id', idParam) id: string): Promise<{ url: string }> {
    const page = toTrashedItem(await this.notes.getTrashed(id));
    await this.notes.deleteForever(page.id);
    return { url: `/trash?purged=${encodeURIComponent(page.title)}` };
  }
}
