import { Injectable } from '@nestjs/common';
import { type Note, type Page, type Revision, type RevisionSummary } from '@lateral/contracts';
import { decodeNumberCursor } from '@lateral/http';
import { type Identity } from '@lateral/identity';
import { Clock } from '@lateral/observability';
import { NotesException, noteNotFound } from '../errors/notes-errors.js';
import { parseLinks } from '../links/link-parser.js';
import { NotesMetrics } from '../notes.metrics.js';
import { toPage } from '../pagination/cursor.js';
import { PageAccess } from '../spaces/page-access.js';
import { SpacesService } from '../spaces/spaces.service.js';
import { toNoteView, toRevisionSummaryView, toRevisionView } from './note.rows.js';
import { NotesRepository } from './notes.repository.js';
import { NotesService } from './notes.service.js';
import { type PageQuery } from './notes.schemas.js';
import { RevisionsRepository } from './revisions.repository.js';
import { slugForTitle } from './slug.js';

/** A page's history: the list, one revision, and restoring one as a new version. */
@Injectable()
export class RevisionsService {
  constructor(
    private readonly pages: NotesService,
    private readonly notes: NotesRepository,
    private readonly revisionRows: RevisionsRepository,
    private readonly spaces: SpacesService,
    private readonly metrics: NotesMetrics,
    private readonly clock: Clock,
  ) {}

  async list(key: string, query: PageQuery, caller: Identity): Promise<Page<RevisionSummary>> {
    const note = await this.pages.live(key, PageAccess.of(caller));
    const before = query.cursor ? decodeNumberCursor(query.cursor) : undefined;
    const rows = await this.revisionRows.list(note.id, { limit: query.limit, before });
    return toPage(rows, query.limit, toRevisionSummaryView, (row) => row.number);
  }

  async get(key: string, number: number, caller: Identity): Promise<Revision> {
    const note = await this.pages.live(key, PageAccess.of(caller));
    const row = await this.revisionRows.find(note.id, number);
    if (!row) throw revisionNotFound(number);
    return toRevisionView(row);
  }

  /**
   * Makes revision `number` the page's content again, as a new version whose revision records
   * `restored_from` (history is never rewritten).
   */
  async restore(key: string, number: number, caller: Identity): Promise<Note> {
    const access = PageAccess.of(caller);
    const note = await this.pages.live(key, access);
    await this.spaces.writable(note.space_id, access);
    const result = await this.notes.restoreRevision({
      id: note.id,
      number,
      author: { id: caller.userId, name: caller.name },
      now: this.clock.now(),
      prepare: (revision) => {
        const content = {
          title: revision.title,
          body: revision.body,
          tags: revision.tags,
          slug: revision.title === note.title ? note.slug : slugForTitle(revision.title, note.id),
        };
        return { content, links: parseLinks(content.body) };
      },
    });
    if ('kind' in result) {
      switch (result.kind) {
        case 'missing':
          throw noteNotFound(key);
        case 'no_revision':
          throw revisionNotFound(number);
        case 'slug_taken':
          throw new NotesException(
            'slug_taken',
            'Another page now has the title of that revision; rename it first.',
          );
      }
    }
    this.metrics.saves.inc({ result: 'updated' });
    await this.pages.recordTerms(result);
    return toNoteView(result);
  }
}

function revisionNotFound(number: number): NotesException {
  return new NotesException('revision_not_found', `This page has no revision ${number}.`);
}
