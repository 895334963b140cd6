import { Injectable } from '@nestjs/common';
import { type Draft } from '@lateral/contracts';
import { inTransaction, rows } from '@lateral/database';
import { DataSource } from 'typeorm';

interface DraftRow {
  note_id: string | null;
  title: string;
  body: string;
  tags: string[];
  base_version: number | null;
  updated_at: Date;
}

const COLUMNS = 'note_id, title, body, tags, base_version, updated_at';
/** The key of the unique index: a page, or the nil UUID for "a new page". */
export const PAGE = `COALESCE(note_id, '00000000-0000-0000-0000-000000000000'::uuid)`;
export const pageParam = (noteId: string | null) =>
  noteId ?? '00000000-0000-0000-0000-000000000000';

function toDraft(row: DraftRow): Draft {
  return {
    noteId: row.note_id,
    title: row.title,
    body: row.body,
    tags: row.tags,
    baseVersion: row.base_version,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** `note_drafts`: one row per person per page (`noteId` null: the person's new page). */
@Injectable()
export class DraftsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(owner: string, noteId: string | null): Promise<Draft | undefined> {
    const [row] = await this.dataSource.query<DraftRow[]>(
      `SELECT ${COLUMNS} FROM note_drafts WHERE owner_id = $1 AND ${PAGE} = $2::uuid`,
      [owner, pageParam(noteId)],
    );
    return row && toDraft(row);
  }

  /**
   * Stores the draft, unless it is stale: its owner has saved the page past `baseVersion` (a
   * late autosave of the form they then saved must not bring that text back as a draft). The
   * page row is read FOR SHARE first: a save in flight finishes (and its revision is seen by the
   * next statement) before the check, and a save that comes later waits for this draft and then
   * deletes it as usual.
   */
  async put(owner: string, draft: Omit<Draft, 'updatedAt'>, now: Date): Promise<Draft | 'stale'> {
    return inTransaction(this.dataSource, async (runner) => {
      if (draft.noteId !== null && draft.baseVersion !== null) {
        await runner.query(`SELECT 1 FROM notes WHERE id = $1 FOR SHARE`, [draft.noteId]);
        const saved = await rows<{ one: number }>(
          runner,
          `SELECT 1 AS one FROM note_revisions
           WHERE note_id = $1 AND number > $2 AND author_id = $3 LIMIT 1`,
          [draft.noteId, draft.baseVersion, owner],
        );
        if (saved.length > 0) return 'stale' as const;
      }
      const [row] = await rows<DraftRow>(
        runner,
        `INSERT INTO note_drafts (owner_id, note_id, title, body, tags, base_version, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (owner_id, ${PAGE}) DO UPDATE SET title = EXCLUDED.title,
           body = EXCLUDED.body, tags = EXCLUDED.tags, base_version = EXCLUDED.base_version,
           updated_at = EXCLUDED.updated_at
         RETURNING ${COLUMNS}`,
        [owner, draft.noteId, draft.title, draft.body, draft.tags, draft.baseVersion, now],
      );
      return toDraft(row!);
    });
  }

  /** True when there was a draft to delete. */
  async delete(owner: string, noteId: string | null): Promise<boolean> {
    // Counted in SQL: TypeORM answers a bare DELETE … RETURNING as [rows, count].
    const [row] = await this.dataSource.query<{ deleted: number }[]>(
      `WITH gone AS (DELETE FROM note_drafts WHERE owner_id = $1 AND ${PAGE} = $2::uuid RETURNING 1)
       SELECT count(*)::int AS deleted FROM gone`,
      [owner, pageParam(noteId)],
    );
    return (row?.deleted ?? 0) > 0;
  }
}
