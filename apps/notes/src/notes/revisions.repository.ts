import { Injectable } from '@nestjs/common';
import { rows } from '@lateral/database';
import { DataSource, type QueryRunner } from 'typeorm';
import { type NoteRow, type RevisionRow } from './note.rows.js';

type FullRevision = RevisionRow & { body: string };

/** A page's history (`note_revisions`): one row per version, written by every save. */
@Injectable()
export class RevisionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records `row` as its version's revision, inside the save's transaction. */
  async insert(
    runner: QueryRunner,
    row: NoteRow,
    at: Date,
    restoredFrom: number | null = null,
  ): Promise<void> {
    await runner.query(
      `INSERT INTO note_revisions (note_id, number, title, body, tags, created_at, author_id,
         author_name, restored_from)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        row.id,
        row.version,
        row.title,
        row.body,
        row.tags,
        at,
        row.updated_by_id,
        row.updated_by_name,
        restoredFrom,
      ],
    );
  }

  /** Revisions newest first, without bodies; keyset on the number. */
  async list(id: string, options: { limit: number; before?: number }): Promise<RevisionRow[]> {
    return this.dataSource.query<RevisionRow[]>(
      `SELECT number, title, tags, created_at, author_id, author_name, restored_from
       FROM note_revisions
       WHERE note_id = $1 AND ($3::int IS NULL OR number < $3)
       ORDER BY number DESC LIMIT $2`,
      [id, options.limit + 1, options.before ?? null],
    );
  }

  /**
   * Who saved versions `after` + 1 … `upTo` (a merged save's other authors), in order, each once;
   * `except` (the saver) left out.
   */
  async authorsBetween(id: string, after: number, upTo: number, except: string): Promise<string[]> {
    const found = await this.dataSource.query<{ author_name: string }[]>(
      `SELECT author_name FROM note_revisions
       WHERE note_id = $1 AND number > $2 AND number <= $3 AND author_id <> $4
       GROUP BY author_name ORDER BY min(number)`,
      [id, after, upTo, except],
    );
    return found.map((row) => row.author_name);
  }

  /** One revision with its body; on `runner` when read inside a transaction (a restore). */
  async find(id: string, number: number, runner?: QueryRunner): Promise<FullRevision | undefined> {
    const sql = `SELECT number, title, body, tags, created_at, author_id, author_name,
       restored_from FROM note_revisions WHERE note_id = $1 AND number = $2`;
    const [row] = runner
      ? await rows<FullRevision>(runner, sql, [id, number])
      : await this.dataSource.query<FullRevision[]>(sql, [id, number]);
    return row;
  }
}
