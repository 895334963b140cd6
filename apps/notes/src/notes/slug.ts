import { slugify } from '@lateral/contracts';

/**
 * The slug a new page gets: its title's, or `page-<id prefix>` for titles with no Latin letters
 * or digits at all (e.g. "日本語"), which would otherwise slug to nothing.
 */
export function slugForTitle(title: string, id: string): string {
  return slugify(title) || `page-${id.replace(/-/g, '').slice(0, 12)}`;
}
