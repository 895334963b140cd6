import { type Note, type NoteSummary, type Page } from './note.types.js';
import { type Space, type SpaceTree } from './space.types.js';

/** What `GET /api/v1/notes/:key?include=…` may add to the page. */
export const NOTE_INCLUDES = ['backlinks', 'place', 'links'] as const;
export type NoteInclude = (typeof NOTE_INCLUDES)[number];

/**
 * `GET /api/v1/notes/:key?include=backlinks,place`: the page and what a page view shows around it,
 * in one request instead of three (a page view is most of a wiki's traffic).
 */
export type NoteWithContext = Note & {
  /** `include=backlinks`: the first page of the pages linking here, as `GET …/backlinks` answers. */
  backlinks?: Page<NoteSummary>;
  /**
   * `include=place`: the spaces the caller can read (`GET /spaces`) and the page's space tree
   * open on it (`GET /spaces/:id/tree?levels=open&page=<id>`).
   */
  place?: { spaces: Space[]; tree: SpaceTree };
  /**
   * `include=links`: where each slug the page links to (`[[Title]]`'s slug, `/notes/<slug>`)
   * leads for the caller: the slug of the live page `GET /notes/<target>` would answer (by its
   * slug, or an old slug from before a rename), null when there is none they can read. What a
   * page view needs to draw its wiki links, without a request per link.
   */
  links?: LinkTarget[];
};

export type LinkTarget = { target: string; slug: string | null };
