import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@lateral/observability';
import { type SafeHtml } from '../html.js';
import { sidebar } from '../components/sidebar.js';
import { type PagePlace } from './view.js';
import { hasRole, NotesClient, type SessionUser } from '../platform.js';

/**
 * Reads what the sidebar shows: the spaces the person can read (one call) and, on a page that
 * sits in a space, the part of that space's tree open on it (one more: notes' `levels=open`,
 * bounded per level, so the sidebar costs the same in a space of 20 pages or 20,000). The sidebar is
 * a nicety: when notes cannot say, the page shows without it.
 */
@Injectable()
export class SidebarService {
  constructor(
    private readonly notes: NotesClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async render(place: PagePlace | undefined, user: SessionUser): Promise<SafeHtml | undefined> {
    try {
      const [spaces, tree] = await Promise.all([
        place?.spaces ?? this.notes.listSpaces().then((page) => page.items),
        place ? (place.tree ?? this.notes.openTree(place.spaceId, place.noteId)) : undefined,
      ]);
      const space = place && spaces.find((s) => s.id === place.spaceId);
      return sidebar({
        spaces,
        current: space && tree ? { space, tree, noteId: place.noteId } : undefined,
        canCreateSpace: hasRole(user.role, 'editor'),
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'sidebar left out: notes did not answer');
      return undefined;
    }
  }
}
