/** Longest slug a page gets; longer titles are cut. */
export const MAX_SLUG_LENGTH = 120;

/**
 * A page title as a URL slug: accents folded, lower case, runs of anything else become one dash.
 * notes stores each page under its title's slug and parses `[[Title]]` links with it; the web UI
 * resolves `[[Title]]` by asking for this slug. The cut can land just after a dash, which is
 * dropped too: a slug never ends in `-` (issue #13, where two copies disagreed on that).
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
