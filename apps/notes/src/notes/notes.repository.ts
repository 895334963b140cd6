import { Injectable } from '@nestjs/common';
import { type Person, type SpaceRole, type SpaceVisibility } from '@lateral/contracts';
import {
  inTransaction,
  preparedRows,
  rows,
  uniqueViolation,
  type Statement,
} from '@lateral/database';
import { DataSource, type QueryRunner } from 'typeorm';
import { type ParsedLinks } from '../links/link-parser.js';
import { type TimeCursor } from '../pagination/cursor.js';
import { type PageAccess } from '../spaces/page-access.js';
import { SearchRepository } from '../search/search.repository.js';
import { movePage, parentInSpace, type MoveResult } from '../spaces/page-tree.repository.js';
import {
  LIVE_SLUG_KEY,
  NOTE_COLUMNS,
  SUMMARY_COLUMNS,
  type NoteRow,
  type NoteSummaryRow,
  type RevisionRow,
} from './note.rows.js';
import { RevisionsRepository, recordVersion } from './revisions.repository.js';

/** The content a save writes: the page, its revision and its links come from this. */
export interface NoteContent {
  title: string;
  slug: string;
  body: string;
  tags: string[];
}

/** Why a guarded write did not happen. */
export type WriteMiss = { kind: 'missing' } | { kind: 'stale'; current: NoteRow };
export type SlugClash = { kind: 'slug_taken' };
/** A save's move that was refused; the save was rolled back with it. */
export type MoveRefused = { kind: 'move_refused'; result: Exclude<MoveResult, 'moved'> };

/** Thrown inside the transaction to roll the saved version back when its move is refused. */
class MoveRefusal extends Error {
  constructor(readonly result: Exclude<MoveResult, 'moved'>) {
    super('move refused');
  }
}

const IMPORT_KEY = 'notes_import_key';

/**
 * The CTEs that keep a renamed page reachable by its old slug, for the page the CTE `saved`
 * wrote (its id and slug): the old slug points here (the latest page renamed away from it
 * wins), and an alias of its new slug to itself goes (a page renamed back). Nothing when the
 * slug stayed or `saved` wrote nothing. Its parameter is appended to `params`.
 */
function keptAlias(saved: string, params: unknown[], previousSlug: string): string {
  params.push(previousSlug);
  const previous = `$${params.length}::text`;
  return `alias_freed AS (
         DELETE FROM note_slug_aliases a USING ${saved} s
         WHERE a.slug = s.slug AND a.note_id = s.id AND s.slug <> ${previous}
       ),
       alias_kept AS (
         INSERT INTO note_slug_aliases (slug, note_id)
         SELECT ${previous}, s.id FROM ${saved} s WHERE s.slug <> ${previous}
         ON CONFLICT (slug) DO UPDATE SET note_id = EXCLUDED.note_id
       )`;
}

/**
 * The CTE `saved`: page `id` written with `content` as its next version, by `author` at `now`,
 * returning its row. With `expectedVersion`, only while the page is live at that version (a
 * save's guard; nothing written otherwise); without, the caller has locked the row (a restore).
 * Its parameters are appended to `params`.
 */
function savedVersion(
  params: unknown[],
  v: { id: string; expectedVersion?: number; content: NoteContent; author: Person; now: Date },
): string {
  const $ = (value: unknown) => `$${params.push(value)}`;
  const { content: c, author: a } = v;
  const guard =
    v.expectedVersion === undefined
      ? ''
      : ` AND n.version = ${$(v.expectedVersion)} AND n.deleted_at IS NULL`;
  return `saved AS (
         UPDATE notes AS n SET slug = ${$(c.slug)}, title = ${$(c.title)}, body = ${$(c.body)},
           tags = ${$(c.tags)}, version = n.version + 1, updated_at = ${$(v.now)},
           updated_by_id = ${$(a.id)}, updated_by_name = ${$(a.name)}
         WHERE n.id = ${$(v.id)}${guard}
         RETURNING ${NOTE_COLUMNS}
       )`;
}

