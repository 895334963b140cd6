/** A person as the gateway named them when they acted. */
export interface Person {
  id: string;
  name: string;
}

/** A page as the API answers it. */
export interface NoteView {
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
  deletedAt: string | null;
}

/** A page in a list: everything but the body (lists stay small at any page size). */
export type NoteSummaryView = Omit<NoteView, 'body'>;

export interface RevisionSummaryView {
  number: number;
  title: string;
  tags: string[];
  createdAt: string;
  author: Person;
}

export interface RevisionView extends RevisionSummaryView {
  body: string;
}

/** The content a save writes: the page, its revision and its links come from this. */
export interface NoteContent {
  title: string;
  slug: string;
  body: string;
  tags: string[];
}
