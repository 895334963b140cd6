import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  isUuid,
  type Note,
  type NoteInclude,
  type NoteWithContext,
  type NoteSummary,
  type Page,
  type Person,
  type SavedNote,
  type VersionConflictDetails,
} from '@lateral/contracts';
import { decodeTimeCursor } from '@lateral/http';
import { type Identity } from '@lateral/identity';
import { Clock, LOGGER, serializeError, type Logger } from '@lateral/observability';
import { NotesException, invalidParent, noteNotFound } from '../errors/notes-errors.js';
import { parseLinks } from '../links/link-parser.js';
import { LinksRepository } from '../links/links.repository.js';
import { NotesMetrics } from '../notes.metrics.js';
import { toPage } from '../pagination/cursor.js';
import { SearchRepository } from '../search/search.repository.js';
import { DEFAULT_SPACE_ID } from '../database/default-space.js';
import { PageAccess } from '../spaces/page-access.js';
import { PageMovesService, moveRefused } from '../spaces/page-moves.service.js';
import {
  MAX_TREE_LEVEL_PAGES,
  SpacesService,
  cannotChangePages,
  toOpenTree,
  toSpaceView,
} from '../spaces/spaces.service.js';
import { toNoteView, toSummaryView, type NoteRow, type NoteSummaryRow } from './note.rows.js';
import { mergeSave, type PageText, type SaveMerge } from './merge/save-merge.js';
import { NotesRepository, type NoteContent } from './notes.repository.js';
import { PageContextRepository } from './page-context.repository.js';
import { RevisionsRepository } from './revisions.repository.js';
import { TrashRepository } from './trash.repository.js';
import {
  type CreateNoteInput,
  type ListQuery,
  DEFAULT_PAGE_SIZE,
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
    private readonly spaces: SpacesService,
    private readonly moves: PageMovesService,
    private readonly context: PageContextRepository,
    private readonly metrics: NotesMetrics,
    private readonly clock: Clock,
    // A symbol token (the pino logger is an interface), hence the one @Inject.
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** A live page by id or slug, if the caller can read it. */
  async get(key: string, caller: Identity): Promise<Note> {
    return toNoteView(await this.live(key, PageAccess.of(caller)));
  }

  /**
   * The page and what its view shows around it: the first page of its backlinks (read from the
   * page's row), the spaces the caller can read, the space's tree open on the page and where its
   * links lead: one statement with the page itself (PageContextRepository).
   */
  async getWithContext(
    key: string,
    include: readonly NoteInclude[],
    caller: Identity,
  ): Promise<NoteWithContext> {
    const access = PageAccess.of(caller);
    const limit = DEFAULT_PAGE_SIZE;
    const found = await this.context.pageAround(
      isUuid(key) ? { id: key.toLowerCase() } : { slug: key },
      access,
      {
        backlinks: include.includes('backlinks') ? limit : undefined,
        treeLevel: include.includes('place') ? MAX_TREE_LEVEL_PAGES : undefined,
        links: include.includes('links'),
      },
    );
    if (!found.page) throw noteNotFound(key);
    const note: NoteWithContext = toNoteView(found.page);
    if (found.backlinks) note.backlinks = toPage(found.backlinks, limit, toSummaryView, summaryKey);
    if (found.spaces && found.tree) {
      note.place = {
        spaces: found.spaces.map((space) => toSpaceView(space, access)),
        tree: toOpenTree(found.tree),
      };
    }
    if (found.links) note.links = found.links.map(({ target, slug }) => ({ target, slug }));
    return note;
  }

  /** `created` is false when the import key matched a page imported before (answered as is). */
  async create(
    input: CreateNoteInput,
    caller: Identity,
  ): Promise<{ note: Note; created: boolean }> {
    const access = PageAccess.of(caller);
    if (input.importKey) {
      const existing = await this.notes.findByImportKey(input.importKey, access);
      if (existing) return { note: toNoteView(existing), created: false };
    }
    const { spaceId, parentId } = await this.placeNew(input, access);
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
      spaceId,
      parentId,
      // The person's new-page draft became this page (an import is not that page).
      draftOf: input.importKey ? undefined : { owner: caller.userId, page: null },
    });
    if ('kind' in result) {
      if (result.kind === 'invalid_parent') {
        throw invalidParent('The parent must be a live page in the same space.');
      }
      if (result.kind === 'import_exists') {
        // Two imports of the same page raced; the first one's page is the answer. A page the
        // caller cannot read is not: they learn only that the key is taken.
        const existing = await this.notes.findByImportKey(input.importKey!, access);
        if (existing) return { note: toNoteView(existing), created: false };
        throw new NotesException('import_key_taken', 'This import key belongs to another page.');
      }
      throw slugTaken(content.slug);
    }
    this.metrics.saves.inc({ result: 'created' });
    await this.recordTerms(result);
    return { note: toNoteView(result), created: true };
  }

  /**
   * Saves a new version. A save read at an older version (the base) is merged three-way with the
   * versions saved since: edits to different lines are saved with `merged: true`; overlapping ones
   * are 409 with the page now, what this save tried to write and the merge with conflict markers.
   */
  async update(key: string, input: UpdateNoteInput, caller: Identity): Promise<SavedNote> {
    const access = PageAccess.of(caller);
    let current = await this.liveWritable(key, access);
    // A save that also moves: checked here, written in the save's transaction (all or nothing).
    const move =
      input.spaceId !== undefined || input.parentId !== undefined
        ? await this.moves.plan(
            current,
            { spaceId: input.spaceId, parentId: input.parentId },
            access,
          )
        : undefined;
    let text: PageText = {
      title: input.title ?? current.title,
      body: input.body ?? current.body,
      tags: input.tags ?? current.tags,
    };
    let expectedVersion = input.version;
    // A merged save can meet yet another save; a few rounds, then the person decides.
    for (let round = 0; ; round += 1) {
      const content = this.content(
        text.title,
        text.body,
        text.tags,
        current.id,
        // A page keeps its slug unless its title changes (e.g. a `page-…` slug stays stable).
        text.title === current.title ? current.slug : undefined,
      );
      const result = await this.notes.update({
        id: current.id,
        previousSlug: current.slug,
        expectedVersion,
        content,
        links: parseLinks(content.body),
        author: person(caller),
        now: this.clock.now(),
        // A save by the owner of a draft of this page deletes it (others' drafts stay).
        draftOf: { owner: caller.userId, page: current.id },
        move,
      });
      if (!('kind' in result)) {
        this.metrics.saves.inc({ result: 'updated' });
        await this.recordTerms(result);
        if (expectedVersion === input.version) return toNoteView(result);
        const mergedWith = await this.revisionRows.authorsBetween(
          result.id,
          input.version,
          expectedVersion,
          caller.userId,
        );
        return { ...toNoteView(result), merged: true, mergedWith };
      }
      if (result.kind === 'missing') throw noteNotFound(key);
      if (result.kind === 'slug_taken') throw slugTaken(content.slug);
      if (result.kind === 'move_refused') throw moveRefused(result.result, current.id);
      current = result.current;
      const base = await this.revisionRows.find(current.id, input.version);
      const merge = base && round < 3 ? mergeSave(base, input, current) : undefined;
      if (!merge || !merge.clean) {
        this.metrics.saves.inc({ result: 'conflict' });
        const read = base ?? current;
        const yours = {
          title: input.title ?? read.title,
          body: input.body ?? read.body,
          tags: input.tags ?? read.tags,
          version: input.version,
        };
        throw versionConflict(current, yours, merge);
      }
      text = merge.content;
      expectedVersion = current.version;
    }
  }

  async trash(key: string, caller: Identity): Promise<void> {
    const access = PageAccess.of(caller);
    const current = await this.liveWritable(key, access);
    const row = await this.trashRows.trash(current.id, person(caller), this.clock.now());
    if (!row) throw noteNotFound(key);
  }

  /** Brings a page back from the trash (by id: a trashed page's slug may belong to another). */
  async untrash(id: string, caller: Identity): Promise<Note> {
    if (!isUuid(id)) throw noteNotFound(id);
    const access = PageAccess.of(caller);
    const page = await this.notes.findById(id.toLowerCase(), access, { withDeleted: true });
    if (!page) throw noteNotFound(id);
    await this.spaces.writable(page.space_id, access);
    const result = await this.trashRows.untrash(page.id);
    if (result && 'kind' in result) throw slugTaken(page.slug);
    if (result) return toNoteView(result);
    if (!page.deleted_at) {
      throw new NotesException('note_not_deleted', 'This page is not in the trash.');
    }
    throw noteNotFound(id);
  }

  async list(query: ListQuery, caller: Identity): Promise<Page<NoteSummary>> {
    const after = query.cursor ? decodeTimeCursor(query.cursor, isUuid) : undefined;
    const rows = await this.notes.list(PageAccess.of(caller), {
      tag: query.tag,
      spaceId: query.spaceId,
      limit: query.limit,
      after,
    });
    return toPage(rows, query.limit, toSummaryView, summaryKey);
  }

  async listTrash(query: PageQuery, caller: Identity): Promise<Page<NoteSummary>> {
    const after = query.cursor ? decodeTimeCursor(query.cursor, isUuid) : undefined;
    const rows = await this.trashRows.list({ limit: query.limit, after }, PageAccess.of(caller));
    return toPage(rows, query.limit, toSummaryView, (row) => ({
      at: row.deleted_at!.toISOString(),
      id: row.id,
    }));
  }

  async backlinks(key: string, query: PageQuery, caller: Identity): Promise<Page<NoteSummary>> {
    const access = PageAccess.of(caller);
    const target = await this.live(key, access);
    const after = query.cursor ? decodeTimeCursor(query.cursor, isUuid) : undefined;
    const rows = await this.links.backlinks(target, access, { limit: query.limit, after });
    return toPage(rows, query.limit, toSummaryView, summaryKey);
  }

  /** A live page the caller can read; one they cannot read is 404 like a missing one. */
  async live(key: string, access: PageAccess): Promise<NoteRow> {
    const row = isUuid(key)
      ? await this.notes.findById(key.toLowerCase(), access)
      : await this.notes.findBySlug(key, access);
    if (!row) throw noteNotFound(key);
    return row;
  }

  /**
   * A live page the caller can read and change: 404 when they cannot read it, 403 when they
   * can read but not change it (the page and the caller's standing in its space in one read).
   */
  private async liveWritable(key: string, access: PageAccess): Promise<NoteRow> {
    const row = await this.notes.findWithStanding(
      isUuid(key) ? { id: key.toLowerCase() } : { slug: key },
      access,
    );
    if (!row) throw noteNotFound(key);
    const { space_visibility: visibility, space_role: myRole, ...page } = row;
    if (!access.canWrite({ visibility, myRole })) throw cannotChangePages();
    return page;
  }

  /**
   * Where a new page goes: the named space, else its parent's, else the default space. The
   * parent must be a live page the caller can read in that space; the space must be writable.
   */
  private async placeNew(
    input: { spaceId?: string; parentId?: string | null },
    access: PageAccess,
  ): Promise<{ spaceId: string; parentId: string | null }> {
    let spaceId = input.spaceId;
    if (input.parentId) {
      const parent = await this.notes.findById(input.parentId, access);
      if (!parent || (spaceId && parent.space_id !== spaceId)) {
        throw invalidParent('The parent must be a live page you can read, in the same space.');
      }
      spaceId = parent.space_id;
    }
    spaceId ??= DEFAULT_SPACE_ID;
    await this.spaces.writable(spaceId, access);
    return { spaceId, parentId: input.parentId ?? null };
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
   * never wait on each other's new words), in batches the save does not wait for. Losing it only
   * costs a suggestion.
   */
  recordTerms(row: NoteRow): Promise<void> {
    this.search.recordTerms(row.id).catch((error: unknown) => {
      // The message only: a database error's values (the page's words) stay out of the log.
      this.logger.warn(`could not record search terms: ${serializeError(error).message}`);
    });
    return Promise.resolve();
  }
}

function versionConflict(
  current: NoteRow,
  yours: VersionConflictDetails['yours'],
  merge: SaveMerge | undefined,
): NotesException {
  const details: VersionConflictDetails = {
    current: toNoteView(current),
    // What this save tried to write, so the editor can offer it for merging.
    yours,
    ...(merge && !merge.clean ? { merge: merge.merge } : {}),
  };
  return new NotesException(
    'version_conflict',
    `Someone saved version ${current.version} after the version ${yours.version} you edited.`,
    details,
  );
}

function slugTaken(slug: string): NotesException {
  return new NotesException('slug_taken', 'A page with this title already exists.', { slug });
}
