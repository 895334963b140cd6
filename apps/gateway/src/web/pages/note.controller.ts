import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ZodPipe, singleLineText } from '@lateral/http';
import { z } from 'zod';
import { type FastifyRequest } from 'fastify';
import { type View } from '../render/view.js';
import { Clock } from '@lateral/observability';
import { toNoteItem } from '../view-models/note-fields.js';
import { WikiRenderService } from '../wiki-render/wiki-render.service.js';
import { ViewResponse } from '../render/view-response.js';
import { noteView } from './note.view.js';
import { moveEntry } from './page-move.view.js';
import { breadcrumbs } from '../components/breadcrumbs.js';
import { PageTree } from '../components/page-tree.js';
import { spacePath } from '../components/sidebar.js';
import { toTrashedItem, trashedNoteView } from './trashed-note.view.js';
import {
  CurrentUser,
  hasRole,
  type SessionUser,
  csrfTokenFor,
  NotesClient,
  UpstreamResponseError,
} from '../platform.js';

// `?merged=Ada, Grace`: the editor's redirect after notes merged a stale save.
const viewQuery = z.object({ merged: singleLineText().max(500).optional() });

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
    @Query(new ZodPipe(viewQuery)) query: z.infer<typeof viewQuery>,
  ): Promise<View> {
    // One request: the page, its backlinks and where it sits (the spaces, the tree open on it).
    const note = await this.notes.getNoteWithContext(slug).catch(async (error: unknown) => {
      throw (await this.trashedNotice(slug, error, user, req)) ?? error;
    });
    const content = await this.renderer.render(note.body, note);
    const backlinks = (note.backlinks?.items ?? []).map(toNoteItem);
    const where = note.place;
    const space = where?.spaces.find((s) => s.id === note.spaceId);
    const canEdit = !!user && hasRole(user.role, 'editor') && (space?.canWrite ?? true);
    return noteView({
      note: { ...toNoteItem(note), version: note.version },
      content,
      backlinks,
      canEdit,
      csrfToken: csrfTokenFor(req),
      now: this.clock.now(),
      mergedWith: query.merged,
      ...(space && where
        ? {
            breadcrumbs: breadcrumbs(
              space,
              new PageTree(where.tree.items).ancestors(note.id),
              note.title,
            ),
            subPageUrl: canEdit
              ? `${spacePath(space.slug)}/new?parent=${encodeURIComponent(note.id)}`
              : undefined,
            moveEntry: canEdit ? moveEntry(note.slug) : undefined,
          }
        : {}),
      place:
        where && note.spaceId ? { spaceId: note.spaceId, noteId: note.id, ...where } : undefined,
    });
  }

  /** When the page is not live but in the trash, a notice (404) instead of a bare "not found". */
  private async trashedNotice(
    slug: string,
    error: unknown,
    user: SessionUser | undefined,
    req: FastifyRequest,
  ): Promise<ViewResponse | undefined> {
    if (!(error instanceof UpstreamResponseError) || error.status !== 404) return undefined;
    // Only a nicety: if notes cannot say, the original 404 stands.
    const trashed = await this.notes.getTrashed(slug).catch(() => undefined);
    if (!trashed) return undefined;
    const view = trashedNoteView({
      page: toTrashedItem(trashed),
      canRestore: !!user && hasRole(user.role, 'editor'),
      canDelete: !!user && hasRole(user.role, 'admin'),
      csrfToken: csrfTokenFor(req),
      now: this.clock.now(),
    });
    return new ViewResponse(view, 404);
  }
}
