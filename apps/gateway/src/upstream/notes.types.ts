/**
 * What notes answers (DESIGN.md "Public API"). Fields the gateway does not rely on are typed
 * loosely so a new field in notes never breaks the gateway.
 */
export interface Note {
  id: string;
  slug: string;
  title: string;
  body: string;
  tags: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
  [field: string]: unknown;
}

export type NoteSummary = Omit<Note, 'body'> & { body?: string };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Revision {
  [field: string]: unknown;
}

export interface SearchHit {
  id: string;
  slug: string;
  title: string;
  [field: string]: unknown;
}

export interface SearchResult {
  items: SearchHit[];
  [field: string]: unknown;
}

export interface TagCount {
  [field: string]: unknown;
}

export interface CreateNoteInput {
  title: string;
  body: string;
  tags?: string[];
  /** Import: the original creation time. */
  createdAt?: string;
  /** Import: a stable key; creating again with it returns the existing note. */
  importKey?: string;
}

export interface UpdateNoteInput {
  title?: string;
  body?: string;
  tags?: string[];
  /** The version the editor read; a newer version on the server is a conflict. */
  version: number;
}

/** A save either lands, or loses to someone who saved in between: never a silent overwrite. */
export type UpdateNoteResult =
  { ok: true; note: Note } | { ok: false; conflict: true; current: Note; message: string };
