/**
 * The JSON the notes service answers and the gateway reads (docs: DESIGN.md "Public API"). Dates
 * are ISO 8601 strings. Type aliases rather than interfaces, so a value also fits the gateway's
 * `Record<string, unknown>` field readers.
 */

/** A person as the gateway named them when they acted. */
export type Person = {
  id: string;
  name: string;
};

/** A page. */
export type Note = {
  id: string;
  slug: string;
  title: string;
  body: string;
  tags: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: Person;
  updatedBy: Person;
  /** Set while the page is in the trash. */
  deletedAt: string | null;
  /**
   * The page's space and parent page (null at the top of the space). Optional on the wire type
   * only because pages from a notes release before spaces lack them; notes always sends both.
   */
  spaceId?: string;
  parentId?: string | null;
};

/**
 * What `PUT /notes/:id` answers. A save read at an older version whose edits did not overlap the
 * versions saved meanwhile is merged three-way and saved: `merged` is true and `mergedWith` names
 * the people whose versions it was merged with (the caller left out).
 */
export type SavedNote = Note & {
  merged?: boolean;
  mergedWith?: string[];
};

/** A stale save's three-way merge that overlapped: the body with conflict markers. */
export type NoteMerge = {
  /** The body merged line by line; each conflict is `<<<<<<< mine`, `=======`, `>>>>>>> theirs`. */
  text: string;
  /** Conflict regions in `text` plus conflicting fields. */
  conflicts: number;
  /** Fields both sides changed differently (mine is kept in `yours`). */
  fields: ('title' | 'tags')[];
};

/** `details` of a 409 `version_conflict`. */
export type VersionConflictDetails = {
  current: Note;
  /** What the save tried to write. */
  yours: { title: string; body: string; tags: string[]; version: number };
  /** Absent when the base version could not be read (then nothing was merged). */
  merge?: NoteMerge;
};

/** A page in a list: everything but the body (lists stay small at any page size). */
export type NoteSummary = Omit<Note, 'body'>;

/** A saved version of a page in its history list. */
export type RevisionSummary = {
  number: number;
  title: string;
  tags: string[];
  createdAt: string;
  author: Person;
  /** Set when this version restored an older one: its number ("Restored from version n"). */
  restoredFrom?: number | null;
};

/** One saved version of a page, with its text. */
export type Revision = RevisionSummary & {
  body: string;
};

export type SearchHit = {
  id: string;
  slug: string;
  title: string;
  /** The title as safe HTML with `<mark>` around the matched words. */
  titleHighlight: string;
  /** Safe HTML: the page's text escaped, `<mark>` the only markup. */
  snippet: string;
  tags: string[];
  updatedAt: string;
  /** `fulltext` hits are ranked matches; `fuzzy` ones are titles that look like the query. */
  match: 'fulltext' | 'fuzzy';
};

export type SearchResult = {
  items: SearchHit[];
  /** A corrected query that finds pages, when this one found none by full text. */
  suggestion?: string;
};

export type TagCount = {
  tag: string;
  /** Live pages carrying the tag. */
  count: number;
};

/** One page of a listing; `nextCursor` is opaque and null on the last page. */
export type Page<T> = {
  items: T[];
  nextCursor: string | null;
};

/** `POST /api/v1/notes`. */
export type CreateNoteRequest = {
  title: string;
  body?: string;
  tags?: string[];
  /** Import: the page's original creation time. */
  createdAt?: string;
  /** Import: a stable key; creating again with it answers the existing page. */
  importKey?: string;
  /** Default: the parent's space, else the default space. */
  spaceId?: string;
  parentId?: string | null;
};

/** `PUT /api/v1/notes/:id`: absent fields keep their value. */
export type UpdateNoteRequest = {
  title?: string;
  body?: string;
  tags?: string[];
  /** The version the editor read: any other version on the server is a conflict (409). */
  version: number;
  /** Present and different: the page (with its children) moves, as `POST /notes/:id/move`. */
  spaceId?: string;
  parentId?: string | null;
};

/** A person's unsaved text for a page (or, with `noteId` null, for a new page). */
export type Draft = {
  noteId: string | null;
  title: string;
  body: string;
  tags: string[];
  /** The page's version the text was started from (null for a new page). */
  baseVersion: number | null;
  updatedAt: string;
};

/** `PUT /api/v1/notes/:id/draft` and `PUT /api/v1/drafts/new`. */
export type SaveDraftRequest = {
  title: string;
  body: string;
  tags: string[];
  baseVersion?: number | null;
};
