import { Injectable } from '@nestjs/common';
import { type Person } from '@lateral/contracts';
import { onConnection, rows, uniqueViolation } from '@lateral/database';
import { DataSource } from 'typeorm';
import { type TimeCursor } from '../pagination/cursor.js';
import {
  LIVE_SLUG_KEY,
  NOTE_COLUMNS,
  SUMMARY_COLUMNS,
  type NoteRow,
  type NoteSummaryRow,
} from './note.rows.js';
import { type SlugClash } from './notes.repository.js';

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
  async list(options: { limit: number; after?: TimeCursor }): Promise<NoteSummaryRow[]> {
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
}
