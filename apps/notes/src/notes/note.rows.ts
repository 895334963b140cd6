import {
  type Note,
  type NoteSummary,
  type Revision,
  type RevisionSummary,
} from '@lateral/contracts';

/** Columns of `notes` as node-postgres returns them. */
export interface NoteRow {
  id: string;
  slug: string;
  title: string;
  body: string;
  tags: string[];
  version: number;
  created_at: Date;
  updated_at: Date;
  created_by_id: string;
  created_by_name: string;
  updated_by_id: string;
  updated_by_name: string;
  deleted_at: Date | null;
  space_id: string;
  parent_id: string | null;
}

export type NoteSummaryRow = Omit<NoteRow, 'body'>;

export const SUMMARY_COLUMNS = `n.id, n.slug, n.title, n.tags, n.version, n.created_at, n.updated_at,
  n.created_by_id, n.created_by_name, n.updated_by_id, n.updated_by_name, n.deleted_at,
  n.space_id, n.parent_id`;
export const NOTE_COLUMNS = `${SUMMARY_COLUMNS}, n.body`;

/** The unique index that keeps one live page per slug (a violation is `slug_taken`). */
export const LIVE_SLUG_KEY = 'notes_slug_live_key';

export interface RevisionRow {
  number: number;
  title: string;
  body?: string;
  tags: string[];
  created_at: Date;
  author_id: string;
  author_name: string;
  restored_from?: number | null;
}

export function toSummaryView(row: NoteSummaryRow): NoteSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    tags: row.tags,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    createdBy: { id: row.created_by_id, name: row.created_by_name },
    updatedBy: { id: row.updated_by_id, name: row.updated_by_name },
    deletedAt: row.deleted_at ? row.deleted_at.toISOString() : null,
    spaceId: row.space_id,
    parentId: row.parent_id,
  };
}

export function toNoteView(row: NoteRow): Note {
  const { deletedAt, spaceId, parentId, ...summary } = toSummaryView(row);
  return { ...summary, body: row.body, deletedAt, spaceId, parentId };
}

export function toRevisionSummaryView(row: RevisionRow): RevisionSummary {
  return {
    number: row.number,
    title: row.title,
    tags: row.tags,
    createdAt: row.created_at.toISOString(),
    author: { id: row.author_id, name: row.author_name },
    restoredFrom: row.restored_from ?? null,
  };
}

export function toRevisionView(row: RevisionRow & { body: string }): Revision {
  return { ...toRevisionSummaryView(row), body: row.body };
}
