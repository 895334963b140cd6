import { Injectable } from '@nestjs/common';
import { type Draft } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { Clock } from '@lateral/observability';
import { NotesException, noteNotFound } from '../errors/notes-errors.js';
import { PageAccess } from '../spaces/page-access.js';
import { SpacesService } from '../spaces/spaces.service.js';
import { DraftsRepository } from './drafts.repository.js';
import { NotesRepository } from './notes.repository.js';
import { type SaveDraftInput } from './drafts.schemas.js';
import { isUuid } from '@lateral/contracts';

/**
 * A person's unsaved text, per page and for one new page. Only its owner ever sees it: another
 * person's draft is answered as no draft (404). Saving the page deletes the saver's draft.
 */
@Injectable()
export class DraftsService {
  constructor(
    private readonly drafts: DraftsRepository,
    private readonly notes: NotesRepository,
    private readonly spaces: SpacesService,
    private readonly clock: Clock,
  ) {}

  async get(key: string | null, caller: Identity): Promise<Draft> {
    const noteId = key === null ? null : await this.pageId(key, caller, false);
    const draft = await this.drafts.find(caller.userId, noteId);
    if (!draft) throw new NotesException('draft_not_found', 'You have no draft here.');
    return draft;
  }

  async put(key: string | null, input: SaveDraftInput, caller: Identity): Promise<Draft> {
    const noteId = key === null ? null : await this.pageId(key, caller, true);
    const draft = await this.drafts.put(
      caller.userId,
      {
        noteId,
        title: input.title,
        body: input.body,
        tags: input.tags,
        baseVersion: noteId === null ? null : (input.baseVersion ?? null),
      },
      this.clock.now(),
    );
    if (draft === 'stale') {
      throw new NotesException(
        'draft_stale',
        'You saved this page after this draft was started; the draft is not kept.',
      );
    }
    return draft;
  }

  async delete(key: string | null, caller: Identity): Promise<void> {
    const noteId = key === null ? null : await this.pageId(key, caller, false);
    if (!(await this.drafts.delete(caller.userId, noteId))) {
      throw new NotesException('draft_not_found', 'You have no draft here.');
    }
  }

  /** A live page the caller can read (and write, to keep a draft of it); else 404 / 403. */
  private async pageId(key: string, caller: Identity, write: boolean): Promise<string> {
    const access = PageAccess.of(caller);
    const row = isUuid(key)
      ? await this.notes.findById(key.toLowerCase(), access)
      : await this.notes.findBySlug(key, access);
    if (!row) throw noteNotFound(key);
    if (write) await this.spaces.writable(row.space_id, access);
    return row.id;
  }
}
