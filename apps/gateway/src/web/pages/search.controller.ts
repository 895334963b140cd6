import { Controller, Get, Query } from '@nestjs/common';
import { type View } from '../render/view.js';
import { optionalString, toSearchItem } from '../view-models/note-fields.js';
import { searchView } from './search.view.js';
import { NotesClient } from '../platform.js';

const LIMIT = 20;
const text = (value: unknown, max: number) =>
  typeof value === 'string' ? value.trim().slice(0, max) : '';

@Controller('search')
export class SearchController {
  constructor(private readonly notes: NotesClient) {}

  @Get()
  async search(@Query('q') qParam: unknown, @Query('tag') tagParam: unknown): Promise<View> {
    const q = text(qParam, 200);
    const tag = text(tagParam, 100);
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
