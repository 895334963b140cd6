import { Injectable } from '@nestjs/common';
import { type Person } from '@lateral/contracts';
import { onConnection, rows, uniqueViolation } from '@lateral/database';
import { DataSource } from 'typeorm';
import { type TimeCursor } from '../pagination/cursor.js';
import { type PageAccess } from '../spaces/page-access.js';
import {
  LIVE_SLUG_KEY,
  NOTE_COLUMNS,
  SUMMARY_COLUMNS,
  type NoteRow,
  type NoteSummaryRow,
} from './note.rows.js';
import { type SlugClash } from './notes.repository.js';

/** A trashed page with who moved it there (the name only when it wrote a revision of the page). */
export type TrashedRow = NoteSummaryRow & {
  deleted_by_id: string | null;
  deleted_by_name: string | null;
};

/** Pages one emptying statement removes; a large trash is emptied in several. */
const EMPTY_BATCH = 500;

/** The trash: a deleted page keeps its row (and history) with `deleted_at` set until restored. */
@Injectable()
export class TrashRepository {
  constructor(private readonly dataSource: DataSource) {}

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

  /** Trashed pages, most recently deleted first; keyset on (deleted_at, id). */
  async list(
    options: { limit: number; after?: TimeCursor },
    access: PageAccess,
  ): Promise<NoteSummaryRow[]> {
    const params: unknown[] = [options.limit + 1];
    let after = '';
    if (options.after) {
      params.push(options.after.at, options.after.id);
      after = `AND (n.deleted_at, n.id) < ($2::timestamptz, $3::uuid)`;
    }
    const readable = access.readable(params);
    return this.dataSource.query<NoteSummaryRow[]>(
      `SELECT ${SUMMARY_COLUMNS} FROM notes n WHERE n.deleted_at IS NOT NULL AND ${readable} ${after}
       ORDER BY n.deleted_at DESC, n.id DESC LIMIT $1`,
      params,
    );
  }

  /**
   * The most recently trashed page with this id or slug. `notes` keeps only the deleter's id, so
   * the name comes from that person's latest revision of the page, if they wrote one.
   */
  async findTrashed(
    key: { id: string } | { slug: string },
    access: PageAccess,
  ): Promise<TrashedRow | undefined> {
    const [where, value] = 'id' in key ? ['n.id = $1', key.id] : ['n.slug = $1', key.slug];
    const params: unknown[] = [value];
    const readable = access.readable(params);
    const [row] = await this.dataSource.query<TrashedRow[]>(
      `SELECT ${SUMMARY_COLUMNS}, n.deleted_by_id,
         (SELECT r.author_name FROM note_revisions r
          WHERE r.note_id = n.id AND r.author_id = n.deleted_by_id
          ORDER BY r.number DESC LIMIT 1) AS deleted_by_name
       FROM notes n WHERE ${where} AND n.deleted_at IS NOT NULL AND ${readable}
       ORDER BY n.deleted_at DESC, n.id DESC LIMIT 1`,
      params,
    );
    return row;
  }

  /**
   * Deletes a trashed page for good; false when it is not in the trash (live, restored meanwhile
   * or gone). One statement: the foreign keys cascade, so its revisions, outgoing links and old
   * slugs go with it atomically, and the tag-count trigger has nothing to subtract (trashed pages
   * are not counted). A concurrent restore either wins the row lock first (nothing is deleted)
   * or waits and finds no row.
   */
  async deleteForever(id: string): Promise<boolean> {
    return onConnection(this.dataSource, async (runner) => {
      const deleted = await rows<{ id: string }>(
        runner,
        `DELETE FROM notes WHERE id = $1 AND deleted_at IS NOT NULL RETURNING id`,
        [id],
      );
      return deleted.length > 0;
    });
  }

  /**
   * Deletes every page trashed at or before `upTo` (a page trashed after the admin asked stays),
   * in batches so no statement runs into the statement timeout; returns how many went.
   */
  async empty(upTo: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await onConnection(this.dataSource, (runner) =>
        rows<{ id: string }>(
          runner,
          `DELETE FROM notes WHERE id IN (
             SELECT id FROM notes WHERE deleted_at IS NOT NULL AND deleted_at <= $1
             ORDER BY deleted_at LIMIT ${EMPTY_BATCH} FOR UPDATE SKIP LOCKED)
           RETURNING id`,
          [upTo],
        ),
      );
      total += deleted.length;
      if (deleted.length < EMPTY_BATCH) return total;
    }
  }
}
