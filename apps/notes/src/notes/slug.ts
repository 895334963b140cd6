/** Longest slug; the gateway's `slugify` cuts at the same length so `[[Title]]` finds the page. */
export const MAX_SLUG_LENGTH = 120;

/**
 * A page title as a URL slug: accents folded, lower case, runs of anything else become one dash.
 * Must stay identical to the gateway's `slugify` (apps/gateway/src/web/wiki/slug.ts): the web UI
 * resolves `[[Title]]` by slugging the title and asking for that slug.
 */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') // the line above left no two dashes in a row
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-$/, '');
}

/**
 * The slug a new page gets: its title's, or `page-<id prefix>` for titles with no Latin letters
 * or digits at all (e.g. "日本語"), which would otherwise slug to nothing.
 */
export function slugForTitle(title: string, id: string): string {
  return slugify(title) || `page-${id.replace(/-/g, '').slice(0, 12)}`;
}
