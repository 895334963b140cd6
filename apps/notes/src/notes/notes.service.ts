import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  isUuid,
  type Note,
  type NoteSummary,
  type Page,
  type Person,
  type Revision,
  type RevisionSummary,
} from '@lateral/contracts';
import { decodeNumberCursor, decodeTimeCursor } from '@lateral/http';
import { type Identity } from '@lateral/identity';
import { Clock, LOGGER, serializeError, type Logger } from '@lateral/observability';
import { NotesException, noteNotFound } from '../errors/notes-errors.js';
import { parseLinks } from '../links/link-parser.js';
import { LinksRepository } from '../links/links.repository.js';
import { NotesMetrics } from '../notes.metrics.js';
import { toPage } from '../pagination/cursor.js';
import { SearchRepository } from '../search/search.repository.js';
import {
  toNoteView,
  toRevisionSummaryView,
  toRevisionView,
  toSummaryView,
  type NoteRow,
  type NoteSummaryRow,
} from './note.rows.js';
import { NotesRepository, type NoteContent } from './notes.repository.js';
import { RevisionsRepository } from './revisions.repository.js';
import { TrashRepository } from './trash.repository.js';
import {
  type CreateNoteInput,
  type ListQuery,
  type PageQuery,
  type UpdateNoteInput,
} from './notes.schemas.js';
import { slugForTitle } from './slug.js';

const person = (caller: Identity): Person => ({ id: caller.userId, name: caller.name });
const summaryKey = (row: NoteSummaryRow) => ({ at: row.updated_at.toISOString(), id: row.id });

