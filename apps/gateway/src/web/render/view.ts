import { type Space, type SpaceTree } from '@lateral/contracts';
import { type SafeHtml } from '../html.js';

/**
 * Where a page sits: the sidebar shows that space's tree with the page marked. A handler that
 * already read the spaces or the tree passes them along so the sidebar does not ask again.
 */
export interface PagePlace {
  spaceId: string;
  noteId?: string;
  spaces?: readonly Space[];
  tree?: SpaceTree;
}

/** Brands views so JSON answers of other controllers are never mistaken for one. */
const VIEW: unique symbol = Symbol('lateral.view');

/**
 * What a web handler returns. A `page` is wrapped in the layout for a normal request and sent
 * bare (with its `<title>`) for an htmx request; a `partial` is always bare (search results,
 * previews, "more" rows). Handlers never build the layout themselves and never look at htmx
 * headers: a page that has parts htmx may ask for on their own (the search results, the next
 * rows of a list) names them in `fragments`, keyed by the id of the element htmx targets, and the
 * renderer picks one. A status other than 200 travels as a `ViewResponse`.
 */
export type View = { readonly [VIEW]: true } & (
  | {
      kind: 'page';
      title: string;
      body: SafeHtml;
      /** The main column may use the full width (editor, diffs). */
      wide?: boolean;
      /** Seconds after which the browser reloads the page (the "notes is down" page). */
      refreshSeconds?: number;
      /** Parts of the page sent alone when htmx targets the element with that id. */
      fragments?: Readonly<Record<string, SafeHtml>>;
      /** The space (and page) the sidebar marks; without it the sidebar lists the spaces only. */
      place?: PagePlace;
    }
  | { kind: 'partial'; body: SafeHtml }
);

export const pageView = (
  title: string,
  body: SafeHtml,
  options: {
    wide?: boolean;
    refreshSeconds?: number;
    fragments?: Readonly<Record<string, SafeHtml>>;
    place?: PagePlace;
  } = {},
): View => ({ [VIEW]: true, kind: 'page', title, body, ...options });

export const partialView = (body: SafeHtml): View => ({ [VIEW]: true, kind: 'partial', body });

export function isView(value: unknown): value is View {
  return typeof value === 'object' && value !== null && VIEW in value;
}