/** The caller's standing in a page's space, read with the page (findWithStanding). */
export interface StandingColumns {
  space_visibility: SpaceVisibility;
  space_role: SpaceRole | null;
}

/** A page by id ($1) that the caller can read (live unless `withDeleted`). */
function byIdSql(
  access: PageAccess,
  params: unknown[],
  options: { withDeleted?: boolean },
): string {
  const readable = access.readable(params);
  return `SELECT ${NOTE_COLUMNS} FROM notes n WHERE n.id = $1 AND ${readable}
       ${options.withDeleted ? '' : 'AND n.deleted_at IS NULL'}`;
}

/** A live page by slug ($1) or old slug that the caller can read. */
function bySlugSql(access: PageAccess, params: unknown[]): string {
  const readable = access.readable(params);
  return `(SELECT ${NOTE_COLUMNS} FROM notes n WHERE n.slug = $1 AND n.deleted_at IS NULL AND ${readable})
       UNION ALL
       (SELECT ${NOTE_COLUMNS} FROM note_slug_aliases a JOIN notes n ON n.id = a.note_id
        WHERE a.slug = $1 AND n.deleted_at IS NULL AND ${readable})
       LIMIT 1`;
}

/**
 * Live pages in PostgreSQL: reads by id, slug or import key, the recent list, and the writes
 * (create, save, restore). Every write stores the page, its revision and its links in one
 * transaction. Revisions: {@link RevisionsRepository}; the trash: `TrashRepository`.
 */