/** The rules of pages: slugs, versions and conflicts, revisions, trash and links. */
@Injectable()
export class NotesService {
  constructor(
    private readonly notes: NotesRepository,
    private readonly revisionRows: RevisionsRepository,
    private readonly trashRows: TrashRepository,
    private readonly links: LinksRepository,
    private readonly search: SearchRepository,
    private readonly metrics: NotesMetrics,
    private readonly clock: Clock,
    // A symbol token (the pino logger is an interface), hence the one @Inject.
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** A live page by id or slug. */
  async get(key: string): Promise<Note> {
    return toNoteView(await this.live(key));
  }

  /** `created` is false when the import key matched a page imported before (answered as is). */
  async create(
    input: CreateNoteInput,
    caller: Identity,
  ): Promise<{ note: Note; created: boolean }> {
    if (input.importKey) {
      const existing = await this.notes.findByImportKey(input.importKey);
      if (existing) return { note: toNoteView(existing), created: false };
    }
    const id = randomUUID();
    const content = this.content(input.title, input.body, input.tags, id);
    const now = this.clock.now();
    const result = await this.notes.create({
      id,
      content,
      links: parseLinks(content.body),
      author: person(caller),
      createdAt: input.createdAt ? new Date(input.createdAt) : now,
      now,
      importKey: input.importKey,
    });
    if ('kind' in result) {
      if (result.kind === 'import_exists') {
        // Two imports of the same page raced; the first one's page is the answer.
        const existing = await this.notes.findByImportKey(input.importKey!);
        if (existing) return { note: toNoteView(existing), created: false };
      }
      throw slugTaken(content.slug);
    }
    this.metrics.saves.inc({ result: 'created' });
    await this.recordTerms(result);
    return { note: toNoteView(result), created: true };
  }

  /** Saves a new version, or 409 with the page as it is now when `version` is stale. */
  async update(key: string, input: UpdateNoteInput, caller: Identity): Promise<Note> {
    const current = await this.live(key);
    const content = this.content(
      input.title ?? current.title,
      input.body ?? current.body,
      input.tags ?? current.tags,
      current.id,
      // A page keeps its slug unless its title changes (e.g. a `page-…` slug stays stable).
      input.title === undefined || input.title === current.title ? current.slug : undefined,
    );
    const result = await this.notes.update({
      id: current.id,
      previousSlug: current.slug,
      expectedVersion: input.version,
      content,
      links: parseLinks(content.body),
      author: person(caller),
      now: this.clock.now(),
    });
    if ('kind' in result) {
      switch (result.kind) {
        case 'missing':
          throw noteNotFound(key);
        case 'slug_taken':
          throw slugTaken(content.slug);
        case 'stale':
          this.metrics.saves.inc({ result: 'conflict' });
          throw new NotesException(
            'version_conflict',
            `Someone saved version ${result.current.version} after the version ${input.version} you edited.`,
            {
              current: toNoteView(result.current),
              // What this save tried to write, so the editor can offer it for merging.
              yours: {
                title: content.title,
                body: content.body,
                tags: content.tags,
                version: input.version,
              },
            },
          );
      }
    }
    this.metrics.saves.inc({ result: 'updated' });
    await this.recordTerms(result);
    return toNoteView(result);
  }

  async trash(key: string, caller: Identity): Promise<void> {
    const current = await this.live(key);
    const row = await this.trashRows.trash(current.id, person(caller), this.clock.now());
    if (!row) throw noteNotFound(key);
  }

  /** Brings a page back from the trash (by id: a trashed page's slug may belong to another). */
  async untrash(id: string): Promise<Note> {
    if (!isUuid(id)) throw noteNotFound(id);
    const result = await this.trashRows.untrash(id);
    if (result && 'kind' in result) {
      const row = await this.notes.findById(id, { withDeleted: true });
      throw slugTaken(row?.slug ?? id);
    }
    if (result) return toNoteView(result);
    if (await this.notes.findById(id)) {
      throw new NotesException('note_not_deleted', 'This page is not in the trash.');
    }
    throw noteNotFound(id);
  }

  async list(query: ListQuery): Promise<Page<NoteSummary>> {
    const after = query.cursor ? decodeTimeCursor(query.cursor, isUuid) : undefined;
    const rows = await this.notes.list({ tag: query.tag, limit: query.limit, after });
    return toPage(rows, query.limit, toSummaryView, summaryKey);
  }

  async listTrash(query: PageQuery): Promise<Page<NoteSummary>> {
    const after = query.cursor ? decodeTimeCursor(query.cursor, isUuid) : undefined;
    const rows = await this.trashRows.list({ limit: query.limit, after });
    return toPage(rows, query.limit, toSummaryView, (row) => ({
      at: row.deleted_at!.toISOString(),
      id: row.id,
    }));
  }

  async backlinks(key: string, query: PageQuery): Promise<Page<NoteSummary>> {
    const target = await this.live(key);
    const after = query.cursor ? decodeTimeCursor(query.cursor, isUuid) : undefined;
    const rows = await this.links.backlinks(target, { limit: query.limit, after });
    return toPage(rows, query.limit, toSummaryView, summaryKey);
  }

  async revisions(key: string, query: PageQuery): Promise<Page<RevisionSummary>> {
    const note = await this.live(key);
    const before = query.cursor ? decodeNumberCursor(query.cursor) : undefined;
    const rows = await this.revisionRows.list(note.id, { limit: query.limit, before });
    return toPage(rows, query.limit, toRevisionSummaryView, (row) => row.number);
  }

  async revision(key: string, number: number): Promise<Revision> {
    const note = await this.live(key);
    const row = await this.revisionRows.find(note.id, number);
    if (!row) throw revisionNotFound(number);
    return toRevisionView(row);
  }

  /** Makes revision `number` the page's content again, as a new version (history is never rewritten). */
  async restoreRevision(key: string, number: number, caller: Identity): Promise<Note> {
    const note = await this.live(key);
    const result = await this.notes.restoreRevision({
      id: note.id,
      number,
      author: person(caller),
      now: this.clock.now(),
      prepare: (revision) => {
        const content = this.content(
          revision.title,
          revision.body,
          revision.tags,
          note.id,
          revision.title === note.title ? note.slug : undefined,
        );
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
    await this.recordTerms(result);
    return toNoteView(result);
  }

  private async live(key: string): Promise<NoteRow> {
    const row = isUuid(key)
      ? await this.notes.findById(key.toLowerCase())
      : await this.notes.findBySlug(key);
    if (!row) throw noteNotFound(key);
    return row;
  }

  private content(
    title: string,
    body: string,
    tags: string[],
    id: string,
    keepSlug?: string,
  ): NoteContent {
    return { title, body, tags, slug: keepSlug ?? slugForTitle(title, id) };
  }

  /**
   * Feeds "did you mean" after the save committed, outside its transaction (so concurrent saves
   * never wait on each other's new words). Losing it only costs a suggestion.
   */
  private async recordTerms(row: NoteRow): Promise<void> {
    try {
      await this.search.recordTerms(`${row.title} ${row.tags.join(' ')} ${row.body}`);
    } catch (error) {
      // The message only: a database error's values (the page's words) stay out of the log.
      this.logger.warn(`could not record search terms: ${serializeError(error).message}`);
    }
  }
}

function slugTaken(slug: string): NotesException {
  return new NotesException('slug_taken', 'A page with this title already exists.', { slug });
}

function revisionNotFound(number: number): NotesException {
  return new NotesException('revision_not_found', `This page has no revision ${number}.`);
}
