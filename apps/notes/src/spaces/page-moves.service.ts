import { Injectable } from '@nestjs/common';
import { type Note } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { invalidParent, noteNotFound, type NotesException } from '../errors/notes-errors.js';
import { toNoteView, type NoteRow } from '../notes/note.rows.js';
import { NotesRepository } from '../notes/notes.repository.js';
import { PageAccess } from './page-access.js';
import { PageTreeRepository, type MoveResult } from './page-tree.repository.js';
import { SpacesService } from './spaces.service.js';
import { type MoveNoteInput } from './spaces.schemas.js';

/**
 * Moving a page (with everything under it) to another parent or space. The slug does not change,
 * so links and URLs keep working. The caller must be able to write both the page's space and the
 * target space; a parent they cannot read is as good as missing.
 */
@Injectable()
export class PageMovesService {
  constructor(
    private readonly notes: NotesRepository,
    private readonly tree: PageTreeRepository,
    private readonly spaces: SpacesService,
  ) {}

  async move(key: string, input: MoveNoteInput, caller: Identity): Promise<Note> {
    const access = PageAccess.of(caller);
    const page = await this.notes.findById(key.toLowerCase(), access);
    if (!page) throw noteNotFound(key);
    await this.moveRow(page, input, access);
    return toNoteView((await this.notes.findById(page.id, access))!);
  }

  /** Moves the page on its own (the move endpoint); does nothing when neither place changes. */
  async moveRow(page: NoteRow, input: MoveNoteInput, access: PageAccess): Promise<void> {
    const plan = await this.plan(page, input, access);
    if (!plan) return;
    const result = await this.tree.move({ id: page.id, ...plan });
    if (result !== 'moved') throw moveRefused(result, page.id);
  }

  /**
   * Where the page goes, with the caller's right to write both spaces checked; undefined when
   * nothing changes. A save that also moves (PUT with spaceId/parentId) hands the plan to
   * NotesRepository.update, which moves in the save's own transaction.
   */
  async plan(
    page: NoteRow,
    input: MoveNoteInput,
    access: PageAccess,
  ): Promise<{ spaceId: string; parentId: string | null } | undefined> {
    let parentId = input.parentId === undefined ? page.parent_id : input.parentId;
    let spaceId = input.spaceId;
    if (input.parentId) {
      const parent = await this.notes.findById(input.parentId, access);
      if (!parent) throw invalidParent('The parent must be a live page you can read.');
      spaceId ??= parent.space_id;
    }
    spaceId ??= page.space_id;
    // Moving to another space without naming a parent puts the page at the top there.
    if (spaceId !== page.space_id && input.parentId === undefined) parentId = null;
    if (spaceId === page.space_id && parentId === page.parent_id) return undefined;

    await this.spaces.writable(page.space_id, access);
    if (spaceId !== page.space_id) await this.spaces.writable(spaceId, access);
    return { spaceId, parentId };
  }
}

/** A refused move as the error the caller sees. */
export function moveRefused(result: Exclude<MoveResult, 'moved'>, id: string): NotesException {
  switch (result) {
    case 'missing':
      return noteNotFound(id);
    case 'invalid_parent':
      return invalidParent('The parent must be a live page in the same space.');
    case 'cycle':
      return invalidParent('A page cannot move under itself or one of its own sub-pages.');
  }
}
