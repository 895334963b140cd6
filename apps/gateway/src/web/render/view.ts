import { type SafeHtml } from '../html.js';

/**
 * What a web handler returns. A `page` is wrapped in the layout for a normal request and sent
 * bare (with its `<title>`) for an htmx request; a `partial` is always bare (search results,
 * previews, "more" rows). Handlers never build the layout themselves.
 */
export type View =
  | {
      kind: 'page';
      title: string;
      body: SafeHtml;
      status?: number;
      /** The main column may use the full width (editor, diffs). */
      wide?: boolean;
      /** Seconds after which the browser reloads the page (the "notes is down" page). */
      refreshSeconds?: number;
    }
  | { kind: 'partial'; body: SafeHtml; status?: number };

export const pageView = (
  title: string,
  body: SafeHtml,
  options: { status?: number; wide?: boolean; refreshSeconds?: number } = {},
): View => ({ kind: 'page', title, body, ...options });

export const partialView = (body: SafeHtml, status?: number): View => ({
  kind: 'partial',
  body,
  ...(status ? { status } : {}),
});

export function isView(value: unknown): value is View {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return (kind === 'page' || kind === 'partial') && 'body' in (value as object);
}
