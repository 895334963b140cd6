import { Injectable } from '@nestjs/common';
import { type Person } from '@lateral/contracts';
import { inTransaction, onConnection, rows, uniqueViolation } from '@lateral/database';
import { DataSource, type QueryRunner } from 'typeorm';
import { type ParsedLinks } from '../links/link-parser.js';
import { LinksRepository } from '../links/links.repository.js';
import { type TimeCursor } from '../pagination/cursor.js';
import {
  NOTE_COLUMNS,
  SUMMARY_COLUMNS,
  type NoteRow,
  type NoteSummaryRow,
  type RevisionRow,
} from './note.rows.js';

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

const LIVE_SLUG_KEY = 'notes_slug_live_key';
const IMPORT_KEY = 'notes_import_key';

/** Pages and revisions in PostgreSQL. Every save writes the page, its revision and its links in one transaction. */
@Injectable()
export class NotesRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly links: LinksRepository,
  ) {}

  async findById(
    id: string,
    options: { withDeleted?: boolean } = {},
  ): Promise<NoteRow | undefined> {
    const [row] = await this.dataSource.query<NoteRow[]>(
      `SELECT ${NOTE_COLUMNS} FROM notes n WHERE n.id = $1 ${options.withDeleted ? '' : 'AND n.deleted_at IS NULL'}`,
      [id],
    );
    return row;
  }

  /** A live page by its slug, or by an old slug it had before a rename. */
  async findBySlug(slug: string): Promise<NoteRow | undefined> {
    const [row] = await this.dataSource.query<NoteRow[]>(
      `(SELECT ${NOTE_COLUMNS} FROM notes n WHERE n.slug = $1 AND n.deleted_at IS NULL)
       UNION ALL
       (SELECT ${NOTE_COLUMNS} FROM note_slug_aliases a JOIN notes n ON n.id = a.note_id
        WHERE a.slug = $1 AND n.deleted_at IS NULL)
       LIMIT 1`,
      [slug],
    );
    return row;
  }

  async findByImportKey(importKey: string): Promise<NoteRow | undefined> {
    const [row] = await this.dataSource.query<NoteRow[]>(
      `SELECT ${NOTE_COLUMNS} FROM notes n WHERE n.import_key = $1`,
      [importKey],
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
  }): Promise<NoteRow | SlugClash | { kind: 'import_exists' }> {
    try {
      return await inTransaction(this.dataSource, async (runner) => {
        const { content: c, author: a } = input;
        const [row] = await rows<NoteRow>(
          runner,
          `INSERT INTO notes AS n (id, slug, title, body, tags, version, created_at, updated_at,
             created_by_id, created_by_name, updated_by_id, updated_by_name, import_key)
           VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $8, $9, $10)
           RETURNING ${NOTE_COLUMNS}`,
          [
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
          ],
        );
        await this.insertRevision(runner, row!, input.createdAt);
        await this.links.replace(runner, input.id, input.links);
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
  }): Promise<NoteRow | WriteMiss | SlugClash> {
    try {
      return await inTransaction(this.dataSource, async (runner) => {
        const { content: c, author: a } = input;
        const [row] = await rows<NoteRow>(
          runner,
          `UPDATE notes AS n SET slug = $3, title = $4, body = $5, tags = $6, version = n.version + 1,
             updated_at = $7, updated_by_id = $8, updated_by_name = $9
           WHERE n.id = $1 AND n.version = $2 AND n.deleted_at IS NULL
           RETURNING ${NOTE_COLUMNS}`,
          [
            input.id,
            input.expectedVersion,
            c.slug,
            c.title,
            c.body,
            c.tags,
            input.now,
            a.id,
            a.name,
          ],
        );
        if (!row) return this.whyNotWritten(runner, input.id);
        await this.insertRevision(runner, row, input.now);
        await this.links.replace(runner, input.id, input.links);
        await this.keepAlias(runner, row, input.previousSlug);
        return row;
      });
    } catch (error) {
      if (uniqueViolation(error) === LIVE_SLUG_KEY) return { kind: 'slug_taken' };
      throw error;
    }
  }

  private async whyNotWritten(runner: QueryRunner, id: string): Promise<WriteMiss> {
    const [current] = await rows<NoteRow>(
      runner,
      `SELECT ${NOTE_COLUMNS} FROM notes n WHERE n.id = $1 AND n.deleted_at IS NULL`,
      [id],
    );
    return current ? { kind: 'stale', current } : { kind: 'missing' };
  }

  /** After a rename the old slug points here (the latest page renamed away from it wins). */
  private async keepAlias(runner: QueryRunner, row: NoteRow, previousSlug: string): Promise<void> {
    if (row.slug === previousSlug) return;
    await runner.query(`DELETE FROM note_slug_aliases WHERE slug = $1 AND note_id = $2`, [
      row.slug,
      row.id,
    ]);
    await runner.query(
      `INSERT INTO note_slug_aliases (slug, note_id) VALUES ($1, $2)
       ON CONFLICT (slug) DO UPDATE SET note_id = EXCLUDED.note_id`,
      [previousSlug, row.id],
    );
  }

  private async insertRevision(runner: QueryRunner, row: NoteRow, at: Date): Promise<void> {
    await runner.query(
      `INSERT INTO note_revisions (note_id, number, title, body, tags, created_at, author_id, author_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        row.id,
        row.version,
        row.title,
        row.body,
        row.tags,
        at,
        row.updated_by_id,
        row.updated_by_name,
      ],
    );
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
        const [revision] = await rows<RevisionRow & { body: string }>(
          runner,
          `SELECT number, title, body, tags, created_at, author_id, author_name
           FROM note_revisions WHERE note_id = $1 AND number = $2`,
          [input.id, input.number],
        );
        if (!revision) return { kind: 'no_revision' as const };
        const { content: c, links } = input.prepare(revision);
        const a = input.author;
        const [row] = await rows<NoteRow>(
          runner,
          `UPDATE notes AS n SET slug = $2, title = $3, body = $4, tags = $5, version = n.version + 1,
             updated_at = $6, updated_by_id = $7, updated_by_name = $8
           WHERE n.id = $1 RETURNING ${NOTE_COLUMNS}`,
          [input.id, c.slug, c.title, c.body, c.tags, input.now, a.id, a.name],
        );
        await this.insertRevision(runner, row!, input.now);
        await this.links.replace(runner, input.id, links);
        await this.keepAlias(runner, row!, note.slug);
        return row!;
      });
    } catch (error) {
      if (uniqueViolation(error) === LIVE_SLUG_KEY) return { kind: 'slug_taken' };
      throw error;
    }
  }

  /** Moves a live page to the trash; undefined when there is no such live page. */
  async trash(id: string, by: Person, now: Date): Promise<NoteRow | undefined> {
    return onConnection(this.dataSource, async (runner) => {
      const [row] = await rows<NoteRow>(
        runner,
        `UPDATE notes AS n SET deleted_at = $2, deleted_by_id = $3
         WHERE n.id = $1 AND n.deleted_at IS NULL RETURNING ${NOTE_COLUMNS}`,
        [id, now, by.id],
      );
      return row;
    });
  }

  /** Brings a trashed page back, unless a live page has taken its slug meanwhile. */
  async untrash(id: string): Promise<NoteRow | SlugClash | undefined> {
    try {
      return await onConnection(this.dataSource, async (runner) => {
        const [row] = await rows<NoteRow>(
          runner,
          `UPDATE notes AS n SET deleted_at = NULL, deleted_by_id = NULL
           WHERE n.id = $1 AND n.deleted_at IS NOT NULL RETURNING ${NOTE_COLUMNS}`,
          [id],
        );
        return row;
      });
    } catch (error) {
      if (uniqueViolation(error) === LIVE_SLUG_KEY) return { kind: 'slug_taken' };
      throw error;
    }
  }

  /** Live pages, most recently updated first; keyset on (updated_at, id). */
  async list(options: {
    tag?: string;
    limit: number;
    after?: TimeCursor;
  }): Promise<NoteSummaryRow[]> {
    const params: unknown[] = [options.limit + 1];
    const where = ['n.deleted_at IS NULL'];
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
    return this.dataSource.query<NoteSummaryRow[]>(
      `SELECT ${SUMMARY_COLUMNS} FROM notes n WHERE ${where.join(' AND ')}
       ORDER BY n.updated_at DESC, n.id DESC LIMIT $1`,
      params,
    );
  }

  /** Trashed pages, most recently deleted first; keyset on (deleted_at, id). */
  async listTrash(options: { limit: number; after?: TimeCursor }): Promise<NoteSummaryRow[]> {
    const params: unknown[] = [options.limit + 1];
    let after = '';
    if (options.after) {
      params.push(options.after.at, options.after.id);
      after = `AND (n.deleted_at, n.id) < ($2::timestamptz, $3::uuid)`;
    }
    return this.dataSource.query<NoteSummaryRow[]>(
      `SELECT ${SUMMARY_COLUMNS} FROM notes n WHERE n.deleted_at IS NOT NULL ${after}
       ORDER BY n.deleted_at DESC, n.id DESC LIMIT $1`,
      params,
    );
  }

  /** Revisions newest first, without bodies; keyset on the number. */
  async revisions(id: string, options: { limit: number; before?: number }): Promise<RevisionRow[]> {
    return this.dataSource.query<RevisionRow[]>(
      `SELECT number, title, tags, created_at, author_id, author_name FROM note_revisions
       WHERE note_id = $1 AND ($3::int IS NULL OR number < $3)
       ORDER BY number DESC LIMIT $2`,
      [id, options.limit + 1, options.before ?? null],
    );
  }

  async revision(
    id: string,
    number: number,
  ): Promise<(RevisionRow & { body: string }) | undefined> {
    const [row] = await this.dataSource.query<(RevisionRow & { body: string })[]>(
      `SELECT number, title, body, tags, created_at, author_id, author_name
       FROM note_revisions WHERE note_id = $1 AND number = $2`,
      [id, number],
    );
    return row;
  }
}
