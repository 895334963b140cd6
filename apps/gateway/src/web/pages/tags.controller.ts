import { Controller, Get, Param, Query } from '@nestjs/common';
import { ZodPipe, safeText } from '@lateral/http';
import { z } from 'zod';
import { type View } from '../render/view.js';
import { Clock } from '@lateral/observability';
import { toNoteItem, toTag } from '../view-models/note-fields.js';
import { tagPath } from '../components/components.js';
import { tagPageView, tagsView } from './tags.view.js';
import { NotesClient } from '../platform.js';

const PAGE = 25;

// Opaque: notes checks it (400 invalid_cursor).
const tagPageQuery = z.object({ cursor: safeText().optional() });

@Controller('tags')
export class TagsController {
  constructor(
    private readonly notes: NotesClient,
    private readonly clock: Clock,
  ) {}

  @Get()
  async all(): Promise<View> {
    const tags = (await this.notes.tags()).items.map(toTag).filter((t) => t.name);
    return tagsView(tags.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)));
  }

  @Get(':tag')
  async pages(
    @Param('tag') tag: string,
    @Query(new ZodPipe(tagPageQuery)) { cursor }: z.infer<typeof tagPageQuery>,
  ): Promise<View> {
    const page = await this.notes.listNotes({
      tag,
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    const model = {
      tag,
      items: page.items.map(toNoteItem),
      nextUrl: page.nextCursor
        ? `${tagPath(tag)}?cursor=${encodeURIComponent(page.nextCursor)}`
        : undefined,
      now: this.clock.now(),
    };
    // The "more" button's request gets the rows only (the renderer picks the fragment).
    return tagPageView(model);
  }
}
