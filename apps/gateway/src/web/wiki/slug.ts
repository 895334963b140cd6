/**
 * A page title as the notes service slugs it, so `[[Title]]` can be looked up by slug:
 * accents folded, lower case, runs of anything else become one dash.
 */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') // the line above left no two dashes in a row
    .slice(0, 120);
}
