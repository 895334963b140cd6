import { Controller, Get, Query } from '@nestjs/common';
import { ZodPipe, singleLineText } from '@lateral/http';
import { z } from 'zod';
import { type View } from '../render/view.js';
import { optionalString, toSearchItem } from '../view-models/note-fields.js';
import { searchView } from './search.view.js';
import { NotesClient } from '../platform.js';

const LIMIT = 20;
/** Typed into a search box: trimmed and cut (not refused) when long. */
const boxText = (max: number) =>
  singleLineText()
    .default('')
    .transform((text) => text.slice(0, max));
const searchQuery = z.object({ q: boxText(200), tag: boxText(100) });

@Controller('search')
export class SearchController {
  constructor(private readonly notes: NotesClient) {}

  @Get()
  async search(
    @Query(new ZodPipe(searchQuery)) { q, tag }: z.infer<typeof searchQuery>,
  ): Promise<View> {
    const answer = q
      ? await this.notes.search({ q, limit: LIMIT, ...(tag ? { tag } : {}) })
      : undefined;
    const model = {
      q,
      tag,
      items: (answer?.items ?? []).map(toSearchItem),
      suggestion: optionalString(answer?.suggestion),
    };
    return searchView(model);
  }
}