@Injectable()
export class NotesRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly revisions: RevisionsRepository,
    private readonly search: SearchRepository,
  ) {}

  /** A page the caller can read (live unless `withDeleted`). */
  async findById(
    id: string,
    access: PageAccess,
    options: { withDeleted?: boolean } = {},
  ): Promise<NoteRow | undefined> {
    const params: unknown[] = [id];
    const [row] = await preparedRows<NoteRow>(
      this.dataSource,
      byIdSql(access, params, options),
      params,
    );
    return row;
  }

  /**
   * A live page the caller can read by its slug, or by an old slug it had before a rename. A page
   * the caller cannot read is skipped as if it did not exist (an alias may then still match).
   */
  async findBySlug(slug: string, access: PageAccess): Promise<NoteRow | undefined> {
    const params: unknown[] = [slug];
    // Every page view reads a page by slug: a prepared statement (see preparedRows).
    const [row] = await preparedRows<NoteRow>(this.dataSource, bySlugSql(access, params), params);
    return row;
  }

  /** {@link findById} (a live page) or {@link findBySlug} as a statement, to be read with others. */
  findStatement(key: { id: string } | { slug: string }, access: PageAccess): Statement {
    const params: unknown[] = ['id' in key ? key.id : key.slug];
    const text = 'id' in key ? byIdSql(access, params, {}) : bySlugSql(access, params);
    return { text, params };
  }

  /**
   * A live page the caller can read (by id, or by slug as {@link findBySlug}), with the caller's
   * standing in its space, for the write rule: one statement before a save, where reading the
   * page and then its space took two round trips.
   */
  async findWithStanding(
    key: { id: string } | { slug: string },
    access: PageAccess,
  ): Promise<(NoteRow & StandingColumns) | undefined> {
    const params: unknown[] = ['id' in key ? key.id : key.slug];
    const page = 'id' in key ? byIdSql(access, params, {}) : bySlugSql(access, params);
    params.push(access.caller.userId);
    const [row] = await preparedRows<NoteRow & StandingColumns>(
      this.dataSource,
      `SELECT p.*, s.visibility AS space_visibility, m.role AS space_role
       FROM (${page}) p JOIN spaces s ON s.id = p.space_id
       LEFT JOIN space_members m ON m.space_id = p.space_id AND m.user_id = $${params.length}`,
      params,
    );
    return row;
  }

  /** The page imported with this key, if the caller can read it. */
  async findByImportKey(importKey: string, access: PageAccess): Promise<NoteRow | undefined> {
    const params: unknown[] = [importKey];
    const readable = access.readable(params);
    const [row] = await this.dataSource.query<NoteRow[]>(
      `SELECT ${NOTE_COLUMNS} FROM notes n WHERE n.import_key = $1 AND ${readable}`,
      params,
    );
    return row;
  }

  /** Inserts page + revision 1 + links; a live page with the slug (or the import key) wins. */
  async create(input: {
    id: string;
    content: NoteContent;
    links: ParsedLinks;
    author: Person;
    createdAt: Date;
    now: Date;
    importKey: string | undefined;
    spaceId: string;
    parentId: string | null;
    /** The draft this page replaces (deleted with the save): its owner and page (null: new). */
    draftOf?: { owner: string; page: string | null };
  }): Promise<NoteRow | SlugClash | { kind: 'import_exists' | 'invalid_parent' }> {
    const { content: c, author: a } = input;
    const params: unknown[] = [
      input.id,
      c.slug,
      c.title,
      c.body,
      c.tags,
      input.createdAt,
      input.now,
      a.id,
      a.name,
      input.importKey ?? null,
      input.spaceId,
      input.parentId,
    ];
    const statement = `WITH saved AS (
         INSERT INTO notes AS n (id, slug, title, body, tags, version, created_at, updated_at,
           created_by_id, created_by_name, updated_by_id, updated_by_name, import_key,
           space_id, parent_id)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $8, $9, $10, $11, $12)
         RETURNING ${NOTE_COLUMNS}
       ),
       ${recordVersion('saved', params, { at: input.createdAt, links: input.links, draftOf: input.draftOf })}
       SELECT * FROM saved`;
    try {
      // One statement is one transaction: the page and its first version in one round trip,
      // prepared (its text is the same for every save, so PostgreSQL plans it once).
      if (!input.parentId) {
        const [row] = await preparedRows<NoteRow>(this.dataSource, statement, params);
        return row!;
      }
      // Under a parent: the parent is checked under the tree's lock, in the same transaction.
      const parentId = input.parentId;
      return await inTransaction(this.dataSource, async (runner) => {
        if (!(await parentInSpace(runner, parentId, input.spaceId))) {
          return { kind: 'invalid_parent' as const };
        }
        const [row] = await rows<NoteRow>(runner, statement, params);
        return row!;
      });
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === LIVE_SLUG_KEY) return { kind: 'slug_taken' };
      if (constraint === IMPORT_KEY) return { kind: 'import_exists' };
      throw error;
    }
  }

  /**
   * Writes a new version only if the page is still at `expectedVersion`. The guarded UPDATE is
   * atomic: of two saves at the same version, the second waits for the first's row lock, then
   * re-checks `version` and matches nothing.
   */
  async update(input: {
    id: string;
    /** The slug the page had when read; kept as an alias if this save renames it. */
    previousSlug: string;
    expectedVersion: number;
    content: NoteContent;
    links: ParsedLinks;
    author: Person;
    now: Date;
    /** The draft this save replaces (deleted with it): its owner and page. */
    draftOf?: { owner: string; page: string | null };
    /**
     * Also move the page (with its subtree) here, in the same transaction: a stale or refused
     * save moves nothing, and a refused move saves nothing.
     */
    move?: { spaceId: string; parentId: string | null } | undefined;
  }): Promise<NoteRow | WriteMiss | SlugClash | MoveRefused> {
    const params: unknown[] = [];
    const statement = `WITH ${savedVersion(params, input)},
       ${recordVersion('saved', params, { at: input.now, links: input.links, draftOf: input.draftOf })},
       ${keptAlias('saved', params, input.previousSlug)}
       SELECT * FROM saved`;
    try {
      // One statement is one transaction: the whole save in one round trip, prepared (its text
      // is the same for every save, so PostgreSQL plans it once).
      if (!input.move) {
        const [row] = await preparedRows<NoteRow>(this.dataSource, statement, params);
        return row ?? (await this.whyNotWritten(this.dataSource, input.id));
      }
      const move = input.move;
      return await inTransaction(this.dataSource, async (runner) => {
        const [row] = await rows<NoteRow>(runner, statement, params);
        if (!row) return this.whyNotWritten(runner, input.id);
        const moved = await movePage(runner, this.search, { id: input.id, ...move });
        if (moved !== 'moved') throw new MoveRefusal(moved);
        const [placed] = await rows<NoteRow>(
          runner,
          `SELECT ${NOTE_COLUMNS} FROM notes n WHERE n.id = $1`,
          [input.id],
        );
        return placed!;
      });
    } catch (error) {
      if (error instanceof MoveRefusal) return { kind: 'move_refused', result: error.result };
      if (uniqueViolation(error) === LIVE_SLUG_KEY) return { kind: 'slug_taken' };
      throw error;
    }
  }

  private async whyNotWritten(on: DataSource | QueryRunner, id: string): Promise<WriteMiss> {
    const [current] = (await on.query(
      `SELECT ${NOTE_COLUMNS} FROM notes n WHERE n.id = $1 AND n.deleted_at IS NULL`,
      [id],
    )) as NoteRow[];
    return current ? { kind: 'stale', current } : { kind: 'missing' };
  }

  /**
   * Writes revision `number`'s content as the next version. The page row is locked first, so a
   * restore and a save never interleave; `prepare` derives the slug and links from the revision.
   */
  async restoreRevision(input: {
    id: string;
    number: number;
    author: Person;
    now: Date;
    prepare: (revision: RevisionRow & { body: string }) => {
      content: NoteContent;
      links: ParsedLinks;
    };
  }): Promise<NoteRow | { kind: 'missing' | 'no_revision' } | SlugClash> {
    try {
      return await inTransaction(this.dataSource, async (runner) => {
        const [note] = await rows<NoteRow>(
          runner,
          `SELECT ${NOTE_COLUMNS} FROM notes n WHERE n.id = $1 AND n.deleted_at IS NULL FOR UPDATE`,
          [input.id],
        );
        if (!note) return { kind: 'missing' as const };
        const revision = await this.revisions.find(input.id, input.number, runner);
        if (!revision) return { kind: 'no_revision' as const };
        const { content, links } = input.prepare(revision);
        // The version written as a save writes it (its revision, links, media, alias): one statement.
        const params: unknown[] = [];
        const [row] = await rows<NoteRow>(
          runner,
          `WITH ${savedVersion(params, { ...input, content })},
           ${recordVersion('saved', params, { at: input.now, links, restoredFrom: input.number })},
           ${keptAlias('saved', params, note.slug)}
           SELECT * FROM saved`,
          params,
        );
        return row!;
      });
    } catch (error) {
      if (uniqueViolation(error) === LIVE_SLUG_KEY) return { kind: 'slug_taken' };
      throw error;
    }
  }

  /**
   * Live pages, most recently updated first; keyset on (updated_at, id). `updated_at` is always
   * written from the injected Clock (a JS Date, whole milliseconds), so it round-trips through
   * the millisecond cursor exactly; media, whose `created_at` is `now()`, has to truncate.
   */
  async list(
    access: PageAccess,
    options: { tag?: string; spaceId?: string; limit: number; after?: TimeCursor },
  ): Promise<NoteSummaryRow[]> {
    const params: unknown[] = [options.limit + 1];
    const where = ['n.deleted_at IS NULL', access.readable(params)];
    if (options.spaceId) {
      params.push(options.spaceId);
      where.push(`n.space_id = $${params.length}::uuid`);
    }
    if (options.tag) {
      params.push([options.tag]);
      where.push(`n.tags @> $${params.length}::text[]`);
    }
    if (options.after) {
      params.push(options.after.at, options.after.id);
      where.push(
        `(n.updated_at, n.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    return preparedRows<NoteSummaryRow>(
      this.dataSource,
      `SELECT ${SUMMARY_COLUMNS} FROM notes n WHERE ${where.join(' AND ')}
       ORDER BY n.updated_at DESC, n.id DESC LIMIT $1`,
      params,
    );
  }
}
