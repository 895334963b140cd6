import { Body, Controller, Get, Param, Post, Redirect, Req } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { ZodPipe } from '@lateral/http';
import { z } from 'zod';
import { notePath } from '../components/components.js';
import { csrfTokenFor, GatewayException, NotesClient, Roles } from '../platform.js';
import { type View } from '../render/view.js';
import { movePageView } from './page-move.view.js';

// Ids as notes gives them (empty = keep the space / top of the space); notes checks the rest.
const id = z
  .string()
  .max(64)
  .regex(/^[\w-]*$/)
  .optional();
const moveFields = z.object({ spaceId: id, parentId: id });

/** "Move" on a page: its form, and the move (notes moves the page with everything under it, slug kept). */
@Controller('notes')
@Roles('editor')
export class PageMoveController {
  constructor(private readonly notes: NotesClient) {}

  /** The form: a page without JavaScript, the form alone when htmx unfolds "Move". */
  @Get(':slug/move')
  async form(@Param('slug') slug: string, @Req() req: FastifyRequest): Promise<View> {
    const note = await this.notes.getNote(slug);
    const spaceId = note.spaceId;
    const [spaces, tree] = await Promise.all([
      this.notes.listSpaces(),
      spaceId ? this.notes.spaceTree(spaceId) : undefined,
    ]);
    const space = spaces.items.find((s) => s.id === spaceId);
    if (!space || !tree || !space.canWrite) {
      throw new GatewayException('forbidden', 'You can read this page but not move it.');
    }
    return movePageView({
      title: note.title,
      note: { id: note.id, slug: note.slug, parentId: note.parentId ?? null },
      space,
      spaces: spaces.items,
      tree,
      csrfToken: csrfTokenFor(req),
    });
  }

  @Post(':slug/move')
  @Redirect('/', 303)
  async move(
    @Param('slug') slug: string,
    @Body(new ZodPipe(moveFields)) body: z.infer<typeof moveFields>,
  ): Promise<{ url: string }> {
    const note = await this.notes.getNote(slug);
    const spaceId = body.spaceId || note.spaceId;
    // A parent belongs to the page's current space; moving to another space means its top.
    const parentId = spaceId !== note.spaceId ? null : body.parentId || null;
    await this.notes.moveNote(note.id, { ...(spaceId ? { spaceId } : {}), parentId });
    return { url: notePath(note.slug) };
  }
}
