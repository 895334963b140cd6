import { Controller, Get } from '@nestjs/common';
import { type View } from '../render/view.js';
import { Clock } from '@lateral/observability';
import { toNoteItem, toTag } from '../view-models/note-fields.js';
import { homeView } from './home.view.js';
import { CurrentUser, hasRole, type SessionUser, NotesClient } from '../platform.js';

const RECENT = 20;
const TAGS_SHOWN = 60;

@Controller()
export class HomeController {
  constructor(
    private readonly notes: NotesClient,
    private readonly clock: Clock,
  ) {}

  @Get()
  async home(@CurrentUser() user: SessionUser | undefined): Promise<View> {
    const [recent, tags] = await Promise.all([
      this.notes.listNotes({ limit: RECENT }),
      this.notes.tags(),
    ]);
    return homeView({
      recent: recent.items.map(toNoteItem),
      tags: tags.items
        .map(toTag)
        .filter((t) => t.name)
        .slice(0, TAGS_SHOWN),
      canEdit: !!user && hasRole(user.role, 'editor'),
      now: this.clock.now(),
    });
  }
}
