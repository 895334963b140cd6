import { Injectable } from '@nestjs/common';
import { isUuid, type NoteSummary, type Person } from '@lateral/contracts';
import { type Identity } from '@lateral/identity';
import { Clock } from '@lateral/observability';
import { NotesException, noteNotFound } from '../errors/notes-errors.js';
import { PageAccess } from '../spaces/page-access.js';
import { toSummaryView } from './note.rows.js';
import { NotesRepository } from './notes.repository.js';
import { TrashRepository } from './trash.repository.js';

/** A trashed page as `GET /trash/{id-or-slug}` answers it. */
export type TrashedNote = NoteSummary & {
  /** Who moved it to the trash; `name` is null when notes never learnt it (no revision of theirs). */
  deletedBy: (Omit<Person, 'name'> & { name: string | null }) | null;
};

function adminOnly(caller: Identity, what: string): void {
  if (caller.role !== 'admin') throw new NotesException('forbidden', `Only admins can ${what}.`);
}

/** The rules of deleting for good: admins only, and only what is already in the trash. */
@Injectable()
export class TrashService {
  constructor(
    private readonly trash: TrashRepository,
    private readonly notes: NotesRepository,
    private readonly clock: Clock,
  ) {}

  /** The most recently trashed page with this id or slug (what `/notes/<slug>` used to show). */
  async find(key: string, caller: Identity): Promise<TrashedNote> {
    const row = await this.trash.findTrashed(
      isUuid(key) ? { id: key.toLowerCase() } : { slug: key },
      PageAccess.of(caller),
    );
    if (!row) throw noteNotFound(key);
    return {
      ...toSummaryView(row),
      deletedBy: row.deleted_by_id ? { id: row.deleted_by_id, name: row.deleted_by_name } : null,
    };
  }

  /** Deletes one trashed page by id; a live page is 409 `note_not_deleted`, never deleted. */
  async deleteForever(key: string, caller: Identity): Promise<void> {
    adminOnly(caller, 'delete pages for good');
    if (isUuid(key) && (await this.trash.deleteForever(key.toLowerCase()))) return;
    const access = PageAccess.of(caller);
    const live = isUuid(key)
      ? await this.notes.findById(key.toLowerCase(), access)
      : await this.notes.findBySlug(key, access);
    if (live) {
      throw new NotesException(
        'note_not_deleted',
        'Only a page in the trash can be deleted for good; move it to the trash first.',
      );
    }
    throw noteNotFound(key);
  }

  /** Deletes everything in the trash now; pages trashed while it runs stay. */
  async empty(caller: Identity): Promise<{ deleted: number }> {
    adminOnly(caller, 'empty the trash');
    return { deleted: await this.trash.empty(this.clock.now()) };
  }
}
