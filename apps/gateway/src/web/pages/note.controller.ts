import { Controller, Get, Param, Req } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { type View } from '../render/view.js';
import { Clock } from '@lateral/observability';
import { toNoteItem } from '../view-models/note-fields.js';
import { WikiRenderService } from '../wiki-render/wiki-render.service.js';
import { noteView } from './note.view.js';
import { CurrentUser, hasRole, type SessionUser, csrfTokenFor, NotesClient } from '../platform.js';

@Controller('notes')
export class NoteController {
  constructor(
    private readonly notes: NotesClient,
    private readonly renderer: WikiRenderService,
    private readonly clock: Clock,
  ) {}

  @Get(':slug')
  async view(
    @Param('slug') slug: string,
    @CurrentUser() user: SessionUser | undefined,
    @Req() req: FastifyRequest,
  ): Promise<View> {
    const note = await this.notes.getNote(slug);
    const [content, backlinks] = await Promise.all([
      this.renderer.render(note.body),
      // Backlinks are a nicety: the page shows without them if that call fails.
      this.notes.backlinks(note.id).then(
        (page) => page.items.map(toNoteItem),
        () => [],
      ),
    ]);
    return noteView({
      note: { ...toNoteItem(note), version: note.version },
      content,
      backlinks,
      canEdit: !!user && hasRole(user.role, 'editor'),
      csrfToken: csrfTokenFor(req),
      now: this.clock.now(),
    });
  }
}
