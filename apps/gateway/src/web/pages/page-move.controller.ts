import { Body, Controller, Param, Post, Redirect } from '@nestjs/common';
import { ZodPipe } from '@lateral/http';
import { z } from 'zod';
import { notePath } from '../components/components.js';
import { NotesClient, Roles } from '../platform.js';

// Ids as notes gives them (empty = keep the space / top of the space); notes checks the rest.
const id = z
  .string()
  .max(64)
  .regex(/^[\w-]*$/)
  .optional();
const moveFields = z.object({ spaceId: id, parentId: id });

/** The page view's "Move" form; notes moves the page with everything under it, slug kept. */
@Controller('notes')
@Roles('editor')
export class PageMoveController {
  constructor(private readonly notes: NotesClient) {}

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
